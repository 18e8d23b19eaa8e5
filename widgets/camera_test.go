package widgets

import (
	"errors"
	"image"
	"math"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kycdesk/kyc/camera"
	"kycdesk/kyc/camera/cameratest"
)

// camUI plays the UI goroutine: the view's goroutines post through do, and the test runs
// what was posted. (The test driver's fyne.Do would run it on the posting goroutine, racing
// with the test.)
type camUI struct{ ch chan func() }

func newCamUI() *camUI { return &camUI{ch: make(chan func(), 1024)} }

func (u *camUI) do(f func()) { u.ch <- f }

// until runs posted functions until cond holds.
func (u *camUI) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case f := <-u.ch:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// settle runs whatever is posted during d.
func (u *camUI) settle(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case f := <-u.ch:
			f()
		case <-end:
			return
		}
	}
}

type camFixture struct {
	v   *CameraView
	ui  *camUI
	src *cameratest.Source
	app fyne.App
}

// newCamFixture builds a view over a 60 fps fake in a test window, and checks at the end that
// the camera was released and no goroutine was left behind.
func newCamFixture(t *testing.T, kind CameraKind, script func(*cameratest.Source)) *camFixture {
	return newCamFixtureFPS(t, kind, 60, script)
}

func newCamFixtureFPS(t *testing.T, kind CameraKind, fps float64, script func(*cameratest.Source)) *camFixture {
	t.Helper()
	a := test.NewTempApp(t)
	src := cameratest.New(cameratest.Selfie(), fps)
	src.FrameTimeout = 300 * time.Millisecond
	if script != nil {
		script(src)
	}
	f := &camFixture{src: src, ui: newCamUI(), app: a}
	f.v = f.newView(kind)
	w := test.NewTempWindow(t, f.v)
	w.Resize(fyne.NewSize(640, 600))
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		f.v.Close()
		f.waitReleased(t)
		deadline := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			f.ui.settle(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("goroutine leak: %d before, %d after\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	})
	return f
}

func (f *camFixture) newView(kind CameraKind) *CameraView {
	v := NewCameraView(f.src, kind, f.app.Preferences(), "camera.device")
	v.do = f.ui.do
	return v
}

// waitReleased waits for the view's goroutines to end (running posted work meanwhile) and
// checks the fake camera was released.
func (f *camFixture) waitReleased(t *testing.T) {
	t.Helper()
	done := f.v.Released()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case <-done:
			if !f.src.WaitReleased(time.Second) {
				t.Error("the camera is still open after the view released it")
			}
			return
		case fn := <-f.ui.ch:
			fn()
		case <-deadline:
			t.Fatal("the view's goroutines did not end")
		}
	}
}

func (f *camFixture) startPreview(t *testing.T) {
	t.Helper()
	f.v.Start()
	if f.v.State() != CameraStarting {
		t.Fatalf("state after Start = %v, want CameraStarting", f.v.State())
	}
	base := f.v.shown.Load()
	f.ui.until(t, "three preview frames", func() bool { return f.v.shown.Load() >= base+3 })
	if f.v.State() != CameraPreview {
		t.Fatalf("state = %v, want CameraPreview", f.v.State())
	}
}

func key(name fyne.KeyName) *fyne.KeyEvent { return &fyne.KeyEvent{Name: name} }

