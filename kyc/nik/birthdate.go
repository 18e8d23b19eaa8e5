package nik

import (
	"strings"
	"time"
)

// ParseBirthDate reads a birth date as the gateway wants it, strictly DD-MM-YYYY with
// two-digit day and month ("31-01-1981"), for `validate --birth-date`. It must be a real
// calendar date from 1 January 1900 and not after today (local time). Surrounding white space
// is ignored. The result is midnight UTC. The error is an *Error with ReasonBirthDate.
func ParseBirthDate(s string) (time.Time, error) {
	return parseBirthDateAt(s, time.Now())
}

func parseBirthDateAt(s string, now time.Time) (time.Time, error) {
	fail := &Error{Reason: ReasonBirthDate}
	s = strings.TrimSpace(s)
	if len(s) != 10 || s[2] != '-' || s[5] != '-' ||
		!allDigits(s[0:2]) || !allDigits(s[3:5]) || !allDigits(s[6:10]) {
		return time.Time{}, fail
	}
	year := twoDigits(s[6:8])*100 + twoDigits(s[8:10])
	d, ok := calendarDate(year, twoDigits(s[3:5]), twoDigits(s[0:2]))
	ny, nm, nd := now.Date()
	if !ok || year < 1900 || d.After(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) {
		return time.Time{}, fail
	}
	return d, nil
}
