package nik

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"

	"kycdesk/kyc/nik/internal/wilayah"
)

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
		want Region
	}{
		{"36", true, Region{ProvinceCode: "36", Province: "Banten"}},
		{"3671", true, Region{ProvinceCode: "36", Province: "Banten", RegencyCode: "3671", Regency: "Kota Tangerang", KnownRegency: true}},
		{"367112", true, Region{ProvinceCode: "36", Province: "Banten", RegencyCode: "3671", Regency: "Kota Tangerang",
			DistrictCode: "367112", District: "Karang Tengah", KnownRegency: true, KnownDistrict: true}},
		{"36.71.12", true, Region{ProvinceCode: "36", Province: "Banten", RegencyCode: "3671", Regency: "Kota Tangerang",
			DistrictCode: "367112", District: "Karang Tengah", KnownRegency: true, KnownDistrict: true}},
		// A trailing space in the source CSV ("Jakarta Utara ") is trimmed by the generator.
		{"3172", true, Region{ProvinceCode: "31", Province: "Daerah Khusus Ibukota Jakarta", RegencyCode: "3172",
			Regency: "Kota Administrasi Jakarta Utara", KnownRegency: true}},
		// SQL-doubled apostrophes are undone.
		{"120428", true, Region{ProvinceCode: "12", Province: "Sumatera Utara", RegencyCode: "1204", Regency: "Kabupaten Nias",
			DistrictCode: "120428", District: "Ma'u", KnownRegency: true, KnownDistrict: true}},
		// Unknown lower levels: filled as far as known, ok false.
		{"367199", false, Region{ProvinceCode: "36", Province: "Banten", RegencyCode: "3671", Regency: "Kota Tangerang",
			DistrictCode: "367199", KnownRegency: true}},
		{"9101", false, Region{ProvinceCode: "91", Province: "Papua", RegencyCode: "9101"}},
		{"910101", false, Region{ProvinceCode: "91", Province: "Papua", RegencyCode: "9101", DistrictCode: "910101"}},
		// Unknown province or malformed code: empty.
		{"99", false, Region{}},
		{"997112", false, Region{}},
		{"", false, Region{}},
		{"3", false, Region{}},
		{"367", false, Region{}},
		{"36711214", false, Region{}},
		{"36a1", false, Region{}},
	}
	for _, tt := range tests {
		got, ok := LookupRegion(tt.code)
		if ok != tt.ok || got != tt.want {
			t.Errorf("LookupRegion(%q) = %#v, %v; want %#v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRegionString(t *testing.T) {
	r, _ := LookupRegion("367112")
	if got := r.String(); got != "Karang Tengah, Kota Tangerang, Banten" {
		t.Errorf("String = %q", got)
	}
	r, _ = LookupRegion("910101")
	if got := r.String(); got != "Papua" {
		t.Errorf("String = %q", got)
	}
}

func TestEmbeddedTableCounts(t *testing.T) {
	var levels [4]int
	for code := range regionNames() {
		levels[wilayah.Level(code)]++
	}
	// Kepmendagri 300.2.2-2138/2025: 38 provinces, 514 regencies/cities, 7,285 districts.
	if levels[1] != 38 || levels[2] != 514 || levels[3] != 7285 {
		t.Errorf("table has %d provinces, %d regencies, %d districts", levels[1], levels[2], levels[3])
	}
	if len(wilayahTable) > 64<<10 {
		t.Errorf("embedded table is %d bytes; it should stay small", len(wilayahTable))
	}
}

// TestEmbeddedTableIsCurrent regenerates the table from the shared CSV and compares bytes, so
// a changed CSV or generator without `go generate` fails here. The CSV lives outside the
// repository (../shared beside it); without it the test is skipped.
func TestEmbeddedTableIsCurrent(t *testing.T) {
	f, err := os.Open("../../../shared/data/kode-wilayah-kecamatan.csv")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("shared data not beside the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := wilayah.ReadCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := wilayah.Write(&buf, entries); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), wilayahTable) {
		t.Error("wilayah.tsv.gz is stale: run `go generate ./kyc/nik/` and commit the result")
	}
}
