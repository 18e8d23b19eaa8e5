package nik

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// specOCR is the id-recognize sample of spec/widekyc-api.md.
func specOCR() map[string]string {
	return map[string]string{
		"nik": "3671121401010004", "nama": "Yu Andi Chen", "tempat_lahir": "Fujian",
		"tanggal_lahir": "25-03-1977", "jenis_kelamin": "LAKI-LAKI", "gol_darah": "-",
		"alamat": "JL. S*L*M*T, P*R*M*H*N R*NC*B*L* N*. 41", "rt/rw": "001/009",
		"kelurahan/desa": "KARANG TENGAH", "kecamatan": "KARANG TENGAH", "agama": "KRISTEN",
		"status_perkawinan": "BELUM KAWIN", "pekerjaan": "PELAJAR / MAHASISWA",
		"kewarganegaraan": "WNI", "provinsi": "BANTEN", "kota": "KOTA TANGERANG",
	}
}

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// The spec's sample is not consistent: its NIK codes 14-01-(20)01 for a man, while the card
// says 25-03-1977. Region and sex agree.
func TestConsistencySpecSample(t *testing.T) {
	fs := consistencyAt("3671121401010004", specOCR(), refNow)
	if got := codes(fs); !slices.Equal(got, []string{CodeBirthDateMismatch}) {
		t.Fatalf("findings = %v, want only %s", got, CodeBirthDateMismatch)
	}
	f := fs[0]
	if f.Field != "tanggal_lahir" || f.Severity != SeverityWarning || HasError(fs) {
		t.Errorf("finding = %+v", f)
	}
	// Exported entry point, real clock: same answer.
	if got := codes(Consistency("3671121401010004", specOCR())); !slices.Equal(got, []string{CodeBirthDateMismatch}) {
		t.Errorf("Consistency = %v", got)
	}
	// With the birth date the NIK codes, the sample is clean.
	ocr := specOCR()
	ocr["tanggal_lahir"] = "14-01-2001"
	if fs := consistencyAt("3671121401010004", ocr, refNow); len(fs) != 0 {
		t.Errorf("consistent sample gave %v", codes(fs))
	}
}

