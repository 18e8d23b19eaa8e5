package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

func newTestZone(t *testing.T) (*ImageZone, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	z := NewImageZone("eKTP photo", nil)
	w := window(t, z, fyne.NewSize(560, 380))
	return z, w
}

func TestImageZoneStatesRender(t *testing.T) {
	z, w := newTestZone(t)
	test.AssertRendersToMarkup(t, "imagezone/empty.xml", w.Canvas())

	z.SetBusy("")
	if z.State() != ZoneBusy || z.busyLabel.Text != "Preparing…" {
		t.Errorf("busy: state %v, label %q", z.State(), z.busyLabel.Text)
	}
	if !z.openBtn.Disabled() || z.removeBtn.Disabled() {
		t.Error("busy: Open should be disabled and Remove enabled")
	}
	test.AssertRendersToMarkup(t, "imagezone/busy.xml", w.Canvas())

	z.SetPreview(testImage(1280, 960), "1280×960 px · 412 KB · JPEG q88",
		[]Badge{{"Sharp", OK}, {"Glare", Warning}})
	if z.State() != ZoneReady || z.openBtn.Text != "Replace…" {
		t.Errorf("ready: state %v, open button %q", z.State(), z.openBtn.Text)
	}
	if got := z.preview.MinSize(); got != fyne.NewSize(320, 240) {
		t.Errorf("preview fitted to %v, want 320×240", got)
	}
	test.AssertRendersToMarkup(t, "imagezone/ready.xml", w.Canvas())

	z.SetError("This file is not a photo we can read (JPEG, PNG, WebP, HEIC).")
	if z.State() != ZoneError || z.Image() != nil {
		t.Error("error: the preview is kept")
	}
	if z.openBtn.Disabled() || !z.removeBtn.Visible() {
		t.Error("error: the buttons are not kept")
	}
	test.AssertRendersToMarkup(t, "imagezone/error.xml", w.Canvas())
}

func TestImageZoneClearReleasesImage(t *testing.T) {
	z, _ := newTestZone(t)
	z.SetPreview(testImage(40, 30), "caption", []Badge{{"Small", Warning}})
	if z.Image() == nil {
		t.Fatal("no preview image")
	}
	z.Clear()
	if z.Image() != nil || z.preview.Resource != nil {
		t.Error("Clear kept a reference to the customer's image")
	}
	if z.caption.Text != "" || len(z.badges.Objects) != 0 {
		t.Error("Clear kept the caption or the badges")
	}
	if z.State() != ZoneEmpty || z.removeBtn.Visible() {
		t.Error("Clear did not return to the empty state")
	}
}

func TestImageZoneRemoveButton(t *testing.T) {
	z, _ := newTestZone(t)
	removed := 0
	z.OnRemove = func() { removed++ }
	z.SetPreview(testImage(10, 10), "", nil)
	test.Tap(z.removeBtn)
	if removed != 1 || z.Image() != nil || z.State() != ZoneEmpty {
		t.Errorf("Remove: called %d times, image kept %v, state %v", removed, z.Image() != nil, z.State())
	}
}

func TestImageZoneOpenDeliversChosenFile(t *testing.T) {
	z, _ := newTestZone(t)
	want := storage.NewFileURI("/tmp/ktp.jpg")
	z.showOpenDialog = func(chosen func(fyne.URI)) { chosen(want) }
	var got fyne.URI
	z.OnFile = func(u fyne.URI) { got = u }
	test.Tap(z.openBtn)
	if got == nil || got.String() != want.String() {
		t.Errorf("OnFile got %v, want %v", got, want)
	}
}

func TestImageZoneCameraButton(t *testing.T) {
	z, _ := newTestZone(t)
	if z.cameraBtn.Visible() {
		t.Fatal("Camera shown before SetCameraAvailable(true)")
	}
	z.SetCameraAvailable(true)
	calls := 0
	z.OnCamera = func() { calls++ }
	test.Tap(z.cameraBtn)
	if !z.cameraBtn.Visible() || calls != 1 {
		t.Errorf("camera visible %v, calls %d", z.cameraBtn.Visible(), calls)
	}
	z.SetCameraAvailable(false)
	if z.cameraBtn.Visible() {
		t.Error("Camera still shown")
	}
}

func TestImageZoneTextsAndTitle(t *testing.T) {
	z, w := newTestZone(t)
	z.SetTitle("Foto eKTP")
	z.SetTexts(ImageZoneTexts{
		Hint: "Letakkan foto di sini, atau Buka / Tempel", Open: "Buka…", Replace: "Ganti…",
		Paste: "Tempel", Camera: "Kamera", Remove: "Hapus", Busy: "Menyiapkan…",
		Pasting: "Membaca papan klip…", PasteEmpty: "Papan klip tidak berisi gambar.",
	})
	test.AssertRendersToMarkup(t, "imagezone/empty_id.xml", w.Canvas())
	z.SetBusy("")
	if z.busyLabel.Text != "Menyiapkan…" {
		t.Errorf("busy default text %q", z.busyLabel.Text)
	}
}

func TestImageZoneKeyboardReachable(t *testing.T) {
	z, w := newTestZone(t)
	z.SetCameraAvailable(true)
	c := w.Canvas()
	var order []string
	for i := 0; i < 3; i++ {
		test.FocusNext(c)
		if f := c.Focused(); f != nil {
			switch f {
			case z.openBtn:
				order = append(order, "open")
			case z.pasteBtn:
				order = append(order, "paste")
			case z.cameraBtn:
				order = append(order, "camera")
			}
		}
	}
	if len(order) != 3 || order[0] != "open" || order[1] != "paste" || order[2] != "camera" {
		t.Errorf("Tab order %v, want [open paste camera]", order)
	}
}

func TestFitInto(t *testing.T) {
	box := fyne.NewSize(320, 240)
	for _, tc := range []struct {
		w, h int
		want fyne.Size
	}{
		{1280, 960, fyne.NewSize(320, 240)},
		{960, 1280, fyne.NewSize(180, 240)},
		{100, 50, fyne.NewSize(100, 50)}, // never enlarged
		{0, 10, fyne.NewSize(0, 0)},
	} {
		if got := fitInto(testImage(tc.w, tc.h), box); got != tc.want {
			t.Errorf("fitInto(%d×%d) = %v, want %v", tc.w, tc.h, got, tc.want)
		}
	}
	if got := fitInto(nil, box); got != fyne.NewSize(0, 0) {
		t.Errorf("fitInto(nil) = %v", got)
	}
}
