// Package outbox is the counter's local queue of head office events, kept
// in the history's own SQLite database so that each event is queued in the
// same transaction that records the state change it describes: a call on
// record always has its event queued, and an event never describes a
// change that was rolled back.
//
// The history calls Enqueue inside its transactions and adds Schema to its
// migrations; Store gives the sender (hqsync.Sender) its hqsync.Outbox over
// the same database. Events hold only what hqsync.EventFrom lets out of the
// PC, so they need no encryption. Delivered events are deleted; ids come
// from AUTOINCREMENT and are never reused, so the queue's order (and with it
// each call's Seq order) survives restarts.
package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kycdesk/kyc/hqsync"
)

// Schema creates the outbox's tables (idempotent). It is part of kyc/history's
// migration 3: never edit it (a released migration must not change); a change
// to these tables is a new migration of the history.
const Schema = `
CREATE TABLE IF NOT EXISTS hq_outbox (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	call_id   TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	event     TEXT NOT NULL,
	queued_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS hq_sync_state (
	k TEXT PRIMARY KEY,
	v TEXT NOT NULL
);`

// Execer is a *sql.Tx or *sql.DB.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Enqueue queues e inside the caller's transaction. e must come from
// hqsync.EventFrom (it is sanitised again here all the same).
func Enqueue(ctx context.Context, tx Execer, e hqsync.Event) error {
	e = hqsync.Sanitize(e)
	if e.CallID == "" || e.Seq < 1 {
		return errors.New("outbox: an event needs a call id and a seq ≥ 1")
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO hq_outbox (call_id, seq, event, queued_at) VALUES (?, ?, ?, ?)`,
		e.CallID, e.Seq, string(b), time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("outbox: queue event: %w", err)
	}
	return nil
}

// ApplyFunc records head office's resolution of a call in the history,
// inside tx. It reports found=false for a call the history does not have
// (reinstalled PC, expired row): the cursor still moves on.
type ApplyFunc func(ctx context.Context, tx *sql.Tx, r hqsync.Resolution) (found bool, err error)

// Store is the hqsync.Outbox over a history database.
type Store struct {
	db      *sql.DB
	apply   ApplyFunc
	profile string // "" : every profile's events
}

// New returns the outbox of db, whose schema includes Schema.
func New(db *sql.DB, apply ApplyFunc) *Store { return &Store{db: db, apply: apply} }

// ForProfile returns the outbox limited to the events of one profile's calls,
// with its own resolution cursor and last sync time: a data directory whose
// profiles report to different head offices gives each sender only its own
// calls. "" returns every profile's events (one head office).
func (s *Store) ForProfile(profile string) *Store {
	return &Store{db: s.db, apply: s.apply, profile: profile}
}

// where is the profile condition and its arguments.
func (s *Store) where() (string, []any) {
	if s.profile == "" {
		return "1", nil
	}
	return "json_extract(event, '$.profile') = ?", []any{s.profile}
}

// key is a state key, per profile when the outbox is limited to one.
func (s *Store) key(k string) string {
	if s.profile == "" {
		return k
	}
	return k + "/" + s.profile
}

var _ hqsync.Outbox = (*Store)(nil)

// Pending implements hqsync.Outbox.
func (s *Store) Pending(ctx context.Context, n int) ([]hqsync.Event, error) {
	cond, args := s.where()
	rows, err := s.db.QueryContext(ctx, `SELECT id, event FROM hq_outbox WHERE `+cond+` ORDER BY id LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hqsync.Event
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		var e hqsync.Event
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, fmt.Errorf("outbox: event %d is damaged: %w", id, err)
		}
		e.ID = id
		out = append(out, e)
	}
	return out, rows.Err()
}

// Ack implements hqsync.Outbox: delivered events are deleted.
func (s *Store) Ack(ctx context.Context, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		q := make([]string, n)
		args := make([]any, n)
		for i, id := range ids[:n] {
			q[i], args[i] = "?", id
		}
		if _, err := s.db.ExecContext(ctx, `DELETE FROM hq_outbox WHERE id IN (`+strings.Join(q, ",")+`)`, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// Waiting implements hqsync.Outbox.
func (s *Store) Waiting(ctx context.Context) (int, error) {
	var n int
	cond, args := s.where()
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM hq_outbox WHERE `+cond, args...).Scan(&n)
	return n, err
}

const (
	keyCursor   = "resolution_cursor"
	keyLastSync = "last_sync_ms"
)

func (s *Store) state(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, k string) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT v FROM hq_sync_state WHERE k = ?`, k).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func setState(ctx context.Context, tx Execer, k string, v int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO hq_sync_state (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
		k, strconv.FormatInt(v, 10))
	return err
}

// ApplyResolution implements hqsync.Outbox: the history's change and the
// cursor move in one transaction.
func (s *Store) ApplyResolution(ctx context.Context, r hqsync.Resolution) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	cur, err := s.state(ctx, tx, s.key(keyCursor))
	if err != nil {
		return err
	}
	if r.ID <= cur {
		return nil // already applied
	}
	if s.apply != nil {
		if _, err := s.apply(ctx, tx, r); err != nil {
			return err
		}
	}
	if err := setState(ctx, tx, s.key(keyCursor), r.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// ResolutionCursor implements hqsync.Outbox.
func (s *Store) ResolutionCursor(ctx context.Context) (int64, error) {
	return s.state(ctx, s.db, s.key(keyCursor))
}

// MarkSynced implements hqsync.Outbox.
func (s *Store) MarkSynced(ctx context.Context, at time.Time) error {
	return setState(ctx, s.db, s.key(keyLastSync), at.UnixMilli())
}

// LastSynced is the time of the last complete sync (zero: never), for
// `kycdesk sync status` and the window's status line when another process
// runs the sender.
func (s *Store) LastSynced(ctx context.Context) (time.Time, error) {
	ms, err := s.state(ctx, s.db, s.key(keyLastSync))
	if err != nil || ms == 0 {
		return time.Time{}, err
	}
	return time.UnixMilli(ms), nil
}
