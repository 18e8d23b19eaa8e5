package widgets

import (
	"path/filepath"
	"strings"
)

// ImageExtensions are the file name extensions the image zone offers in its file dialog
// and accepts from a pasted path or a drop. Decoding (and refusing what does not decode)
// is the app's job; this list only keeps obviously wrong files out of the dialog.
var ImageExtensions = []string{".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}

// supportedImageName reports whether name ends in one of ImageExtensions, ignoring case.
func supportedImageName(name string) bool {
	ext := filepath.Ext(name)
	for _, e := range ImageExtensions {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}