func TestConsistencyFindings(t *testing.T) {
	const man = "3671121401010004"   // Karang Tengah, Kota Tangerang, Banten; 14-01-2001
	const woman = "3174015708650012" // Tebet, Kota Adm. Jakarta Selatan, DKI; 17-08-1965
	tests := []struct {
		name string
		nik  string
		ocr  map[string]string
		want []string
	}{
		{"nothing to compare", man, nil, nil},
		{"blank and dash fields", man, map[string]string{"nik": " ", "provinsi": "", "kota": "-", "kecamatan": " - ",
			"tanggal_lahir": "", "jenis_kelamin": "-"}, nil},
		{"OCR nik grouped with spaces", man, map[string]string{"nik": "3671 1214 0101 0004"}, nil},
		{"OCR nik differs", man, map[string]string{"nik": "3671121401010005"}, []string{CodeNIKMismatch}},
		{"given nik has spaces around", " " + man + " ", map[string]string{"nik": man}, nil},
		{"invalid nik", "3671124001010004", map[string]string{"provinsi": "ACEH"}, []string{CodeNIKInvalid}},
		{"invalid nik and OCR differs", "12", map[string]string{"nik": man}, []string{CodeNIKMismatch, CodeNIKInvalid}},

		{"province differs", man, map[string]string{"provinsi": "JAWA BARAT"}, []string{CodeProvinceMismatch}},
		{"province with prefix", man, map[string]string{"provinsi": "PROVINSI BANTEN"}, nil},
		{"province lower case", man, map[string]string{"provinsi": "banten"}, nil},
		{"province OCR slip", man, map[string]string{"provinsi": "BANTEM"}, nil},
		{"regency kota", man, map[string]string{"kota": "KOTA TANGERANG"}, nil},
		{"regency without kind", man, map[string]string{"kota": "TANGERANG"}, nil},
		{"regency wrong kind", man, map[string]string{"kota": "KABUPATEN TANGERANG"}, []string{CodeRegencyMismatch}},
		{"regency KAB. abbreviation wrong kind", man, map[string]string{"kota": "KAB. TANGERANG"}, []string{CodeRegencyMismatch}},
		{"regency differs", man, map[string]string{"kota": "KOTA TANGERANG SELATAN"}, []string{CodeRegencyMismatch}},
		{"regency other city", man, map[string]string{"kota": "KOTA SERANG"}, []string{CodeRegencyMismatch}},
		{"district", man, map[string]string{"kecamatan": "Karang Tengah"}, nil},
		{"district glued", man, map[string]string{"kecamatan": "KARANGTENGAH"}, nil},
		{"district with prefix", man, map[string]string{"kecamatan": "KEC. KARANG TENGAH"}, nil},
		{"district differs", man, map[string]string{"kecamatan": "CILEDUG"}, []string{CodeDistrictMismatch}},
		{"birth date dd/mm/yyyy", man, map[string]string{"tanggal_lahir": "14/01/2001"}, nil},
		{"birth date two-digit year", man, map[string]string{"tanggal_lahir": "14.01.01"}, nil},
		{"birth date single digits", man, map[string]string{"tanggal_lahir": "14-1-2001"}, nil},
		{"birth date other century agrees on yy", man, map[string]string{"tanggal_lahir": "14-01-1901"}, nil},
		{"birth day differs", man, map[string]string{"tanggal_lahir": "15-01-2001"}, []string{CodeBirthDateMismatch}},
		{"birth month differs", man, map[string]string{"tanggal_lahir": "14-02-2001"}, []string{CodeBirthDateMismatch}},
		{"birth year differs", man, map[string]string{"tanggal_lahir": "14-01-2002"}, []string{CodeBirthDateMismatch}},
		{"woman's day not +40 on card", woman, map[string]string{"tanggal_lahir": "17-08-1965", "jenis_kelamin": "PEREMPUAN"}, nil},
		{"birth date unreadable", man, map[string]string{"tanggal_lahir": "14 JANUARI 2001"}, []string{CodeBirthDateUnreadable}},
		{"birth date impossible", man, map[string]string{"tanggal_lahir": "41-01-2001"}, []string{CodeBirthDateUnreadable}},
		{"birth date month 13", man, map[string]string{"tanggal_lahir": "14-13-2001"}, []string{CodeBirthDateUnreadable}},
		{"birth date three-digit year", man, map[string]string{"tanggal_lahir": "14-01-201"}, []string{CodeBirthDateUnreadable}},
		{"birth date too many parts", man, map[string]string{"tanggal_lahir": "14-01-20-01"}, []string{CodeBirthDateUnreadable}},
		{"birth date long day", man, map[string]string{"tanggal_lahir": "014-01-2001"}, []string{CodeBirthDateUnreadable}},
		{"birth date signed", man, map[string]string{"tanggal_lahir": "+4-01-2001"}, []string{CodeBirthDateUnreadable}},
		{"sex differs", man, map[string]string{"jenis_kelamin": "PEREMPUAN"}, []string{CodeSexMismatch}},
		{"sex differs, woman", woman, map[string]string{"jenis_kelamin": "LAKI-LAKI"}, []string{CodeSexMismatch}},
		{"sex unreadable", man, map[string]string{"jenis_kelamin": "LAKI/PEREMPUAN"}, []string{CodeSexUnreadable}},

		{"Jakarta as printed", woman, map[string]string{"provinsi": "DKI JAKARTA", "kota": "JAKARTA SELATAN", "kecamatan": "TEBET"}, nil},
		{"Jakarta with kota", woman, map[string]string{"provinsi": "PROVINSI DKI JAKARTA", "kota": "KOTA JAKARTA SELATAN"}, nil},
		{"Jakarta adm.", woman, map[string]string{"provinsi": "D.K.I. JAKARTA", "kota": "KOTA ADM. JAKARTA SELATAN"}, nil},
		{"Jakarta official", woman, map[string]string{"provinsi": "Daerah Khusus Ibukota Jakarta", "kota": "Kota Administrasi Jakarta Selatan"}, nil},
		{"Jakarta new name", woman, map[string]string{"provinsi": "DAERAH KHUSUS JAKARTA"}, nil},
		{"Jakarta other city", woman, map[string]string{"kota": "JAKARTA TIMUR"}, []string{CodeRegencyMismatch}},
		{"Jakarta wrong province", woman, map[string]string{"provinsi": "JAWA BARAT"}, []string{CodeProvinceMismatch}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := consistencyAt(tt.nik, tt.ocr, refNow)
			if got := codes(fs); !slices.Equal(got, tt.want) {
				t.Errorf("findings = %v, want %v", got, tt.want)
			}
			for _, f := range fs {
				wantSev := SeverityWarning
				if f.Code == CodeNIKInvalid {
					wantSev = SeverityError
				}
				if f.Severity != wantSev || f.MessageEN == "" || f.MessageID == "" || f.Field == "" {
					t.Errorf("finding %+v", f)
				}
			}
			if HasError(fs) != slices.Contains(tt.want, CodeNIKInvalid) {
				t.Errorf("HasError = %v", HasError(fs))
			}
		})
	}
}

