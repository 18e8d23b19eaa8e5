// Package i18n translates the app's strings: Bahasa Indonesia first, English available.
//
// The catalogues are resources/translations/{id,en}.json, flat key → text maps. Fyne's
// lang package reads the OS locale once at start-up and has no runtime switch, while
// the clerk switches language in Settings and expects every screen to follow at once;
// so the app keeps its own small catalogue here and rebuilds its screens on a switch.
// Fyne's own built-in strings get the app's language through RegisterFyne.
package i18n

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"kycdesk/resources"
)

// Lang is a supported language.
type Lang string

const (
	ID Lang = "id" // Bahasa Indonesia, the default
	EN Lang = "en"
)

// Langs lists the supported languages in the order the settings show them.
var Langs = []Lang{ID, EN}

// Name is the language's own name, for the picker.
func (l Lang) Name() string {
	if l == EN {
		return "English"
	}
	return "Bahasa Indonesia"
}

var (
	current   atomic.Value // Lang
	catalogue = map[Lang]map[string]string{}
)

func init() {
	for _, l := range Langs {
		b, err := resources.Translations.ReadFile("translations/" + string(l) + ".json")
		if err != nil {
			panic("i18n: missing catalogue " + string(l))
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("i18n: bad catalogue " + string(l) + ": " + err.Error())
		}
		catalogue[l] = m
	}
	current.Store(ID)
}

// Set switches the language of every later T call.
func Set(l Lang) {
	if l != EN {
		l = ID
	}
	current.Store(l)
}

// Current returns the language in use.
func Current() Lang { return current.Load().(Lang) }

// Parse reads a stored or configured language; anything unknown is Indonesian.
func Parse(s string) Lang {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return EN
	}
	return ID
}

// Detect picks the default language from an OS locale ("en-US", "id-ID", "C", ""):
// English for an English locale, Indonesian for everything else, including unknown.
func Detect(locale string) Lang { return Parse(locale) }

// T translates key in the current language, formatting args with fmt.Sprintf when
// given. A key missing from the catalogue shows as itself, so it is noticed, never
// crashes (a test checks that every key used exists in both catalogues).
func T(key string, args ...any) string {
	s, ok := catalogue[Current()][key]
	if !ok {
		if s, ok = catalogue[ID][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys returns the keys of one catalogue (tests).
func Keys(l Lang) map[string]string { return catalogue[l] }

// RegisterFyne makes Fyne's own strings (the Entry's menu, dialogs it builds, the
// weekday names) follow the app's language l rather than the OS's. Fyne reads the OS
// locale again on every registration and picks the closest catalogue, so registering
// l's catalogue under the OS locale (and its bare language) switches those strings at
// run time, whatever the OS language is.
func RegisterFyne(l Lang) {
	name := "translations/fyne." + string(l) + ".json"
	b, err := resources.Translations.ReadFile(name)
	if err != nil {
		return
	}
	sys := lang.SystemLocale()
	_ = lang.AddTranslationsForLocale(b, sys)
	if base := sys.LanguageString(); base != sys.String() {
		_ = lang.AddTranslationsForLocale(b, fyne.Locale(base))
	}
	_ = lang.AddTranslationsForLocale(b, fyne.Locale(string(l)))
}
