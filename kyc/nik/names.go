package nik

import (
	"strings"
	"unicode"
)

// Region names on an eKTP and in the Kepmendagri table differ in ways that mean nothing:
// case, spacing ("KARANGTENGAH"), punctuation ("KAB. BANDUNG"), the kind of regency printed or
// left out ("KABUPATEN X", "KAB X", "X"), Jakarta's "Kota Administrasi" that cards print as plain
// "JAKARTA SELATAN", and a letter or two misread by OCR. The matchers below ignore all of that,
// but still tell "KOTA TANGERANG" from "Kabupaten Tangerang": a kind printed on the card must
// agree with the table's.

// provinceAliases are names in use on cards (older ones included) that differ from the
// table's official names. Keyed by province code.
var provinceAliases = map[string][]string{
	"11": {"Nanggroe Aceh Darussalam", "NAD", "Daerah Istimewa Aceh", "DI Aceh"},
	"19": {"Bangka Belitung", "Babel"},
	"21": {"Kepri"},
	"31": {"DKI Jakarta", "DKI", "Jakarta", "Daerah Khusus Jakarta", "DKJ"},
	"34": {"DI Yogyakarta", "DIY", "Yogyakarta", "DI Jogjakarta", "Jogjakarta"},
	"52": {"NTB"},
	"53": {"NTT"},
	"91": {"Irian Jaya"},
	"92": {"Irian Jaya Barat"},
}

// tokens folds a name into comparable words: upper case, apostrophes dropped ("Ma'u" = "MAU"),
// any other non-alphanumeric a separator, and the abbreviation "KEP." spelled out.
func tokens(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '\'' || r == '\u2019' || r == '`':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if w == "KEP" {
			words[i] = "KEPULAUAN"
		}
	}
	return words
}

// key joins words without spaces, because OCR and cards are careless with them.
func key(words []string) string { return strings.Join(words, "") }

// stripLeading drops leading words found in prefixes ("PROVINSI", "KEC", …).
func stripLeading(words []string, prefixes ...string) []string {
	for len(words) > 0 && contains(prefixes, words[0]) {
		words = words[1:]
	}
	return words
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// variants lists the names a table entry may appear under: the whole name, and for
// "Misool (Misool Utara)" or "Tiro/Truseb" each alternative on its own.
func variants(name string) []string {
	out := []string{name}
	if lo, hi := strings.Index(name, "("), strings.LastIndex(name, ")"); lo >= 0 && hi > lo {
		out = append(out, name[:lo]+name[hi+1:], name[lo+1:hi])
	}
	if strings.Contains(name, "/") {
		out = append(out, strings.Split(name, "/")...)
	}
	return out
}

// regencyKind splits a regency name into its kind ("KAB", "KOTA" or "" when not printed) and
// the key of the rest. Only leading words count, so "Kabupaten Lima Puluh Kota" and
// "Kota Kotamobagu" keep their names.
func regencyKind(words []string) (kind, base string) {
	i := 0
loop:
	for ; i < len(words); i++ {
		switch words[i] {
		case "KABUPATEN", "KAB":
			if kind != "" {
				break loop
			}
			kind = "KAB"
		case "KOTA", "KOTAMADYA":
			if kind != "" {
				break loop
			}
			kind = "KOTA"
		case "ADMINISTRASI", "ADM":
		default:
			break loop
		}
	}
	return kind, key(words[i:])
}

// similar compares keys, forgiving one OCR slip (a letter misread, dropped or doubled) in
// names long enough that one letter cannot turn one real place into another by itself.
func similar(a, b string) bool {
	if a == b {
		return true
	}
	return len(a) >= 6 && len(b) >= 6 && withinOneEdit(a, b)
}

// withinOneEdit reports whether a and b differ by at most one substitution, insertion or
// deletion of a byte (the keys are upper-case ASCII in practice).
func withinOneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(b) {
		return true // equal, or a has one extra byte at the end
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i+1:] == b[i:]
}

func provinceMatches(code, official, ocr string) bool {
	o := key(stripLeading(tokens(ocr), "PROVINSI", "PROPINSI", "PROV"))
	for _, name := range append(variants(official), provinceAliases[code]...) {
		if similar(key(tokens(name)), o) {
			return true
		}
	}
	return false
}

func regencyMatches(official, ocr string) bool {
	words := tokens(ocr)
	kind, base := regencyKind(words)
	whole := key(words)
	for _, name := range variants(official) {
		tKind, tBase := regencyKind(tokens(name))
		if (kind == "" || kind == tKind) && similar(tBase, base) {
			return true
		}
		// A card may print as one word what the table treats as kind + name, or the other way
		// round: "KOTA BARU" for Kabupaten Kotabaru.
		if similar(tBase, whole) {
			return true
		}
	}
	return false
}

func districtMatches(official, ocr string) bool {
	o := key(stripLeading(tokens(ocr), "KECAMATAN", "KEC"))
	for _, name := range variants(official) {
		if similar(key(tokens(name)), o) {
			return true
		}
	}
	return false
}
