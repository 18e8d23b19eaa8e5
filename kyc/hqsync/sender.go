package hqsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hqdb"
)

// Outbox is the counter's local queue of events, kept by the history in the
// same transactions that record the calls.
type Outbox interface {
	// Pending returns up to n undelivered events, oldest first (so a call's
	// events come in Seq order).
	Pending(ctx context.Context, n int) ([]Event, error)
	// Ack marks events delivered: Pending never returns them again.
	Ack(ctx context.Context, ids []int64) error
	// Waiting counts the undelivered events.
	Waiting(ctx context.Context) (int, error)
	// ApplyResolution records head office's resolution of one of this
	// counter's calls and remembers r.ID as the last applied, in one
	// transaction. A call this history does not have (it was reinstalled,
	// or the row expired) only moves the cursor.
	ApplyResolution(ctx context.Context, r Resolution) error
	// ResolutionCursor is the ID of the last resolution applied (0: none).
	ResolutionCursor(ctx context.Context) (int64, error)
	// MarkSynced records the time of the last complete sync (push and
	// pull), so that another process (`kycdesk sync status` while the
	// window runs) can show it.
	MarkSynced(ctx context.Context, at time.Time) error
}

// Config configures a Sender.
type Config struct {
	// Target is the head office database; its Password is ignored in favour
	// of Password, asked at every connection (the keyring may change).
	Target hqdb.Target
	// Password returns the counter login's password (vault: the OS keyring).
	Password func(ctx context.Context) (string, error)
	// Outlet and Counter are this PC's ids; the database checks them against
	// the login's registration.
	Outlet, Counter string

	BatchSize int // events per ingest call; 0: 500
	// Interval is the time between checks when idle: the heartbeat that
	// tells head office the counter is alive, and the delay before a
	// resolution made at head office reaches an idle counter. 0: 10 minutes.
	Interval time.Duration
	// IdleClose is how long the connection stays open after the last sync
	// (a clerk's calls come in bursts: recognize, liveness, validation).
	// 0: 2 minutes.
	IdleClose  time.Duration
	MinBackoff time.Duration // first wait after a failure; 0: 1 s
	MaxBackoff time.Duration // longest wait; 0: 5 minutes
	// CallTimeout bounds one round trip; 0: 30 s.
	CallTimeout time.Duration
	// Now is the counter's clock (tests move it). Nil: time.Now.
	Now func() time.Time
	// Logf reports failures (never a password or personal data). Nil: silent.
	Logf func(format string, args ...any)
}

// State summarises the sender for a status line.
type State string

// States.
const (
	StateIdle    State = "idle"    // not run yet
	StateOK      State = "ok"      // last attempt succeeded
	StateOffline State = "offline" // server unreachable: retrying with backoff
	StateError   State = "error"   // refused (login, registration, TLS…): someone must fix the settings
)

// Status is what the window's status line and `kycdesk sync status` show.
type Status struct {
	State       State     `json:"state"`
	LastSync    time.Time `json:"last_sync,omitempty"`    // last complete push and pull
	LastAttempt time.Time `json:"last_attempt,omitempty"` //
	NextTry     time.Time `json:"next_try,omitempty"`     // when offline or in error
	Waiting     int       `json:"waiting"`                // events not yet delivered
	Sent        int64     `json:"sent"`                   // events delivered since start
	Resolutions int64     `json:"resolutions"`            // resolutions received since start
	Rejected    int64     `json:"rejected"`               // events head office refused as malformed
	// Err is the last failure (an *hqdb.Error), nil when the last attempt worked.
	Err     error  `json:"-"`
	ErrText string `json:"error,omitempty"`
}

// Sender pushes the outbox to head office. Create it with New, run Run in a
// goroutine; Kick after recording a call to send it at once.
type Sender struct {
	ob  Outbox
	cfg Config

	kick chan struct{}

	mu       sync.Mutex
	st       Status
	watchers []func(Status)

	conn *pgx.Conn // owned by the Run/SyncOnce goroutine
	run  sync.Mutex
}

