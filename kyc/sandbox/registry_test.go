package sandbox

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadRegions reads testdata/regions.csv: code (PP, PP.RR, PP.RR.KK) → name.
func loadRegions(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/regions.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "code,name" || line == "" {
			continue
		}
		code, name, ok := strings.Cut(line, ",")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		m[code] = strings.ToUpper(strings.TrimSpace(name))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	upperPattern  = regexp.MustCompile(`^[A-Z0-9 .,/\-()]+$`)
	rtrwPattern   = regexp.MustCompile(`^\d{3}/\d{3}$`)
	fictionMarker = regexp.MustCompile(`\b(CONTOH|SAMPEL|PERAGA)\b`)
	allowedValues = map[string]map[string]bool{
		"jenis_kelamin":     {"LAKI-LAKI": true, "PEREMPUAN": true},
		"gol_darah":         {"A": true, "B": true, "AB": true, "O": true, "-": true},
		"agama":             {"ISLAM": true, "KRISTEN": true, "KATOLIK": true, "HINDU": true, "BUDDHA": true, "KONGHUCU": true},
		"status_perkawinan": {"BELUM KAWIN": true, "KAWIN": true, "CERAI HIDUP": true, "CERAI MATI": true},
		"kewarganegaraan":   {"WNI": true},
	}
)

// TestRegistryStructure checks every specimen with a NIK check of its own,
// independent of kyc/nik: digits, district code from the official table,
// day+40 for women, a real date, serial not 0000, and eKTP-style fields
// consistent with the NIK.
func TestRegistryStructure(t *testing.T) {
	regions := loadRegions(t)
	if len(specimens) < 20 {
		t.Fatalf("%d specimens, want at least 20", len(specimens))
	}
	nikSeen := map[string]bool{}
	sexes := map[string]int{}
	for _, p := range specimens {
		f := p.Fields()
		if len(f) != 16 || len(OCRKeys) != 16 {
			t.Fatalf("%d fields, %d keys", len(f), len(OCRKeys))
		}
		for _, k := range OCRKeys {
			v := f[k]
			if v == "" || v != strings.ToUpper(v) || !upperPattern.MatchString(v) {
				t.Errorf("%s %s = %q: want non-empty uppercase card text", p.NIK, k, v)
			}
			if allowed, ok := allowedValues[k]; ok && !allowed[v] {
				t.Errorf("%s %s = %q: not an eKTP value", p.NIK, k, v)
			}
		}
		if !fictionMarker.MatchString(p.Name) {
			t.Errorf("%s: name %q does not mark itself as fictitious", p.NIK, p.Name)
		}
		if !rtrwPattern.MatchString(p.RTRW) {
			t.Errorf("%s: rt/rw %q", p.NIK, p.RTRW)
		}
		n := p.NIK
		if !allDigits(n, 16) {
			t.Errorf("NIK %q: want 16 digits", n)
			continue
		}
		if nikSeen[n] {
			t.Errorf("NIK %s used twice", n)
		}
		nikSeen[n] = true
		pp, rr, kk := n[:2], n[2:4], n[4:6]
		for code, want := range map[string]string{
			pp:                       p.Province,
			pp + "." + rr:            p.City,
			pp + "." + rr + "." + kk: p.District,
		} {
			if got, ok := regions[code]; !ok || got != want {
				t.Errorf("%s: region %s is %q in the table, the card says %q", n, code, got, want)
			}
		}
		day, _ := strconv.Atoi(n[6:8])
		month, _ := strconv.Atoi(n[8:10])
		yy, _ := strconv.Atoi(n[10:12])
		female := day > 40
		if female {
			day -= 40
		}
		if female != (p.Sex == "PEREMPUAN") {
			t.Errorf("%s: day code %s but sex %s", n, n[6:8], p.Sex)
		}
		sexes[p.Sex]++
		birth, err := time.Parse("02-01-2006", p.BirthDate)
		if err != nil {
			t.Errorf("%s: tanggal_lahir %q: %v", n, p.BirthDate, err)
			continue
		}
		if birth.Day() != day || int(birth.Month()) != month || birth.Year()%100 != yy {
			t.Errorf("%s: NIK date %02d-%02d-%02d, card %s", n, day, month, yy, p.BirthDate)
		}
		if age := 2026 - birth.Year(); age < 17 || age > 99 {
			t.Errorf("%s: age %d is not an eKTP holder's", n, age)
		}
		if n[12:] == "0000" {
			t.Errorf("%s: serial 0000", n)
		}
	}
	if sexes["LAKI-LAKI"] < 5 || sexes["PEREMPUAN"] < 5 {
		t.Errorf("sexes %v: want both well represented", sexes)
	}
}

func TestRegistryAccessors(t *testing.T) {
	a := Specimens()
	a[0].Name = "CHANGED"
	if specimens[0].Name == "CHANGED" || Specimens()[0].Name == "CHANGED" {
		t.Error("Specimens exposes the registry")
	}
	p, ok := LookupNIK(" " + specimens[3].NIK + " ")
	if !ok || p.Name != specimens[3].Name {
		t.Errorf("LookupNIK: %v %v", p.Name, ok)
	}
	if _, ok := LookupNIK("3174011708850099"); ok {
		t.Error("LookupNIK found an unknown NIK")
	}
	mismatch := 0
	for _, p := range specimens {
		if p.FaceMismatch {
			mismatch++
		}
	}
	if mismatch != 1 {
		t.Errorf("%d face-mismatch specimens, want exactly 1 (documented)", mismatch)
	}
}
