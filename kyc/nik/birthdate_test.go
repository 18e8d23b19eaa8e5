package nik

import (
	"errors"
	"testing"
	"time"
)

func TestParseBirthDate(t *testing.T) {
	valid := map[string]time.Time{
		"31-01-1981":   date(1981, 1, 31),
		"29-02-2000":   date(2000, 2, 29),
		"01-01-1900":   date(1900, 1, 1),
		" 25-03-1977 ": date(1977, 3, 25),
		"10-03-2026":   date(2026, 3, 10), // today at refNow
	}
	for in, want := range valid {
		got, err := parseBirthDateAt(in, refNow)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseBirthDateAt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	invalid := []string{
		"", "1-1-1981", "31/01/1981", "31-01-81", "1981-01-31", "31-1-1981", "31-01-1981x",
		"32-01-1981", "00-01-1981", "31-04-1981", "29-02-1900", "29-02-2023", "01-13-1981", "01-00-1981",
		"31-12-1899", "11-03-2026", "01-01-2999", "3a-01-1981", "31-0b-1981", "31-01-19c1", "+1-01-1981",
	}
	for _, in := range invalid {
		_, err := parseBirthDateAt(in, refNow)
		if !errors.Is(err, &Error{Reason: ReasonBirthDate}) {
			t.Errorf("parseBirthDateAt(%q) error = %v, want ReasonBirthDate", in, err)
		}
	}
	// The exported form uses the real clock.
	if _, err := ParseBirthDate("31-01-1981"); err != nil {
		t.Errorf("ParseBirthDate: %v", err)
	}
	if _, err := ParseBirthDate("01-01-2999"); err == nil {
		t.Errorf("ParseBirthDate accepted a future date")
	}
}