// New checks cfg and makes a Sender.
func New(ob Outbox, cfg Config) (*Sender, error) {
	if ob == nil {
		return nil, errors.New("hqsync: no outbox")
	}
	if cfg.Outlet == "" || cfg.Counter == "" {
		return nil, hqdb.NewError(hqdb.CodeConfig, "sync", errors.New("outlet and counter ids are required"))
	}
	if _, err := cfg.Target.ConnConfig(); err != nil {
		return nil, err
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 10 * time.Minute
	}
	if cfg.IdleClose <= 0 {
		cfg.IdleClose = 2 * time.Minute
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Target.ApplicationName == "" {
		cfg.Target.ApplicationName = "kycdesk sync " + cfg.Outlet + "/" + cfg.Counter
	}
	return &Sender{ob: ob, cfg: cfg, kick: make(chan struct{}, 1), st: Status{State: StateIdle}}, nil
}

// Kick asks for a sync now. It never blocks (the clerk's call path calls it).
func (s *Sender) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Status returns the last known status (cheap; no I/O).
func (s *Sender) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// OnChange registers f to be called (from the sender's goroutine) after
// every attempt; the window updates its status line from it.
func (s *Sender) OnChange(f func(Status)) {
	s.mu.Lock()
	s.watchers = append(s.watchers, f)
	s.mu.Unlock()
}

func (s *Sender) update(change func(*Status)) {
	s.mu.Lock()
	change(&s.st)
	st := s.st
	w := append([]func(Status){}, s.watchers...)
	s.mu.Unlock()
	for _, f := range w {
		f(st)
	}
}

// Run syncs until ctx is done: at once, then after every Kick and every
// Interval, backing off (jittered, doubling up to MaxBackoff) after a
// failure; a Kick during a backoff waits for it to end, so a busy counter
// does not hammer a server that is down. The connection is closed after
// IdleClose without activity. Run returns ctx's error.
func (s *Sender) Run(ctx context.Context) error {
	defer s.Close()
	backoff := time.Duration(0)
	for {
		_, err := s.SyncOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := s.cfg.Interval
		if err != nil {
			switch {
			case backoff == 0:
				backoff = s.cfg.MinBackoff
			default:
				backoff = min(2*backoff, s.cfg.MaxBackoff)
			}
			var he *hqdb.Error
			if errors.As(err, &he) && !he.Temporary() {
				backoff = s.cfg.MaxBackoff // settings are wrong: do not hammer the server
			}
			wait = backoff/2 + rand.N(backoff/2+1)
			s.update(func(st *Status) { st.NextTry = s.cfg.Now().Add(wait) })
		} else {
			backoff = 0
		}
		if err := s.wait(ctx, wait, err != nil); err != nil {
			return err
		}
	}
}

// wait sleeps until the next sync is due: after d, or at a Kick unless
// backingOff. It closes an idle connection on the way.
func (s *Sender) wait(ctx context.Context, d time.Duration, backingOff bool) error {
	t := time.NewTimer(d)
	defer t.Stop()
	var idle <-chan time.Time
	if !backingOff && s.cfg.IdleClose < d && s.hasConn() {
		it := time.NewTimer(s.cfg.IdleClose)
		defer it.Stop()
		idle = it.C
	}
	kick := s.kick
	if backingOff {
		kick = nil
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-idle:
			// Nothing happened for a while: give the server its
			// connection back (thousands of counters share it).
			s.Close()
			idle = nil
		case <-kick:
			return nil
		case <-t.C:
			return nil
		}
	}
}

func (s *Sender) hasConn() bool {
	s.run.Lock()
	defer s.run.Unlock()
	return s.conn != nil
}

// Close drops the connection, if one is open (Run closes it when idle and
// on return; SyncOnce reconnects when needed).
func (s *Sender) Close() {
	s.run.Lock()
	defer s.run.Unlock()
	s.closeConn()
}

// Result is what one SyncOnce did.
type Result struct {
	Sent, Ignored, Rejected int // events applied, already known (no-op), refused as malformed
	Resolutions             int
	SkewMS                  int64 // the database's clock minus this PC's, as measured (0 when under a minute)
}

// SyncOnce pushes every pending event and pulls the resolutions, once.
func (s *Sender) SyncOnce(ctx context.Context) (Result, error) {
	s.run.Lock()
	defer s.run.Unlock()
	var res Result
	s.update(func(st *Status) { st.LastAttempt = s.cfg.Now() })
	err := s.syncOnce(ctx, &res)
	now := s.cfg.Now()
	if err == nil {
		if merr := s.ob.MarkSynced(ctx, now); merr != nil {
			err = fmt.Errorf("hqsync: record the sync time: %w", merr)
		}
	}
	waiting, werr := s.ob.Waiting(ctx)
	s.update(func(st *Status) {
		if werr == nil {
			st.Waiting = waiting
		}
		st.Sent += int64(res.Sent + res.Ignored)
		st.Rejected += int64(res.Rejected)
		st.Resolutions += int64(res.Resolutions)
		st.Err = err
		st.ErrText = ""
		switch {
		case err == nil:
			st.State, st.LastSync, st.NextTry = StateOK, now, time.Time{}
		default:
			st.ErrText = err.Error()
			st.State = StateError
			var he *hqdb.Error
			if (errors.As(err, &he) && (he.Temporary() || he.Code == hqdb.CodeCanceled)) || ctx.Err() != nil {
				st.State = StateOffline // (stopped mid-way: not a setting to fix)
			}
		}
	})
	if err != nil {
		s.closeConn()
		s.cfg.Logf("hqsync: %v", err)
	}
	return res, err
}

func (s *Sender) syncOnce(ctx context.Context, res *Result) error {
	if err := s.connect(ctx); err != nil {
		return err
	}
	for {
		evs, err := s.ob.Pending(ctx, s.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("hqsync: read outbox: %w", err)
		}
		if len(evs) == 0 {
			break
		}
		applied, ignored, rejected, skew, err := s.push(ctx, evs)
		if err != nil {
			return err
		}
		ids := make([]int64, len(evs))
		for i, e := range evs {
			ids[i] = e.ID
		}
		if err := s.ob.Ack(ctx, ids); err != nil {
			// Delivered but not marked: they go again, as no-ops.
			return fmt.Errorf("hqsync: mark delivered: %w", err)
		}
		res.Sent += applied
		res.Ignored += ignored
		res.Rejected += rejected
		res.SkewMS = skew
		if rejected > 0 {
			s.cfg.Logf("hqsync: head office refused %d malformed events", rejected)
		}
		if len(evs) < s.cfg.BatchSize {
			break
		}
	}
	return s.pull(ctx, res)
}

