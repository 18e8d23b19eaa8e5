package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kycdesk/app/i18n"
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
	// onBusy is called when work starts (true) and ends (false); the step swaps its run
	// button for the progress line.
	onBusy func(bool)
}

func newRunner(onIdle func()) *runner {
	r := &runner{progress: widgets.NewCallProgress(), onIdle: onIdle}
	r.retranslate()
	return r
}

// retranslate sets the progress line's texts in the current language.
func (r *runner) retranslate() {
	r.progress.SetTexts(widgets.CallProgressTexts{Cancel: i18n.T("progress.cancel"), Elapsed: seconds})
}

// seconds formats an elapsed time for the clerk: "3,8 dtk" (decimal comma) or "3.8 s".
func seconds(d time.Duration) string {
	if i18n.Current() == i18n.EN {
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return strings.Replace(fmt.Sprintf("%.1f", d.Seconds()), ".", ",", 1) + " dtk"
}

func (r *runner) busyChanged(b bool) {
	if r.onBusy != nil {
		r.onBusy(b)
	}
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
	r.busyChanged(true)
	go func() {
		apply := work(ctx)
		uiDo(func() {
			cancel()
			if gen == r.gen {
				r.cancel = nil
				r.progress.Stop()
				r.busyChanged(false)
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
		r.busyChanged(false)
	}
}
