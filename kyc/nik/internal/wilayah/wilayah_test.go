package wilayah

import (
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"testing"
)

const sample = "code,name\r\n11,Aceh\r\n11.01,Kabupaten Aceh Selatan\r\n11.01.01,Bakongan\r\n" +
	"12,Sumatera Utara\r\n12.04,Kabupaten Nias\r\n12.04.28,Ma''u\r\n31.72,\"Kota Administrasi Jakarta Utara \"\r\n31,DKI\r\n"

func TestReadCSVAndRoundTrip(t *testing.T) {
	entries, err := ReadCSV(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"11", "Aceh"}, {"1101", "Kabupaten Aceh Selatan"}, {"110101", "Bakongan"},
		{"12", "Sumatera Utara"}, {"1204", "Kabupaten Nias"}, {"120428", "Ma'u"},
		{"3172", "Kota Administrasi Jakarta Utara"}, {"31", "DKI"},
	}
	if !slices.Equal(entries, want) {
		t.Fatalf("ReadCSV = %q", entries)
	}
	var a, b bytes.Buffer
	if err := Write(&a, entries); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, entries); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("Write is not deterministic")
	}
	got, err := Read(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(want)
	slices.SortFunc(sorted, func(x, y Entry) int { return strings.Compare(x.Code, y.Code) })
	if !slices.Equal(got, sorted) {
		t.Errorf("Read = %q", got)
	}
	if Level("11") != 1 || Level("1101") != 2 || Level("110101") != 3 {
		t.Error("Level")
	}
}

func TestReadCSVErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no header":       "11,Aceh\n",
		"empty":           "",
		"three fields":    "code,name\n11,Aceh,x\n",
		"bad code":        "code,name\n1,Aceh\n",
		"letters":         "code,name\n1a,Aceh\n",
		"eight digits":    "code,name\n11.01.01.01,X\n",
		"empty name":      "code,name\n11, \n",
		"duplicate":       "code,name\n11,Aceh\n11,Aceh\n",
		"orphan":          "code,name\n11.01,Kabupaten X\n",
		"orphan district": "code,name\n11,Aceh\n11.01.01,X\n",
		"bare quote":      "code,name\n11,\"Ac\"eh\n",
	} {
		if _, err := ReadCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: ReadCSV accepted %q", name, in)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	for name, entries := range map[string][]Entry{
		"bad code":   {{"1", "X"}},
		"tab name":   {{"11", "A\tB"}},
		"duplicate":  {{"11", "A"}, {"11", "B"}},
		"no parent":  {{"1101", "X"}},
		"short code": {{"11", "A"}, {"110", "B"}},
	} {
		if err := Write(&bytes.Buffer{}, entries); err == nil {
			t.Errorf("%s: Write accepted %q", name, entries)
		}
	}
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestReadErrors(t *testing.T) {
	for name, in := range map[string][]byte{
		"not gzip":     []byte("11\tAceh\n"),
		"truncated":    gz("11\tAceh\n")[:12],
		"only comment": gz("# nothing\n"),
		"no tab":       gz("11 Aceh\n"),
		"bad code":     gz("1x\tAceh\n"),
		"empty name":   gz("11\t\n"),
		"orphan":       gz("11\tAceh\n1201\tX\n"),
	} {
		if _, err := Read(bytes.NewReader(in)); err == nil {
			t.Errorf("%s: Read accepted it", name)
		}
	}
}
