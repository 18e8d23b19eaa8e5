package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/hqsync/outbox"
	"kycdesk/kyc/vault"
)

// Head office sync: a profile with a sync section reports its calls (their
// non-personal metadata) to head office. The history queues every state change
// of such a call in its outbox, in the transaction that records it; the Desk runs
// one sender (kyc/hqsync) for the connected profile, kicked after every call, so
// calls reach head office within seconds, and head office's resolutions come
// back into the history. A clerk's call never waits for it.

// DefaultSyncFlush is how long Close lets the sender deliver what is still
// waiting (a command that made one call exits soon after making it).
const DefaultSyncFlush = 3 * time.Second

// SyncState is the sync of the connected profile, for a status line.
type SyncState struct {
	// Profile is the profile whose calls are reported; "" when the connected profile
	// has no sync section (nothing is sent; no status line).
	Profile string
	// Outlet and Counter are this PC's ids at head office.
	Outlet, Counter string
	hqsync.Status
}

// Active reports whether a sender runs.
func (s SyncState) Active() bool { return s.Profile != "" }

// syncRunner is the sender of one profile, running until stopped.
type syncRunner struct {
	profile vault.Profile
	section vault.SyncSection
	ob      *outbox.Store
	sender  *hqsync.Sender
	cancel  context.CancelFunc
	done    chan struct{}
	// stored is the last sync time the outbox remembered when the sender started
	// (a previous run, or another process).
	stored time.Time
}

// syncHub holds the Desk's sender and whoever watches it.
type syncHub struct {
	change sync.Mutex // serialises starting and stopping (slow: waits for the sender)
	mu     sync.Mutex // guards run and watchers (held briefly; never while waiting)
	run    *syncRunner
	// watchers are called outside mu.
	watchers []func(SyncState)
	// last is the state last told (what SyncState returns when no sender runs: a
	// sender that could not start says why).
	last SyncState
	// tune adjusts the sender's configuration before it starts (tests: short waits).
	tune func(*hqsync.Config)
}

func (h *syncHub) notify(st SyncState) {
	h.mu.Lock()
	h.last = st
	ws := append([]func(SyncState){}, h.watchers...)
	h.mu.Unlock()
	for _, f := range ws {
		f(st)
	}
}

