package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Row is one line of a ResultCard: a label, a value and an optional tick (true: ✓ in
// green, false: ✗ in red, nil: nothing).
type Row struct {
	Label, Value string
	Tick         *bool
}

// Tick returns a pointer to b, for Row.Tick and Field.Tick.
func Tick(b bool) *bool { return &b }

// ResultCard shows one check's result: a title, the state as stripe colour, icon and
// WORD (for example "LIVE ✓" or "NOT LIVE", passed in by the app), a headline, a detail
// text and rows of label/value/tick.
//
// All methods must be called on the UI goroutine (see the package documentation).
type ResultCard struct {
	widget.BaseWidget

	sev      Severity
	bg       *canvas.Rectangle
	stripe   *canvas.Rectangle
	title    *widget.Label
	icon     *widget.Icon
	activity *widget.Activity
	word     *widget.Label
	headline *widget.Label
	detail   *widget.Label
	rows     *fyne.Container
	content  fyne.CanvasObject
}

// NewResultCard returns an empty card titled title.
func NewResultCard(title string) *ResultCard {
	c := &ResultCard{}
	c.ExtendBaseWidget(c)

	c.bg = canvas.NewRectangle(nil)
	c.bg.CornerRadius = theme.InputRadiusSize()
	c.stripe = canvas.NewRectangle(nil)
	c.stripe.SetMinSize(fyne.NewSize(6, 0))
	c.stripe.CornerRadius = 3

	c.title = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.icon = widget.NewIcon(nil)
	c.activity = widget.NewActivity()
	c.word = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.headline = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.headline.SizeName = theme.SizeNameSubHeadingText
	c.headline.Wrapping = fyne.TextWrapWord
	c.detail = widget.NewLabel("")
	c.detail.Wrapping = fyne.TextWrapWord
	c.rows = container.New(layout.NewFormLayout())

	stateLine := container.NewHBox(container.NewStack(c.icon, c.activity), c.word)
	header := container.NewBorder(nil, nil, nil, stateLine, c.title)
	body := container.NewVBox(header, c.headline, c.detail, c.rows)
	c.content = container.NewStack(c.bg,
		container.NewBorder(nil, nil, container.NewPadded(c.stripe), nil, container.NewPadded(body)))
	c.Clear()
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *ResultCard) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	return newThemedRenderer(c, c.content, c.applyTheme)
}

func (c *ResultCard) applyTheme() {
	th, v := c.Theme(), variant()
	c.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	c.stripe.FillColor = th.Color(c.sev.ColorName(), v)
}

// Severity reports the state the card shows.
func (c *ResultCard) Severity() Severity { return c.sev }

// Word reports the state word the card shows.
func (c *ResultCard) Word() string { return c.word.Text }

// Headline reports the headline the card shows.
func (c *ResultCard) Headline() string { return c.headline.Text }

// Detail reports the detail line the card shows.
func (c *ResultCard) Detail() string { return c.detail.Text }

// SetTitle changes the card's title.
func (c *ResultCard) SetTitle(title string) { c.title.SetText(title) }

// SetState shows sev with its word, a headline and a detail text ("" hides a line). Busy
// shows an activity indicator in place of the icon.
func (c *ResultCard) SetState(sev Severity, word, headline, detail string) {
	c.sev = sev
	c.icon.SetResource(sev.Icon())
	showIf(c.icon, sev != Busy)
	showIf(c.activity, sev == Busy)
	if sev == Busy {
		c.activity.Start()
	} else {
		c.activity.Stop()
	}
	c.word.Importance = sev.Importance()
	c.word.SetText(word)
	c.headline.SetText(headline)
	showIf(c.headline, headline != "")
	c.detail.SetText(detail)
	showIf(c.detail, detail != "")
	c.Refresh()
}

// SetRows replaces the rows.
func (c *ResultCard) SetRows(rows []Row) {
	objs := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		label := widget.NewLabel(r.Label)
		value := widget.NewLabel(r.Value)
		value.Wrapping = fyne.TextWrapWord
		objs = append(objs, label, container.NewBorder(nil, nil, newTickIcon(r.Tick), nil, value))
	}
	c.rows.Objects = objs
	showIf(c.rows, len(rows) > 0)
	c.rows.Refresh()
}

// Clear empties the card back to Neutral with no text and no rows; the title stays.
func (c *ResultCard) Clear() {
	c.SetState(Neutral, "", "", "")
	c.SetRows(nil)
}

// newTickIcon draws a match tick: ✓ green, ✗ red, or an empty slot of the same size so
// that values stay aligned.
func newTickIcon(t *bool) *widget.Icon {
	return widget.NewIcon(tickResource(t))
}

func tickResource(t *bool) fyne.Resource {
	switch {
	case t == nil:
		return nil
	case *t:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	default:
		return theme.NewErrorThemedResource(theme.CancelIcon())
	}
}
