package widgets

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Zoom limits of a ZoomImage, as multiples of the size that fits the widget.
const (
	MinZoom  = 1.0
	MaxZoom  = 4.0
	zoomStep = 1.25
)

// ZoomImage shows an image fitted into its area and lets the clerk read small print:
// the mouse wheel zooms at the pointer (up to MaxZoom, 400 % of the fitted size),
// dragging pans, a double click toggles 200 % at that point; with the focus (a click
// or Tab), + and − zoom, 0 fits, the arrow keys pan. The picture is drawn by sampling
// the source into a raster the size of the widget, so nothing spills outside it and a
// large image costs the widget's pixels, not its own, per frame.
//
// All methods must be called on the UI goroutine (see the package documentation).
type ZoomImage struct {
	widget.BaseWidget

	// OnZoom is called after the zoom changed, with the zoom in percent of the fitted
	// size (100–400).
	OnZoom func(percent int)

	levels  []*image.RGBA // the source and its halvings, for sampling at every scale
	zoom    float64       // 1 = fitted
	cx, cy  float64       // the source point at the centre of the view
	focused bool
	raster  *canvas.Raster
	frame   *canvas.Rectangle
	empty   *canvas.Text
}

// NewZoomImage returns an empty viewer; SetImage gives it a picture.
func NewZoomImage() *ZoomImage {
	z := &ZoomImage{zoom: 1}
	z.ExtendBaseWidget(z)
	z.raster = canvas.NewRaster(z.draw)
	z.frame = canvas.NewRectangle(color.Transparent)
	z.frame.StrokeWidth = 2
	z.frame.CornerRadius = theme.InputRadiusSize()
	z.empty = canvas.NewText("", color.Gray{Y: 0x80})
	z.empty.Alignment = fyne.TextAlignCenter
	return z
}

// SetImage shows img fitted (nil empties the viewer and releases the picture).
func (z *ZoomImage) SetImage(img image.Image) {
	z.levels = nil
	if img != nil {
		z.levels = mipLevels(img)
	}
	z.Fit()
}

// SetEmptyText is what the viewer says when it has no picture.
func (z *ZoomImage) SetEmptyText(s string) {
	z.empty.Text = s
	z.empty.Refresh()
}

// HasImage reports whether a picture is shown.
func (z *ZoomImage) HasImage() bool { return len(z.levels) > 0 }

// Zoom returns the zoom in percent of the fitted size.
func (z *ZoomImage) Zoom() int { return int(math.Round(z.zoom * 100)) }

// Fit shows the whole picture.
func (z *ZoomImage) Fit() {
	z.zoom = 1
	if len(z.levels) > 0 {
		b := z.levels[0].Bounds()
		z.cx, z.cy = float64(b.Dx())/2, float64(b.Dy())/2
	}
	z.changed()
}

// ZoomIn and ZoomOut change the zoom by one step about the centre of the view.
func (z *ZoomImage) ZoomIn() { z.zoomAt(z.zoom*zoomStep, fyne.Position{}, false) }

func (z *ZoomImage) ZoomOut() { z.zoomAt(z.zoom/zoomStep, fyne.Position{}, false) }

// SetZoom sets the zoom in percent of the fitted size, about the centre of the view.
func (z *ZoomImage) SetZoom(percent int) { z.zoomAt(float64(percent)/100, fyne.Position{}, false) }

// Pan moves the view by a fraction of its size (dx, dy in −1…1).
func (z *ZoomImage) Pan(dx, dy float64) {
	s := z.Size()
	scale := z.fyneScale()
	if scale <= 0 {
		return
	}
	z.cx += dx * float64(s.Width) / scale
	z.cy += dy * float64(s.Height) / scale
	z.changed()
}

// View returns the source rectangle shown (tests).
func (z *ZoomImage) View() image.Rectangle {
	s := z.Size()
	scale := z.fyneScale()
	if scale <= 0 {
		return image.Rectangle{}
	}
	hw, hh := float64(s.Width)/scale/2, float64(s.Height)/scale/2
	return image.Rect(int(z.cx-hw), int(z.cy-hh), int(z.cx+hw), int(z.cy+hh))
}

// fyneScale is source pixels → widget units at the current zoom.
func (z *ZoomImage) fyneScale() float64 {
	if len(z.levels) == 0 {
		return 0
	}
	s := z.Size()
	b := z.levels[0].Bounds()
	if s.Width <= 0 || s.Height <= 0 || b.Dx() == 0 || b.Dy() == 0 {
		return 0
	}
	fit := math.Min(float64(s.Width)/float64(b.Dx()), float64(s.Height)/float64(b.Dy()))
	return fit * z.zoom
}

// zoomAt sets the zoom keeping the source point under at (widget coordinates) in place;
// atPointer false zooms about the centre.
func (z *ZoomImage) zoomAt(zoom float64, at fyne.Position, atPointer bool) {
	zoom = math.Max(MinZoom, math.Min(MaxZoom, zoom))
	if len(z.levels) == 0 {
		return
	}
	if atPointer {
		s := z.Size()
		old := z.fyneScale()
		// The source point under the pointer before…
		px := z.cx + (float64(at.X)-float64(s.Width)/2)/old
		py := z.cy + (float64(at.Y)-float64(s.Height)/2)/old
		z.zoom = zoom
		now := z.fyneScale()
		// …stays under it after.
		z.cx = px - (float64(at.X)-float64(s.Width)/2)/now
		z.cy = py - (float64(at.Y)-float64(s.Height)/2)/now
	} else {
		z.zoom = zoom
	}
	z.changed()
}

