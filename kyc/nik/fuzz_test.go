package nik

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics, refuses with an *Error only, and that whatever it
// accepts is self-consistent: rebuilding the NIK from its parts gives the same digits.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"3671121401010004", "3671125401010004", "3671121401010000", "9971121401010004",
		"3671124001010004", "3671127112800001", "3671122902000004", "3671991401010004",
		"9101011401010004", "", " ", "36711214010100041", "3671 1214 0101 0004", "٣٦٧١١٢١٤٠١٠١٠٠٠٤",
		"\x00\xff3671121401010004", "0000000000000000", "9999999999999999",
	} {
		f.Add(s, int64(0))
		f.Add(s, refNow.Unix())
	}
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		// Keep the reference time within ±10,000 years, which time.Date handles exactly.
		now := time.Unix(unix%(315_360_000_000), 0).UTC()
		n, err := ParseAt(s, now)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || reasonText(e.Reason).en == reasonText("?").en {
				t.Fatalf("ParseAt(%q) error %v is not a known *Error", s, err)
			}
			return
		}
		if n.Number != strings.TrimSpace(s) || len(n.Number) != 16 {
			t.Fatalf("Number %q from %q", n.Number, s)
		}
		if n.BirthDate.After(now) || now.Year()-n.BirthDate.Year() > 100 {
			t.Fatalf("birth %v is outside 0-100 years before %v", n.BirthDate, now)
		}
		serial := int(n.Serial[0]-'0')*1000 + int(n.Serial[1]-'0')*100 + int(n.Serial[2]-'0')*10 + int(n.Serial[3]-'0')
		back, err := Make(n.DistrictCode, n.BirthDate, n.Sex, serial)
		if err != nil || back != n.Number {
			t.Fatalf("Make(parts of %q) = %q, %v", n.Number, back, err)
		}
		if m := Mask(n.Number); m[:4] != n.Number[:4] || m[12:] != n.Number[12:] || strings.Trim(m[4:12], "*") != "" {
			t.Fatalf("Mask(%q) = %q", n.Number, m)
		}
	})
}

// FuzzConsistency checks that no OCR text, however odd, makes Consistency panic or produce a
// finding without messages.
func FuzzConsistency(f *testing.F) {
	f.Add("3671121401010004", "BANTEN", "KOTA TANGERANG", "KARANG TENGAH", "25-03-1977", "LAKI-LAKI")
	f.Add("3174015708650012", "DKI JAKARTA", "JAKARTA SELATAN", "TEBET", "17/08/1965", "PEREMPUAN")
	f.Add("3671121401010004", "(", ")", "/", "--", "'")
	f.Add("12", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, nik, prov, kota, kec, tgl, jk string) {
		fs := consistencyAt(nik, map[string]string{
			"nik": nik, "provinsi": prov, "kota": kota, "kecamatan": kec, "tanggal_lahir": tgl, "jenis_kelamin": jk,
		}, refNow)
		for _, f := range fs {
			if f.Code == "" || f.MessageEN == "" || f.MessageID == "" {
				t.Fatalf("empty finding %+v", f)
			}
		}
	})
}
