// History's layout: the details beside the table on a wide window, under it on a narrow one.

package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// besideOrBelow puts the details beside the table on a wide window (side: their share
// of the width) and under it on a narrow one (below: their height), so the table's
// columns, the outcome among them, fit a 1024 px window without scrolling sideways.
type besideOrBelow struct {
	wide, side, below float32
}

func (b *besideOrBelow) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	table, detail := objs[0], objs[1]
	pad := theme.Padding()
	if s.Width >= b.wide {
		dw := s.Width * b.side
		table.Move(fyne.NewPos(0, 0))
		table.Resize(fyne.NewSize(s.Width-dw-pad, s.Height))
		detail.Move(fyne.NewPos(s.Width-dw, 0))
		detail.Resize(fyne.NewSize(dw, s.Height))
		return
	}
	dh := fyne.Min(b.below, s.Height/2)
	table.Move(fyne.NewPos(0, 0))
	table.Resize(fyne.NewSize(s.Width, s.Height-dh-pad))
	detail.Move(fyne.NewPos(0, s.Height-dh))
	detail.Resize(fyne.NewSize(s.Width, dh))
}

func (b *besideOrBelow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t, d := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fyne.Max(t.Width, d.Width), t.Height+d.Height)
}
