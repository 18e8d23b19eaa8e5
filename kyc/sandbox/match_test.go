package sandbox

import "testing"

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Jl. Contoh Raya No. 17":     "JLCONTOHRAYANO17",
		"JALAN contoh raya nomor 17": "JLCONTOHRAYANO17",
		"  budi\tcontoh-santoso\n":   "BUDICONTOHSANTOSO",
		"Gang III, Blk C2":           "GGIIIBLOKC2",
		"J*L. S*L*M*T":               "J*LS*L*M*T",
		"":                           "",
		"...":                        "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSameText(t *testing.T) {
	for _, tc := range []struct {
		sub, reg string
		want     bool
	}{
		{"Mei Ling Sampel", "MEI LING SAMPEL", true},
		{"meiling sampel", "MEI LING SAMPEL", true},
		{"M*I L*NG S*MP*L", "MEI LING SAMPEL", true},
		{"Mei Lin Sampel", "MEI LING SAMPEL", false},
		{"Mei Ling Sampel Jr", "MEI LING SAMPEL", false},
		{"", "MEI LING SAMPEL", false},
		{"*", "A", true},
	} {
		if got := sameText(tc.sub, tc.reg); got != tc.want {
			t.Errorf("sameText(%q, %q) = %v", tc.sub, tc.reg, got)
		}
	}
}

func TestSameDate(t *testing.T) {
	for _, tc := range []struct {
		sub  string
		want bool
	}{
		{"25-03-1977", true},
		{"25/3/1977", true},
		{"25 03 1977", true},
		{"25-03-77", false},
		{"1977-03-25", false},
		{"26-03-1977", false},
		{"25031977", false},
		{"25-03-19770", false},
		{"", false},
	} {
		if got := sameDate(tc.sub, "25-03-1977"); got != tc.want {
			t.Errorf("sameDate(%q) = %v", tc.sub, got)
		}
	}
}

func TestSameAddress(t *testing.T) {
	p := specimens[0] // JL. CONTOH RAYA NO. 17, 005/002, TEBET TIMUR, TEBET
	for _, tc := range []struct {
		sub  string
		want bool
	}{
		{"JL. CONTOH RAYA NO. 17", true},
		{"jalan contoh raya nomor 17", true},
		{"Jl Contoh Raya 17", false}, // the number sign "NO." is part of the card text
		{"JL. C*NT*H R*Y* N*. 17", true},
		{"JL. CONTOH RAYA NO. 17 RT 005 RW 002 TEBET TIMUR", true},
		{"JL. CONTOH RAYA NO. 17, RT/RW 005/002, TEBET TIMUR, TEBET", true},
		{"JL. CONTOH RAYA NO. 17 005/002 TEBET TIMUR TEBET KOTA ADMINISTRASI JAKARTA SELATAN DAERAH KHUSUS IBUKOTA JAKARTA", true},
		{"JL. CONTOH RAYA NO. 17, TEBET TIMUR", true},
		{"JL. CONTOH RAYA NO. 170", false},
		{"JL. CONTOH RAYA NO. 1", false},
		{"JL. CONTOH RAYA NO. 17 BANDUNG", false},
		{"JL. CONTOH RAYA", false},
		{"", false},
	} {
		if got := sameAddress(tc.sub, &p); got != tc.want {
			t.Errorf("sameAddress(%q) = %v", tc.sub, got)
		}
	}
}

func TestWordBoundary(t *testing.T) {
	ws := []string{"JL", "CONTOH", "17"}
	for n, want := range map[int]bool{2: true, 8: true, 10: true, 3: false, 9: false, 11: false} {
		if got := wordBoundary(ws, n); got != want {
			t.Errorf("wordBoundary(%d) = %v", n, got)
		}
	}
}
