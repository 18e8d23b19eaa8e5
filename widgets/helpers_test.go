package widgets

import (
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// uiQueue stands in for fyne.Do: goroutines enqueue, the test goroutine (playing the UI
// goroutine) runs what arrives. The test driver's own fyne.Do runs the function on the
// calling goroutine, which would race with the test.
type uiQueue chan func()

func newUIQueue() uiQueue { return make(uiQueue, 16) }

func (q uiQueue) do(f func()) { q <- f }

// runNext runs the next queued function, failing the test if none arrives in time.
func (q uiQueue) runNext(t *testing.T) {
	t.Helper()
	select {
	case f := <-q:
		f()
	case <-time.After(20 * time.Second):
		t.Fatal("no fyne.Do call arrived")
	}
}

// expectNone fails if a function is queued within d.
func (q uiQueue) expectNone(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case <-q:
		t.Fatal("unexpected fyne.Do call")
	case <-time.After(d):
	}
}

// window shows content at a fixed size in a temporary test window.
func window(t *testing.T, content fyne.CanvasObject, size fyne.Size) fyne.Window {
	t.Helper()
	w := test.NewTempWindow(t, content)
	w.Resize(size)
	return w
}

// testImage is a w×h image in one colour.
func testImage(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 0x40, 0x80, 0xc0, 0xff
	}
	return img
}
