package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// Field describes one line of a FieldForm.
type Field struct {
	Key   string // the app's key for the value (Values, SetValue, OnChanged)
	Label string
	Value string
	// Hint is a finding shown under the entry (for example "NIK says born 14-01-2001"),
	// coloured and iconned by HintSeverity; "" shows nothing.
	Hint         string
	HintSeverity Severity
	Tick         *bool // a match tick beside the entry; nil shows none
	ReadOnly     bool
	Multiline    bool
	// NIK makes the entry a NIKEntry (digits only, at most 16).
	NIK bool
}

// formField is a Field's widgets.
type formField struct {
	key      string
	label    *widget.Label
	entry    *widget.Entry // the entry of a NIKEntry too
	obj      focusable     // what is in the tree and takes focus: the entry or the NIKEntry
	sev      Severity
	tick     *widget.Icon
	hintIcon *widget.Icon
	hint     *widget.Label
	hintRow  *fyne.Container
}

type focusable interface {
	fyne.CanvasObject
	fyne.Focusable
}

// FieldForm is an editable form of labelled fields in two columns (the first half of the
// fields down the left, the rest down the right; Tab follows the same order). Each entry
// can carry a tick and, below it, a hint with a severity. The app wraps the form in a
// scroll container where the window may be short.
//
// All methods must be called on the UI goroutine (see the package documentation).
type FieldForm struct {
	widget.BaseWidget

	// OnChanged is called when the clerk edits a field (not for SetValue or Clear).
	OnChanged func(key, value string)

	fields  []*formField
	byKey   map[string]*formField
	content fyne.CanvasObject
	quiet   bool // set while the form itself changes entries
}

// NewFieldForm builds a form for fields, in order.
func NewFieldForm(fields []Field) *FieldForm {
	f := &FieldForm{byKey: make(map[string]*formField, len(fields))}
	f.ExtendBaseWidget(f)
	half := (len(fields) + 1) / 2
	left := container.New(layout.NewFormLayout())
	right := container.New(layout.NewFormLayout())
	for i, fd := range fields {
		ff := f.newField(fd)
		f.fields = append(f.fields, ff)
		f.byKey[fd.Key] = ff
		col := left
		if i >= half {
			col = right
		}
		label := widget.NewLabelWithStyle(fd.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		ff.label = label
		entryRow := container.NewBorder(nil, nil, nil, ff.tick, ff.obj)
		// The label sits in a VBox so that it stays at the top when a hint makes the
		// cell taller.
		col.Add(container.NewVBox(label))
		col.Add(container.NewVBox(entryRow, ff.hintRow))
	}
	f.content = container.NewGridWithColumns(2, container.NewVBox(left), container.NewVBox(right))
	return f
}

func (f *FieldForm) newField(fd Field) *formField {
	ff := &formField{key: fd.Key}
	switch {
	case fd.NIK:
		n := NewNIKEntry()
		ff.entry, ff.obj = &n.Entry, n
	case fd.Multiline:
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(2)
		ff.entry, ff.obj = e, e
	default:
		e := widget.NewEntry()
		ff.entry, ff.obj = e, e
	}
	ff.entry.SetText(fd.Value)
	if fd.ReadOnly {
		ff.entry.Disable()
	}
	key := fd.Key
	ff.entry.OnChanged = func(v string) {
		if !f.quiet && f.OnChanged != nil {
			f.OnChanged(key, v)
		}
	}
	ff.tick = widget.NewIcon(tickResource(fd.Tick))
	ff.hintIcon = widget.NewIcon(nil)
	ff.hint = widget.NewLabel("")
	ff.hint.Wrapping = fyne.TextWrapWord
	ff.hintRow = container.NewBorder(nil, nil, ff.hintIcon, nil, ff.hint)
	setHint(ff, fd.Hint, fd.HintSeverity)
	return ff
}

// CreateRenderer implements fyne.Widget.
func (f *FieldForm) CreateRenderer() fyne.WidgetRenderer {
	f.ExtendBaseWidget(f)
	return newThemedRenderer(f, f.content, func() {})
}

// Values returns every field's current text by key.
func (f *FieldForm) Values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for _, ff := range f.fields {
		out[ff.key] = ff.entry.Text
	}
	return out
}

// Value returns one field's text ("" for an unknown key).
func (f *FieldForm) Value(key string) string {
	if ff := f.byKey[key]; ff != nil {
		return ff.entry.Text
	}
	return ""
}

// SetValue sets a field's text without calling OnChanged. Unknown keys are ignored.
func (f *FieldForm) SetValue(key, value string) {
	ff := f.byKey[key]
	if ff == nil {
		return
	}
	f.quiet = true
	defer func() { f.quiet = false }()
	if nik, ok := ff.obj.(*NIKEntry); ok {
		nik.SetText(value)
		return
	}
	ff.entry.SetText(value)
}

// SetValues sets several fields at once (for example from an OCR result).
func (f *FieldForm) SetValues(values map[string]string) {
	for k, v := range values {
		f.SetValue(k, v)
	}
}

// SetLabel changes a field's label (for a language switch).
func (f *FieldForm) SetLabel(key, label string) {
	if ff := f.byKey[key]; ff != nil {
		ff.label.SetText(label)
	}
}

// SetHint shows text under a field with sev's colour and icon; "" hides the hint.
func (f *FieldForm) SetHint(key, text string, sev Severity) {
	if ff := f.byKey[key]; ff != nil {
		setHint(ff, text, sev)
		// A hint shown or hidden changes the cell's height: lay the form out again.
		f.Refresh()
	}
}

// Hint returns a field's hint text and severity.
func (f *FieldForm) Hint(key string) (string, Severity) {
	if ff := f.byKey[key]; ff != nil {
		return ff.hint.Text, ff.sev
	}
	return "", Neutral
}

// SetTick shows ✓ (true), ✗ (false) or nothing (nil) beside a field.
func (f *FieldForm) SetTick(key string, t *bool) {
	if ff := f.byKey[key]; ff != nil {
		ff.tick.SetResource(tickResource(t))
	}
}

// Entry returns a field's entry, for app-specific additions such as a Validator; nil
// for an unknown key.
func (f *FieldForm) Entry(key string) *widget.Entry {
	if ff := f.byKey[key]; ff != nil {
		return ff.entry
	}
	return nil
}

// Clear empties every entry, hint and tick (the next customer). OnChanged is not called.
func (f *FieldForm) Clear() {
	f.quiet = true
	defer func() { f.quiet = false }()
	for _, ff := range f.fields {
		ff.entry.SetText("")
		setHint(ff, "", Neutral)
		ff.tick.SetResource(nil)
	}
	f.Refresh()
}

// FocusFirst puts the keyboard focus on the first editable field of c.
func (f *FieldForm) FocusFirst(c fyne.Canvas) {
	if c == nil {
		return
	}
	for _, ff := range f.fields {
		if !ff.entry.Disabled() {
			c.Focus(ff.obj)
			return
		}
	}
}

func setHint(ff *formField, text string, sev Severity) {
	ff.sev = sev
	ff.hint.Importance = sev.Importance()
	ff.hint.SetText(text)
	if text == "" {
		ff.hintIcon.SetResource(nil)
		ff.hintRow.Hide()
		return
	}
	ff.hintIcon.SetResource(sev.Icon())
	ff.hintRow.Show()
}
