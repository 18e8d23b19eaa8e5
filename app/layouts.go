// Layouts and small widget makers the screens share: two columns that follow the window,
// rows, a fixed-height slot (no layout shift).

package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/widgets"
)

// heading is a page's bold title.
func heading() *widget.Label {
	return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// wrapLabel is a word-wrapping label.
func wrapLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// columns lays out left and right side by side, left taking frac of the width.
func columns(frac float32, left, right fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&columnsLayout{frac: frac}, left, right)
}

type columnsLayout struct{ frac float32 }

func (c *columnsLayout) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	pad := theme.Padding() * 2
	lw := (s.Width - pad) * c.frac
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(lw, s.Height))
	objs[1].Move(fyne.NewPos(lw+pad, 0))
	objs[1].Resize(fyne.NewSize(s.Width-lw-pad, s.Height))
}

func (c *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	l, r := objs[0].MinSize(), objs[1].MinSize()
	w := fyne.Max(l.Width/c.frac, r.Width/(1-c.frac)) + theme.Padding()*2
	return fyne.NewSize(w, fyne.Max(l.Height, r.Height))
}

// rowsLayout stacks top and bottom, top taking frac of the height; its minimum is the
// sum of theirs (a grid's would be twice the taller one).
type rowsLayout struct{ frac float32 }

func (r *rowsLayout) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	pad := theme.Padding()
	th := (s.Height - pad) * r.frac
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(s.Width, th))
	objs[1].Move(fyne.NewPos(0, th+pad))
	objs[1].Resize(fyne.NewSize(s.Width, s.Height-th-pad))
}

func (r *rowsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fyne.Max(t.Width, b.Width), t.Height+b.Height+theme.Padding())
}

// fill lays every object over the whole space: the Layout of the layouts below, which differ
// only in their MinSize.
type fill struct{}

func (fill) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.Position{})
		o.Resize(s)
	}
}

// fixedHeight gives its content a height of a number of text lines, whatever it holds.
type fixedHeight struct {
	fill
	lines int
}

func (f *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height*float32(f.lines) + 2*theme.InnerPadding()
	w := float32(0)
	for _, o := range objs {
		w = fyne.Max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, h)
}

// fixedWidth gives o a minimum width (an entry the layout would shrink otherwise).
func fixedWidth(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.New(&minWidth{w: w}, o)
}

type minWidth struct {
	fill
	w float32
}

func (m *minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(m.w, 0)
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// vscroll wraps content in a vertical scroll whose buttons and entries scroll into view
// when they get the focus.
func vscroll(content fyne.CanvasObject) *container.Scroll {
	s := container.NewVScroll(content)
	widgets.FollowFocus(s)
	return s
}
