package nik

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Consistency compares a NIK with the fields OCR read from the eKTP, under the gateway's keys:
// "nik", "provinsi", "kota", "kecamatan", "tanggal_lahir" (DD-MM-YYYY) and "jenis_kelamin"
// (LAKI-LAKI / PEREMPUAN); other keys are ignored, and a missing or blank field yields nothing.
//
// A nik that fails Parse gives one SeverityError finding (CodeNIKInvalid, with the parse
// error's messages) and no comparisons, since nothing coded in it can be trusted. Everything
// else is a SeverityWarning: a card's region legitimately differs when its holder moved, OCR
// misreads, and only the registry can settle it. The result also includes Warnings for the
// parsed NIK, and is ordered: nik, region codes, provinsi, kota, kecamatan, tanggal_lahir,
// jenis_kelamin.
func Consistency(nik string, ocr map[string]string) []Finding {
	return consistencyAt(nik, ocr, time.Now())
}

func consistencyAt(nik string, ocr map[string]string, now time.Time) []Finding {
	var fs []Finding
	given := strings.TrimSpace(nik)
	// OCR sometimes groups the digits with spaces; that is not a different NIK.
	if read := strings.Join(strings.Fields(ocr["nik"]), ""); read != "" && read != given {
		fs = append(fs, finding(CodeNIKMismatch, "nik", SeverityWarning))
	}

	n, err := ParseAt(given, now)
	if err != nil {
		e := &Error{}
		errors.As(err, &e) // ParseAt returns only *Error
		return append(fs, Finding{
			Code: CodeNIKInvalid, Field: "nik", Severity: SeverityError,
			MessageEN: e.MessageEN(), MessageID: e.MessageID(),
		})
	}
	fs = append(fs, Warnings(n)...)

	r := n.Region
	if v, ok := field(ocr, "provinsi"); ok && !provinceMatches(r.ProvinceCode, r.Province, v) {
		fs = append(fs, finding(CodeProvinceMismatch, "provinsi", SeverityWarning))
	}
	if v, ok := field(ocr, "kota"); ok && r.KnownRegency && !regencyMatches(r.Regency, v) {
		fs = append(fs, finding(CodeRegencyMismatch, "kota", SeverityWarning))
	}
	if v, ok := field(ocr, "kecamatan"); ok && r.KnownDistrict && !districtMatches(r.District, v) {
		fs = append(fs, finding(CodeDistrictMismatch, "kecamatan", SeverityWarning))
	}
	if v, ok := field(ocr, "tanggal_lahir"); ok {
		switch day, month, year, ok := ocrDate(v); {
		case !ok:
			fs = append(fs, finding(CodeBirthDateUnreadable, "tanggal_lahir", SeverityWarning))
		case day != n.BirthDate.Day() || month != int(n.BirthDate.Month()) || year%100 != n.BirthDate.Year()%100:
			// Only the two-digit year is coded in the NIK: comparing the century would turn
			// this package's guess into a false alarm for a centenarian.
			fs = append(fs, finding(CodeBirthDateMismatch, "tanggal_lahir", SeverityWarning))
		}
	}
	if v, ok := field(ocr, "jenis_kelamin"); ok {
		switch sex, ok := ParseSex(v); {
		case !ok:
			fs = append(fs, finding(CodeSexUnreadable, "jenis_kelamin", SeverityWarning))
		case sex != n.Sex:
			fs = append(fs, finding(CodeSexMismatch, "jenis_kelamin", SeverityWarning))
		}
	}
	return fs
}

// field returns an OCR value that has something in it besides spaces and punctuation
// ("-" is how the gateway prints an empty field).
func field(ocr map[string]string, k string) (string, bool) {
	v := ocr[k]
	return v, len(tokens(v)) > 0
}

// ocrDate reads a date the way OCR writes one: day, month and year in that order, separated
// by '-', '/', '.' or spaces ("25-03-1977", "25/03/1977", "25 03 77").
func ocrDate(s string) (day, month, year int, ok bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' || r == ' ' })
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || !allDigits(p) {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	if n[0] < 1 || n[0] > 31 || n[1] < 1 || n[1] > 12 {
		return 0, 0, 0, false
	}
	return n[0], n[1], n[2], true
}
