package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestBannerShowActionsHide(t *testing.T) {
	test.NewTempApp(t)
	b := NewBanner()
	if b.Visible() {
		t.Fatal("a new banner is shown")
	}
	w := window(t, b, fyne.NewSize(700, 80))

	retried, checked, extra := 0, 0, 0
	b.ShowMessage(Unknown, "Outcome unknown for REF-1: may have been charged; check before retrying.",
		Action{"Retry with the same reference", func() { retried++ }},
		Action{"Check history", func() { checked++ }},
		Action{"Ignored third", func() { extra++ }})
	if !b.Visible() || b.Severity() != Unknown {
		t.Fatal("banner not shown with its severity")
	}
	btns := b.Buttons()
	if len(btns) != MaxBannerActions {
		t.Fatalf("%d buttons, want %d", len(btns), MaxBannerActions)
	}
	if btns[0].Importance != widget.HighImportance {
		t.Error("the first action is not the prominent one")
	}
	test.AssertRendersToMarkup(t, "banner/unknown.xml", w.Canvas())
	test.Tap(btns[0])
	test.Tap(btns[1])
	if retried != 1 || checked != 1 || extra != 0 {
		t.Errorf("actions ran %d/%d/%d times", retried, checked, extra)
	}

	b.ShowMessage(OK, "Welcome")
	if len(b.Buttons()) != 0 || b.Text() != "Welcome" {
		t.Error("previous actions linger")
	}
	b.Hide()
	if b.Visible() || b.Text() != "" {
		t.Error("Hide left the banner or its text")
	}
}

func TestBannerError(t *testing.T) {
	test.NewTempApp(t)
	b := NewBanner()
	w := window(t, b, fyne.NewSize(700, 80))
	b.ShowMessage(Error, "Kuota habis — hubungi admin merchant", Action{"Pengaturan", func() {}})
	test.AssertRendersToMarkup(t, "banner/error.xml", w.Canvas())
}
