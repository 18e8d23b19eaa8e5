package i18n

import (
	"os"
	"runtime"

	"fyne.io/fyne/v2/lang"
)

// SystemLang picks the default language from the OS: English for an English locale,
// Indonesian for every other one and for an unknown one. On Unix the locale variables
// are read directly, because Fyne reports an unset or POSIX locale ("C") as English.
func SystemLang() Lang {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return Detect(lang.SystemLocale().String())
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return Detect(v)
		}
	}
	return ID
}
