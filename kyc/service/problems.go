package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"kycdesk/kyc/history"
)

// ProblemCode names a standing problem the window shows in a banner (translated by
// code) until it is fixed.
type ProblemCode string

// Problem codes.
const (
	// ProblemDataDir: the data directory cannot be used; nothing works until IT fixes
	// it (Err says why: permissions, a full or missing disk).
	ProblemDataDir ProblemCode = "data_dir_unavailable"
	// ProblemSettings: settings.json is damaged, invalid or lost. Nothing is purged,
	// no photo kept, no paid call made until the settings are saved again: the banner
	// offers Settings (a form that asks for the retention, then Desk.SaveSettings).
	ProblemSettings ProblemCode = "settings_invalid"
	// ProblemHistory: the history cannot be opened (Err: keyring, in use, disk).
	ProblemHistory ProblemCode = "history_unavailable"
	// ProblemHistorySetAside: damaged history databases were moved aside (Paths) and
	// a new history started; they hold calls that may have been billed: IT keeps them.
	ProblemHistorySetAside ProblemCode = "history_set_aside"
	// ProblemHistoryDamaged: damage was found while running; no call is made until
	// KYC Desk is restarted (it then sets the file aside and starts a new history).
	ProblemHistoryDamaged ProblemCode = "history_damaged"
	// ProblemHistoryKeys: the history's encryption key is not available (keyring
	// locked or reset): calls with personal data are refused; the banner offers
	// Records.StartNewKeys when Err matches vault.ErrNotFound.
	ProblemHistoryKeys ProblemCode = "history_keys_unavailable"
)

// Problem is one standing problem.
type Problem struct {
	Code    ProblemCode
	Message string   // English, says what to do (the window translates by Code)
	Paths   []string // files concerned, if any
	Err     error
}

// Problems lists what is wrong right now, most serious first. It opens the history if
// needed (disk, keyring): call it off the UI goroutine.
func (d *Desk) Problems(ctx context.Context) []Problem {
	if d.broken != nil {
		return []Problem{{Code: ProblemDataDir, Message: d.broken.Error() + ". Ask IT to check the data directory (KYCDESK_HOME)", Err: d.broken}}
	}
	var out []Problem
	store, herr := d.History(ctx)
	if herr != nil {
		out = append(out, Problem{Code: ProblemHistory, Message: herr.Error(), Err: herr})
	}
	d.mu.Lock()
	undecided := d.undecided
	d.mu.Unlock()
	// A missing settings.json is only judged once the history is open (new
	// installation, or settings lost?): until then the history problem says it all.
	if st := d.Settings(); st.Problem != nil && !(undecided && herr != nil) {
		out = append(out, Problem{Code: ProblemSettings, Message: st.Problem.Error(), Paths: []string{st.Path}, Err: st.Problem})
	}
	if store != nil {
		if dmg := store.Damage(); dmg != nil {
			out = append(out, Problem{Code: ProblemHistoryDamaged, Paths: []string{store.Path()}, Err: dmg,
				Message: dmg.Error() + ". No call is made until KYC Desk is restarted: it then keeps the damaged file aside (nothing is deleted) and starts a new history"})
		}
		if ks, err := store.KeyStatus(ctx); err == nil && !ks.Available {
			out = append(out, Problem{Code: ProblemHistoryKeys, Err: ks.Err,
				Message: fmt.Sprintf("the history's encryption key is not available (%v): calls with personal data are refused until the keyring is unlocked, or new keys are started", ks.Err)})
		}
	}
	if files, err := history.DamagedFiles(d.dir); err == nil && len(files) > 0 {
		msg := fmt.Sprintf("%d damaged call histor%s kept aside in %s: %s. They record calls that may have been billed: give them to IT, do not delete them",
			len(files), plural(len(files), "y was", "ies were"), d.dir, files[len(files)-1])
		if store != nil {
			if sa := store.SetAside(); sa != nil {
				msg = fmt.Sprintf("the call history was damaged (%s): it was kept aside as %s and a new one started. It records calls that may have been billed: give it to IT, do not delete it",
					sa.Reason, sa.Path)
			}
		}
		out = append(out, Problem{Code: ProblemHistorySetAside, Message: msg, Paths: files})
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RunMaintenance keeps the history healthy while the window runs, until ctx ends:
// it opens the history, runs a quick integrity check once (damage found stops calls
// and is reported), then every `every` re-reads the settings (another process may
// have saved them), turns the pending calls of processes that died into unknown ones
// and deletes what the retention no longer keeps (nothing while the settings are in
// doubt). report (may be nil) receives the problems met, from this goroutine.
func (d *Desk) RunMaintenance(ctx context.Context, every time.Duration, report func(Problem)) {
	if d.broken != nil {
		return
	}
	if every <= 0 {
		every = 6 * time.Hour
	}
	tell := func(p Problem) {
		if report != nil && ctx.Err() == nil {
			report(p)
		}
	}
	if store, err := d.History(ctx); err == nil {
		if found, err := store.Check(ctx, true); (err != nil && !errors.Is(err, context.Canceled)) || len(found) > 0 {
			if dmg := store.Damage(); dmg != nil {
				tell(Problem{Code: ProblemHistoryDamaged, Message: dmg.Error(), Paths: []string{store.Path()}, Err: dmg})
			}
		}
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		d.Settings()
		store, err := d.History(ctx)
		if err != nil {
			tell(Problem{Code: ProblemHistory, Message: err.Error(), Err: err})
			continue
		}
		if n, err := store.Recover(ctx); err != nil {
			tell(Problem{Code: ProblemHistory, Message: err.Error(), Err: err})
		} else if n > 0 {
			d.kickSync() // head office hears of the calls a crashed command left unknown
		}
		if _, err := store.Purge(ctx); err != nil {
			tell(Problem{Code: ProblemHistory, Message: err.Error(), Err: err})
		}
	}
}
