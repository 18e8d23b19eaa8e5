package nik

import (
	"fmt"
	"strings"
	"time"
)

// Make builds a NIK from its parts, for the sandbox's specimen people and for tests.
// districtCode is the 6-digit PPRRKK code (dots allowed: "36.71.12"); its province must exist,
// but the regency and district need not, so tests can build NIKs from split regions. The day
// of birth gets 40 added for women; serial must be 1–9999. Make does not know the reference
// time: a birth date more than 100 years back, or in the future, will be read back by Parse in
// another century. Every error is an *Error.
func Make(districtCode string, birth time.Time, sex Sex, serial int) (string, error) {
	code := strings.ReplaceAll(districtCode, ".", "")
	if len(code) != 6 || !allDigits(code) {
		return "", &Error{Reason: ReasonRegionCode}
	}
	if !provinceExists(code[:2]) {
		return "", &Error{Reason: ReasonProvince}
	}
	if sex != Male && sex != Female {
		return "", &Error{Reason: ReasonSex}
	}
	if serial < 1 || serial > 9999 {
		return "", &Error{Reason: ReasonSerial}
	}
	y, m, d := birth.Date()
	if sex == Female {
		d += 40
	}
	return fmt.Sprintf("%s%02d%02d%02d%04d", code, d, int(m), (y%100+100)%100, serial), nil
}
