package service

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// counterDesk is one counter PC: its own data directory, a profile reporting to
// head office with its login's password in the keyring, a sender tuned to check
// often.
type counterDesk struct {
	e    *deskEnv
	d    *Desk
	conn *Connection
	prof vault.Profile

	mu     sync.Mutex
	states []SyncState
}

func newCounterDesk(t *testing.T, e *deskEnv, db *hqtest.DB, name, outlet, counter string) *counterDesk {
	t.Helper()
	c := &counterDesk{e: e, d: e.open()}
	c.d.sync.tune = func(cfg *hqsync.Config) {
		cfg.Interval, cfg.MinBackoff, cfg.MaxBackoff = 150*time.Millisecond, 50*time.Millisecond, 200*time.Millisecond
	}
	c.d.OnSyncChange(func(s SyncState) {
		c.mu.Lock()
		c.states = append(c.states, s)
		c.mu.Unlock()
	})
	tg := db.AddCounter(t, outlet, counter)
	v, _ := c.d.Vault()
	p := vault.Profile{Name: name, ServerURL: e.url, Sync: &vault.SyncSection{
		Server: fmt.Sprintf("127.0.0.1:%d", tg.Port), Database: tg.Database, User: tg.User, Outlet: outlet, Counter: counter}}
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := v.SetToken(ctx, name, sandbox.DefaultToken); err != nil {
		t.Fatal(err)
	}
	if err := v.SetSyncPassword(ctx, name, tg.Password); err != nil {
		t.Fatal(err)
	}
	c.prof, _ = v.Profile(name)
	conn, err := c.d.Connect(ctx, Target{Profile: c.prof})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	c.conn = conn
	return c
}

func (c *counterDesk) liveness(t *testing.T, ref string) {
	t.Helper()
	_, err := c.conn.Liveness(consented(t, c.d), kyc.LivenessRequest{CustRefNo: ref, SelfieImage: photoB64(t)})
	if err != nil && !strings.HasPrefix(ref, "SBX-") {
		t.Fatal(err)
	}
}

