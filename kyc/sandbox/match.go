package sandbox

import (
	"strings"
	"unicode"
)

// Validation compares what the clerk typed with the registry the way a
// forgiving matcher would: case, punctuation and whitespace never matter,
// and a few address abbreviations are equivalent. '*' in a submitted value
// matches any one letter or digit, because OCR answers of some gateways
// mask vowels ("JL. S*L*M*T") and a clerk may pass them on unchanged.

// abbreviations maps a whole word to its canonical short form.
var abbreviations = map[string]string{
	"JALAN":     "JL",
	"GANG":      "GG",
	"NOMOR":     "NO",
	"NOMER":     "NO",
	"KAMPUNG":   "KP",
	"DUSUN":     "DSN",
	"PERUMAHAN": "PERUM",
	"BLK":       "BLOK",
}

// normalize uppercases s, splits it into words of letters, digits and '*',
// canonicalises abbreviations and joins the words with nothing between them.
func normalize(s string) string { return strings.Join(words(s), "") }

func words(s string) []string {
	ws := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*'
	})
	for i, w := range ws {
		if a, ok := abbreviations[w]; ok {
			ws[i] = a
		}
	}
	return ws
}

// wildEqual reports whether sub equals ref where '*' in sub stands for any
// one character of ref.
func wildEqual(sub, ref string) bool {
	if len(sub) != len(ref) {
		return false
	}
	for i := 0; i < len(sub); i++ {
		if sub[i] != ref[i] && sub[i] != '*' {
			return false
		}
	}
	return true
}

// sameText compares a name or birth place.
func sameText(submitted, registry string) bool {
	sub := normalize(submitted)
	return sub != "" && wildEqual(sub, normalize(registry))
}

// sameDate compares day, month and year numerically whatever the separator
// or zero padding ("25/3/1977" equals "25-03-1977").
func sameDate(submitted, registry string) bool {
	a, okA := dateParts(submitted)
	b, okB := dateParts(registry)
	return okA && okB && a == b
}

func dateParts(s string) ([3]int, bool) {
	var out [3]int
	parts := strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		if len(p) > 4 {
			return out, false
		}
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		out[i] = n
	}
	return out, true
}

// sameAddress matches when the submitted address is the registry's street
// address (alamat), optionally followed by the rest of the card's address in
// card order (RT/RW, kelurahan/desa, kecamatan, kota, provinsi): a clerk may
// type "Jl. Contoh Raya 17" or the whole line from the card.
func sameAddress(submitted string, p *Person) bool {
	ws := words(submitted)
	sub := strings.Join(ws, "")
	street := normalize(p.Address)
	if sub == "" || len(sub) < len(street) {
		return false
	}
	if !wildEqual(sub[:len(street)], street) || !wordBoundary(ws, len(street)) {
		return false
	}
	rest := sub[len(street):]
	if rest == "" {
		return true
	}
	// The RT/RW may be written bare ("005/002"), labelled ("RT 005 RW 002",
	// "RT/RW 005/002") or left out.
	rt, rw, _ := strings.Cut(p.RTRW, "/")
	tail := normalize(strings.Join([]string{p.Village, p.District, p.City, p.Province}, " "))
	for _, lead := range []string{rt + rw, "RT" + rt + "RW" + rw, "RTRW" + rt + rw, ""} {
		if prefixOf(rest, lead+tail) {
			return true
		}
	}
	return false
}

func prefixOf(s, full string) bool {
	return len(s) <= len(full) && wildEqual(s, full[:len(s)])
}

// wordBoundary reports whether n characters of the joined words end at the
// end of a word, so "NO. 170" does not pass for "NO. 17".
func wordBoundary(ws []string, n int) bool {
	at := 0
	for _, w := range ws {
		at += len(w)
		if at == n {
			return true
		}
		if at > n {
			return false
		}
	}
	return at == n
}
