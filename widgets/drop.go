package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// DropTarget is something files can be dropped on: it knows where it is on its canvas
// and takes the dropped URIs. ImageZone is one.
type DropTarget interface {
	// DropArea returns the target's absolute position and size on its canvas, and
	// whether it is shown at all (a target in a hidden tab is not).
	DropArea() (pos fyne.Position, size fyne.Size, shown bool)
	// DropURIs receives the dropped URIs (on the UI goroutine).
	DropURIs(uris []fyne.URI)
}

// RouteDrop picks the target under pos: among the shown targets whose area contains pos,
// the smallest (so a zone nested in a larger target wins). When none contains pos it
// returns fallback, which may be nil (the drop is then ignored). It is a pure function
// of the areas the targets report.
func RouteDrop(pos fyne.Position, targets []DropTarget, fallback DropTarget) DropTarget {
	var best DropTarget
	var bestArea float32
	for _, t := range targets {
		if t == nil {
			continue
		}
		p, s, shown := t.DropArea()
		if !shown || s.Width <= 0 || s.Height <= 0 {
			continue
		}
		if pos.X < p.X || pos.Y < p.Y || pos.X >= p.X+s.Width || pos.Y >= p.Y+s.Height {
			continue
		}
		if a := s.Width * s.Height; best == nil || a < bestArea {
			best, bestArea = t, a
		}
	}
	if best == nil {
		return fallback
	}
	return best
}

// DropHandler returns the function to give Window.SetOnDropped: it routes each drop to
// the target under the pointer among targets(), else to fallback() (the active step's
// zone), and hands it the URIs. Both are functions because the screen, and so the set
// of zones, changes; either may return nil. Fyne calls the handler on the UI goroutine.
func DropHandler(targets func() []DropTarget, fallback func() DropTarget) func(fyne.Position, []fyne.URI) {
	return func(pos fyne.Position, uris []fyne.URI) {
		if len(uris) == 0 {
			return
		}
		var ts []DropTarget
		if targets != nil {
			ts = targets()
		}
		var fb DropTarget
		if fallback != nil {
			fb = fallback()
		}
		if t := RouteDrop(pos, ts, fb); t != nil {
			t.DropURIs(uris)
		}
	}
}

// DropArea implements DropTarget. Fyne has no "is this object in the visible tree"
// query; its absolute position of an object it cannot find among the visible ones is a
// fixed fallback (the origin, less the canvas inset on the test driver). A zone whose
// position equals that of an object that is certainly not on screen therefore counts as
// not shown — a zone inside a hidden tab, for instance. (A shown zone at exactly that
// corner is impossible in a padded window.)
func (z *ImageZone) DropArea() (fyne.Position, fyne.Size, bool) {
	if !z.Visible() {
		return fyne.Position{}, fyne.Size{}, false
	}
	app := fyne.CurrentApp()
	if app == nil || len(app.Driver().AllWindows()) == 0 || app.Driver().CanvasForObject(z) == nil {
		return fyne.Position{}, fyne.Size{}, false
	}
	pos := app.Driver().AbsolutePositionForObject(z)
	if pos == app.Driver().AbsolutePositionForObject(notOnScreen) {
		return fyne.Position{}, fyne.Size{}, false
	}
	return pos, z.Size(), true
}

// notOnScreen is never added to a canvas: its "absolute position" is the driver's
// not-found answer.
var notOnScreen fyne.CanvasObject = &canvas.Rectangle{}

// DropURIs implements DropTarget: the first URI naming a supported image goes to OnFile,
// or the first URI if none does (the app's intake then says why it cannot be used).
// Drops are ignored while an image is being prepared, as the buttons are.
func (z *ImageZone) DropURIs(uris []fyne.URI) {
	if len(uris) == 0 || z.state == ZoneBusy || z.pasting {
		return
	}
	chosen := uris[0]
	for _, u := range uris {
		if u != nil && supportedImageName(u.Name()) {
			chosen = u
			break
		}
	}
	z.deliverFile(chosen)
}
