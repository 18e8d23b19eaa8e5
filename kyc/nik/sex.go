package nik

import (
	"fmt"
	"strings"
)

// Sex is the sex coded in a NIK (and printed on the eKTP as JENIS KELAMIN). The zero value is
// not a valid sex, so a forgotten field is caught rather than silently read as male.
type Sex int

const (
	Male Sex = iota + 1
	Female
)

// String gives the form printed on the eKTP: "LAKI-LAKI" or "PEREMPUAN".
func (s Sex) String() string {
	switch s {
	case Male:
		return "LAKI-LAKI"
	case Female:
		return "PEREMPUAN"
	}
	return fmt.Sprintf("Sex(%d)", int(s))
}

// ParseSex reads a sex as OCR or a clerk writes it: "LAKI-LAKI", "Laki laki", "L", "PRIA",
// "MALE"; "PEREMPUAN", "P", "WANITA", "FEMALE". Case, spaces and punctuation are ignored.
func ParseSex(s string) (Sex, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	switch b.String() {
	case "LAKILAKI", "LAKI", "L", "LK", "PRIA", "MALE", "M":
		return Male, true
	case "PEREMPUAN", "P", "PR", "WANITA", "FEMALE", "F":
		return Female, true
	}
	return 0, false
}

// MarshalText writes a Sex as printed on the eKTP, so JSON shows "LAKI-LAKI" or "PEREMPUAN".
func (s Sex) MarshalText() ([]byte, error) {
	if s != Male && s != Female {
		return nil, &Error{Reason: ReasonSex}
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads any form ParseSex accepts.
func (s *Sex) UnmarshalText(b []byte) error {
	v, ok := ParseSex(string(b))
	if !ok {
		return &Error{Reason: ReasonSex}
	}
	*s = v
	return nil
}
