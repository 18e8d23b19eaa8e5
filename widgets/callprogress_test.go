package widgets

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// fakeClock drives a CallProgress without real time.
type fakeClock struct {
	now   time.Time
	ticks chan time.Time
	stops chan struct{}
}

func newFakeProgress(t *testing.T) (*CallProgress, *fakeClock, uiQueue, chan struct{}) {
	t.Helper()
	test.NewTempApp(t)
	clk := &fakeClock{now: time.Unix(1700000000, 0), ticks: make(chan time.Time), stops: make(chan struct{}, 8)}
	q := newUIQueue()
	exited := make(chan struct{}, 8)
	p := NewCallProgress()
	p.now = func() time.Time { return clk.now }
	p.newTicker = func() (<-chan time.Time, func()) {
		return clk.ticks, func() { clk.stops <- struct{}{} }
	}
	p.do = q.do
	p.exited = func() { exited <- struct{}{} }
	window(t, p, fyne.NewSize(500, 50))
	return p, clk, q, exited
}

func waitFor(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(3 * time.Second):
		t.Fatalf("%s did not happen", what)
	}
}

func TestCallProgressTicksAndStops(t *testing.T) {
	p, clk, q, exited := newFakeProgress(t)
	if p.Visible() || p.Running() {
		t.Fatal("a new progress line is shown")
	}
	cancels := 0
	p.Start("Reading the eKTP…", func() { cancels++ })
	if !p.Visible() || p.Elapsed() != "0.0 s" || p.label.Text != "Reading the eKTP…" {
		t.Fatalf("start: visible %v, elapsed %q", p.Visible(), p.Elapsed())
	}

	clk.now = clk.now.Add(3400 * time.Millisecond) // only the UI goroutine reads it
	clk.ticks <- clk.now
	q.runNext(t)
	if p.Elapsed() != "3.4 s" {
		t.Errorf("elapsed %q, want 3.4 s", p.Elapsed())
	}

	test.Tap(p.cancel)
	test.Tap(p.cancel)
	p.Cancel()
	if cancels != 1 || !p.cancel.Disabled() {
		t.Errorf("cancel called %d times (want 1), button disabled %v", cancels, p.cancel.Disabled())
	}

	// A tick queued just before Stop must not touch the stopped widget.
	clk.ticks <- clk.now
	p.Stop()
	waitFor(t, exited, "the ticker goroutine's exit")
	waitFor(t, clk.stops, "the ticker's stop")
	clk.now = clk.now.Add(time.Second)
	q.runNext(t)
	if p.Elapsed() != "3.4 s" || p.Visible() || p.Running() {
		t.Errorf("after Stop: elapsed %q, visible %v", p.Elapsed(), p.Visible())
	}
	p.Stop() // idempotent
}

func TestCallProgressRestartEndsPreviousGoroutine(t *testing.T) {
	p, clk, q, exited := newFakeProgress(t)
	p.Start("Liveness…", nil)
	p.Start("Validation…", nil)
	waitFor(t, exited, "the first ticker goroutine's exit")
	clk.now = clk.now.Add(1200 * time.Millisecond)
	clk.ticks <- clk.now // only the second goroutine is listening now
	q.runNext(t)
	if p.Elapsed() != "1.2 s" || p.label.Text != "Validation…" {
		t.Errorf("elapsed %q label %q", p.Elapsed(), p.label.Text)
	}
	p.Cancel() // no cancel function: harmless
	p.Stop()
	waitFor(t, exited, "the second ticker goroutine's exit")
}

func TestCallProgressTexts(t *testing.T) {
	p, clk, _, _ := newFakeProgress(t)
	p.Start("Membaca eKTP…", nil)
	clk.now = clk.now.Add(2500 * time.Millisecond)
	p.SetTexts(CallProgressTexts{Cancel: "Batal", Elapsed: func(d time.Duration) string {
		return time.Duration(d.Round(100 * time.Millisecond)).String()
	}})
	if p.cancel.Text != "Batal" || p.Elapsed() != "2.5s" {
		t.Errorf("cancel %q, elapsed %q", p.cancel.Text, p.Elapsed())
	}
	p.SetTexts(CallProgressTexts{Cancel: "Cancel"}) // nil Elapsed falls back to the default
	if p.Elapsed() != "2.5 s" {
		t.Errorf("default elapsed format gave %q", p.Elapsed())
	}
	p.Stop()
}

func TestCallProgressRealTicker(t *testing.T) {
	test.NewTempApp(t)
	p := NewCallProgress()
	q := newUIQueue()
	p.do = q.do
	exited := make(chan struct{}, 1)
	p.exited = func() { exited <- struct{}{} }
	p.Start("x", nil)
	q.runNext(t) // a real tick arrives within ProgressTick
	p.Stop()
	waitFor(t, exited, "the ticker goroutine's exit")
}
