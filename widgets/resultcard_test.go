package widgets

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestResultCardStates(t *testing.T) {
	test.NewTempApp(t)
	c := NewResultCard("Liveness")
	w := window(t, c, fyne.NewSize(480, 260))
	if c.Severity() != Neutral || c.Word() != "" {
		t.Fatal("a new card is not neutral and empty")
	}

	c.SetState(Busy, "CHECKING", "", "")
	if !c.activity.Visible() || c.icon.Visible() {
		t.Error("busy card does not show the activity indicator in place of the icon")
	}

	c.SetState(OK, "LIVE ✓", "The selfie is of a live person", "Score 0.97")
	test.AssertRendersToMarkup(t, "resultcard/live.xml", w.Canvas())

	c.SetState(Error, "NOT LIVE", "The selfie may be a photo of a photo", "Take a new selfie of the customer.")
	markup := test.RenderToMarkup(w.Canvas())
	if !strings.Contains(markup, "NOT LIVE") || !strings.Contains(markup, "errorIcon") {
		t.Errorf("the failed state is not shown as word and icon:\n%s", markup)
	}
}

func TestResultCardRows(t *testing.T) {
	test.NewTempApp(t)
	c := NewResultCard("ID validation")
	w := window(t, c, fyne.NewSize(480, 360))
	c.SetState(Warning, "PARTIAL MATCH", "2 of 5 fields differ", "")
	c.SetRows([]Row{
		{Label: "NIK", Value: "3174********0001", Tick: Tick(true)},
		{Label: "Name", Value: "BUDI SANTOSO", Tick: Tick(false)},
		{Label: "Face score", Value: "82 (≥ 75)", Tick: Tick(true)},
		{Label: "Reference", Value: "KYC-20250101-0001"},
	})
	test.AssertRendersToMarkup(t, "resultcard/rows.xml", w.Canvas())
	markup := test.RenderToMarkup(w.Canvas())
	if n := strings.Count(markup, "confirmIcon"); n != 2 {
		t.Errorf("%d ✓ icons, want 2", n)
	}
	if n := strings.Count(markup, "cancelIcon"); n != 1 {
		t.Errorf("%d ✗ icons, want 1", n)
	}

	c.Clear()
	if c.Severity() != Neutral || c.Word() != "" || len(c.rows.Objects) != 0 || c.headline.Text != "" {
		t.Error("Clear left state, rows or text")
	}
	c.SetTitle("Validasi")
	if c.title.Text != "Validasi" {
		t.Error("title not set")
	}
}

func TestTickResource(t *testing.T) {
	test.NewTempApp(t)
	if tickResource(nil) != nil {
		t.Error("nil tick draws something")
	}
	if a, b := tickResource(Tick(true)), tickResource(Tick(false)); a == nil || b == nil || a.Name() == b.Name() {
		t.Error("✓ and ✗ are not distinct icons")
	}
}