func TestCameraViewPreviewCaptureRetakeAccept(t *testing.T) {
	f := newCamFixture(t, CameraSelfie, nil)
	var got image.Image
	f.v.OnCapture = func(img image.Image) { got = img }
	f.startPreview(t)

	frame, ok := f.v.picture.Image.(*image.RGBA)
	if !ok || frame.Rect != image.Rect(0, 0, 640, 360) {
		t.Fatalf("preview image %T %v, want a 640×360 RGBA (1080p downscaled)", f.v.picture.Image, f.v.picture.Image.Bounds())
	}
	if f.v.options[0] != "Fake Camera — 1920×1080" || f.v.picker.Selected != f.v.options[0] {
		t.Errorf("picker: options %q, selected %q", f.v.options, f.v.picker.Selected)
	}
	if !f.v.captureBtn.Visible() || f.v.captureBtn.Disabled() || f.v.acceptBtn.Visible() || !f.v.overlayBox.Visible() {
		t.Error("preview: wrong buttons or no guide")
	}
	mirrored := append([]byte(nil), frame.Pix...)

	// Space captures the next frame at full resolution.
	f.v.TypedKey(key(fyne.KeySpace))
	f.ui.until(t, "the still", func() bool { return f.v.State() == CameraReview })
	still := f.v.Still()
	if still == nil || still.Bounds() != image.Rect(0, 0, 1920, 1080) {
		t.Fatalf("still %v, want 1920×1080", still)
	}
	if f.v.captureBtn.Visible() || !f.v.acceptBtn.Visible() || !f.v.retakeBtn.Visible() || f.v.overlayBox.Visible() {
		t.Error("review: wrong buttons or guide shown")
	}
	// The selfie preview is mirrored, the still is not.
	review := f.v.picture.Image.(*image.RGBA)
	if d := mirrorDiff(mirrored, review, 640); d > 6 {
		t.Errorf("preview is not the mirror image of the still (mean difference %.1f)", d)
	}

	// Retake resumes the preview.
	shown := f.v.shown.Load()
	test.Tap(f.v.retakeBtn)
	if f.v.State() != CameraPreview || f.v.Still() != nil {
		t.Fatalf("after Retake: state %v", f.v.State())
	}
	f.ui.until(t, "preview frames after Retake", func() bool { return f.v.shown.Load() >= shown+2 })

	// Capture again by the button, accept by Enter: OnCapture gets the still, camera released.
	test.Tap(f.v.captureBtn)
	f.ui.until(t, "the second still", func() bool { return f.v.State() == CameraReview })
	f.v.TypedKey(key(fyne.KeyReturn))
	if got == nil || got.Bounds().Dx() != 1920 {
		t.Fatalf("OnCapture got %v", got)
	}
	if f.v.State() != CameraIdle {
		t.Errorf("after Accept: state %v, want CameraIdle", f.v.State())
	}
	f.waitReleased(t)
}

// mirrorDiff is the mean absolute difference between a and b flipped left-right.
func mirrorDiff(a []byte, b *image.RGBA, w int) float64 {
	var sum, n float64
	for y := 0; y < b.Rect.Dy(); y += 7 {
		for x := 0; x < w; x += 5 {
			i := y*w*4 + x*4
			j := b.PixOffset(w-1-x, y)
			for c := range 3 {
				sum += math.Abs(float64(a[i+c]) - float64(b.Pix[j+c]))
				n++
			}
		}
	}
	return sum / n
}