func (s *Sender) connect(ctx context.Context) error {
	if s.conn != nil && !s.conn.IsClosed() {
		return nil
	}
	t := s.cfg.Target
	if s.cfg.Password != nil {
		pw, err := s.cfg.Password(ctx)
		if err != nil {
			return hqdb.NewError(hqdb.CodeConfig, "connect", fmt.Errorf("sync password: %w", err))
		}
		t.Password = pw
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	c, err := hqdb.Connect(cctx, t)
	if err != nil {
		return err
	}
	// Check who the database thinks we are before sending anything, so a
	// PC set up with the wrong outlet says so even with nothing to send.
	var outlet, counter string
	err = c.QueryRow(cctx, `SELECT outlet_id, counter_id FROM kyc.whoami()`).Scan(&outlet, &counter)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		err = hqdb.NewError(hqdb.CodeNotRegistered, "connect", fmt.Errorf("login %s is not registered as a counter (kycdesk hq add-counter)", t.User))
	case err != nil:
		err = hqdb.Classify("connect", err)
	case outlet != s.cfg.Outlet || counter != s.cfg.Counter:
		err = hqdb.NewError(hqdb.CodeOutletMismatch, "connect", fmt.Errorf(
			"this PC is set up as outlet %s counter %s, but login %s is registered for outlet %s counter %s",
			s.cfg.Outlet, s.cfg.Counter, t.User, outlet, counter))
	}
	if err != nil {
		_ = c.Close(context.Background())
		return err
	}
	s.conn = c
	return nil
}

func (s *Sender) closeConn() {
	if s.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = s.conn.Close(ctx)
		cancel()
		s.conn = nil
	}
}

func (s *Sender) push(ctx context.Context, evs []Event) (applied, ignored, rejected int, skew int64, err error) {
	clean := make([]Event, len(evs))
	for i, e := range evs {
		clean[i] = Sanitize(e)
	}
	body, err := json.Marshal(clean)
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("hqsync: encode batch: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	err = s.conn.QueryRow(cctx, `SELECT applied, ignored, rejected, skew_ms FROM kyc.ingest($1::jsonb, $2, $3, $4)`,
		string(body), s.cfg.Now(), s.cfg.Outlet, s.cfg.Counter).Scan(&applied, &ignored, &rejected, &skew)
	if err != nil {
		return 0, 0, 0, 0, hqdb.Classify("ingest", err)
	}
	return applied, ignored, rejected, skew, nil
}

const pullBatch = 500

func (s *Sender) pull(ctx context.Context, res *Result) error {
	for {
		after, err := s.ob.ResolutionCursor(ctx)
		if err != nil {
			return fmt.Errorf("hqsync: read resolution cursor: %w", err)
		}
		cctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
		rows, err := s.conn.Query(cctx, `SELECT id, call_id::text, resolution, note, resolved_by, resolved_at
			FROM kyc.pull_resolutions($1, $2)`, after, pullBatch)
		if err != nil {
			cancel()
			return hqdb.Classify("pull", err)
		}
		rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Resolution, error) {
			var x Resolution
			err := r.Scan(&x.ID, &x.CallID, &x.Resolution, &x.Note, &x.ResolvedBy, &x.ResolvedAt)
			return x, err
		})
		cancel()
		if err != nil {
			return hqdb.Classify("pull", err)
		}
		for _, r := range rs {
			if err := s.ob.ApplyResolution(ctx, r); err != nil {
				return fmt.Errorf("hqsync: apply resolution: %w", err)
			}
			res.Resolutions++
		}
		if len(rs) < pullBatch {
			return nil
		}
	}
}

// Check connects once and asks the database who this login is, without
// sending anything: `kycdesk sync status` and the settings screen's test
// button. It returns the registered outlet and counter.
func Check(ctx context.Context, cfg Config) (outlet, counter string, err error) {
	s, err := New(emptyOutbox{}, cfg)
	if err != nil {
		return "", "", err
	}
	defer s.closeConn()
	if err := s.connect(ctx); err != nil {
		return "", "", err
	}
	return s.cfg.Outlet, s.cfg.Counter, nil
}

type emptyOutbox struct{}

func (emptyOutbox) Pending(context.Context, int) ([]Event, error)     { return nil, nil }
func (emptyOutbox) Ack(context.Context, []int64) error                { return nil }
func (emptyOutbox) Waiting(context.Context) (int, error)              { return 0, nil }
func (emptyOutbox) ApplyResolution(context.Context, Resolution) error { return nil }
func (emptyOutbox) ResolutionCursor(context.Context) (int64, error)   { return 0, nil }
func (emptyOutbox) MarkSynced(context.Context, time.Time) error       { return nil }
