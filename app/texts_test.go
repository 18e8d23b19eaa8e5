package app

import (
	"html"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

var markupText = regexp.MustCompile(`(?s)<text[^>]*>(.*?)</text>`)

// visibleTexts returns every text drawn on the canvas (overlays included), as the
// markup renderer sees it: hidden objects are left out.
func visibleTexts(c fyne.Canvas) []string {
	var out []string
	for _, m := range markupText.FindAllStringSubmatch(test.RenderToMarkup(c), -1) {
		if s := strings.TrimSpace(html.UnescapeString(m[1])); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// dialogText is everything on screen, a dialog's texts included.
func dialogText(w fyne.Window) string { return strings.Join(visibleTexts(w.Canvas()), "\n") }
