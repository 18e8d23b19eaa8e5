package app

import (
	"context"

	"kycdesk/widgets"
)

// runner runs one piece of background work at a time for a screen element, with a
// progress line and a Cancel button. All its methods are called on the UI goroutine;
// the work runs in its own goroutine and hands back a closure that is applied on the UI
// goroutine through fyne.Do (DESIGN.md's threading rule: compute first, then only
// assign and refresh).
type runner struct {
	progress *widgets.CallProgress
	cancel   context.CancelFunc
	gen      int    // bumps on start and stop: a stopped run's late end is ignored
	onIdle   func() // called (on the UI goroutine) whenever work ends
}

func newRunner(onIdle func()) *runner {
	return &runner{progress: widgets.NewCallProgress(), onIdle: onIdle}
}

// busy reports whether work is in flight.
func (r *runner) busy() bool { return r.cancel != nil }

// start runs work unless something is already in flight (a double click never sends
// twice). label is shown next to the elapsed time.
func (r *runner) start(label string, work func(ctx context.Context) (apply func())) bool {
	if r.busy() {
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.gen++
	gen := r.gen
	r.cancel = cancel
	r.progress.Start(label, cancel)
	go func() {
		apply := work(ctx)
		uiDo(func() {
			cancel()
			if gen == r.gen {
				r.cancel = nil
				r.progress.Stop()
			}
			if apply != nil {
				apply()
			}
			if r.onIdle != nil {
				r.onIdle()
			}
		})
	}()
	return true
}

// cancelWork cancels the work in flight (Esc, Cancel). Its result still arrives and is
// shown: a cancelled call whose request was out is "outcome unknown", and says so.
func (r *runner) cancelWork() {
	if r.cancel != nil {
		r.cancel()
	}
}

// stop cancels the work in flight and leaves the runner idle at once (next customer):
// the late end of that work no longer touches the progress line.
func (r *runner) stop() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
		r.gen++
		r.progress.Stop()
	}
}
