//go:build windows || darwin

package glcheck

import "fyne.io/fyne/v2/lang"

// systemLocale is the user's display language as Fyne reads it (Windows:
// GetUserDefaultLocaleName; macOS: the preferred languages).
func systemLocale() string { return lang.SystemLocale().String() }
