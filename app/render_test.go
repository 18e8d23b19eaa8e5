package app

import (
	"fmt"
	"testing"

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
			}
		}
	}
	i18n.Set(i18n.ID)
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
