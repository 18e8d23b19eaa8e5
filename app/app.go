// Package app is KYC Desk's desktop application: window, screens, state and wiring. It
// receives a fyne.App and never creates one, so every screen runs under fyne's test app.
package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"image/color"

	"kycdesk/resources"
)

// Title is the main window's title; CI finds the window by it.
const Title = "KYC Desk"

// Target says which profile and gateway the window works against.
type Target struct {
	Profile string
	Server  string // a URL, or "sandbox" for the built-in offline gateway
	Sandbox bool
	// Problem is set when the profiles could not be read; the window says so.
	Problem string
}

// NewMainWindow builds the main window. The full clerk workflow arrives with the desktop
// app issue; this window already shows, unmistakably, where calls would go.
func NewMainWindow(a fyne.App, t Target) fyne.Window {
	a.SetIcon(resources.Icon)
	w := a.NewWindow(Title)
	w.SetContent(content(t))
	w.Resize(fyne.NewSize(880, 600))
	w.SetMaster()
	return w
}

func content(t Target) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("KYC Desk", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	profile := widget.NewLabel("Profil / Profile: " + t.Profile)
	server := widget.NewLabel("Gateway: " + t.Server)
	header := container.NewHBox(widget.NewIcon(resources.Icon), title, layout.NewSpacer(), profile)
	if t.Sandbox {
		header.Add(sandboxBadge())
	}
	body := container.NewVBox(
		widget.NewLabelWithStyle("Selamat datang / Welcome", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		server,
	)
	if t.Sandbox {
		body.Add(widget.NewLabel("Mode SANDBOX: hasil hanya untuk demo dan pelatihan, tidak ada biaya.\nSANDBOX mode: results are for demonstration and training only, nothing is billed."))
	}
	if t.Problem != "" {
		body.Add(widget.NewLabel("⚠ " + t.Problem))
	}
	return container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, container.NewPadded(body))
}

// sandboxBadge is a bold, coloured SANDBOX marker so demo results are never taken
// for real ones.
func sandboxBadge() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.NRGBA{R: 0xd9, G: 0x77, B: 0x06, A: 0xff})
	bg.CornerRadius = theme.InputRadiusSize()
	txt := canvas.NewText(" SANDBOX ", color.White)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewStack(bg, container.NewPadded(txt))
}
