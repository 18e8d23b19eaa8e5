package nik

import "strings"

// Mask hides the middle of a NIK for lists and logs: "3671121401010004" → "3671********0004".
// The first four digits (province and regency) and the serial stay visible so a clerk can tell
// rows apart; the district and the birth date, the identifying part, are hidden. Anything
// shorter than 16 characters is masked completely, since keeping eight characters of it would
// reveal most of it.
func Mask(n string) string {
	r := []rune(strings.TrimSpace(n))
	if len(r) < 16 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}
