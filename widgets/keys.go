package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Button is widget.Button for a clerk at a keyboard: Enter activates the focused button
// as Space does (Fyne's button answers Space only), and Esc calls OnEscape, so a dialog
// whose button has the focus can be answered or dismissed without the mouse.
type Button struct {
	widget.Button
	// OnEscape is called when Esc is typed while the button has the focus; nil ignores Esc.
	OnEscape func()
	// OnFocus is called when the button gains the focus (for example to scroll it into
	// view).
	OnFocus func(fyne.CanvasObject)
}

// NewButton returns a Button with a label, an optional icon and a tap handler.
func NewButton(label string, icon fyne.Resource, tapped func()) *Button {
	b := &Button{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey implements fyne.Focusable.
func (b *Button) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		if b.OnEscape != nil {
			b.OnEscape()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// FocusGained implements fyne.Focusable.
func (b *Button) FocusGained() {
	b.Button.FocusGained()
	if b.OnFocus != nil {
		b.OnFocus(b)
	}
}

// Entry is widget.Entry with hooks a keyboard-driven screen needs: OnEscape (Fyne's
// entry swallows Esc), OnFocus (scroll the entry into view), and OnUp/OnDown for a
// single-line entry that steers a list (the file dialog's path).
type Entry struct {
	widget.Entry
	OnEscape func()
	OnFocus  func(fyne.CanvasObject)
	OnUp     func()
	OnDown   func()
}

// NewEntry returns a single-line Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.ExtendBaseWidget(e)
	return e
}

// NewMultiLineEntry returns a multi-line, word-wrapping Entry.
func NewMultiLineEntry() *Entry {
	e := &Entry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *Entry) TypedKey(ev *fyne.KeyEvent) {
	switch {
	case ev.Name == fyne.KeyEscape && e.OnEscape != nil:
		e.OnEscape()
	case ev.Name == fyne.KeyUp && e.OnUp != nil && !e.MultiLine:
		e.OnUp()
	case ev.Name == fyne.KeyDown && e.OnDown != nil && !e.MultiLine:
		e.OnDown()
	default:
		e.Entry.TypedKey(ev)
	}
}

// FocusGained implements fyne.Focusable.
func (e *Entry) FocusGained() {
	e.Entry.FocusGained()
	if e.OnFocus != nil {
		e.OnFocus(e)
	}
}
