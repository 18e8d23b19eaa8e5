// Package hqtest sets up head office databases on the test PostgreSQL
// (kyc/internal/pgtest) and simulates counters: a counter here is an
// in-memory local history with an outbox that behaves as kyc/history's
// (events queued with the state they record, acknowledged after delivery,
// resolutions applied with their cursor), so the sender and the central
// tables can be checked against every counter's own record.
package hqtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/pgtest"

	"github.com/jackc/pgx/v5"
)

// DB is one head office database with the schema installed.
type DB struct {
	Srv  *pgtest.Server
	Name string
}

// NewDB makes a fresh database on the shared server and runs hq init in it.
func NewDB(tb testing.TB) *DB {
	tb.Helper()
	srv, name := pgtest.Database(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := srv.Admin(ctx, name)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close(ctx)
	if err := hq.Init(ctx, c); err != nil {
		tb.Fatal(err)
	}
	return &DB{Srv: srv, Name: name}
}

// admin connects to the database as the superuser, for a minute at most; done closes
// the connection.
func (d *DB) admin(tb testing.TB) (context.Context, *pgx.Conn, func()) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	c, err := d.Srv.Admin(ctx, d.Name)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	return ctx, c, func() { c.Close(ctx); cancel() }
}

// Exec runs admin SQL in the database.
func (d *DB) Exec(tb testing.TB, sql string) {
	tb.Helper()
	ctx, c, done := d.admin(tb)
	defer done()
	if err := hq.Exec(ctx, c, sql); err != nil {
		tb.Fatal(err)
	}
}

// Target is a TCP login to the database (as production connects).
func (d *DB) Target(login, password string) hqdb.Target {
	return hqdb.Target{Host: "127.0.0.1", Port: d.Srv.Port, Database: d.Name, User: login, Password: password}
}

// AddCounter registers a counter login and returns its target (password set).
func (d *DB) AddCounter(tb testing.TB, outlet, counter string) hqdb.Target {
	tb.Helper()
	login := hq.CounterLogin(outlet, counter) + "_" + d.Name[len(d.Name)-6:] // roles are cluster-wide
	pw := hq.NewPassword()
	sql, err := hq.AddCounterSQL(outlet, counter, login, pw)
	if err != nil {
		tb.Fatal(err)
	}
	d.Exec(tb, sql)
	return d.Target(login, pw)
}

// AddOffice creates a head office login (write: may resolve and import).
func (d *DB) AddOffice(tb testing.TB, name string, write bool) hqdb.Target {
	tb.Helper()
	login := name + "_" + d.Name[len(d.Name)-6:]
	pw := hq.NewPassword()
	sql, err := hq.AddOfficeUserSQL(login, pw, write)
	if err != nil {
		tb.Fatal(err)
	}
	d.Exec(tb, sql)
	return d.Target(login, pw)
}

// Office opens a head office client.
func (d *DB) Office(tb testing.TB, write bool) *hq.Client {
	tb.Helper()
	name := "office_r"
	if write {
		name = "office_w"
	}
	t := d.AddOffice(tb, name, write)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := hq.Open(ctx, t)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.Close)
	return c
}

// NewUUID makes a random (version 4) UUID.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Counter is a simulated counter PC: its local record of calls and outbox.
type Counter struct {
	Outlet, ID string
	InstallID  string
	// Clock is the counter's clock (an hour wrong in some tests).
	Clock func() time.Time

	mu       sync.Mutex
	calls    map[string]*hqsync.Event // latest local state per call
	order    []string
	outbox   []hqsync.Event
	nextID   int64
	acked    map[int64]bool
	cursor   int64
	resolved map[string]hqsync.Resolution
	// FailAck makes the next Ack fail (delivered, not marked: resent later).
	FailAck bool
	// LastSynced is the time the sender last recorded a complete sync.
	LastSynced time.Time
}

// NewCounter makes a counter with an empty history.
func NewCounter(outlet, id string) *Counter {
	return &Counter{Outlet: outlet, ID: id, InstallID: NewUUID(), Clock: time.Now,
		calls: map[string]*hqsync.Event{}, acked: map[int64]bool{}, resolved: map[string]hqsync.Resolution{}}
}

// Reinstall wipes the local history (a new PC image): new install id, empty
// outbox and cursor. Calls already sent stay at head office.
func (c *Counter) Reinstall() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.InstallID = NewUUID()
	c.calls, c.order, c.outbox = map[string]*hqsync.Event{}, nil, nil
	c.acked, c.cursor, c.resolved = map[int64]bool{}, 0, map[string]hqsync.Resolution{}
}

