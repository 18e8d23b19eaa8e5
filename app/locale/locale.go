// Package locale repairs, before Fyne reads it, a POSIX locale Fyne cannot parse.
//
// Debian, Ubuntu and most containers default to LANG=C.UTF-8. Fyne's lang package
// reads the locale in its package initialiser and logs "Error parsing user locale C"
// for it (upstream issue fyne-io/fyne#5271), on every start, even for the headless
// commands. Go initialises packages in import-path order once their imports are ready;
// this package imports only "os", so it runs before fyne.io/fyne/v2/lang (which needs
// "log", initialised later), and it sets LC_MESSAGES=C: the locale reader then sees the
// plain "C" it understands as "no preference", and LC_CTYPE stays UTF-8 for text input.
//
// main imports it first, blank, for its side effect only.
package locale

import "os"

func init() { Repair(os.Getenv, os.Setenv, os.Unsetenv) }

// Repair applies the fix through the given environment functions (tests pass fakes).
func Repair(getenv func(string) string, setenv func(string, string) error, unsetenv func(string) error) {
	source, value := "", ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			source, value = k, v
			break
		}
	}
	if !isPOSIXVariant(value) {
		return
	}
	if source == "LC_ALL" {
		// LC_ALL overrides every category; keep its character type, drop the rest.
		if getenv("LC_CTYPE") == "" {
			_ = setenv("LC_CTYPE", value)
		}
		_ = unsetenv("LC_ALL")
	}
	_ = setenv("LC_MESSAGES", "C")
}

// isPOSIXVariant is true for C.UTF-8, C.utf8, POSIX.UTF-8, C@euro…: the POSIX locale with
// a codeset or modifier, which the locale reader turns into the malformed tag "C".
func isPOSIXVariant(v string) bool {
	for _, base := range []string{"C", "POSIX"} {
		if len(v) > len(base) && v[:len(base)] == base && (v[len(base)] == '.' || v[len(base)] == '@') {
			return true
		}
	}
	return false
}