func TestConsistencyRegionNames(t *testing.T) {
	mk := func(district string) string {
		s, err := Make(district, date(1990, 6, 1), Male, 1)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name, district, key, value string
		ok                         bool
	}{
		{"DIY", "347101", "provinsi", "DI YOGYAKARTA", true},
		{"D.I. Yogyakarta", "347101", "provinsi", "D.I. YOGYAKARTA", true},
		{"Yogyakarta official", "347101", "provinsi", "DAERAH ISTIMEWA YOGYAKARTA", true},
		{"Yogyakarta is not Jakarta", "347101", "provinsi", "DKI JAKARTA", false},
		{"Kota Yogyakarta", "347101", "kota", "KOTA YOGYAKARTA", true},
		{"Sleman without kabupaten", "340401", "kota", "SLEMAN", true},
		{"Sleman KAB.", "340401", "kota", "KAB. SLEMAN", true},
		{"Sleman KABUPATEN", "340401", "kota", "KABUPATEN SLEMAN", true},
		{"Sleman as kota", "340401", "kota", "KOTA SLEMAN", false},
		{"Kepulauan Seribu abbreviated", "310101", "kota", "KAB. ADM. KEP. SERIBU", true},
		{"Kepulauan Seribu plain", "310101", "kota", "KEPULAUAN SERIBU", true},
		{"Kepulauan Riau abbreviated", "210104", "provinsi", "KEP. RIAU", true},
		{"Riau is not Kepulauan Riau", "210104", "provinsi", "RIAU", false},
		{"Bangka Belitung", "190101", "provinsi", "BANGKA BELITUNG", true},
		{"Aceh old name", "110101", "provinsi", "NANGGROE ACEH DARUSSALAM", true},
		{"NTB", "520101", "provinsi", "NTB", true},
		{"Kotabaru split on the card", "630201", "kota", "KOTA BARU", true},
		{"Kotabaru", "630201", "kota", "KOTABARU", true},
		{"Kotamobagu", "717401", "kota", "KOTA KOTAMOBAGU", true},
		{"Lima Puluh Kota", "130701", "kota", "LIMA PULUH KOTA", true},
		{"Lima Puluh Kota with kabupaten", "130701", "kota", "KABUPATEN LIMAPULUH KOTA", true},
		{"apostrophe dropped by OCR", "120428", "kecamatan", "MAU", true},
		{"apostrophe kept", "120428", "kecamatan", "MA'U", true},
		{"parenthesised alternative", "960301", "kecamatan", "MISOOL UTARA", true},
		{"parenthesised outer name", "960301", "kecamatan", "MISOOL", true},
		{"neighbouring Misool", "960301", "kecamatan", "MISOOL TIMUR", false},
		{"slash alternative", "110721", "kecamatan", "TRUSEB", true},
		{"slash whole", "110721", "kecamatan", "TIRO/TRUSEB", true},
		{"short names need exact match", "510101", "provinsi", "BAL1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseAt(mk(tt.district), refNow)
			if err != nil || len(Warnings(n)) != 0 {
				t.Fatalf("test district %s is not in the table: %v", tt.district, err)
			}
			fs := consistencyAt(n.Number, map[string]string{tt.key: tt.value}, refNow)
			if got := len(fs) == 0; got != tt.ok {
				t.Errorf("%s=%q against %s: findings %v", tt.key, tt.value, tt.district, codes(fs))
			}
		})
	}
}

func TestConsistencyUnknownRegion(t *testing.T) {
	// Merauke was 91.01 (Papua) before Papua Selatan was formed; its old NIKs keep the code.
	s, _ := Make("910101", date(1980, 1, 1), Male, 1)
	fs := consistencyAt(s, map[string]string{"provinsi": "PAPUA", "kota": "KABUPATEN MERAUKE", "kecamatan": "MERAUKE"}, refNow)
	if got := codes(fs); !slices.Equal(got, []string{CodeRegencyUnknown}) {
		t.Errorf("findings = %v", got)
	}
	s, _ = Make("367199", date(1980, 1, 1), Male, 1)
	fs = consistencyAt(s, map[string]string{"kota": "KOTA TANGERANG", "kecamatan": "ANYWHERE"}, refNow)
	if got := codes(fs); !slices.Equal(got, []string{CodeDistrictUnknown}) {
		t.Errorf("findings = %v", got)
	}
	if HasError(fs) {
		t.Error("an unknown district must not be an error")
	}
}

func TestWarnings(t *testing.T) {
	for _, tt := range []struct {
		nik  string
		want []string
	}{
		{"3671121401010004", nil},
		{"3671991401010004", []string{CodeDistrictUnknown}},
		{"3699011401010004", []string{CodeRegencyUnknown}},
	} {
		n, err := ParseAt(tt.nik, refNow)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(Warnings(n)); !slices.Equal(got, tt.want) {
			t.Errorf("Warnings(%s) = %v, want %v", Mask(tt.nik), got, tt.want)
		}
	}
}

func TestFindingJSONAndMessages(t *testing.T) {
	fs := consistencyAt("3671121401010004", specOCR(), refNow)
	b, err := json.Marshal(fs[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"severity":"warning"`) || !strings.Contains(string(b), `"field":"tanggal_lahir"`) {
		t.Errorf("JSON = %s", b)
	}
	if fs[0].Message("en") != fs[0].MessageEN || fs[0].Message("id") != fs[0].MessageID {
		t.Error("Message picks the wrong language")
	}
	if SeverityError.String() != "error" || Severity(0).String() != "unknown" {
		t.Error("Severity.String")
	}
	for code, txt := range findingTexts {
		if txt.en == "" || txt.id == "" || strings.Contains(txt.en+txt.id, "3671") {
			t.Errorf("%s: bad messages", code)
		}
	}
}
