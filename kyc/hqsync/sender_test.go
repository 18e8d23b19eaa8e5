package hqsync_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func newSender(t *testing.T, c *hqtest.Counter, target hqdb.Target) *hqsync.Sender {
	t.Helper()
	pw := target.Password
	target.Password = ""
	s, err := hqsync.New(c, hqsync.Config{
		Target: target, Outlet: c.Outlet, Counter: c.ID, BatchSize: 50,
		Password:   func(context.Context) (string, error) { return pw, nil },
		Interval:   50 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, CallTimeout: 5 * time.Second,
		Now: func() time.Time { return c.Clock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seqNo numbers the calls of every simulated counter (counters run concurrently).
var seqCounter atomic.Int64

// spec makes a call: every tenth unknown, every seventh rejected, else success.
func spec(i int) hqtest.CallSpec {
	seqNo := seqCounter.Add(1)
	s := hqtest.CallSpec{Product: []string{"passive-liveness", "id-recognize", "id-validation"}[i%3],
		Ref: fmt.Sprintf("REF-%d-%d", i, seqNo), Outcome: "success", HTTPStatus: 200,
		TrxID: fmt.Sprintf("2026030110%06d%02d", seqNo, i%100), RefID: "1234567890"}
	switch {
	case i%10 == 0:
		s.Outcome, s.ErrorKind, s.HTTPStatus, s.TrxID, s.RefID = "unknown", "gateway_timeout", 504, "", ""
	case i%7 == 0:
		s.Outcome, s.ErrorKind, s.HTTPStatus, s.TrxID, s.RefID = "rejected", "quota_exceeded", 200, "", ""
	}
	return s
}

func expectClean(t *testing.T, db *hqtest.DB, local []hqtest.LocalCall) {
	t.Helper()
	for _, p := range hqtest.Reconcile(local, db.Central(t)) {
		t.Error(p)
	}
	for _, p := range db.RollupDrift(t) {
		t.Error("rollup: " + p)
	}
}

// A counter's calls reach head office once; redelivering the whole outbox,
// and late duplicates of earlier states, change nothing.
func TestPushIdempotentAndOrdered(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-1", "1")
	s := newSender(t, c, db.AddCounter(t, c.Outlet, c.ID))

	for i := range 120 {
		c.Call(spec(i))
	}
	// One call in flight: head office sees it pending.
	inflight := c.Start(hqtest.CallSpec{Product: "passive-liveness", Ref: "INFLIGHT"})
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.State != hqsync.StateOK || st.Waiting != 0 || st.LastSync.IsZero() {
		t.Fatalf("status after sync: %+v", st)
	}
	office := db.Office(t, false)
	sum, err := office.Summary(ctx, hq.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != 1 || sum[0].Total != 121 || sum[0].Pending != 1 || sum[0].Unknown != 12 ||
		sum[0].Success+sum[0].Rejected != 108 || sum[0].Billable != sum[0].Success {
		t.Fatalf("summary: %+v", sum)
	}
	c.Finish(inflight, hqtest.CallSpec{Outcome: "success", HTTPStatus: 200, TrxID: "202603011000009999"})

	// Everything again (acknowledgements lost), then stale first events.
	c.ForgetAcks()
	c.Resend()
	res, err := s.SyncOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Rejected != 0 {
		t.Fatalf("redelivery applied %d events (want only the finished in-flight call), rejected %d", res.Sent, res.Rejected)
	}
	sum, _ = office.Summary(ctx, hq.Filter{})
	if sum[0].Total != 121 || sum[0].Pending != 0 {
		t.Fatalf("after redelivery: %+v", sum[0])
	}
	expectClean(t, db, c.Snapshot())
}

// A failed acknowledgement (local disk full) resends the batch: still once.
func TestAckFailureResends(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-2", "A")
	s := newSender(t, c, db.AddCounter(t, c.Outlet, c.ID))
	for i := range 30 {
		c.Call(spec(i))
	}
	c.FailAck = true
	if _, err := s.SyncOnce(ctx); err == nil {
		t.Fatal("a failed acknowledgement was not reported")
	}
	if st := s.Status(); st.Waiting != 60 || st.Err == nil {
		t.Fatalf("status: %+v", st)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	expectClean(t, db, c.Snapshot())
}

// Head office resolves an unknown outcome; the counter receives it with its
// note. A read-only login cannot resolve, nor can anyone resolve a success.
func TestResolutionSyncsBack(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-3", "1")
	s := newSender(t, c, db.AddCounter(t, c.Outlet, c.ID))
	unk := c.Call(hqtest.CallSpec{Product: "id-validation", Ref: "REF-UNK", Outcome: "unknown", ErrorKind: "timeout"})
	okID := c.Call(hqtest.CallSpec{Product: "id-validation", Ref: "REF-OK", Outcome: "success", TrxID: "202603011000000001"})
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	reader, writer := db.Office(t, false), db.Office(t, true)
	list, err := reader.Unknowns(ctx, hq.Filter{}, hq.UnknownOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].CallID != unk || list[0].Outlet != "OUT-3" || list[0].CustRefNo != "REF-UNK" {
		t.Fatalf("unknowns: %+v", list)
	}
	if err := reader.Resolve(ctx, list[0].CallKey, hq.ResolutionBilled, "x"); !errors.Is(err, hqdb.ErrDenied) {
		t.Fatalf("read-only resolve: %v", err)
	}
	okCall, err := reader.Call(ctx, hq.CallKey{CallID: okID, StartedAt: list[0].StartedAt})
	if err == nil {
		t.Fatalf("found %+v under the wrong start time", okCall)
	}
	if err := writer.Resolve(ctx, list[0].CallKey, "maybe", ""); !errors.Is(err, hqdb.ErrInvalid) {
		t.Fatalf("bad resolution: %v", err)
	}
	if err := writer.Resolve(ctx, list[0].CallKey, hq.ResolutionBilled, "vendor portal shows trx 2026…0042"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	r, ok := c.Resolution(unk)
	if !ok || r.Resolution != "billed" || r.Note != "vendor portal shows trx 2026…0042" || r.ResolvedBy == "" {
		t.Fatalf("counter got %+v, %v", r, ok)
	}
	if list, _ := reader.Unknowns(ctx, hq.Filter{}, hq.UnknownOptions{}); len(list) != 0 {
		t.Fatalf("still open: %+v", list)
	}
	sum, _ := reader.Summary(ctx, hq.Filter{})
	if sum[0].ResolvedBilled != 1 || sum[0].UnknownOpen != 0 {
		t.Fatalf("summary: %+v", sum[0])
	}
	// The counter's redelivery of the unknown call must not undo head office's decision.
	c.ForgetAcks()
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := reader.Call(ctx, list0(t, reader, ctx))
	if err != nil || got.Resolution != "billed" {
		t.Fatalf("after redelivery: %+v %v", got, err)
	}
	for _, p := range db.RollupDrift(t) {
		t.Error(p)
	}
}

func list0(t *testing.T, c *hq.Client, ctx context.Context) hq.CallKey {
	t.Helper()
	l, err := c.Unknowns(ctx, hq.Filter{}, hq.UnknownOptions{Resolved: true})
	if err != nil || len(l) != 1 {
		t.Fatalf("resolved list: %+v %v", l, err)
	}
	return l[0].CallKey
}

// Each counter writes only its own rows: its claimed outlet must match its
// login, it cannot read the tables, and sending another counter's call id
// files a separate row under its own name.
func TestCounterIsolation(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	a, b := hqtest.NewCounter("OUT-A", "1"), hqtest.NewCounter("OUT-B", "1")
	ta, tb := db.AddCounter(t, a.Outlet, a.ID), db.AddCounter(t, b.Outlet, b.ID)
	sa, sb := newSender(t, a, ta), newSender(t, b, tb)
	id := a.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: "A-1", Outcome: "success", TrxID: "1"})
	if _, err := sa.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	// B pretends to be outlet A.
	liar := hqtest.NewCounter("OUT-A", "1")
	if _, err := newSender(t, liar, tb).SyncOnce(ctx); !errors.Is(err, hqdb.ErrOutletMismatch) {
		t.Fatalf("claiming another outlet: %v", err)
	}
	// B sends an event with A's call id and start, as a failure.
	ev := a.Calls()[0]
	b.Record(hqsync.CallRecord{CallID: id, Seq: 9, StartedAt: ev.StartedAt, Product: ev.Product, CustRefNo: "A-1", Outcome: "failed"})
	if _, err := sb.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	central := db.Central(t)
	for _, c := range central {
		if c.Outlet == "OUT-A" && c.Outcome != "success" {
			t.Fatalf("B changed A's call: %+v", c)
		}
	}
	if len(central) != 2 {
		t.Fatalf("want A's row and B's own row, got %+v", central)
	}
	// A counter login cannot read or write the tables directly.
	conn, err := hqdb.Connect(ctx, ta)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{`SELECT count(*) FROM kyc.calls`, `DELETE FROM kyc.calls`, `UPDATE kyc.daily_outlet SET total = 0`,
		`SELECT kyc.resolve('00000000-0000-0000-0000-000000000000', now(), 'billed', '')`} {
		if _, err := conn.Exec(ctx, q); !errors.Is(hqdb.Classify("t", err), hqdb.ErrDenied) {
			t.Errorf("%s as a counter: %v", q, err)
		}
	}
	// An unregistered login is told so.
	db.Exec(t, `CREATE ROLE stray_`+db.Name[len(db.Name)-6:]+` LOGIN PASSWORD 'stray-pw' IN ROLE kyc_counter`)
	stray := db.Target("stray_"+db.Name[len(db.Name)-6:], "stray-pw")
	if _, err := newSender(t, hqtest.NewCounter("X", "1"), stray).SyncOnce(ctx); !errors.Is(err, hqdb.ErrNotRegistered) {
		t.Fatalf("unregistered: %v", err)
	}
}

// A wrong password is an error to fix, not a network outage.
func TestWrongPassword(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-P", "1")
	tg := db.AddCounter(t, c.Outlet, c.ID)
	tg.Password = "not-it"
	s := newSender(t, c, tg)
	c.Call(spec(1))
	_, err := s.SyncOnce(ctx)
	if !errors.Is(err, hqdb.ErrAuth) {
		t.Fatalf("wrong password: %v", err)
	}
	if st := s.Status(); st.State != hqsync.StateError || st.Waiting != 2 {
		t.Fatalf("status: %+v", st)
	}
	if msg := err.Error(); len(msg) == 0 || contains(msg, "not-it") {
		t.Fatalf("error text %q", msg)
	}
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && (s == sub || index(s, sub) >= 0)
}

func index(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// Run sends a call as soon as it is kicked (not at the next interval), and
// gives its connection back to the server once idle.
func TestRunKickAndIdleClose(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-RUN", "1")
	tg := db.AddCounter(t, c.Outlet, c.ID)
	pw := tg.Password
	s, err := hqsync.New(c, hqsync.Config{Target: tg, Outlet: c.Outlet, Counter: c.ID,
		Password: func(context.Context) (string, error) { return pw, nil },
		Interval: time.Hour, IdleClose: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	changes := make(chan hqsync.Status, 10)
	s.OnChange(func(st hqsync.Status) {
		select {
		case changes <- st:
		default:
		}
	})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { stop(); <-done }()
	<-changes // the first sync, at start

	c.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: "KICKED", Outcome: "success", TrxID: "1"})
	s.Kick()
	select {
	case st := <-changes:
		if st.Waiting != 0 || st.State != hqsync.StateOK {
			t.Fatalf("after kick: %+v", st)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a kick did not sync")
	}
	conns := func() int {
		conn, err := db.Srv.Admin(ctx, db.Name)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kycdesk sync OUT-RUN/1'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := conns(); n != 1 {
		t.Fatalf("connections right after a sync: %d", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for conns() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle connection was not closed")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