func (c *Counter) queue(e hqsync.Event) {
	c.nextID++
	e.ID = c.nextID
	cp := e
	c.calls[e.CallID] = &cp
	c.outbox = append(c.outbox, e)
}

// CallSpec describes one simulated call.
type CallSpec struct {
	Product, Ref, Outcome, ErrorKind string
	HTTPStatus                       int
	TrxID, RefID                     string
	Live                             *bool
	Match                            *bool
	Score                            *float64
	// At is when the call started, if not the counter's clock now (a call
	// made days ago by a counter that was offline since).
	At time.Time
}

// Start records a call as pending and queues its first event.
func (c *Counter) Start(s CallSpec) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := NewUUID()
	c.order = append(c.order, id)
	at := s.At
	if at.IsZero() {
		at = c.Clock()
	}
	c.queue(hqsync.Event{CallID: id, Seq: 1, StartedAt: at.UTC().Truncate(time.Microsecond),
		Product: s.Product, CustRefNo: s.Ref, OSUser: "clerk" + c.ID, Profile: "Produksi", AppVersion: "1.4.0",
		InstallID: c.InstallID, Outcome: "pending"})
	return id
}

// Finish completes a pending call and queues the event.
func (c *Counter) Finish(id string, s CallSpec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := *c.calls[id]
	e.Seq++
	end := c.Clock().UTC().Truncate(time.Microsecond)
	if !s.At.IsZero() {
		end = s.At.Add(2 * time.Second).UTC().Truncate(time.Microsecond)
	}
	e.EndedAt = &end
	e.Outcome, e.ErrorKind, e.HTTPStatus, e.Attempts = s.Outcome, s.ErrorKind, s.HTTPStatus, 1
	e.TrxID, e.RefID = s.TrxID, s.RefID
	e.Live, e.MatchNIK, e.MatchFullName, e.FaceScore = s.Live, s.Match, s.Match, s.Score
	c.queue(e)
}

// Call records a whole call (pending, then its end).
func (c *Counter) Call(s CallSpec) string {
	id := c.Start(s)
	c.Finish(id, s)
	return id
}

// Pending implements hqsync.Outbox.
func (c *Counter) Pending(_ context.Context, n int) ([]hqsync.Event, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []hqsync.Event
	for _, e := range c.outbox {
		if !c.acked[e.ID] {
			out = append(out, e)
			if len(out) == n {
				break
			}
		}
	}
	return out, nil
}

// Ack implements hqsync.Outbox.
func (c *Counter) Ack(_ context.Context, ids []int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.FailAck {
		c.FailAck = false
		return fmt.Errorf("simulated: disk full")
	}
	for _, id := range ids {
		c.acked[id] = true
	}
	return nil
}

// Waiting implements hqsync.Outbox.
func (c *Counter) Waiting(_ context.Context) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.outbox {
		if !c.acked[e.ID] {
			n++
		}
	}
	return n, nil
}

// ApplyResolution implements hqsync.Outbox.
func (c *Counter) ApplyResolution(_ context.Context, r hqsync.Resolution) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.ID > c.cursor {
		c.cursor = r.ID
	}
	if _, ok := c.calls[r.CallID]; ok {
		c.resolved[r.CallID] = r
	}
	return nil
}

// ResolutionCursor implements hqsync.Outbox.
func (c *Counter) ResolutionCursor(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cursor, nil
}

// MarkSynced implements hqsync.Outbox.
func (c *Counter) MarkSynced(_ context.Context, at time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.LastSynced = at
	return nil
}

// Resolution returns what head office decided about a local call.
func (c *Counter) Resolution(id string) (hqsync.Resolution, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.resolved[id]
	return r, ok
}

// Calls returns the latest local state of every call, in call order.
func (c *Counter) Calls() []hqsync.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]hqsync.Event, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, *c.calls[id])
	}
	return out
}

// Record queues the event EventFrom makes of r (the history's path).
func (c *Counter) Record(r hqsync.CallRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.calls[r.CallID]; !ok {
		c.order = append(c.order, r.CallID)
	}
	r.InstallID = c.InstallID
	c.queue(hqsync.EventFrom(r))
}

// ForgetAcks makes every event undelivered again (acknowledgements lost:
// the whole outbox is delivered a second time).
func (c *Counter) ForgetAcks() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.acked = map[int64]bool{}
}

// Resend queues again, unchanged, the first event of every call (a late
// duplicate of a state head office has already gone past).
func (c *Counter) Resend() {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	for _, e := range append([]hqsync.Event(nil), c.outbox...) {
		if !seen[e.CallID] {
			seen[e.CallID] = true
			c.nextID++
			e.ID = c.nextID
			c.outbox = append(c.outbox, e)
		}
	}
}
