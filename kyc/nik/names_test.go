package nik

import (
	"slices"
	"testing"
)

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true}, {"A", "", true}, {"TANGERANG", "TANGERANG", true},
		{"TANGERANG", "TANGERAN6", true}, {"TANGERANG", "TANGERAN", true}, {"TANGERANG", "TANGGERANG", true},
		{"TANGERANG", "TANGRANG", true}, {"TANGERANG", "TNAGERANG", false}, {"TANGERANG", "TANGER", false},
		{"SERANG", "TANGERANG", false}, {"AB", "BA", false},
	}
	for _, tt := range tests {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", tt.a, tt.b, got)
		}
		if got := withinOneEdit(tt.b, tt.a); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v (swapped)", tt.b, tt.a, got)
		}
	}
}

func TestTokensAndVariants(t *testing.T) {
	if got := tokens("Kab. Adm. Kep.  Seribu"); !slices.Equal(got, []string{"KAB", "ADM", "KEPULAUAN", "SERIBU"}) {
		t.Errorf("tokens = %v", got)
	}
	if got := tokens("Sangalla’ Utara"); !slices.Equal(got, []string{"SANGALLA", "UTARA"}) {
		t.Errorf("tokens = %v", got)
	}
	if got := variants("Misool (Misool Utara)"); !slices.Equal(got, []string{"Misool (Misool Utara)", "Misool ", "Misool Utara"}) {
		t.Errorf("variants = %q", got)
	}
	if got := variants("Wari/Taiyeve II"); !slices.Equal(got, []string{"Wari/Taiyeve II", "Wari", "Taiyeve II"}) {
		t.Errorf("variants = %q", got)
	}
	for _, tt := range []struct{ in, kind, base string }{
		{"Kota Administrasi Jakarta Selatan", "KOTA", "JAKARTASELATAN"},
		{"KAB. ADM KEP SERIBU", "KAB", "KEPULAUANSERIBU"},
		{"Kabupaten Lima Puluh Kota", "KAB", "LIMAPULUHKOTA"},
		{"Kota Kotamobagu", "KOTA", "KOTAMOBAGU"},
		{"KOTA KABUPATEN", "KOTA", "KABUPATEN"},
		{"Sleman", "", "SLEMAN"},
	} {
		kind, base := regencyKind(tokens(tt.in))
		if kind != tt.kind || base != tt.base {
			t.Errorf("regencyKind(%q) = %q, %q", tt.in, kind, base)
		}
	}
}
