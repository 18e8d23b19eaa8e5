package nik

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// refNow is the reference time for every table: 10 March 2026, noon in Jakarta.
var refNow = time.Date(2026, time.March, 10, 12, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseAtValid(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		now   time.Time
		birth time.Time
		sex   Sex
	}{
		{"spec sample, man", "3671121401010004", refNow, date(2001, 1, 14), Male},
		{"woman, day+40", "3671125401010004", refNow, date(2001, 1, 14), Female},
		{"day 01 man", "3671120101800001", refNow, date(1980, 1, 1), Male},
		{"day 31 man", "3671123112800001", refNow, date(1980, 12, 31), Male},
		{"day 41 woman", "3671124101800001", refNow, date(1980, 1, 1), Female},
		{"day 71 woman", "3671127112800001", refNow, date(1980, 12, 31), Female},
		{"29 Feb leap year", "3671122902840001", refNow, date(1984, 2, 29), Male},
		{"29 Feb 2000, woman", "3671126902000001", refNow, date(2000, 2, 29), Female},
		{"serial 9999", "3671121401019999", refNow, date(2001, 1, 14), Male},
		{"surrounding space ignored", "  3671121401010004\n", refNow, date(2001, 1, 14), Male},
		// Century choice: the most recent year not after today's date (10-03-2026).
		{"born today is age 0", "3671121003260001", refNow, date(2026, 3, 10), Male},
		{"tomorrow is 99 years ago", "3671121103260001", refNow, date(1926, 3, 11), Male},
		{"last year", "3671121103250001", refNow, date(2025, 3, 11), Male},
		{"next year's yy is last century", "3671120101270001", refNow, date(1927, 1, 1), Male},
		{"yy 99", "3671120101990001", refNow, date(1999, 1, 1), Male},
		{"yy 00", "3671120101000001", refNow, date(2000, 1, 1), Male},
		// The reference time's calendar date counts, in its own zone: 23:30 WIB on 9 March
		// is still the 9th, so a birth on the 10th is a century back.
		{"zone of now", "3671121003260001", time.Date(2026, 3, 9, 23, 30, 0, 0, time.FixedZone("WIB", 7*3600)), date(1926, 3, 10), Male},
		{"unknown district is not an error", "3671991401010004", refNow, date(2001, 1, 14), Male},
		{"unknown regency is not an error", "9101011401010004", refNow, date(2001, 1, 14), Male},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseAt(tt.in, tt.now)
			if err != nil {
				t.Fatalf("ParseAt: %v", err)
			}
			if !n.BirthDate.Equal(tt.birth) || n.BirthDate.Location() != time.UTC {
				t.Errorf("BirthDate = %v, want %v", n.BirthDate, tt.birth)
			}
			if n.Sex != tt.sex {
				t.Errorf("Sex = %v, want %v", n.Sex, tt.sex)
			}
			want := strings.TrimSpace(tt.in)
			if n.Number != want || n.ProvinceCode != want[:2] || n.RegencyCode != want[:4] ||
				n.DistrictCode != want[:6] || n.Serial != want[12:] {
				t.Errorf("codes = %q %q %q %q %q", n.Number, n.ProvinceCode, n.RegencyCode, n.DistrictCode, n.Serial)
			}
			if n.Region.ProvinceCode != n.ProvinceCode || n.Region.DistrictCode != n.DistrictCode {
				t.Errorf("Region codes = %+v", n.Region)
			}
		})
	}
}

func TestParseAtRegion(t *testing.T) {
	n, err := ParseAt("3671121401010004", refNow)
	if err != nil {
		t.Fatal(err)
	}
	want := Region{
		ProvinceCode: "36", Province: "Banten",
		RegencyCode: "3671", Regency: "Kota Tangerang",
		DistrictCode: "367112", District: "Karang Tengah",
		KnownRegency: true, KnownDistrict: true,
	}
	if n.Region != want {
		t.Errorf("Region = %#v, want %#v", n.Region, want)
	}
}

func TestParseAtInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		now  time.Time
		want Reason
	}{
		{"empty", "", refNow, ReasonLength},
		{"15 digits", "367112140101000", refNow, ReasonLength},
		{"17 digits", "36711214010100041", refNow, ReasonLength},
		{"letter", "36711214O1010004", refNow, ReasonNotDigits},
		{"inner space", "3671 1214 0101 0004", refNow, ReasonNotDigits},
		{"dots", "36.71.12.140101.0004", refNow, ReasonNotDigits},
		{"non-ASCII digit", "367112140101000٤", refNow, ReasonNotDigits},
		{"minus sign", "-367112140101000", refNow, ReasonNotDigits},
		{"unknown province 99", "9971121401010004", refNow, ReasonProvince},
		{"unknown province 20", "2071121401010004", refNow, ReasonProvince},
		{"province 00", "0071121401010004", refNow, ReasonProvince},
		{"day 00", "3671120001010004", refNow, ReasonDate},
		{"day 32", "3671123201010004", refNow, ReasonDate},
		{"day 40", "3671124001010004", refNow, ReasonDate},
		{"day 72", "3671127201010004", refNow, ReasonDate},
		{"day 99", "3671129901010004", refNow, ReasonDate},
		{"month 00", "3671121400010004", refNow, ReasonDate},
		{"month 13", "3671121413010004", refNow, ReasonDate},
		{"31 April", "3671123104010004", refNow, ReasonDate},
		{"71 April (woman)", "3671127104010004", refNow, ReasonDate},
		{"29 Feb non-leap", "3671122902230004", refNow, ReasonDate},
		{"30 Feb", "3671123002840004", refNow, ReasonDate},
		// In January 2000, 29-02-00 would be in the future, and 1900 was not a leap year.
		{"29 Feb 00 before it happened", "3671122902000004", time.Date(2000, 1, 15, 0, 0, 0, 0, time.UTC), ReasonDate},
		{"serial 0000", "3671121401010000", refNow, ReasonSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseAt(tt.in, tt.now)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseAt = %v, %v; want *Error", n, err)
			}
			if e.Reason != tt.want {
				t.Errorf("Reason = %q, want %q", e.Reason, tt.want)
			}
			if !errors.Is(err, &Error{Reason: tt.want}) {
				t.Errorf("errors.Is with the same reason is false")
			}
			if errors.Is(err, &Error{Reason: "other"}) || errors.Is(err, errors.New(err.Error())) {
				t.Errorf("errors.Is matches a different error")
			}
			if n != (NIK{}) {
				t.Errorf("ParseAt returned a non-zero NIK with an error")
			}
			// The error must never carry the NIK or a recognisable piece of it.
			if s := strings.TrimSpace(tt.in); len(s) >= 6 && strings.Contains(err.Error(), s[:6]) {
				t.Errorf("error %q leaks the NIK", err)
			}
		})
	}
}

func TestParseUsesNow(t *testing.T) {
	// A NIK of someone born today must parse to today's date, not a century back.
	today := time.Now()
	s, err := Make("367112", today, Female, 1)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if y, m, d := today.Date(); n.BirthDate != date(y, m, d) {
		t.Errorf("Parse birth date = %v, want today", n.BirthDate)
	}
}

func TestNIKStringMasks(t *testing.T) {
	n, err := ParseAt("3671125401010004", refNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		fmt.Sprint(n), fmt.Sprintf("%v", n), fmt.Sprintf("%+v", n), fmt.Sprintf("%#v", n), fmt.Sprintf("%q", n), n.String(),
	} {
		if strings.Contains(s, "540101") || strings.Contains(s, "3671125401010004") {
			t.Errorf("formatted NIK %q shows the birth date digits", s)
		}
		if !strings.Contains(s, "3671********0004") {
			t.Errorf("formatted NIK %q is not the mask", s)
		}
	}
}

func TestSex(t *testing.T) {
	if Male.String() != "LAKI-LAKI" || Female.String() != "PEREMPUAN" || Sex(0).String() != "Sex(0)" {
		t.Errorf("String: %q %q %q", Male, Female, Sex(0))
	}
	tests := map[string]Sex{
		"LAKI-LAKI": Male, "laki laki": Male, "Laki-Laki ": Male, "LAKILAKI": Male, "L": Male, "PRIA": Male, "male": Male,
		"PEREMPUAN": Female, "perempuan": Female, "P": Female, "WANITA": Female, "Female": Female,
		"": 0, "-": 0, "LAKI-PEREMPUAN": 0, "X": 0, "LAKI2": Male,
	}
	for in, want := range tests {
		got, ok := ParseSex(in)
		if got != want || ok != (want != 0) {
			t.Errorf("ParseSex(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}

func TestSexText(t *testing.T) {
	b, err := json.Marshal(struct{ S Sex }{Female})
	if err != nil || string(b) != `{"S":"PEREMPUAN"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var v struct{ S Sex }
	if err := json.Unmarshal([]byte(`{"S":"laki-laki"}`), &v); err != nil || v.S != Male {
		t.Errorf("Unmarshal = %v, %v", v.S, err)
	}
	if err := json.Unmarshal([]byte(`{"S":"X"}`), &v); !errors.Is(err, &Error{Reason: ReasonSex}) {
		t.Errorf("Unmarshal of a bad sex: %v", err)
	}
	if _, err := json.Marshal(struct{ S Sex }{}); err == nil {
		t.Error("Marshal of the zero Sex succeeded")
	}
}