// clamp keeps the view on the picture: at the fitted size it is centred, zoomed in its
// edges never show background beyond the picture's.
func (z *ZoomImage) clamp() {
	if len(z.levels) == 0 {
		return
	}
	b := z.levels[0].Bounds()
	scale := z.fyneScale()
	if scale <= 0 {
		return
	}
	s := z.Size()
	hw, hh := float64(s.Width)/scale/2, float64(s.Height)/scale/2
	w, h := float64(b.Dx()), float64(b.Dy())
	z.cx = clampCentre(z.cx, hw, w)
	z.cy = clampCentre(z.cy, hh, h)
}

func clampCentre(c, half, size float64) float64 {
	if 2*half >= size {
		return size / 2
	}
	return math.Max(half, math.Min(size-half, c))
}

func (z *ZoomImage) changed() {
	z.clamp()
	z.raster.Refresh()
	if z.OnZoom != nil {
		z.OnZoom(z.Zoom())
	}
}

// Scrolled implements fyne.Scrollable: the wheel zooms at the pointer.
func (z *ZoomImage) Scrolled(ev *fyne.ScrollEvent) {
	switch {
	case ev.Scrolled.DY > 0:
		z.zoomAt(z.zoom*zoomStep, ev.Position, true)
	case ev.Scrolled.DY < 0:
		z.zoomAt(z.zoom/zoomStep, ev.Position, true)
	}
}

// Dragged implements fyne.Draggable: dragging pans.
func (z *ZoomImage) Dragged(ev *fyne.DragEvent) {
	scale := z.fyneScale()
	if scale <= 0 {
		return
	}
	z.cx -= float64(ev.Dragged.DX) / scale
	z.cy -= float64(ev.Dragged.DY) / scale
	z.changed()
}

// DragEnd implements fyne.Draggable.
func (z *ZoomImage) DragEnd() {}

// Tapped implements fyne.Tappable: a click takes the focus, for the keys.
func (z *ZoomImage) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(z); c != nil {
		c.Focus(z)
	}
}

// DoubleTapped implements fyne.DoubleTappable: 200 % at the point, or back to fitted.
func (z *ZoomImage) DoubleTapped(ev *fyne.PointEvent) {
	if z.zoom > 1.01 {
		z.Fit()
		return
	}
	z.zoomAt(2, ev.Position, true)
}

// Cursor implements desktop.Cursorable.
func (z *ZoomImage) Cursor() desktop.Cursor {
	if z.zoom > 1.01 {
		return desktop.CrosshairCursor
	}
	return desktop.DefaultCursor
}

// FocusGained implements fyne.Focusable.
func (z *ZoomImage) FocusGained() {
	z.focused = true
	z.Refresh()
}

// FocusLost implements fyne.Focusable.
func (z *ZoomImage) FocusLost() {
	z.focused = false
	z.Refresh()
}

// TypedRune implements fyne.Focusable: + and − zoom, 0 fits.
func (z *ZoomImage) TypedRune(r rune) {
	switch r {
	case '+', '=':
		z.ZoomIn()
	case '-', '_':
		z.ZoomOut()
	case '0':
		z.Fit()
	}
}

// TypedKey implements fyne.Focusable: the arrows pan by a fifth of the view.
func (z *ZoomImage) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyLeft:
		z.Pan(-0.2, 0)
	case fyne.KeyRight:
		z.Pan(0.2, 0)
	case fyne.KeyUp:
		z.Pan(0, -0.2)
	case fyne.KeyDown:
		z.Pan(0, 0.2)
	case fyne.KeyHome:
		z.Fit()
	}
}

// MinSize implements fyne.CanvasObject: the viewer takes whatever room the layout gives.
func (z *ZoomImage) MinSize() fyne.Size {
	z.ExtendBaseWidget(z)
	return fyne.NewSize(160, 120)
}

// Resize keeps the view on the picture at the new size.
func (z *ZoomImage) Resize(s fyne.Size) {
	z.BaseWidget.Resize(s)
	z.clamp()
}

// CreateRenderer implements fyne.Widget.
func (z *ZoomImage) CreateRenderer() fyne.WidgetRenderer {
	z.ExtendBaseWidget(z)
	return &zoomRenderer{z: z}
}

type zoomRenderer struct{ z *ZoomImage }

func (r *zoomRenderer) Layout(s fyne.Size) {
	r.z.raster.Resize(s)
	r.z.raster.Move(fyne.Position{})
	r.z.frame.Resize(s)
	r.z.empty.Resize(s)
	r.z.empty.Move(fyne.NewPos(0, s.Height/2-r.z.empty.MinSize().Height/2))
}

func (r *zoomRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 120) }

func (r *zoomRenderer) Refresh() {
	z := r.z
	th, v := z.Theme(), variant()
	z.frame.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if z.focused {
		z.frame.StrokeColor = th.Color(theme.ColorNameFocus, v)
	}
	z.empty.Color = th.Color(theme.ColorNamePlaceHolder, v)
	z.empty.Hidden = len(z.levels) > 0
	z.frame.Refresh()
	z.empty.Refresh()
	z.raster.Refresh()
}

func (r *zoomRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.z.raster, r.z.empty, r.z.frame}
}

func (r *zoomRenderer) Destroy() {}
