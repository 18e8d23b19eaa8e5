package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// EnsureVisible scrolls s so that o (somewhere inside s's content) is fully in view,
// with a little margin; Fyne's focus changes never scroll by themselves.
func EnsureVisible(s *container.Scroll, o fyne.CanvasObject) {
	if s == nil || o == nil || s.Content == nil {
		return
	}
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	d := app.Driver()
	if d.CanvasForObject(o) == nil || d.CanvasForObject(s.Content) == nil {
		return
	}
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s.Content).Y
	bottom := top + o.Size().Height
	view := s.Size().Height
	off := s.Offset
	margin := theme.Padding() * 2
	switch {
	case top-margin < off.Y:
		off.Y = top - margin
	case bottom+margin > off.Y+view:
		off.Y = bottom + margin - view
	default:
		return
	}
	if off.Y < 0 {
		off.Y = 0
	}
	s.ScrollToOffset(off)
}

// FollowFocus makes every Button and Entry of this package inside s scroll into view
// when it gets the focus (Tab, or the app moving the focus), so a keyboard user never
// works on a control below the fold. Call it after the content is built; controls added
// later are not followed.
func FollowFocus(s *container.Scroll) {
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *Button:
			if w.OnFocus == nil {
				w.OnFocus = func(o fyne.CanvasObject) { EnsureVisible(s, o) }
			}
		case *Entry:
			if w.OnFocus == nil {
				w.OnFocus = func(o fyne.CanvasObject) { EnsureVisible(s, o) }
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(s.Content)
}
