package nik

import "strings"

// Reason says why a NIK (or a birth date, or Make's arguments) was refused. The values are
// stable and safe to show in JSON output.
type Reason string

const (
	ReasonLength     Reason = "length"      // not exactly 16 characters
	ReasonNotDigits  Reason = "not_digits"  // a character other than 0-9
	ReasonProvince   Reason = "province"    // first two digits are not a province code
	ReasonDate       Reason = "date"        // DDMMYY is not a real date (day 41-71 for women)
	ReasonSerial     Reason = "serial"      // serial 0000 (Make: outside 1-9999)
	ReasonBirthDate  Reason = "birth_date"  // ParseBirthDate: not a real past DD-MM-YYYY date
	ReasonRegionCode Reason = "region_code" // Make: district code is not 6 digits
	ReasonSex        Reason = "sex"         // Make: sex is neither Male nor Female
)

// Error is the error of every function in this package. It carries only a reason, never the
// NIK or any part of it, so it is safe to log. Use errors.As to get it, or errors.Is with an
// *Error of the same Reason:
//
//	var e *nik.Error
//	if errors.As(err, &e) { show(e.Message(lang)) }
//	if errors.Is(err, &nik.Error{Reason: nik.ReasonDate}) { … }
type Error struct {
	Reason Reason
}

func (e *Error) Error() string { return "nik: " + e.MessageEN() }

// Is reports whether target is an *Error with the same Reason.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// MessageEN is a sentence for the clerk in English.
func (e *Error) MessageEN() string { return reasonText(e.Reason).en }

// MessageID is a sentence for the clerk in Bahasa Indonesia.
func (e *Error) MessageID() string { return reasonText(e.Reason).id }

// Message gives the message in lang: English for "en", "en-US", …; Bahasa Indonesia, the
// application's default, for anything else.
func (e *Error) Message(lang string) string { return reasonText(e.Reason).in(lang) }

// text is a message in both languages.
type text struct{ en, id string }

func (t text) in(lang string) string {
	if isEnglish(lang) {
		return t.en
	}
	return t.id
}

func isEnglish(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_")
}

var reasonTexts = map[Reason]text{
	ReasonLength: {
		"The NIK must be exactly 16 digits.",
		"NIK harus terdiri dari tepat 16 angka.",
	},
	ReasonNotDigits: {
		"The NIK may contain only the digits 0-9.",
		"NIK hanya boleh berisi angka 0-9.",
	},
	ReasonProvince: {
		"The first two digits of the NIK are not an Indonesian province code.",
		"Dua angka pertama NIK bukan kode provinsi di Indonesia.",
	},
	ReasonDate: {
		"Digits 7 to 12 of the NIK are not a valid birth date (DDMMYY, with 40 added to the day for women).",
		"Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang sah (DDMMYY, untuk perempuan tanggal ditambah 40).",
	},
	ReasonSerial: {
		"The last four digits of the NIK must be a serial number from 0001 to 9999.",
		"Empat angka terakhir NIK harus nomor urut dari 0001 sampai 9999.",
	},
	ReasonBirthDate: {
		"The birth date must be a real date written DD-MM-YYYY, from 1900 and not in the future.",
		"Tanggal lahir harus tanggal yang sah dengan format DD-MM-YYYY, sejak tahun 1900 dan tidak di masa depan.",
	},
	ReasonRegionCode: {
		"The district code must be 6 digits (province, regency/city, district).",
		"Kode kecamatan harus 6 angka (provinsi, kabupaten/kota, kecamatan).",
	},
	ReasonSex: {
		"The sex must be male (LAKI-LAKI) or female (PEREMPUAN).",
		"Jenis kelamin harus LAKI-LAKI atau PEREMPUAN.",
	},
}

func reasonText(r Reason) text {
	if t, ok := reasonTexts[r]; ok {
		return t
	}
	return text{"The NIK is not valid.", "NIK tidak valid."}
}
