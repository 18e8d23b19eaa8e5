package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// MaxBannerActions is how many action buttons a Banner shows; more are ignored.
const MaxBannerActions = 2

// Action is a banner button: a label and what it does (run on the UI goroutine).
type Action struct {
	Label string
	Do    func()
}

// Banner is a full-width status line: a tint and stripe in the severity's colour, its
// icon, a text and up to two action buttons, for example "Outcome unknown — may have been
// charged; check before retrying" with "Retry with the same reference". Hidden until
// ShowMessage (its name, because Show() is every CanvasObject's).
//
// All methods must be called on the UI goroutine (see the package documentation).
type Banner struct {
	widget.BaseWidget

	sev     Severity
	bg      *canvas.Rectangle
	stripe  *canvas.Rectangle
	icon    *widget.Icon
	text    *widget.Label
	buttons *fyne.Container
	content fyne.CanvasObject
}

// NewBanner returns a hidden banner.
func NewBanner() *Banner {
	b := &Banner{}
	b.ExtendBaseWidget(b)
	b.bg = canvas.NewRectangle(nil)
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.stripe = canvas.NewRectangle(nil)
	b.stripe.SetMinSize(fyne.NewSize(6, 0))
	b.icon = widget.NewIcon(nil)
	b.text = widget.NewLabel("")
	b.text.Wrapping = fyne.TextWrapWord
	b.buttons = container.NewHBox()
	left := container.NewHBox(b.stripe, container.NewCenter(b.icon))
	b.content = container.NewStack(b.bg,
		container.NewBorder(nil, nil, left, container.NewCenter(b.buttons), b.text))
	b.Hide()
	return b
}

// CreateRenderer implements fyne.Widget.
func (b *Banner) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	return newThemedRenderer(b, b.content, b.applyTheme)
}

func (b *Banner) applyTheme() {
	th, v := b.Theme(), variant()
	b.bg.FillColor = b.sev.tint(th, v)
	b.stripe.FillColor = th.Color(b.sev.ColorName(), v)
}

// ShowMessage shows text with sev's colour and icon and the given actions (at most
// MaxBannerActions; the first is the prominent one).
func (b *Banner) ShowMessage(sev Severity, text string, actions ...Action) {
	b.sev = sev
	b.icon.SetResource(sev.Icon())
	b.text.SetText(text)
	if len(actions) > MaxBannerActions {
		actions = actions[:MaxBannerActions]
	}
	objs := make([]fyne.CanvasObject, 0, len(actions))
	for i, a := range actions {
		btn := widget.NewButton(a.Label, a.Do)
		if i == 0 {
			btn.Importance = widget.HighImportance
		}
		objs = append(objs, btn)
	}
	b.buttons.Objects = objs
	b.buttons.Refresh()
	b.BaseWidget.Show()
	b.Refresh()
}

// Hide hides the banner and drops its actions (and whatever they captured).
func (b *Banner) Hide() {
	b.buttons.Objects = nil
	b.text.SetText("")
	b.BaseWidget.Hide()
}

// Severity reports the banner's severity.
func (b *Banner) Severity() Severity { return b.sev }

// Text reports the banner's text.
func (b *Banner) Text() string { return b.text.Text }

// Buttons returns the action buttons shown (for keyboard focus and tests).
func (b *Banner) Buttons() []*widget.Button {
	out := make([]*widget.Button, 0, len(b.buttons.Objects))
	for _, o := range b.buttons.Objects {
		if btn, ok := o.(*widget.Button); ok {
			out = append(out, btn)
		}
	}
	return out
}
