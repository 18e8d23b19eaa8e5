package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// NewWrapRow puts left and right on one row when the width allows (left at the start,
// right at the end), and right under left otherwise: a screen's top bar that fits a
// 1366 px window on one line and a 1024 px one on two, without clipping either.
func NewWrapRow(left, right fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapRow{}, left, right)
}

type wrapRow struct {
	width   float32 // the last width laid out
	wrapped bool    // what MinSize last reported
}

func (w *wrapRow) fits(objs []fyne.CanvasObject, width float32) bool {
	return objs[0].MinSize().Width+theme.Padding()+objs[1].MinSize().Width <= width
}

func (w *wrapRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w.width = size.Width
	l, r := objs[0], objs[1]
	lm, rm := l.MinSize(), r.MinSize()
	if w.fits(objs, size.Width) {
		h := fyne.Max(lm.Height, rm.Height)
		l.Move(fyne.NewPos(0, (h-lm.Height)/2))
		l.Resize(fyne.NewSize(size.Width-rm.Width-theme.Padding(), lm.Height))
		r.Move(fyne.NewPos(size.Width-rm.Width, (h-rm.Height)/2))
		r.Resize(rm)
		if w.wrapped {
			w.wrapped = false
			requestRelayoutAll()
		}
		return
	}
	l.Move(fyne.NewPos(0, 0))
	l.Resize(fyne.NewSize(size.Width, lm.Height))
	r.Move(fyne.NewPos(size.Width-rm.Width, lm.Height+theme.Padding()))
	r.Resize(rm)
	if !w.wrapped {
		w.wrapped = true
		requestRelayoutAll()
	}
}

func (w *wrapRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lm, rm := objs[0].MinSize(), objs[1].MinSize()
	width := fyne.Max(lm.Width, rm.Width)
	if w.width > 0 && !w.fits(objs, w.width) {
		w.wrapped = true
		return fyne.NewSize(width, lm.Height+theme.Padding()+rm.Height)
	}
	w.wrapped = false
	return fyne.NewSize(width, fyne.Max(lm.Height, rm.Height))
}
