package nik

import "testing"

func TestMask(t *testing.T) {
	tests := map[string]string{
		"3671121401010004":   "3671********0004",
		" 3671121401010004 ": "3671********0004",
		"36711214010100041":  "3671*********0041",
		"367112140101000":    "***************",
		"1234":               "****",
		"":                   "",
		"١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦":   "١٢٣٤********٣٤٥٦",
	}
	for in, want := range tests {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
