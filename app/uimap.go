package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"kycdesk/widgets"
)

// The UI map is for the walkthrough (`make walkthrough`): when Deps.UIMap names a file,
// the app writes there, several times a second, where its main controls are on the
// canvas, so a script driving the real window with xdotool can click "the Next
// customer button" rather than a guessed coordinate. It holds no customer data: names,
// rectangles, and whether each control is visible and enabled.

// uiMapEntry is one control's place on the canvas (Fyne units; Scale converts to pixels).
type uiMapEntry struct {
	X, Y, W, H float32
	Visible    bool
	Enabled    bool
}

type uiMap struct {
	Scale    float32
	Tab      int
	Page     int
	Busy     bool
	Modal    bool
	Focused  string
	Controls map[string]uiMapEntry
}

// startUIMap writes the map every 200 ms until the app ends.
func (u *UI) startUIMap(path string) {
	go func() {
		for range time.Tick(200 * time.Millisecond) {
			done := make(chan []byte, 1)
			uiDo(func() { b, _ := json.Marshal(u.uiMap()); done <- b })
			b := <-done
			tmp := path + ".tmp"
			if os.WriteFile(tmp, b, 0o600) == nil {
				_ = os.Rename(tmp, filepath.Clean(path))
			}
		}
	}()
}

func (u *UI) uiMap() uiMap {
	m := uiMap{Scale: u.win.Canvas().Scale(), Tab: u.tabs.SelectedIndex(), Controls: map[string]uiMapEntry{}}
	d := fyne.CurrentApp().Driver()
	// page is the flow page a control is on (-1: the flow's top bar; -2: not the flow).
	add := func(name string, o fyne.CanvasObject, page int) {
		if o == nil || d.CanvasForObject(o) == nil {
			return
		}
		p := d.AbsolutePositionForObject(o)
		s := o.Size()
		shown := o.Visible()
		if page >= -1 {
			shown = shown && m.Tab == tabNew && (page == -1 || page == u.flow.page)
		}
		e := uiMapEntry{X: p.X, Y: p.Y, W: s.Width, H: s.Height, Visible: shown, Enabled: true}
		if dis, ok := o.(fyne.Disableable); ok {
			e.Enabled = !dis.Disabled()
		}
		m.Controls[name] = e
	}
	if f := u.flow; f != nil {
		m.Page = f.page
		m.Busy = f.ocr.r.busy() || f.live.r.busy() || f.val.r.busy() || f.ocr.in.cancel != nil || f.live.in.cancel != nil
		add("card.open", f.ocr.in.zone.OpenButton().(fyne.CanvasObject), pageCard)
		add("card.paste", f.ocr.in.zone.PasteButton(), pageCard)
		add("card.run", f.ocr.run, pageCard)
		add("card.samples", f.pages[pageCard].(*cardPage).samples, pageCard)
		add("check.confirm", f.pages[pageCheck].(*checkPage).confirm, pageCheck)
		add("check.zoom", f.pages[pageCheck].(*checkPage).zoom, pageCheck)
		add("selfie.open", f.live.in.zone.OpenButton().(fyne.CanvasObject), pageSelfie)
		add("selfie.paste", f.live.in.zone.PasteButton(), pageSelfie)
		add("selfie.run", f.live.run, pageSelfie)
		add("validate.run", f.val.run, pageValidate)
		add("done.next", f.pages[pageDone].(*donePage).next, pageDone)
		add("top.next", f.nextBtn, -1)
	}
	if h := u.headOffice; h != nil && m.Tab == tabHeadOffice {
		add("headoffice.views", h.views, -2)
		add("headoffice.unknowns.table", h.unknowns.table, -2)
		add("headoffice.unknowns.billed", h.unknowns.billed, -2)
		add("headoffice.unknowns.not_billed", h.unknowns.notBilled, -2)
	}
	if mod := widgets.TopModal(u.win); mod != nil {
		m.Modal = true
		for i, b := range mod.Buttons() {
			add("modal."+string(rune('0'+i)), b, -2)
		}
	}
	if fo := u.win.Canvas().Focused(); fo != nil {
		for name, e := range m.Controls {
			if o, ok := fo.(fyne.CanvasObject); ok {
				p := d.AbsolutePositionForObject(o)
				if p.X == e.X && p.Y == e.Y {
					m.Focused = name
				}
			}
		}
	}
	return m
}