func TestCameraViewFailures(t *testing.T) {
	for _, tt := range []struct {
		name    string
		script  func(*cameratest.Source)
		preview bool // the failure comes after the preview started
		want    error
		text    func(CameraTexts) string
	}{
		{"no camera", func(s *cameratest.Source) { s.Devices = nil }, false, camera.ErrNoCamera, func(t CameraTexts) string { return t.NoCamera }},
		{"permission denied", func(s *cameratest.Source) { s.OpenErr = camera.ErrPermission }, false, camera.ErrPermission, func(t CameraTexts) string { return t.Permission }},
		{"busy", func(s *cameratest.Source) { s.OpenErr = camera.ErrBusy }, false, camera.ErrBusy, func(t CameraTexts) string { return t.Busy }},
		{"busy, silently", func(s *cameratest.Source) { s.NeverStart = true }, false, camera.ErrBusy, func(t CameraTexts) string { return t.Busy }},
		{"unplugged during preview", func(s *cameratest.Source) { s.UnplugAfter = 10 }, true, camera.ErrUnplugged, func(t CameraTexts) string { return t.Unplugged }},
		{"stalls during preview", func(s *cameratest.Source) { s.StallAfter = 10 }, true, camera.ErrUnplugged, func(t CameraTexts) string { return t.Unplugged }},
		{"driver failure", func(s *cameratest.Source) { s.ListErr = errors.New("driver exploded") }, false, camera.ErrOpen, func(t CameraTexts) string { return t.Failed }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newCamFixture(t, CameraIDCard, tt.script)
			f.v.Start()
			if tt.preview {
				f.ui.until(t, "the preview", func() bool { return f.v.State() == CameraPreview })
			}
			f.ui.until(t, "the error", func() bool { return f.v.State() == CameraError })
			if camera.Classify(f.v.Err()) != tt.want {
				t.Errorf("error %v, want %v", f.v.Err(), tt.want)
			}
			if f.v.message.Text != tt.text(DefaultCameraTexts()) || !f.v.messagePane.Visible() || !f.v.retryBtn.Visible() {
				t.Errorf("message %q (shown %t), retry shown %t", f.v.message.Text, f.v.messagePane.Visible(), f.v.retryBtn.Visible())
			}
			if f.v.captureBtn.Visible() || !f.v.cancelBtn.Visible() {
				t.Error("error state: Capture still shown or Cancel hidden")
			}
			f.waitReleased(t)

			// Once the cause is gone, Try again brings the preview back.
			f.src.Set(func(s *cameratest.Source) {
				s.Devices = []camera.Device{cameratest.DefaultDevice(60)}
				s.OpenErr, s.ListErr, s.NeverStart, s.UnplugAfter, s.StallAfter = nil, nil, false, 0, 0
			})
			test.Tap(f.v.retryBtn)
			f.ui.until(t, "the preview after Try again", func() bool { return f.v.State() == CameraPreview })
		})
	}
	t.Run("unsupported", func(t *testing.T) {
		test.NewTempApp(t)
		ui := newCamUI()
		v := NewCameraView(nil, CameraSelfie, nil, "")
		v.do = ui.do
		v.Start()
		ui.until(t, "the error", func() bool { return v.State() == CameraError })
		if !errors.Is(v.Err(), camera.ErrUnsupported) || v.message.Text != DefaultCameraTexts().Unsupported {
			t.Errorf("%v / %q", v.Err(), v.message.Text)
		}
	})
}

func TestCameraViewCancelAndCloseRelease(t *testing.T) {
	f := newCamFixture(t, CameraSelfie, nil)
	cancelled := false
	f.v.OnCancel = func() { cancelled = true }
	f.startPreview(t)
	test.Tap(f.v.cancelBtn)
	if !cancelled || f.v.State() != CameraIdle {
		t.Fatalf("Cancel: called %t, state %v", cancelled, f.v.State())
	}
	f.waitReleased(t)

	// Escape during the preview cancels too.
	cancelled = false
	f.startPreview(t)
	f.v.TypedKey(key(fyne.KeyEscape))
	if !cancelled {
		t.Error("Escape did not cancel")
	}
	f.waitReleased(t)

	// Closing while the camera is still starting must not leave it open.
	f.src.Set(func(s *cameratest.Source) { s.OpenDelay = 200 * time.Millisecond })
	f.v.Start()
	f.v.Close()
	f.waitReleased(t)
	// Starting again right away (next customer) works: the new session waits for the old one.
	f.src.Set(func(s *cameratest.Source) { s.OpenDelay = 0 })
	f.v.Start()
	f.v.Close()
	f.startPreview(t)
}

// Frames are dropped, not queued, while the UI goroutine is busy.
func TestCameraViewDropsFramesWhenUIIsBusy(t *testing.T) {
	f := newCamFixtureFPS(t, CameraSelfie, 200, func(s *cameratest.Source) {
		s.Devices = []camera.Device{{ID: "vga", Name: "VGA", Modes: []camera.Mode{{Width: 640, Height: 480, FPS: 200, Format: "YUYV"}}}}
	})
	fast := f.src
	f.startPreview(t)
	delivered := fast.Delivered()
	time.Sleep(300 * time.Millisecond) // the "UI" does nothing for 300 ms
	if n := len(f.ui.ch); n > 1 {
		t.Errorf("%d posts queued while the UI was busy, want at most 1", n)
	}
	if fast.Delivered()-delivered < 10 {
		t.Errorf("the camera was not read while the UI was busy (%d frames)", fast.Delivered()-delivered)
	}
	f.v.Close()
	f.waitReleased(t)
}

