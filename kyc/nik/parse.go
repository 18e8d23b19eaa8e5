package nik

import (
	"strings"
	"time"
)

// NIK is a parsed NIK. The codes are cumulative prefixes of Number, as in Region.
type NIK struct {
	Number       string    `json:"nik"`
	ProvinceCode string    `json:"province_code"`
	RegencyCode  string    `json:"regency_code"`
	DistrictCode string    `json:"district_code"`
	BirthDate    time.Time `json:"birth_date"` // a calendar date: midnight UTC
	Sex          Sex       `json:"sex"`
	Serial       string    `json:"serial"`
	Region       Region    `json:"region"`
}

// String masks the number ("3671********0004"): a NIK is personal data and must not reach a
// log through a stray %v.
func (n NIK) String() string { return Mask(n.Number) }

// GoString masks the number for %#v too.
func (n NIK) GoString() string { return "nik.NIK(" + Mask(n.Number) + ")" }

// Parse parses a NIK relative to the current time. See ParseAt.
func Parse(s string) (NIK, error) { return ParseAt(s, time.Now()) }

// ParseAt parses a 16-digit NIK. Surrounding white space is ignored; nothing else is
// forgiven. The checks, in order: only digits, 16 of them, a province that exists, a real
// DDMMYY birth date (day+40 for women), a serial other than 0000. The two-digit year is read
// as the most recent year that does not put the birth after now's calendar date, so the person
// is 0–99 years old at now. An unknown regency or district is not an error: see Warnings.
// Every error is an *Error.
func ParseAt(s string, now time.Time) (NIK, error) {
	s = strings.TrimSpace(s)
	if !allDigits(s) {
		return NIK{}, &Error{Reason: ReasonNotDigits}
	}
	if len(s) != 16 {
		return NIK{}, &Error{Reason: ReasonLength}
	}
	region, _ := LookupRegion(s[:6])
	if region.Province == "" {
		return NIK{}, &Error{Reason: ReasonProvince}
	}
	birth, sex, ok := decodeBirth(s[6:12], now)
	if !ok {
		return NIK{}, &Error{Reason: ReasonDate}
	}
	if s[12:] == "0000" {
		return NIK{}, &Error{Reason: ReasonSerial}
	}
	return NIK{
		Number:       s,
		ProvinceCode: s[:2],
		RegencyCode:  s[:4],
		DistrictCode: s[:6],
		BirthDate:    birth,
		Sex:          sex,
		Serial:       s[12:],
		Region:       region,
	}, nil
}

// decodeBirth reads DDMMYY (six digits) into a date and a sex.
func decodeBirth(s string, now time.Time) (time.Time, Sex, bool) {
	day, month, yy := twoDigits(s[0:2]), twoDigits(s[2:4]), twoDigits(s[4:6])
	sex := Male
	if day > 40 {
		day -= 40
		sex = Female
	}
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return time.Time{}, 0, false
	}
	ny, nm, nd := now.Date()
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
	latest := ny - ((ny-yy)%100+100)%100 // the last year <= now's year ending in yy
	// Two candidates are enough: the latest century, or the one before when the latest puts
	// the birth in the future. The earlier one can fail where the later did not only for
	// 29 February of a century year (2000 is a leap year, 1900 is not).
	for _, year := range []int{latest, latest - 100} {
		d, ok := calendarDate(year, month, day)
		if ok && !d.After(today) {
			return d, sex, true
		}
	}
	return time.Time{}, 0, false
}

// calendarDate builds a UTC date and reports whether it exists (time.Date would otherwise
// quietly turn 31 April into 1 May).
func calendarDate(year, month, day int) (time.Time, bool) {
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return d, d.Year() == year && int(d.Month()) == month && d.Day() == day
}

// twoDigits converts two ASCII digits already checked by allDigits.
func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
