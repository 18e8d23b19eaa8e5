package app

import (
	"context"
	"errors"
	"time"

	"kycdesk/app/i18n"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// checkProblems asks, off the UI goroutine, what is standing wrong (settings in doubt,
// a history that cannot be opened or was set aside, lost keys, an unusable data
// directory) and puts the most serious one in the banner with its next step. It runs at
// start and after a call was refused for one of those reasons.
//
// The consent setting is read again afterwards: asking for the problems opens the
// history, and only then is a missing settings.json told apart (a new installation
// takes the defaults; settings lost on a PC that had chosen some stay in doubt).
func (u *UI) checkProblems() {
	src := u.deps.Problems
	if src == nil {
		u.loadConsent()
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ps := src.Problems(ctx)
		uiDo(func() {
			if len(ps) > 0 {
				u.showStandingProblem(ps[0])
			}
			u.loadConsent()
		})
	}()
}

// showStandingProblem shows one standing problem in the banner, translated by its code.
func (u *UI) showStandingProblem(p service.Problem) {
	u.showBanner(func() {
		var actions []widgets.Action
		sev := widgets.Error
		text := i18n.T("problem.generic")
		switch p.Code {
		case service.ProblemSettings:
			text = i18n.T("problem.settings")
			actions = append(actions, u.settingsAction())
		case service.ProblemDataDir:
			text = i18n.T("problem.data_dir")
		case service.ProblemHistory:
			text = i18n.T("problem.history")
			text = keyringProblem(p.Err, text)
		case service.ProblemHistorySetAside:
			sev = widgets.Warning
			text = i18n.T("problem.history_set_aside", len(p.Paths))
		case service.ProblemHistoryDamaged:
			text = i18n.T("problem.history_damaged")
		case service.ProblemHistoryKeys:
			text = keyringProblem(p.Err, i18n.T("problem.history_keys"))
			if errors.Is(p.Err, vault.ErrNotFound) {
				actions = append(actions, widgets.Action{Label: i18n.T("action.new_keys"), Do: u.startNewKeys})
			}
		}
		actions = append(actions, u.dismissAction())
		u.banner.ShowMessage(sev, text, actions...)
	})
}

// keyringProblem names a keyring that is locked or missing altogether (no Secret Service,
// a timeout) rather than a key missing from it; otherwise it returns text.
func keyringProblem(err error, text string) string {
	switch {
	case errors.Is(err, vault.ErrLocked):
		return i18n.T("problem.keyring_locked")
	case errors.Is(err, vault.ErrUnavailable), errors.Is(err, vault.ErrTimeout):
		return i18n.T("problem.keyring_unavailable")
	}
	return text
}

// showSettingsProblem says that no paid call can be made while the settings are in doubt.
func (u *UI) showSettingsProblem() {
	u.showStandingProblem(service.Problem{Code: service.ProblemSettings})
}
