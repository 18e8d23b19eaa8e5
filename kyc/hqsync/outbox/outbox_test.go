package outbox_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/hqsync/outbox"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// history stands for kyc/history: a calls table whose every change queues
// its event in the same transaction.
type history struct {
	db *sql.DB
}

func openHistory(t *testing.T, path string) *history {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS calls (call_id TEXT PRIMARY KEY, seq INTEGER, outcome TEXT,
		resolution TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', started INTEGER);` + outbox.Schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &history{db: db}
}

// record writes a call's new state and its event together; fail rolls back.
func (h *history) record(t *testing.T, id string, seq int, outcome string, started time.Time, fail bool) {
	t.Helper()
	ctx := context.Background()
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO calls (call_id, seq, outcome, started) VALUES (?, ?, ?, ?)
		ON CONFLICT (call_id) DO UPDATE SET seq = excluded.seq, outcome = excluded.outcome`, id, seq, outcome, started.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	ev := hqsync.EventFrom(hqsync.CallRecord{CallID: id, Seq: seq, StartedAt: started, Product: "passive-liveness",
		CustRefNo: "REF-" + id[:8], Outcome: outcome, NIK: "3174015408900001"})
	if err := outbox.Enqueue(ctx, tx, ev); err != nil {
		t.Fatal(err)
	}
	if fail {
		return // rolled back: neither the call nor its event
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func (h *history) apply(ctx context.Context, tx *sql.Tx, r hqsync.Resolution) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE calls SET resolution = ?, note = ? WHERE call_id = ?`, r.Resolution, r.Note, r.CallID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func TestOutboxQueueAndRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	h := openHistory(t, path)
	now := time.Now().Truncate(time.Microsecond)
	a, b := hqtest.NewUUID(), hqtest.NewUUID()
	h.record(t, a, 1, "pending", now, false)
	h.record(t, b, 1, "pending", now, true) // rolled back
	h.record(t, a, 2, "success", now, false)
	s := outbox.New(h.db, h.apply)
	evs, err := s.Pending(ctx, 10)
	if err != nil || len(evs) != 2 || evs[0].Seq != 1 || evs[1].Seq != 2 || evs[0].CallID != a {
		t.Fatalf("pending: %+v %v", evs, err)
	}
	if evs[1].CustRefNo != "REF-"+a[:8] || evs[1].Outcome != "success" {
		t.Fatalf("event: %+v", evs[1])
	}
	if err := s.Ack(ctx, []int64{evs[0].ID}); err != nil {
		t.Fatal(err)
	}
	h.db.Close()

	// After a restart: what was not acknowledged is still there, in order,
	// and new events get later ids than any ever handed out.
	h = openHistory(t, path)
	s = outbox.New(h.db, h.apply)
	h.record(t, b, 1, "pending", now, false)
	evs, _ = s.Pending(ctx, 10)
	if len(evs) != 2 || evs[0].CallID != a || evs[0].Seq != 2 || evs[1].CallID != b || evs[1].ID <= evs[0].ID {
		t.Fatalf("after restart: %+v", evs)
	}
	if err := s.Ack(ctx, []int64{evs[0].ID, evs[1].ID}); err != nil {
		t.Fatal(err)
	}
	h.record(t, b, 2, "unknown", now, false)
	evs, _ = s.Pending(ctx, 10)
	if len(evs) != 1 || evs[0].ID <= 3 {
		t.Fatalf("ids reused: %+v", evs)
	}
	if n, _ := s.Waiting(ctx); n != 1 {
		t.Fatalf("waiting %d", n)
	}
}

// End to end: the history's outbox through the sender to PostgreSQL, and a
// resolution made at head office back into the history's row.
func TestOutboxThroughHeadOffice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := hqtest.NewDB(t)
	tg := db.AddCounter(t, "OUT-9", "1")
	h := openHistory(t, filepath.Join(t.TempDir(), "history.db"))
	s := outbox.New(h.db, h.apply)
	now := time.Now().Truncate(time.Microsecond)
	unk := hqtest.NewUUID()
	h.record(t, unk, 1, "pending", now, false)
	h.record(t, unk, 2, "unknown", now, false)
	sender, err := hqsync.New(s, hqsync.Config{Target: tg, Outlet: "OUT-9", Counter: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Waiting(ctx); n != 0 {
		t.Fatalf("waiting after sync: %d", n)
	}
	if last, err := s.LastSynced(ctx); err != nil || time.Since(last) > time.Minute {
		t.Fatalf("last synced %v %v", last, err)
	}
	office := db.Office(t, true)
	list, err := office.Unknowns(ctx, hq.Filter{}, hq.UnknownOptions{})
	if err != nil || len(list) != 1 {
		t.Fatalf("unknowns: %+v %v", list, err)
	}
	if err := office.Resolve(ctx, list[0].CallKey, hq.ResolutionNotBilled, "not in the vendor's portal"); err != nil {
		t.Fatal(err)
	}
	if _, err := sender.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var res, note string
	if err := h.db.QueryRow(`SELECT resolution, note FROM calls WHERE call_id = ?`, unk).Scan(&res, &note); err != nil ||
		res != "not_billed" || note != "not in the vendor's portal" {
		t.Fatalf("history row: %q %q %v", res, note, err)
	}
	// Pulled once: a second sync applies nothing again.
	r, err := sender.SyncOnce(ctx)
	if err != nil || r.Resolutions != 0 {
		t.Fatalf("second pull: %+v %v", r, err)
	}
}
