package nik

// Severity grades a Finding. The clerk may go on past a warning; an error means the gateway
// would certainly reject the call, so nothing is sent.
type Severity int

const (
	SeverityWarning Severity = iota + 1
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "unknown"
}

// MarshalText makes a Severity "warning" or "error" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding codes. Field is the gateway's OCR key the finding is about ("nik" for the NIK
// itself).
const (
	CodeNIKInvalid          = "nik_invalid"           // SeverityError: the NIK fails Parse
	CodeNIKMismatch         = "nik_mismatch"          // the OCR'd NIK is not the one given
	CodeRegencyUnknown      = "regency_unknown"       // regency/city code not in the table
	CodeDistrictUnknown     = "district_unknown"      // district code not in the table
	CodeProvinceMismatch    = "province_mismatch"     // provinsi differs from the NIK's
	CodeRegencyMismatch     = "regency_mismatch"      // kota differs from the NIK's
	CodeDistrictMismatch    = "district_mismatch"     // kecamatan differs from the NIK's
	CodeBirthDateMismatch   = "birth_date_mismatch"   // tanggal_lahir differs from the NIK's
	CodeSexMismatch         = "sex_mismatch"          // jenis_kelamin differs from the NIK's
	CodeBirthDateUnreadable = "birth_date_unreadable" // tanggal_lahir is not a date
	CodeSexUnreadable       = "sex_unreadable"        // jenis_kelamin is not a sex
)

// Finding is one thing the clerk should look at. Messages never quote the NIK, names or
// dates: the form next to them already shows the values, and findings may be stored.
type Finding struct {
	Code      string   `json:"code"`
	Field     string   `json:"field"`
	Severity  Severity `json:"severity"`
	MessageEN string   `json:"message_en"`
	MessageID string   `json:"message_id"`
}

// Message gives the message in lang: English for "en…", Bahasa Indonesia otherwise.
func (f Finding) Message(lang string) string { return text{f.MessageEN, f.MessageID}.in(lang) }

// HasError reports whether any finding has SeverityError.
func HasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Warnings lists what is odd but legal about a parsed NIK: a regency or district code that is
// not in the current table (regions are split and renamed, and a NIK keeps its first code for
// life). Only the highest unknown level is reported.
func Warnings(n NIK) []Finding {
	switch {
	case !n.Region.KnownRegency:
		return []Finding{finding(CodeRegencyUnknown, "nik", SeverityWarning)}
	case !n.Region.KnownDistrict:
		return []Finding{finding(CodeDistrictUnknown, "nik", SeverityWarning)}
	}
	return nil
}

func finding(code, field string, sev Severity) Finding {
	t := findingTexts[code]
	return Finding{Code: code, Field: field, Severity: sev, MessageEN: t.en, MessageID: t.id}
}

const movedEN = " This can be normal: a NIK keeps the region where it was first issued when the person moves."
const movedID = " Hal ini bisa wajar: NIK tetap memakai wilayah tempat pertama kali diterbitkan walaupun pemiliknya pindah."

var findingTexts = map[string]text{
	CodeNIKMismatch: {
		"The NIK read from the card differs from the NIK entered. Check both against the card.",
		"NIK yang terbaca dari kartu berbeda dengan NIK yang dimasukkan. Periksa keduanya dengan kartu.",
	},
	CodeRegencyUnknown: {
		"The regency/city code in the NIK is not in the current region list (regions are split and renamed). The NIK may still be valid.",
		"Kode kabupaten/kota pada NIK tidak ada dalam daftar wilayah terkini (wilayah dapat dimekarkan atau berganti nama). NIK mungkin tetap valid.",
	},
	CodeDistrictUnknown: {
		"The district code in the NIK is not in the current region list (districts are split and renamed). The NIK may still be valid.",
		"Kode kecamatan pada NIK tidak ada dalam daftar wilayah terkini (kecamatan dapat dimekarkan atau berganti nama). NIK mungkin tetap valid.",
	},
	CodeProvinceMismatch: {
		"The province on the card differs from the province coded in the NIK." + movedEN,
		"Provinsi pada kartu berbeda dengan provinsi dalam kode NIK." + movedID,
	},
	CodeRegencyMismatch: {
		"The regency/city on the card differs from the one coded in the NIK." + movedEN,
		"Kabupaten/kota pada kartu berbeda dengan yang ada dalam kode NIK." + movedID,
	},
	CodeDistrictMismatch: {
		"The district on the card differs from the district coded in the NIK." + movedEN,
		"Kecamatan pada kartu berbeda dengan kecamatan dalam kode NIK." + movedID,
	},
	CodeBirthDateMismatch: {
		"The birth date on the card differs from the birth date coded in the NIK. Check the card and the NIK.",
		"Tanggal lahir pada kartu berbeda dengan tanggal lahir dalam kode NIK. Periksa kartu dan NIK.",
	},
	CodeSexMismatch: {
		"The sex on the card differs from the sex coded in the NIK (for women 40 is added to the day of birth). Check the card and the NIK.",
		"Jenis kelamin pada kartu berbeda dengan yang ada dalam kode NIK (untuk perempuan tanggal lahir ditambah 40). Periksa kartu dan NIK.",
	},
	CodeBirthDateUnreadable: {
		"The birth date read from the card is not a DD-MM-YYYY date, so it could not be compared with the NIK.",
		"Tanggal lahir yang terbaca dari kartu bukan tanggal DD-MM-YYYY sehingga tidak dapat dibandingkan dengan NIK.",
	},
	CodeSexUnreadable: {
		"The sex read from the card is neither LAKI-LAKI nor PEREMPUAN, so it could not be compared with the NIK.",
		"Jenis kelamin yang terbaca dari kartu bukan LAKI-LAKI atau PEREMPUAN sehingga tidak dapat dibandingkan dengan NIK.",
	},
}
