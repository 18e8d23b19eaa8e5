package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Field describes one line of a FieldForm.
type Field struct {
	Key   string // the app's key for the value (Values, SetValue, OnChanged)
	Label string
	Value string
	// Hint is a finding about the field (for example "NIK says born 14-01-2001"). The
	// field shows it as a coloured stripe and icon (HintSeverity); the text is the app's
	// to show where it has room (Hints), so a finding never moves the form.
	Hint         string
	HintSeverity Severity
	Tick         *bool // a match tick beside the entry; nil shows none
	ReadOnly     bool
	// Multiline makes the entry wrap over Rows lines (default 2).
	Multiline bool
	Rows      int
	// Wide gives the field a row of its own when the form has two columns (a name, an
	// address); narrow fields pair up in order.
	Wide bool
	// NIK makes the entry a NIKEntry (digits only, at most 16).
	NIK bool
}

// formField is a Field's widgets.
type formField struct {
	spec     Field
	label    *widget.Label
	entry    *widget.Entry // the entry of a NIKEntry too
	obj      focusable     // what is in the tree and takes focus: the entry or the NIKEntry
	sev      Severity
	hint     string
	stripe   *canvas.Rectangle
	hintIcon *widget.Icon
	tick     *widget.Icon
	cell     *fyne.Container // stripe + entry + icons
}

type focusable interface {
	fyne.CanvasObject
	fyne.Focusable
}

// TwoColumnWidth is the width from which a FieldForm lays its fields out in two
// columns (the card's pairs side by side); narrower, every field has its own row.
var TwoColumnWidth float32 = 600

// FieldForm is an editable form of labelled fields, in the order given: two columns when
// there is room (TwoColumnWidth), one otherwise, inside its own vertical scroll that
// follows the focus (Tab never leaves the focused field off screen). A finding about a
// field colours its stripe and icon in place and never changes the layout, so a click
// aimed at a field cannot land on another one while the clerk types.
//
// All methods must be called on the UI goroutine (see the package documentation).
type FieldForm struct {
	widget.BaseWidget

	// OnChanged is called when the clerk edits a field (not for SetValue or Clear).
	OnChanged func(key, value string)
	// OnHints is called after a hint changed (the app lists them where it has room).
	OnHints func()

	fields []*formField
	byKey  map[string]*formField
	grid   *fyne.Container
	layout *formLayout
	scroll *container.Scroll
	quiet  bool // set while the form itself changes entries
}

// NewFieldForm builds a form for fields, in order.
func NewFieldForm(fields []Field) *FieldForm {
	f := &FieldForm{byKey: make(map[string]*formField, len(fields))}
	f.ExtendBaseWidget(f)
	f.layout = &formLayout{f: f}
	f.grid = container.New(f.layout)
	for _, fd := range fields {
		ff := f.newField(fd)
		f.fields = append(f.fields, ff)
		f.byKey[fd.Key] = ff
		f.grid.Add(ff.label)
		f.grid.Add(ff.cell)
	}
	f.scroll = container.NewVScroll(f.grid)
	return f
}

