package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Severity grades a state, finding or message. It is always shown as colour, icon and a
// word together, never colour alone, so it survives colour blindness and greyscale prints.
type Severity int

// The severities, from "nothing to say" to "we do not know what happened".
const (
	Neutral Severity = iota // information, no judgement
	Busy                    // work in flight
	OK                      // passed, matched, live
	Warning                 // passed with a caveat the clerk may override
	Error                   // failed or refused; needs action
	Unknown                 // outcome not known (for example: may have been billed)
)

// String names the severity (for tests and logs; not user-visible).
func (s Severity) String() string {
	switch s {
	case Busy:
		return "busy"
	case OK:
		return "ok"
	case Warning:
		return "warning"
	case Error:
		return "error"
	case Unknown:
		return "unknown"
	default:
		return "neutral"
	}
}

// ColorName is the theme colour that carries the severity (chip fill, stripe, tint).
func (s Severity) ColorName() fyne.ThemeColorName {
	switch s {
	case Busy:
		return theme.ColorNamePrimary
	case OK:
		return theme.ColorNameSuccess
	case Warning, Unknown:
		return theme.ColorNameWarning
	case Error:
		return theme.ColorNameError
	default:
		// A quiet grey on both variants, with the normal foreground on top.
		return theme.ColorNameInputBorder
	}
}

// OnColorName is the theme colour for text and icons drawn on top of ColorName.
func (s Severity) OnColorName() fyne.ThemeColorName {
	switch s {
	case Busy:
		return theme.ColorNameForegroundOnPrimary
	case OK:
		return theme.ColorNameForegroundOnSuccess
	case Warning, Unknown:
		return theme.ColorNameForegroundOnWarning
	case Error:
		return theme.ColorNameForegroundOnError
	default:
		return theme.ColorNameForeground
	}
}

// baseIcon is the uncoloured glyph; its shape differs per severity so that the icon alone
// tells them apart.
func (s Severity) baseIcon() fyne.Resource {
	switch s {
	case Busy:
		return theme.HistoryIcon()
	case OK:
		return theme.ConfirmIcon()
	case Warning:
		return theme.WarningIcon()
	case Error:
		return theme.ErrorIcon()
	case Unknown:
		return theme.QuestionIcon()
	default:
		return theme.InfoIcon()
	}
}

// Icon is the severity's glyph in its own colour, for use on the normal background.
func (s Severity) Icon() fyne.Resource {
	if s == Neutral {
		return theme.NewThemedResource(s.baseIcon())
	}
	return theme.NewColoredResource(s.baseIcon(), s.ColorName())
}

// OnIcon is the severity's glyph in the contrast colour, for use on a ColorName fill.
func (s Severity) OnIcon() fyne.Resource {
	return theme.NewColoredResource(s.baseIcon(), s.OnColorName())
}

// Importance maps the severity onto the label/button importance with the same colour.
func (s Severity) Importance() widget.Importance {
	switch s {
	case Busy:
		return widget.HighImportance
	case OK:
		return widget.SuccessImportance
	case Warning, Unknown:
		return widget.WarningImportance
	case Error:
		return widget.DangerImportance
	default:
		return widget.MediumImportance
	}
}

// tint is the severity colour faded for use as a background behind normal foreground
// text: readable on the light and the dark theme alike.
func (s Severity) tint(th fyne.Theme, v fyne.ThemeVariant) color.Color {
	r, g, b, _ := th.Color(s.ColorName(), v).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
}
