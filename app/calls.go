package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/service"
	"kycdesk/widgets"
)

// step is what the three product steps share: a run button that names its step and
// key, a progress line with Cancel in the button's place while a call runs (so nothing
// below moves), a result card, the last failure (for a deliberate resend of an
// outcome-unknown call), and the customer it serves.
type step struct {
	u    *UI
	cust *customer
	key  string // the step's strings: key.title, key.run, key.busy, key.idle
	run  *widgets.Button
	slot *fyne.Container // the run button, or the progress line while a call runs
	card *widgets.ResultCard
	r    *runner

	// lastErr and lastRef are the last call's failure and reference, kept so the card
	// and banner can be shown again in another language.
	lastErr error
	lastRef string
	// retryRef and resend are set after an "outcome unknown": the next run must be a
	// deliberate retry of exactly that call (same reference, same payload).
	retryRef string
	resend   func()
	// gen counts customers: reset bumps it, and the result of a call started for an
	// earlier customer is dropped (it is on record in the history) instead of being
	// shown over the next customer's screen.
	gen int
	// onDone runs after every finished call (UI goroutine): the flow moves on, the
	// summary follows.
	onDone func()
	// render shows the step's state on its card in the current language.
	render func()
}

func newStep(u *UI, cust *customer, key string) step {
	s := step{u: u, cust: cust, key: key, card: widgets.NewResultCard(""), r: newRunner(nil)}
	s.run = widgets.NewButton("", theme.MediaPlayIcon(), nil)
	s.run.Importance = widget.HighImportance
	s.slot = container.NewStack(s.run, s.r.progress)
	s.r.onBusy = func(busy bool) { showIf(s.run, !busy) }
	return s
}

// retranslateStep re-labels the run button and the card and re-renders the state.
func (s *step) retranslateStep() {
	s.run.SetText(i18n.T(s.key + ".run"))
	s.card.SetTitle(i18n.T(s.key + ".title"))
	s.r.retranslate()
	if s.r.busy() {
		s.card.SetState(widgets.Busy, "", i18n.T(s.key+".busy"), "")
	} else if s.render != nil {
		s.render()
	}
}

// launch sends one call on the runner. call runs off the UI goroutine and returns what
// to show on success; the result is applied only if the screen still shows the customer
// the call was made for. The exact call is kept for a deliberate "retry with the same
// reference". A new call clears the previous call's banner.
func (s *step) launch(ref string, call func(ctx context.Context) (show func(), err error)) {
	gen := s.gen
	var again func()
	again = func() {
		if gen != s.gen || s.r.busy() {
			return
		}
		s.u.hideBanner()
		s.lastErr, s.lastRef = nil, ref
		s.card.SetState(widgets.Busy, "", i18n.T(s.key+".busy"), "")
		s.card.SetRows(nil)
		s.u.win.Canvas().Unfocus() // so Esc reaches the window and cancels
		withConsent := s.cust.callContext()
		s.r.start(i18n.T(s.key+".busy"), func(ctx context.Context) func() {
			show, err := call(withConsent(ctx))
			return func() {
				if gen != s.gen {
					return
				}
				if err == nil && show != nil {
					show()
				}
				s.finish(err, ref, again)
			}
		})
	}
	again()
}

// finish shows a failure on the card and in the banner (or clears the banner on
// success) and tells the screen.
func (s *step) finish(err error, ref string, again func()) {
	s.retryRef, s.resend = "", nil
	s.lastErr, s.lastRef = err, ref
	if err != nil {
		p := explain(err, ref)
		if p.Next == nextRetrySame {
			s.retryRef, s.resend = ref, again
		}
		s.showFailure()
		s.u.showProblem(func() problem { return explain(err, ref) }, again)
		switch kyc.KindOf(err) {
		case service.KindHistory, service.KindSettings:
			s.u.checkProblems() // the banner then says what stands in the way, and the way out
		}
	} else {
		s.u.hideBanner()
	}
	if s.onDone != nil {
		s.onDone()
	}
}