func TestCameraViewRemembersCamera(t *testing.T) {
	second := camera.Device{ID: "fake-cam-1", Name: "Document Camera", Modes: []camera.Mode{{Width: 1280, Height: 720, FPS: 30, Format: "MJPEG"}}}
	f := newCamFixture(t, CameraIDCard, func(s *cameratest.Source) {
		s.Devices = append(s.Devices, second)
	})
	f.startPreview(t)
	if id := f.src.LastOpenedID(); id != "fake-cam-0" {
		t.Fatalf("opened %q first, want the first camera", id)
	}
	f.v.picker.SetSelected("Document Camera — 1280×720")
	if got := f.app.Preferences().String("camera.device"); got != "fake-cam-1" {
		t.Errorf("preference = %q", got)
	}
	f.ui.until(t, "the second camera", func() bool { return f.src.LastOpenedID() == "fake-cam-1" && f.v.State() == CameraPreview })
	if img := f.v.picture.Image; img == nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 360 {
		t.Errorf("preview of the 720p camera: %v", img)
	}
	f.v.Close()
	f.waitReleased(t)

	// A new view on the same PC (preferences) starts with the remembered camera.
	f.v = f.newView(CameraIDCard)
	test.NewTempWindow(t, f.v)
	f.startPreview(t)
	if id := f.src.LastOpenedID(); id != "fake-cam-1" || f.v.picker.Selected != "Document Camera — 1280×720" {
		t.Errorf("opened %q, picker %q; want the remembered camera", id, f.v.picker.Selected)
	}
}

func TestCameraOverlayGeometry(t *testing.T) {
	o, _ := newCameraOverlay()
	size := fyne.NewSize(800, 450)
	o.Layout(nil, size)
	if !o.card.Hidden || !o.oval[0].Hidden {
		t.Error("guides shown before the first frame")
	}
	o.aspect = 4.0 / 3 // a 4:3 camera letter-boxed in a 16:9 box: picture 600×450 at x=100
	o.kind = CameraIDCard
	o.Layout(nil, size)
	if o.card.Hidden || !o.oval[0].Hidden {
		t.Fatal("ID: card hidden or oval shown")
	}
	r := float64(o.card.Size().Width / o.card.Size().Height)
	if math.Abs(r-85.6/54) > 0.01 {
		t.Errorf("card ratio %.3f, want %.3f", r, 85.6/54)
	}
	if p, s := o.card.Position(), o.card.Size(); p.X < 100 || p.X+s.Width > 700 || p.Y < 0 || p.Y+s.Height > 450 {
		t.Errorf("card %v %v outside the picture", p, s)
	}
	o.kind = CameraSelfie
	o.Layout(nil, size)
	if !o.card.Hidden || o.oval[0].Hidden {
		t.Fatal("selfie: oval hidden or card shown")
	}
	minX, maxX, minY, maxY := float32(1e9), float32(-1e9), float32(1e9), float32(-1e9)
	for _, l := range o.oval {
		for _, p := range []fyne.Position{l.Position1, l.Position2} {
			minX, maxX, minY, maxY = min(minX, p.X), max(maxX, p.X), min(minY, p.Y), max(maxY, p.Y)
		}
	}
	if w, h := maxX-minX, maxY-minY; h <= w || minX < 100 || maxX > 700 || minY < 0 || maxY > 450 {
		t.Errorf("oval %v–%v × %v–%v: not an upright oval inside the picture", minX, maxX, minY, maxY)
	}
}

func TestCameraViewTexts(t *testing.T) {
	test.NewTempApp(t)
	v := NewCameraView(nil, CameraIDCard, nil, "")
	v.SetTexts(CameraTexts{Capture: "Ambil / Capture", HintID: "Letakkan e-KTP di dalam bingkai"})
	if v.captureBtn.Text != "Ambil / Capture" || v.hint.Text != "Letakkan e-KTP di dalam bingkai" {
		t.Errorf("texts not applied: %q, %q", v.captureBtn.Text, v.hint.Text)
	}
	if v.acceptBtn.Text != DefaultCameraTexts().Accept {
		t.Errorf("empty field did not fall back to the default: %q", v.acceptBtn.Text)
	}
	// Keys do nothing before the camera runs.
	v.TypedKey(key(fyne.KeySpace))
	v.TypedKey(key(fyne.KeyReturn))
	if v.State() != CameraIdle {
		t.Errorf("state %v", v.State())
	}
}
