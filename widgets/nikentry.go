package widgets

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/mobile"
)

// NIKLength is the number of digits of an Indonesian NIK.
const NIKLength = 16

// NIKEntry is a single-line entry that holds only digits, at most NIKLength. Typed
// non-digits are refused; pasted or set text such as "3174 0154 0890 0001" or
// "3174.0154.0890.0001" keeps its digits only. The app checks the NIK itself through the
// embedded Entry's Validator (it always sees digits only) and OnChanged.
type NIKEntry struct {
	Entry
}

// NewNIKEntry returns an empty NIK entry.
func NewNIKEntry() *NIKEntry {
	e := &NIKEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrapOff
	return e
}

// DigitsOnly returns the ASCII digits of s, in order.
func DigitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SetText sets the text, keeping at most NIKLength of its digits.
func (e *NIKEntry) SetText(text string) {
	e.Entry.SetText(clip(DigitsOnly(text), NIKLength))
}

// room is how many more digits fit, counting a selection that typing would replace.
func (e *NIKEntry) room() int {
	return NIKLength - utf8.RuneCountInString(e.Text) + utf8.RuneCountInString(e.SelectedText())
}

// TypedRune refuses non-digits and digits beyond NIKLength.
func (e *NIKEntry) TypedRune(r rune) {
	if r < '0' || r > '9' || e.room() <= 0 {
		return
	}
	e.Entry.TypedRune(r)
}

// TypedShortcut filters pastes down to the digits that fit; other shortcuts are the
// Entry's.
func (e *NIKEntry) TypedShortcut(s fyne.Shortcut) {
	paste, ok := s.(*fyne.ShortcutPaste)
	if !ok || paste.Clipboard == nil {
		e.Entry.TypedShortcut(s)
		return
	}
	digits := DigitsOnly(paste.Clipboard.Content())
	if digits == "" {
		return
	}
	// A whole NIK replaces whatever is there: clerks paste a full number, and
	// refusing it because the field already held a few digits would only confuse.
	if len(digits) == NIKLength {
		e.Entry.SetText(digits)
		e.CursorColumn = NIKLength
		e.Refresh()
		return
	}
	digits = clip(digits, e.room())
	if digits == "" {
		return
	}
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: &staticClipboard{digits}})
}

// Keyboard asks for the numeric keyboard on touch devices.
func (e *NIKEntry) Keyboard() mobile.KeyboardType { return mobile.NumberKeyboard }

func clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) > n { // s is ASCII digits here
		return s[:n]
	}
	return s
}

// staticClipboard hands the Entry's own paste the filtered text.
type staticClipboard struct{ text string }

func (c *staticClipboard) Content() string     { return c.text }
func (c *staticClipboard) SetContent(t string) { c.text = t }

// Mask hides the middle of s, keeping head runes at the start and tail at the end, for
// example Mask("3174015408900001", 4, 4) = "3174********0001". A value too short to keep
// both ends is masked whole.
func Mask(s string, head, tail int) string {
	r := []rune(s)
	if head < 0 {
		head = 0
	}
	if tail < 0 {
		tail = 0
	}
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}
