package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// rectTarget is a DropTarget with a given area.
type rectTarget struct {
	name  string
	pos   fyne.Position
	size  fyne.Size
	shown bool
	got   []fyne.URI
}

func (r *rectTarget) DropArea() (fyne.Position, fyne.Size, bool) { return r.pos, r.size, r.shown }
func (r *rectTarget) DropURIs(u []fyne.URI)                      { r.got = u }

func TestRouteDrop(t *testing.T) {
	left := &rectTarget{name: "left", pos: fyne.NewPos(10, 10), size: fyne.NewSize(300, 200), shown: true}
	right := &rectTarget{name: "right", pos: fyne.NewPos(320, 10), size: fyne.NewSize(300, 200), shown: true}
	hidden := &rectTarget{name: "hidden", pos: fyne.NewPos(10, 220), size: fyne.NewSize(300, 200)}
	outer := &rectTarget{name: "outer", pos: fyne.NewPos(0, 400), size: fyne.NewSize(600, 300), shown: true}
	inner := &rectTarget{name: "inner", pos: fyne.NewPos(50, 450), size: fyne.NewSize(100, 100), shown: true}
	empty := &rectTarget{name: "empty", pos: fyne.NewPos(700, 0), size: fyne.NewSize(0, 0), shown: true}
	fallback := &rectTarget{name: "fallback"}
	targets := []DropTarget{left, right, hidden, nil, outer, inner, empty}

	for _, tc := range []struct {
		pos  fyne.Position
		fb   DropTarget
		want string
	}{
		{fyne.NewPos(11, 11), fallback, "left"},
		{fyne.NewPos(10, 10), fallback, "left"},       // top-left edge is inside
		{fyne.NewPos(310, 100), fallback, "fallback"}, // right edge is outside, the gap
		{fyne.NewPos(320, 100), fallback, "right"},
		{fyne.NewPos(100, 300), fallback, "fallback"}, // only the hidden one is there
		{fyne.NewPos(60, 460), fallback, "inner"},     // nested: the smaller wins
		{fyne.NewPos(500, 500), fallback, "outer"},
		{fyne.NewPos(700, 0), fallback, "fallback"}, // zero-size target
		{fyne.NewPos(-5, -5), nil, ""},
	} {
		got := RouteDrop(tc.pos, targets, tc.fb)
		name := ""
		if got != nil {
			name = got.(*rectTarget).name
		}
		if name != tc.want {
			t.Errorf("RouteDrop(%v) = %q, want %q", tc.pos, name, tc.want)
		}
	}
}

func TestDropHandler(t *testing.T) {
	a := &rectTarget{pos: fyne.NewPos(0, 0), size: fyne.NewSize(100, 100), shown: true}
	fb := &rectTarget{}
	h := DropHandler(func() []DropTarget { return []DropTarget{a} }, func() DropTarget { return fb })
	uris := []fyne.URI{storage.NewFileURI("/tmp/a.png")}
	h(fyne.NewPos(50, 50), uris)
	h(fyne.NewPos(150, 50), uris)
	h(fyne.NewPos(50, 50), nil) // nothing dropped: nothing delivered
	if len(a.got) != 1 || len(fb.got) != 1 {
		t.Errorf("deliveries: target %d, fallback %d", len(a.got), len(fb.got))
	}
	// nil providers are fine.
	DropHandler(nil, nil)(fyne.NewPos(1, 1), uris)
}

func TestDropOnRealZones(t *testing.T) {
	test.NewTempApp(t)
	idZone := NewImageZone("eKTP", nil)
	selfieZone := NewImageZone("Selfie", nil)
	hiddenZone := NewImageZone("Hidden", nil)
	hiddenBox := container.NewVBox(hiddenZone)
	hiddenBox.Hide()
	w := window(t, container.NewVBox(container.NewGridWithColumns(2, idZone, selfieZone), hiddenBox),
		fyne.NewSize(900, 500))

	var gotID, gotSelfie []string
	idZone.OnFile = func(u fyne.URI) { gotID = append(gotID, u.Name()) }
	selfieZone.OnFile = func(u fyne.URI) { gotSelfie = append(gotSelfie, u.Name()) }
	hiddenZone.OnFile = func(u fyne.URI) { t.Error("a hidden zone took a drop") }

	if _, _, shown := hiddenZone.DropArea(); shown {
		t.Error("a zone inside a hidden container reports itself shown")
	}
	handler := DropHandler(func() []DropTarget {
		return []DropTarget{idZone, selfieZone, hiddenZone}
	}, func() DropTarget { return idZone })
	w.SetOnDropped(handler)

	pos, size, shown := selfieZone.DropArea()
	if !shown {
		t.Fatal("the selfie zone is not shown")
	}
	center := pos.Add(fyne.NewPos(size.Width/2, size.Height/2))
	notes, photo := storage.NewFileURI("/tmp/notes.txt"), storage.NewFileURI("/tmp/selfie.heic")
	handler(center, []fyne.URI{notes, photo})                                    // the first supported image wins
	handler(fyne.NewPos(5, 490), []fyne.URI{storage.NewFileURI("/tmp/ktp.png")}) // nowhere: fallback
	if len(gotSelfie) != 1 || gotSelfie[0] != "selfie.heic" {
		t.Errorf("selfie zone got %v", gotSelfie)
	}
	if len(gotID) != 1 || gotID[0] != "ktp.png" {
		t.Errorf("eKTP zone (fallback) got %v", gotID)
	}

	// An unsupported file still goes to the zone, whose owner explains the refusal.
	selfieZone.DropURIs([]fyne.URI{notes})
	if len(gotSelfie) != 2 || gotSelfie[1] != "notes.txt" {
		t.Errorf("selfie zone got %v", gotSelfie)
	}
	// A zone preparing an image ignores drops, as its buttons do.
	selfieZone.SetBusy("")
	selfieZone.DropURIs([]fyne.URI{photo})
	if len(gotSelfie) != 2 {
		t.Error("a busy zone took a drop")
	}
}