// startSync makes the sender follow the connected profile: a profile with a sync
// section gets its own (the previous one stops), one without stops it (its events
// wait in the outbox until a reporting profile is connected again).
func (d *Desk) startSync(p vault.Profile) {
	h := &d.sync
	h.change.Lock()
	defer h.change.Unlock()
	h.mu.Lock()
	old := h.run
	if old != nil && p.Sync != nil && old.profile.Name == p.Name && old.section == *p.Sync {
		h.mu.Unlock()
		return
	}
	h.run = nil
	h.mu.Unlock()
	old.stop(0)
	if p.Sync == nil || d.broken != nil {
		h.notify(SyncState{})
		return
	}
	st := SyncState{Profile: p.Name, Outlet: p.Sync.Outlet, Counter: p.Sync.Counter}
	fail := func(err error) {
		// The sync cannot even start (a bad section, the history unavailable): the
		// status line says so; the calls are still queued.
		st.State, st.Err, st.ErrText = hqsync.StateError, err, err.Error()
		h.notify(st)
	}
	store, err := d.History(context.Background())
	if err != nil {
		fail(err)
		return
	}
	cfg, err := hqsync.ConfigFromProfile(d.vault, p)
	if err != nil {
		fail(err)
		return
	}
	if h.tune != nil {
		h.tune(&cfg)
	}
	ob := store.Outbox(p.Name)
	sender, err := hqsync.New(ob, cfg)
	if err != nil {
		fail(err)
		return
	}
	r := &syncRunner{profile: p, section: *p.Sync, ob: ob, sender: sender, done: make(chan struct{})}
	r.stored, _ = ob.LastSynced(context.Background())
	if n, err := ob.Waiting(context.Background()); err == nil {
		st.Waiting = n
	}
	st.LastSync = r.stored
	sender.OnChange(func(s hqsync.Status) {
		h.mu.Lock()
		current := h.run == r
		h.mu.Unlock()
		if current {
			h.notify(r.state(s))
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	h.mu.Lock()
	h.run = r
	h.mu.Unlock()
	h.notify(st)
	go func() {
		defer close(r.done)
		_ = sender.Run(ctx)
	}()
}

// stopSync stops the sender, letting it deliver what is waiting for at most
// flush (0: not at all), and tells the watchers.
func (d *Desk) stopSync(flush time.Duration) {
	h := &d.sync
	h.change.Lock()
	defer h.change.Unlock()
	h.mu.Lock()
	r := h.run
	h.run = nil
	h.mu.Unlock()
	if r != nil {
		r.stop(flush)
		h.notify(SyncState{})
	}
}

// worthRetrying reports whether the last failure (nil: none) may go away by
// itself: a server down or slow, an attempt cancelled (the stop itself), a local
// hiccup; not a refused login or a login registered for another counter.
func worthRetrying(err error) bool {
	var he *hqdb.Error
	if errors.As(err, &he) {
		return he.Temporary() || he.Code == hqdb.CodeCanceled
	}
	return true
}

// state is the runner's status as the window shows it.
func (r *syncRunner) state(s hqsync.Status) SyncState {
	if s.LastSync.IsZero() {
		s.LastSync = r.stored
	}
	return SyncState{Profile: r.profile.Name, Outlet: r.section.Outlet, Counter: r.section.Counter, Status: s}
}

// stop ends the sender; with flush > 0 it first delivers what is waiting, for at
// most flush, unless the last attempt failed for a reason time does not fix (a
// wrong password: it would only fail again).
func (r *syncRunner) stop(flush time.Duration) {
	if r == nil {
		return
	}
	r.cancel()
	<-r.done
	if flush > 0 && worthRetrying(r.sender.Status().Err) {
		ctx, cancel := context.WithTimeout(context.Background(), flush)
		if n, err := r.ob.Waiting(ctx); err == nil && n > 0 {
			_, _ = r.sender.SyncOnce(ctx)
		}
		cancel()
	}
	r.sender.Close()
}

// kickSync asks the sender to deliver now (after a call); it never blocks.
func (d *Desk) kickSync() {
	d.sync.mu.Lock()
	r := d.sync.run
	d.sync.mu.Unlock()
	if r != nil {
		r.sender.Kick()
	}
}

// SyncState returns the sync of the connected profile (cheap: no I/O).
func (d *Desk) SyncState() SyncState {
	d.sync.mu.Lock()
	r, last := d.sync.run, d.sync.last
	d.sync.mu.Unlock()
	if r != nil {
		return r.state(r.sender.Status())
	}
	return last
}

// OnSyncChange registers f, called after every sync attempt and whenever the
// sender starts or stops (from the sender's goroutine or the connecting one:
// the window wraps it in fyne.Do). f must not call back into the Desk.
func (d *Desk) OnSyncChange(f func(SyncState)) {
	d.sync.mu.Lock()
	d.sync.watchers = append(d.sync.watchers, f)
	d.sync.mu.Unlock()
}

// SyncQueue is a profile's outbox as `kycdesk sync status` shows it: events
// waiting and the last complete sync (by any process; zero: never).
type SyncQueue struct {
	Waiting  int
	LastSync time.Time
}

// SyncQueue reads a profile's outbox without sending anything.
func (d *Desk) SyncQueue(ctx context.Context, profile string) (SyncQueue, error) {
	store, err := d.History(ctx)
	if err != nil {
		return SyncQueue{}, err
	}
	ob := store.Outbox(profile)
	var q SyncQueue
	if q.Waiting, err = ob.Waiting(ctx); err != nil {
		return q, err
	}
	q.LastSync, err = ob.LastSynced(ctx)
	return q, err
}

// SyncNow delivers a profile's waiting events and pulls head office's
// resolutions once (`kycdesk sync now`), whether or not a sender runs.
func (d *Desk) SyncNow(ctx context.Context, p vault.Profile) (hqsync.Result, error) {
	v, err := d.Vault()
	if err != nil {
		return hqsync.Result{}, err
	}
	store, err := d.History(ctx)
	if err != nil {
		return hqsync.Result{}, err
	}
	cfg, err := hqsync.ConfigFromProfile(v, p)
	if err != nil {
		return hqsync.Result{}, err
	}
	s, err := hqsync.New(store.Outbox(p.Name), cfg)
	if err != nil {
		return hqsync.Result{}, err
	}
	defer s.Close()
	return s.SyncOnce(ctx)
}
