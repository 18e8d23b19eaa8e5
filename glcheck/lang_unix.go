//go:build !windows && !darwin

package glcheck

import "os"

// systemLocale reads the POSIX locale variables directly (Fyne reports an unset or
// "C" locale as English; the app treats it as Indonesian, and so does this).
func systemLocale() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}