func (f *FieldForm) newField(fd Field) *formField {
	ff := &formField{spec: fd}
	onFocus := func(o fyne.CanvasObject) { EnsureVisible(f.scroll, o) }
	switch {
	case fd.NIK:
		n := NewNIKEntry()
		n.OnFocus = onFocus
		ff.entry, ff.obj = &n.Entry.Entry, n
	case fd.Multiline:
		e := NewMultiLineEntry()
		rows := fd.Rows
		if rows <= 0 {
			rows = 2
		}
		e.SetMinRowsVisible(rows)
		e.OnFocus = onFocus
		ff.entry, ff.obj = &e.Entry, e
	default:
		e := NewEntry()
		e.OnFocus = onFocus
		ff.entry, ff.obj = &e.Entry, e
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
	ff.label = widget.NewLabelWithStyle(fd.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	ff.stripe = canvas.NewRectangle(color.Transparent)
	ff.stripe.SetMinSize(fyne.NewSize(4, 0))
	ff.stripe.CornerRadius = 2
	ff.hintIcon = widget.NewIcon(nil)
	ff.tick = widget.NewIcon(tickResource(fd.Tick))
	// One fixed icon slot, empty or not, so nothing moves when it changes: a match tick
	// when there is one, else the finding's icon.
	ff.cell = container.NewBorder(nil, nil, ff.stripe, container.NewStack(ff.hintIcon, ff.tick), ff.obj)
	f.setHint(ff, fd.Hint, fd.HintSeverity)
	return ff
}

// CreateRenderer implements fyne.Widget.
func (f *FieldForm) CreateRenderer() fyne.WidgetRenderer {
	f.ExtendBaseWidget(f)
	return newThemedRenderer(f, f.scroll, f.applyTheme)
}

func (f *FieldForm) applyTheme() {
	th, v := f.Theme(), variant()
	for _, ff := range f.fields {
		ff.stripe.FillColor = color.Transparent
		if ff.sev != Neutral {
			ff.stripe.FillColor = th.Color(ff.sev.ColorName(), v)
		}
		ff.stripe.Refresh()
	}
}

// Values returns every field's current text by key.
func (f *FieldForm) Values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for _, ff := range f.fields {
		out[ff.spec.Key] = ff.entry.Text
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
		ff.spec.Label = label
		ff.label.SetText(label)
	}
}

// Label returns a field's label.
func (f *FieldForm) Label(key string) string {
	if ff := f.byKey[key]; ff != nil {
		return ff.label.Text
	}
	return ""
}

// SetHint marks a field with a finding of severity sev ("" clears it). The layout does
// not change.
func (f *FieldForm) SetHint(key, text string, sev Severity) {
	if ff := f.byKey[key]; ff != nil {
		f.setHint(ff, text, sev)
		if f.OnHints != nil {
			f.OnHints()
		}
	}
}

// Hint returns a field's hint text and severity.
func (f *FieldForm) Hint(key string) (string, Severity) {
	if ff := f.byKey[key]; ff != nil {
		return ff.hint, ff.sev
	}
	return "", Neutral
}

// FieldHint is one field's finding, for the app to list.
type FieldHint struct {
	Key, Label, Text string
	Severity         Severity
}

// Hints lists the fields' findings in form order.
func (f *FieldForm) Hints() []FieldHint {
	var out []FieldHint
	for _, ff := range f.fields {
		if ff.hint != "" {
			out = append(out, FieldHint{Key: ff.spec.Key, Label: ff.label.Text, Text: ff.hint, Severity: ff.sev})
		}
	}
	return out
}

// SetTick shows ✓ (true), ✗ (false) or nothing (nil) beside a field.
func (f *FieldForm) SetTick(key string, t *bool) {
	if ff := f.byKey[key]; ff != nil {
		ff.tick.SetResource(tickResource(t))
		showIf(ff.hintIcon, t == nil)
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

// Focusable returns what takes the focus for a field (nil for an unknown key).
func (f *FieldForm) Focusable(key string) fyne.Focusable {
	if ff := f.byKey[key]; ff != nil {
		return ff.obj
	}
	return nil
}

// Clear empties every entry, hint and tick (the next customer), and scrolls to the top.
// OnChanged is not called.
func (f *FieldForm) Clear() {
	f.quiet = true
	defer func() { f.quiet = false }()
	for _, ff := range f.fields {
		if nik, ok := ff.obj.(*NIKEntry); ok {
			nik.SetText("")
		} else {
			ff.entry.SetText("")
		}
		f.setHint(ff, "", Neutral)
		ff.tick.SetResource(nil)
		ff.hintIcon.Show()
	}
	f.scroll.ScrollToTop()
	if f.OnHints != nil {
		f.OnHints()
	}
}

// ScrollToTop shows the first fields.
func (f *FieldForm) ScrollToTop() { f.scroll.ScrollToTop() }

// Scroll returns the form's scroll container (tests).
func (f *FieldForm) Scroll() *container.Scroll { return f.scroll }

// Columns reports how many columns the form lays out at its current width.
func (f *FieldForm) Columns() int {
	if f.layout.twoColumns(f.scroll.Size().Width) {
		return 2
	}
	return 1
}

// Focus puts the keyboard focus on a field (and scrolls it into view).
func (f *FieldForm) Focus(c fyne.Canvas, key string) {
	if ff := f.byKey[key]; ff != nil && c != nil && !ff.entry.Disabled() {
		c.Focus(ff.obj)
		EnsureVisible(f.scroll, ff.obj)
	}
}

// FocusFirst puts the keyboard focus on the first editable field of c.
func (f *FieldForm) FocusFirst(c fyne.Canvas) {
	if c == nil {
		return
	}
	for _, ff := range f.fields {
		if !ff.entry.Disabled() {
			c.Focus(ff.obj)
			EnsureVisible(f.scroll, ff.obj)
			return
		}
	}
}

func (f *FieldForm) setHint(ff *formField, text string, sev Severity) {
	if text == "" {
		sev = Neutral
	}
	ff.sev, ff.hint = sev, text
	ff.label.Importance = widget.MediumImportance
	if sev == Warning || sev == Error {
		ff.label.Importance = sev.Importance()
	}
	ff.label.Refresh()
	if text == "" || sev == Neutral {
		ff.hintIcon.SetResource(nil)
	} else {
		ff.hintIcon.SetResource(sev.Icon())
	}
	f.applyTheme()
}
