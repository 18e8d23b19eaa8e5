package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// themedRenderer renders a composite widget's content, re-applies its theme-derived
// colours on every refresh (so a light/dark switch recolours stripes and fills; the
// standard widgets inside recolour themselves), and settles word-wrapped text (below).
type themedRenderer struct {
	fyne.WidgetRenderer
	apply func()
	obj   fyne.CanvasObject

	lastMin    fyne.Size // the minimum size after the last layout
	lastSize   fyne.Size // the size of the last layout
	settleRuns int       // relayouts asked for at the same size, to stop oscillation
}

func newThemedRenderer(obj, content fyne.CanvasObject, apply func()) fyne.WidgetRenderer {
	apply()
	return &themedRenderer{WidgetRenderer: widget.NewSimpleRenderer(content), apply: apply, obj: obj}
}

func (r *themedRenderer) Refresh() {
	r.apply()
	r.WidgetRenderer.Refresh()
}

// Layout lays the content out, then checks whether that changed the widget's minimum
// size. It does when word-wrapped text learns its width: its height is only known once
// it has been laid out. Fyne's own repair (at the next frame) can miss a change when
// several happen at once, which leaves a wrapped hint cut off; so the window's content
// is laid out once more, after this layout pass, with the heights now known.
func (r *themedRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	min := r.WidgetRenderer.MinSize()
	if min == r.lastMin {
		return
	}
	if size == r.lastSize {
		r.settleRuns++
	} else {
		r.settleRuns = 0
	}
	r.lastMin, r.lastSize = min, size
	if r.settleRuns < 3 {
		requestRelayout(r.obj)
	}
}

// relayoutPending holds the canvases with a relayout queued, so that many widgets
// settling in one frame cost one relayout.
var relayoutPending = map[fyne.Canvas]bool{}

// requestRelayout lays out again, soon, the content of the canvas showing obj. It runs
// on the UI goroutine; fyne.Do called there queues the work after the current frame.
func requestRelayout(obj fyne.CanvasObject) {
	app := fyne.CurrentApp()
	if app == nil || len(app.Driver().AllWindows()) == 0 {
		return
	}
	c := app.Driver().CanvasForObject(obj)
	if c == nil || relayoutPending[c] {
		return
	}
	relayoutPending[c] = true
	Do(func() {
		delete(relayoutPending, c)
		if content := c.Content(); content != nil {
			content.Refresh()
		}
	})
}

// variant is the current theme variant (light or dark).
func variant() fyne.ThemeVariant {
	return fyne.CurrentApp().Settings().ThemeVariant()
}

// showIf shows o when on, hides it otherwise.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// requestRelayoutAll lays out every window's content again, soon (a layout whose height
// depends on its width found that it changed).
func requestRelayoutAll() {
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	for _, w := range app.Driver().AllWindows() {
		if c := w.Canvas(); c != nil && c.Content() != nil && !relayoutPending[c] {
			relayoutPending[c] = true
			c := c
			Do(func() {
				delete(relayoutPending, c)
				if content := c.Content(); content != nil {
					content.Refresh()
				}
			})
		}
	}
}