// showFailure puts the last failure on the card.
func (s *step) showFailure() {
	p := explain(s.lastErr, s.lastRef)
	s.card.SetState(p.Severity, stateWord(p.Severity, s.lastErr), p.Text, p.Detail)
}

// status is the step's state for the flow's step indicator.
func (s *step) status(done, passed bool) widgets.StepStatus {
	switch {
	case s.r.busy():
		return widgets.StepBusy
	case s.lastErr != nil:
		if explain(s.lastErr, "").Severity == widgets.Unknown {
			return widgets.StepUnknown
		}
		return widgets.StepFailed
	case done && passed:
		return widgets.StepDone
	case done:
		return widgets.StepFailed
	}
	return widgets.StepTodo
}

// pendingUnknown handles a run while the last call's outcome is unknown: nothing is
// sent unless the clerk confirms a retry of that same call, with the reference the
// dialog names (even when another one has been typed since). Enter resends with that
// reference (the safe way to retry: the gateway can tell it is the same call), Esc sends
// nothing. It reports whether it took over the run.
func (s *step) pendingUnknown(retrySame bool) bool {
	if s.resend == nil {
		return false
	}
	if retrySame {
		s.resend()
		return true
	}
	body := i18n.T("resend.body", s.retryRef)
	if typed := strings.TrimSpace(s.cust.ref.Text); typed != "" && typed != s.retryRef {
		body += "\n\n" + i18n.T("resend.other_ref", typed)
	}
	widgets.ShowConfirm(s.u.win, i18n.T("resend.title"), body, i18n.T("action.retry_same"), i18n.T("action.cancel"), func(ok bool) {
		if ok && s.resend != nil {
			s.resend()
		}
	})
	return true
}

// reset forgets the customer: a call still in flight is cancelled and its result dropped.
func (s *step) reset() {
	s.gen++
	s.r.stop()
	s.retryRef, s.resend = "", nil
	s.lastErr, s.lastRef = nil, ""
}

// stateWord is a failed call's word, the same everywhere (screens and History): a
// refusal by the gateway is DITOLAK, a failure before it answered GAGAL, an unknown
// outcome TIDAK PASTI, a cancellation DIBATALKAN.
func stateWord(sev widgets.Severity, err error) string {
	if err != nil {
		if k := kyc.KindOf(err); k == kyc.KindCanceled && kyc.OutcomeOf(err) != kyc.OutcomeUnknown {
			return i18n.T("outcome.canceled")
		}
		switch kyc.OutcomeOf(err) {
		case kyc.OutcomeRejected:
			return i18n.T("outcome.rejected")
		case kyc.OutcomeUnknown:
			return i18n.T("outcome.unknown")
		case kyc.OutcomeFailed:
			return i18n.T("outcome.failed")
		}
	}
	switch sev {
	case widgets.OK:
		return i18n.T("outcome.success")
	case widgets.Unknown:
		return i18n.T("outcome.unknown")
	}
	return i18n.T("outcome.failed")
}

// confirmWarnings asks before sending an image with warnings; the clerk may override a
// warning, never an error (intake.ready refuses those). On the Sandbox profile the
// dialog does not speak of charges: nothing is charged there.
func (s *step) confirmWarnings(warnings []string, send func()) {
	if len(warnings) == 0 {
		send()
		return
	}
	body := i18n.T("warn.body", joinLines(warnings))
	if s.u.sandbox() {
		body += "\n\n" + i18n.T("warn.sandbox")
	} else {
		body += "\n\n" + i18n.T("warn.charged")
	}
	widgets.ShowConfirm(s.u.win, i18n.T("warn.title"), body, i18n.T("warn.send"), i18n.T("action.cancel"), func(ok bool) {
		if ok {
			send()
		}
	})
}
