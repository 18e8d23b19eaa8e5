package widgets

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var allSeverities = []Severity{Neutral, Busy, OK, Warning, Error, Unknown}

func TestSeverityIconsDifferInShape(t *testing.T) {
	test.NewTempApp(t)
	seen := map[string]Severity{}
	for _, s := range allSeverities {
		name := s.baseIcon().Name()
		if prev, dup := seen[name]; dup {
			t.Errorf("%v and %v share the icon %q: only colour would tell them apart", prev, s, name)
		}
		seen[name] = s
		if s.Icon() == nil || s.OnIcon() == nil {
			t.Errorf("%v has no icon", s)
		}
	}
}

func TestSeverityNamesAndColours(t *testing.T) {
	test.NewTempApp(t)
	want := map[Severity]string{Neutral: "neutral", Busy: "busy", OK: "ok", Warning: "warning", Error: "error", Unknown: "unknown"}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("%d.String() = %q, want %q", s, s.String(), name)
		}
	}
	if OK.ColorName() != theme.ColorNameSuccess || Error.ColorName() != theme.ColorNameError {
		t.Error("OK/Error colours are not the theme's success/error colours")
	}
	if Error.Importance() != widget.DangerImportance || OK.Importance() != widget.SuccessImportance {
		t.Error("importance mapping is off")
	}
	for _, s := range allSeverities {
		if s.OnColorName() == s.ColorName() {
			t.Errorf("%v: text colour equals fill colour", s)
		}
	}
}

func TestChipShowsTextNotOnlyColour(t *testing.T) {
	test.NewTempApp(t)
	row := NewBadgeRow([]Badge{{"Blurred", Warning}, {"Face found", OK}, {"Too dark", Error}})
	w := window(t, row, row.MinSize().AddWidthHeight(200, 0))
	markup := test.RenderToMarkup(w.Canvas())
	for _, word := range []string{"Blurred", "Face found", "Too dark"} {
		if !strings.Contains(markup, ">"+word+"</text>") {
			t.Errorf("badge word %q is not drawn as text:\n%s", word, markup)
		}
	}
	// Each chip also carries its icon.
	if n := strings.Count(markup, "<image "); n != 3 {
		t.Errorf("%d icons drawn, want 3", n)
	}
}

func TestChipSetBadgeAndThemeVariants(t *testing.T) {
	a := test.NewTempApp(t)
	c := NewChip(Badge{"Glare", Warning})
	w := window(t, c, c.MinSize().AddWidthHeight(8, 8))
	c.SetBadge(Badge{"Sharp", OK})
	if c.Badge().Text != "Sharp" {
		t.Fatalf("badge not replaced")
	}
	test.AssertRendersToMarkup(t, "chip/ok_light.xml", w.Canvas())
	//lint:ignore SA1019 the golden file checks the dark variant, whatever the user's preference
	a.Settings().SetTheme(theme.DarkTheme())
	c.Refresh()
	test.AssertRendersToMarkup(t, "chip/ok_dark.xml", w.Canvas())
}

func TestSetBadgesEmptyHidesRow(t *testing.T) {
	test.NewTempApp(t)
	row := NewBadgeRow(nil)
	if row.Visible() {
		t.Error("an empty badge row is shown")
	}
	setBadges(row, []Badge{{"x", Neutral}})
	if !row.Visible() || len(row.Objects) != 1 {
		t.Error("badge row not filled")
	}
}
