package nik

import (
	"errors"
	"testing"
	"time"
)

func TestMake(t *testing.T) {
	tests := []struct {
		district string
		birth    time.Time
		sex      Sex
		serial   int
		want     string
	}{
		{"367112", date(2001, 1, 14), Male, 4, "3671121401010004"},
		{"36.71.12", date(2001, 1, 14), Female, 4, "3671125401010004"},
		{"367112", date(1980, 12, 31), Female, 9999, "3671127112809999"},
		{"317401", date(2000, 2, 29), Male, 1, "3174012902000001"},
		// A district missing from the table is allowed (split regions).
		{"910101", time.Date(1965, 8, 17, 23, 0, 0, 0, time.FixedZone("WIT", 9*3600)), Female, 12, "9101015708650012"},
	}
	for _, tt := range tests {
		got, err := Make(tt.district, tt.birth, tt.sex, tt.serial)
		if err != nil || got != tt.want {
			t.Errorf("Make(%q, %v, %v, %d) = %q, %v; want %q", tt.district, tt.birth, tt.sex, tt.serial, got, err, tt.want)
			continue
		}
		n, err := ParseAt(got, refNow)
		if err != nil {
			t.Errorf("ParseAt(Make(...)) = %v", err)
			continue
		}
		y, m, d := tt.birth.Date()
		if n.Sex != tt.sex || n.BirthDate != date(y, m, d) {
			t.Errorf("round trip = %v %v, want %v %v-%v-%v", n.Sex, n.BirthDate, tt.sex, y, m, d)
		}
	}
}

func TestMakeErrors(t *testing.T) {
	birth := date(1990, 5, 6)
	tests := []struct {
		name     string
		district string
		sex      Sex
		serial   int
		want     Reason
	}{
		{"short code", "3671", Male, 1, ReasonRegionCode},
		{"letters", "36711x", Male, 1, ReasonRegionCode},
		{"unknown province", "997112", Male, 1, ReasonProvince},
		{"zero sex", "367112", 0, 1, ReasonSex},
		{"bad sex", "367112", Sex(7), 1, ReasonSex},
		{"serial 0", "367112", Male, 0, ReasonSerial},
		{"serial 10000", "367112", Male, 10000, ReasonSerial},
		{"negative serial", "367112", Female, -1, ReasonSerial},
	}
	for _, tt := range tests {
		_, err := Make(tt.district, birth, tt.sex, tt.serial)
		var e *Error
		if !errors.As(err, &e) || e.Reason != tt.want {
			t.Errorf("%s: Make error = %v, want reason %q", tt.name, err, tt.want)
		}
	}
}
