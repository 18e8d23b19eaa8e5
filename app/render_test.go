package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"kycdesk/app/i18n"
)

// Every screen fits a 1024×768 counter screen: the window's minimum size (its content's)
// stays within the work area, so nothing the clerk needs is cut off or pushed off screen.
func TestEveryScreenFitsTheSmallCounterScreen(t *testing.T) {
	for _, l := range i18n.Langs {
		e := newEnv(t, l)
		e.loadSamples()
		e.u.win.Resize(smallSize)
		for tab := 0; tab < tabCount; tab++ {
			e.u.tabs.SelectIndex(tab)
			pages := 1
			if tab == tabNew {
				pages = pageCount
			}
			for p := 0; p < pages; p++ {
				if tab == tabNew {
					e.u.flow.show(p)
				}
				e.settle()
				min := e.u.win.Content().MinSize()
				if min.Width > smallSize.Width || min.Height > smallSize.Height {
					t.Errorf("%s: tab %d page %d needs %.0f×%.0f, more than %.0f×%.0f", l, tab, p, min.Width, min.Height, smallSize.Width, smallSize.Height)
				}
				// Nothing the clerk needs is below the fold: no scroll on the screen has
				// more than it shows, but the check page's form at 1024 px (one column,
				// following the focus) and History's table.
				checkScrolls(t, e, fmt.Sprintf("%s: tab %d page %d", l, tab, p), tab == tabHistory)
			}
		}
		// Kantor pusat (shown for a profile with a head_office section): every view, at
		// 1024 and at 1366.
		e.useHeadOffice()
		ho := e.showHeadOffice()
		for _, size := range []fyne.Size{smallSize, counterSize} {
			e.u.win.Resize(size)
			for v := range ho.views.Items {
				ho.views.SelectIndex(v)
				e.settle()
				min := e.u.win.Content().MinSize()
				if min.Width > size.Width || min.Height > size.Height {
					t.Errorf("%s: Kantor pusat view %d needs %.0f×%.0f, more than %.0f×%.0f", l, v, min.Width, min.Height, size.Width, size.Height)
				}
				// Tables scroll (both ways); nothing else may hide below the fold.
				checkScrolls(t, e, fmt.Sprintf("%s: Kantor pusat view %d at %.0f px", l, v, size.Width), true)
			}
		}
	}
	i18n.Set(i18n.ID)
}

// checkScrolls fails when a scroll on screen has more than it shows: nothing the clerk
// needs is below the fold, but a field form's own scroll (it follows the focus) and,
// with tables, a table's scroll.
func checkScrolls(t *testing.T, e *env, where string, tables bool) {
	t.Helper()
	for _, sc := range scrolls(e.u.win.Content()) {
		if isFormScroll(e.u, sc) || (tables && sc.Direction != container.ScrollVerticalOnly) {
			continue
		}
		if need, have := sc.Content.MinSize().Height, sc.Size().Height; sc.Size().Width > 0 && need > have+1 {
			t.Errorf("%s: a scroll needs %.0f px, shows %.0f", where, need, have)
		}
	}
}

// isFormScroll reports whether sc is a field form's own scroll (it follows the focus).
func isFormScroll(u *UI, sc *container.Scroll) bool {
	if sc == u.flow.ocr.form.Scroll() {
		return true
	}
	for _, p := range u.single {
		if p != nil && ((p.ocr != nil && sc == p.ocr.form.Scroll()) || (p.form != nil && sc == p.form.Scroll())) {
			return true
		}
	}
	return false
}

// scrolls finds the scroll containers on screen under o.
func scrolls(o fyne.CanvasObject) []*container.Scroll {
	var out []*container.Scroll
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *container.Scroll:
			out = append(out, w)
			walk(w.Content)
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// Goldens at the counter's size, in both languages: the check page (card beside the
// form), the summary, History and Settings; and the check page at 1024 px.
func TestScreensRenderAtTheCounterSize(t *testing.T) {
	defer i18n.Set(i18n.ID)
	for _, l := range i18n.Langs {
		e := newEnv(t, l)
		f := e.u.flow
		f.cust.ref.SetText("20261201090000000001")
		e.loadSamples()
		f.ocr.start(false)
		e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
		e.settle()
		golden := func(name string) {
			t.Helper()
			e.settle()
			test.AssertRendersToMarkup(t, fmt.Sprintf("%s_%s.xml", name, l), e.u.win.Canvas())
		}
		golden("check")
		f.confirmData()
		f.live.start(false)
		e.waitFor("liveness", func() bool { return f.live.res != nil && !f.live.r.busy() })
		f.val.start(false)
		e.waitFor("validation", func() bool { return f.val.res != nil && !f.val.r.busy() })
		golden("done")
		e.u.tabs.SelectIndex(tabHistory)
		e.waitFor("history", func() bool { return e.u.history != nil && !e.u.history.loading })
		golden("history")
		e.u.tabs.SelectIndex(tabSettings)
		e.waitFor("settings", func() bool { return len(e.u.settings.pick.Options) == 2 })
		golden("settings")
		if l == i18n.ID {
			e.u.tabs.SelectIndex(tabNew)
			f.show(pageCheck)
			e.u.win.Resize(smallSize)
			golden("check_1024")
		}
	}
}
