package history

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/hqsync/outbox"
)

// Head office: a call whose profile reports to head office (Call.Sync) has every
// state change queued in the outbox in the transaction that records it — the
// pending row, its completion, its recovery as unknown after a crash, a
// resolution made at the counter — so the central table always ends up with the
// history's own record, and never with a change the history rolled back. What
// is queued is hqsync.EventFrom's selection: no personal field.
//
// The call's id at head office is the row's random uid (a UUID's 16 bytes),
// which is never reused, not even by a history started afresh: a reinstalled
// counter cannot collide with its old calls.

// Resolutions of a call with an unknown outcome.
const (
	ResolutionBilled    = "billed"
	ResolutionNotBilled = "not_billed"
)

// Where a resolution was made.
const (
	ResolvedAtHeadOffice = "head_office"
	ResolvedAtCounter    = "counter"
)

// MaxResolutionNote bounds a resolution's note (head office's own limit).
const MaxResolutionNote = 500

// Errors of Resolve.
var (
	ErrNotUnknown    = errors.New("history: only a call with an unknown outcome can be resolved")
	ErrBadResolution = errors.New("history: a resolution is billed or not_billed, with a note of at most 500 characters")
)

// Resolution is the decision on a call whose outcome is unknown: was it billed?
// Head office makes it (the usual case: it sees the vendor's invoice) and the
// sender brings it back; a counter may record its own (head office's wins there).
type Resolution struct {
	Value  string    // ResolutionBilled or ResolutionNotBilled; "" when unresolved
	Note   string    //
	By     string    // head office's login, or the counter's OS user
	At     time.Time //
	Source string    // ResolvedAtHeadOffice or ResolvedAtCounter
}

// Resolved reports whether a resolution was recorded.
func (r Resolution) Resolved() bool { return r.Value != "" }

// Billed reports whether the resolution says the call was billed.
func (r Resolution) Billed() bool { return r.Value == ResolutionBilled }

// metaInstallID names this history's random id in the meta table: head office
// sees a new one when a counter is reinstalled (a fresh history).
const metaInstallID = "hq.install_id"

// ensureInstallID gives the history its install id once (at Open, outside any
// call's transaction, so the id every event carries is the one on disk).
func (s *Store) ensureInstallID(ctx context.Context) error {
	b, err := newRowUID()
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		metaInstallID, uuidString(b)); err != nil {
		return err
	}
	id, _, err := s.Meta(ctx, metaInstallID)
	if err != nil {
		return err
	}
	s.installID = id
	return nil
}

