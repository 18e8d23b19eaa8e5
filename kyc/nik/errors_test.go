package nik

import (
	"strings"
	"testing"
)

func TestErrorMessages(t *testing.T) {
	reasons := []Reason{ReasonLength, ReasonNotDigits, ReasonProvince, ReasonDate, ReasonSerial,
		ReasonBirthDate, ReasonRegionCode, ReasonSex}
	seen := map[string]bool{}
	for _, r := range reasons {
		e := &Error{Reason: r}
		en, id := e.MessageEN(), e.MessageID()
		if en == "" || id == "" || en == id || seen[en] || seen[id] {
			t.Errorf("%s: messages %q / %q are missing, untranslated or shared", r, en, id)
		}
		seen[en], seen[id] = true, true
		if e.Error() != "nik: "+en {
			t.Errorf("%s: Error() = %q", r, e.Error())
		}
		for _, lang := range []string{"en", "EN", "en-US", "en_GB"} {
			if e.Message(lang) != en {
				t.Errorf("%s: Message(%q) is not English", r, lang)
			}
		}
		for _, lang := range []string{"id", "id-ID", "in", "", "fr", "eng"} {
			if e.Message(lang) != id {
				t.Errorf("%s: Message(%q) is not Indonesian", r, lang)
			}
		}
	}
	unknown := &Error{Reason: "mystery"}
	if !strings.Contains(unknown.MessageEN(), "not valid") || unknown.MessageID() == "" {
		t.Errorf("unknown reason messages: %q / %q", unknown.MessageEN(), unknown.MessageID())
	}
}