func (c *counterDesk) record(t *testing.T, ref string) history.Record {
	t.Helper()
	s, err := c.d.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.ByRef(context.Background(), ref, false)
	if err != nil || len(recs) != 1 {
		t.Fatalf("%s: %d records, %v", ref, len(recs), err)
	}
	return recs[0]
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two counters (two data directories) and head office on one PostgreSQL, end to
// end through the real path: calls made through the Desk (consent, sandbox
// gateway, history), queued in the history's outbox, delivered by the Desk's
// sender within seconds, figures at head office; an unknown outcome resolved at
// head office comes back to its counter's History; nothing personal arrives.
func TestTwoCountersAndHeadOffice(t *testing.T) {
	ctx := context.Background()
	db := hqtest.NewDB(t)
	ea, eb := newDeskEnv(t), newDeskEnv(t) // (each resets the in-memory keyring: both first)
	a := newCounterDesk(t, ea, db, "Cabang Tebet", "OUT-TEBET", "1")
	b := newCounterDesk(t, eb, db, "Cabang Depok", "OUT-DEPOK", "2")
	office := db.Office(t, true)

	person := sandbox.Specimens()[0]
	a.liveness(t, "A-LIVE-1")
	a.liveness(t, "SBX-504-A1") // the gateway timed out: unknown, maybe billed
	if _, err := a.conn.Validate(consented(t, a.d), kyc.ValidationRequest{CustRefNo: "A-VAL-1", NIK: person.NIK,
		Name: person.Fields()["nama"], Address: person.Fields()["alamat"], SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	b.liveness(t, "B-LIVE-1")
	b.liveness(t, "SBX-404-B1") // rejected

	// The desks' clock starts on 1 March 2026 (deskEnv).
	days := hq.Filter{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Now().AddDate(0, 0, 1)}
	total := func() int64 {
		rows, err := office.Summary(ctx, days, hq.ByOutlet)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, r := range rows {
			n += r.Total - r.Pending
		}
		return n
	}
	waitUntil(t, "five finished calls at head office", func() bool { return total() == 5 })
	rows, _ := office.Summary(ctx, days, hq.ByOutlet)
	byOutlet := map[string]hq.Counts{}
	for _, r := range rows {
		byOutlet[r.Outlet] = r.Counts
	}
	if c := byOutlet["OUT-TEBET"]; c.Total != 3 || c.Success != 2 || c.Unknown != 1 || c.UnknownOpen != 1 {
		t.Fatalf("Tebet: %+v", c)
	}
	if c := byOutlet["OUT-DEPOK"]; c.Total != 2 || c.Success != 1 || c.Rejected != 1 {
		t.Fatalf("Depok: %+v", c)
	}
	for _, c := range []*counterDesk{a, b} {
		waitUntil(t, "the status line's figures", func() bool {
			st := c.d.SyncState()
			return st.Active() && st.State == hqsync.StateOK && st.Waiting == 0 && !st.LastSync.IsZero()
		})
	}

	// Nothing personal reached head office: the specimen's NIK, name and address.
	dump := db.Dump(t)
	if !strings.Contains(dump, "A-VAL-1") {
		t.Fatal("the dump does not hold the calls")
	}
	for _, v := range []string{person.NIK, person.Fields()["nama"], person.Fields()["alamat"]} {
		if strings.Contains(strings.ToUpper(dump), strings.ToUpper(v)) {
			t.Errorf("%q reached head office", v)
		}
	}

	// The unknown outcome, resolved at head office, seen resolved on its counter.
	unk, err := office.Unknowns(ctx, days, hq.UnknownOptions{})
	if err != nil || len(unk) != 1 || unk[0].CustRefNo != "SBX-504-A1" || unk[0].Outlet != "OUT-TEBET" {
		t.Fatalf("unknowns %+v %v", unk, err)
	}
	if unk[0].CallID != a.record(t, "SBX-504-A1").CallID() {
		t.Fatalf("head office's id %s is not the history's", unk[0].CallID)
	}
	if err := office.Resolve(ctx, unk[0].CallKey, hq.ResolutionNotBilled, "tidak ada di tagihan vendor"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the resolution on the counter", func() bool { return a.record(t, "SBX-504-A1").Resolution.Resolved() })
	res := a.record(t, "SBX-504-A1").Resolution
	if res.Billed() || res.Source != history.ResolvedAtHeadOffice || res.Note != "tidak ada di tagihan vendor" || res.By == "" || res.At.IsZero() {
		t.Fatalf("resolution on the counter %+v", res)
	}

	// A command's last call is delivered before it exits (Close flushes).
	c, err := a.d.Connect(ctx, Target{Profile: a.prof})
	if err != nil {
		t.Fatal(err)
	}
	a.d.stopSync(0) // as if the sender had not got to it yet
	a.d.startSync(a.prof)
	if _, err := c.Liveness(consented(t, a.d), kyc.LivenessRequest{CustRefNo: "A-LAST", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	a.d.Close()
	if total() != 6 {
		t.Fatalf("the last call was not flushed: %d at head office", total())
	}
	a.mu.Lock()
	n := len(a.states)
	a.mu.Unlock()
	if n < 3 {
		t.Fatalf("the status line heard of %d changes", n)
	}
}

// A profile without a sync section runs no sender and queues nothing; a sync
// section that cannot start (no password in the keyring) says so in the status,
// and the calls are still queued for later.
func TestSyncFollowsTheProfile(t *testing.T) {
	ctx := context.Background()
	e := newDeskEnv(t)
	d := e.open()
	conn := e.connect(d) // "Outlet": no sync section
	if _, err := conn.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "PLAIN", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	if st := d.SyncState(); st.Active() {
		t.Fatalf("a sender runs for a profile without sync: %+v", st)
	}
	if q, err := d.SyncQueue(ctx, ""); err != nil || q.Waiting != 0 {
		t.Fatalf("queue %+v %v", q, err)
	}
	v, _ := d.Vault()
	p := vault.Profile{Name: "Sync", ServerURL: e.url, Sync: &vault.SyncSection{Server: "127.0.0.1:1", Database: "kycdesk",
		User: "kyc_c_x", Outlet: "X", Counter: "1"}}
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	_ = v.SetToken(ctx, "Sync", sandbox.DefaultToken)
	p, _ = v.Profile("Sync")
	c2, err := d.Connect(ctx, Target{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Liveness(consented(t, d), kyc.LivenessRequest{CustRefNo: "QUEUED", SelfieImage: photoB64(t)}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the failure in the status", func() bool {
		st := d.SyncState()
		return st.Active() && st.State == hqsync.StateError && st.Err != nil
	})
	if q, _ := d.SyncQueue(ctx, "Sync"); q.Waiting != 2 || !q.LastSync.IsZero() {
		t.Fatalf("queue %+v", q)
	}
	// Back to the plain profile: the sender stops, the events wait.
	if _, err := d.Connect(ctx, Target{Profile: e.outlet(d)}); err != nil {
		t.Fatal(err)
	}
	if st := d.SyncState(); st.Active() {
		t.Fatalf("sender still runs: %+v", st)
	}
	if q, _ := d.SyncQueue(ctx, "Sync"); q.Waiting != 2 {
		t.Fatalf("queue %+v", q)
	}
}