// uuidString writes a row uid as head office's call id.
func uuidString(b []byte) string {
	h := hex.EncodeToString(b)
	if len(h) != 2*uidSize {
		return ""
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// parseUUID reads head office's call id back into a row uid.
func parseUUID(s string) ([]byte, bool) {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != uidSize {
		return nil, false
	}
	return b, true
}

// CallID returns a record's id at head office ("" for a row from before schema
// version 2, which has no uid and is never reported).
func (r Record) CallID() string { return uuidString(r.uid) }

// queueEvent queues the current state of row id for head office, inside tx,
// if the call is reported (hq_seq ≥ 1). result is the call's result as just
// received (the verdict is read from it; nil when there is none).
func (s *Store) queueEvent(ctx context.Context, tx *sql.Tx, id int64, result map[string]string) error {
	var (
		rec                          hqsync.CallRecord
		uid                          []byte
		created, resolvedAt          int64
		completed                    sql.NullInt64
		resolution, resolutionSource string
	)
	err := tx.QueryRowContext(ctx, `SELECT hq_seq, row_uid, created_at, completed_at, product, cust_ref_no, profile, os_user,
		app_version, outcome, error_kind, http_status, attempts, trx_id, ref_id, resolution, resolution_source, resolved_at
		FROM calls WHERE id = ?`, id).Scan(&rec.Seq, &uid, &created, &completed, &rec.Product, &rec.CustRefNo, &rec.Profile,
		&rec.OSUser, &rec.AppVersion, &rec.Outcome, &rec.ErrorKind, &rec.HTTPStatus, &rec.Attempts, &rec.TrxID, &rec.RefID,
		&resolution, &resolutionSource, &resolvedAt)
	if err != nil {
		return fmt.Errorf("history: event of call %d: %w", id, err)
	}
	if rec.Seq < 1 || len(uid) != uidSize {
		return nil // not reported to head office
	}
	rec.CallID, rec.InstallID, rec.Result = uuidString(uid), s.installID, result
	rec.StartedAt = time.UnixMilli(created)
	if completed.Valid {
		rec.EndedAt = time.UnixMilli(completed.Int64)
	}
	// Only the counter's own resolution travels: head office has its own.
	if resolutionSource == ResolvedAtCounter {
		rec.Resolution, rec.ResolvedAt = resolution, time.UnixMilli(resolvedAt)
	}
	if err := outbox.Enqueue(ctx, tx, hqsync.EventFrom(rec)); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}

// Resolve records the counter's own resolution of a call with an unknown outcome
// (billed or not billed, a note, who): shown in History and, for a call reported
// to head office, queued in the same transaction (the note stays on this PC: a
// clerk's free text may name the customer). The error is ErrNotFound,
// ErrNotUnknown or ErrBadResolution.
func (s *Store) Resolve(ctx context.Context, id int64, resolution, note, by string) (err error) {
	defer func() { err = s.noteDamage(err) }()
	note = strings.TrimSpace(note)
	if (resolution != ResolutionBilled && resolution != ResolutionNotBilled) || utf8.RuneCountInString(note) > MaxResolutionNote {
		return ErrBadResolution
	}
	if err := s.usable(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: resolve call %d: %w", id, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var outcome string
	switch err := tx.QueryRowContext(ctx, `SELECT outcome FROM calls WHERE id = ?`, id).Scan(&outcome); {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return fmt.Errorf("history: resolve call %d: %w", id, err)
	case outcome != OutcomeUnknown:
		return ErrNotUnknown
	}
	if _, err := tx.ExecContext(ctx, `UPDATE calls SET resolution = ?, resolution_note = ?, resolution_source = ?,
		resolved_by = ?, resolved_at = ?, hq_seq = CASE WHEN hq_seq > 0 THEN hq_seq + 1 ELSE 0 END WHERE id = ?`,
		resolution, note, ResolvedAtCounter, by, s.now().UnixMilli(), id); err != nil {
		return fmt.Errorf("history: resolve call %d: %w", id, err)
	}
	if err := s.queueEvent(ctx, tx, id, nil); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: resolve call %d: %w", id, err)
	}
	return nil
}

// applyResolution records head office's resolution of one of this history's
// calls, inside the outbox's transaction (which also moves its cursor). A call
// the history no longer has (expired, erased, another installation's) is
// reported as not found; nothing is queued: head office made the change.
func (s *Store) applyResolution(ctx context.Context, tx *sql.Tx, r hqsync.Resolution) (bool, error) {
	uid, ok := parseUUID(r.CallID)
	if !ok || (r.Resolution != ResolutionBilled && r.Resolution != ResolutionNotBilled) {
		return false, nil
	}
	at := r.ResolvedAt
	if at.IsZero() {
		at = s.now()
	}
	res, err := tx.ExecContext(ctx, `UPDATE calls SET resolution = ?, resolution_note = ?, resolution_source = ?,
		resolved_by = ?, resolved_at = ? WHERE row_uid = ?`,
		r.Resolution, r.Note, ResolvedAtHeadOffice, r.ResolvedBy, at.UnixMilli(), uid)
	if err != nil {
		return false, fmt.Errorf("history: apply head office's resolution: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Outbox returns the sender's view of this history's outbox (hqsync.Outbox):
// pending events, acknowledgements, and head office's resolutions applied to
// the calls with their cursor in one transaction. profile limits it to one
// profile's calls ("" : every profile's): one data directory may hold profiles
// that report to different head offices.
func (s *Store) Outbox(profile string) *outbox.Store {
	return outbox.New(s.db, s.applyResolution).ForProfile(profile)
}
