package widgets

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/mobile"
	"fyne.io/fyne/v2/test"
)

func paste(e *NIKEntry, text string) {
	clip := test.NewClipboard()
	clip.SetContent(text)
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
}

func TestNIKEntryTypingDigitsOnly(t *testing.T) {
	test.NewTempApp(t)
	e := NewNIKEntry()
	window(t, e, fyne.NewSize(300, 40))
	var changes int
	e.OnChanged = func(string) { changes++ }
	test.Type(e, "31a74 0-154")
	if e.Text != "31740154" {
		t.Errorf("typed text %q, want 31740154", e.Text)
	}
	test.Type(e, "08900001999")
	if e.Text != "3174015408900001" {
		t.Errorf("text %q, want the first 16 digits", e.Text)
	}
	if changes != 16 {
		t.Errorf("OnChanged called %d times, want 16", changes)
	}
}

func TestNIKEntryPasteNormalises(t *testing.T) {
	test.NewTempApp(t)
	for _, in := range []string{"3174 0154 0890 0001", "3174.0154.0890.0001", "NIK: 3174015408900001\n"} {
		e := NewNIKEntry()
		window(t, e, fyne.NewSize(300, 40))
		test.Type(e, "99") // a whole pasted NIK replaces a partial one
		paste(e, in)
		if e.Text != "3174015408900001" {
			t.Errorf("paste %q gave %q", in, e.Text)
		}
	}

	e := NewNIKEntry()
	window(t, e, fyne.NewSize(300, 40))
	test.Type(e, "3174")
	paste(e, "0154 08")
	if e.Text != "3174015408" {
		t.Errorf("partial paste gave %q", e.Text)
	}
	paste(e, "9999999999") // only 6 fit
	if e.Text != "3174015408999999" {
		t.Errorf("overflowing paste gave %q", e.Text)
	}
	paste(e, "no digits")
	if e.Text != "3174015408999999" {
		t.Errorf("a paste without digits changed the text to %q", e.Text)
	}
	// Other shortcuts still reach the entry.
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if e.SelectedText() != e.Text {
		t.Error("select-all did not reach the entry")
	}
}

func TestNIKEntrySetTextAndValidator(t *testing.T) {
	test.NewTempApp(t)
	e := NewNIKEntry()
	window(t, e, fyne.NewSize(300, 40))
	var seen string
	errBad := errors.New("bad NIK")
	e.Validator = func(s string) error {
		seen = s
		if len(s) != NIKLength {
			return errBad
		}
		return nil
	}
	e.SetText("3174-0154-0890-0001-77")
	if e.Text != "3174015408900001" {
		t.Errorf("SetText kept %q", e.Text)
	}
	if err := e.Validate(); err != nil || seen != "3174015408900001" {
		t.Errorf("validator saw %q, err %v", seen, err)
	}
	e.SetText("317")
	if e.Validate() != errBad {
		t.Error("validator not consulted")
	}
	if e.Keyboard() != mobile.NumberKeyboard {
		t.Error("not a number keyboard")
	}
}

func TestDigitsOnlyAndMask(t *testing.T) {
	if got := DigitsOnly("3174 0154.0890-0001 ٣"); got != "3174015408900001" {
		t.Errorf("DigitsOnly = %q", got)
	}
	for _, tc := range []struct {
		s          string
		head, tail int
		want       string
	}{
		{"3174015408900001", 4, 4, "3174********0001"},
		{"12345678", 4, 4, "********"},
		{"abc", -1, -1, "***"},
		{"", 4, 4, ""},
	} {
		if got := Mask(tc.s, tc.head, tc.tail); got != tc.want {
			t.Errorf("Mask(%q, %d, %d) = %q, want %q", tc.s, tc.head, tc.tail, got, tc.want)
		}
	}
}
