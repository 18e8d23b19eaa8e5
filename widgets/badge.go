package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Badge is one finding shown as a chip: an icon and a word on the severity's colour, for
// example {"Blurred", Warning} or {"Face found", OK}.
type Badge struct {
	Text     string
	Severity Severity
}

// Chip draws a Badge. The text is always drawn: colour and icon only reinforce it.
type Chip struct {
	widget.BaseWidget
	badge Badge
}

// NewChip returns a chip showing b.
func NewChip(b Badge) *Chip {
	c := &Chip{badge: b}
	c.ExtendBaseWidget(c)
	return c
}

// Badge returns the badge the chip shows.
func (c *Chip) Badge() Badge { return c.badge }

// SetBadge changes the badge the chip shows.
func (c *Chip) SetBadge(b Badge) {
	c.badge = b
	c.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (c *Chip) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	r := &chipRenderer{
		chip: c,
		bg:   canvas.NewRectangle(nil),
		icon: canvas.NewImageFromResource(nil),
		text: canvas.NewText("", nil),
	}
	r.icon.FillMode = canvas.ImageFillContain
	r.text.TextStyle.Bold = true
	r.applyTheme()
	return r
}

type chipRenderer struct {
	chip *Chip
	bg   *canvas.Rectangle
	icon *canvas.Image
	text *canvas.Text
}

func (r *chipRenderer) applyTheme() {
	th := r.chip.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	b := r.chip.badge
	r.bg.FillColor = th.Color(b.Severity.ColorName(), v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.icon.Resource = b.Severity.OnIcon()
	r.text.Text = b.Text
	r.text.Color = th.Color(b.Severity.OnColorName(), v)
	r.text.TextSize = th.Size(theme.SizeNameCaptionText) + 1
}

func (r *chipRenderer) metrics() (pad, iconSize float32) {
	th := r.chip.Theme()
	return th.Size(theme.SizeNameInnerPadding) / 2, r.text.MinSize().Height
}

func (r *chipRenderer) Layout(size fyne.Size) {
	pad, iconSize := r.metrics()
	r.bg.Resize(size)
	r.bg.Move(fyne.NewPos(0, 0))
	r.icon.Resize(fyne.NewSquareSize(iconSize))
	r.icon.Move(fyne.NewPos(pad*1.5, (size.Height-iconSize)/2))
	ts := r.text.MinSize()
	r.text.Resize(ts)
	r.text.Move(fyne.NewPos(pad*2.5+iconSize, (size.Height-ts.Height)/2))
}

func (r *chipRenderer) MinSize() fyne.Size {
	pad, iconSize := r.metrics()
	ts := r.text.MinSize()
	return fyne.NewSize(pad*4+iconSize+ts.Width, ts.Height+pad*2)
}

func (r *chipRenderer) Refresh() {
	r.applyTheme()
	r.bg.Refresh()
	r.icon.Refresh()
	r.text.Refresh()
}

func (r *chipRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.icon, r.text}
}

func (r *chipRenderer) Destroy() {}

// NewBadgeRow lays out chips for badges left to right, wrapping onto more rows when the
// space is narrow.
func NewBadgeRow(badges []Badge) *fyne.Container {
	row := container.New(layout.NewRowWrapLayout())
	setBadges(row, badges)
	return row
}

// setBadges replaces the chips in a row made by NewBadgeRow.
func setBadges(row *fyne.Container, badges []Badge) {
	objs := make([]fyne.CanvasObject, 0, len(badges))
	for _, b := range badges {
		objs = append(objs, NewChip(b))
	}
	row.Objects = objs
	// A fresh layout: the row-wrap layout caches its last minimum size.
	row.Layout = layout.NewRowWrapLayout()
	row.Hidden = len(objs) == 0
	row.Refresh()
}
