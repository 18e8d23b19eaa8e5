package history

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Recover turns the pending rows of processes that are gone into unknown
// rows with NoteInterrupted, and returns how many. Rows of live processes
// (this one or another) are left alone. Open calls it; RunMaintenance calls
// it periodically so the GUI notices a command that crashed while it runs.
func (s *Store) Recover(ctx context.Context) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT owner FROM calls WHERE outcome = ?`, OutcomePending)
	if err != nil {
		return 0, err
	}
	var owners []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			rows.Close()
			return 0, err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, o := range owners {
		if o == s.owner.id || ownerAlive(ctx, s.dir, o) {
			continue
		}
		n, err := s.recoverOwner(ctx, o)
		if err != nil {
			return total, err
		}
		total += n
		removeDeadOwner(s.dir, o)
	}
	s.sweepOwners(ctx)
	return total, nil
}

// sweepOwners removes lock files of processes that died with no pending
// row. Files younger than a minute are skipped: their Store may be between
// creating the file and locking it.
func (s *Store) sweepOwners(ctx context.Context) {
	ents, err := os.ReadDir(filepath.Join(s.dir, ownersDir))
	if err != nil {
		return
	}
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".lock")
		if !ok || id == s.owner.id || !ownerID.MatchString(id) {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < time.Minute {
			continue
		}
		if !ownerAlive(ctx, s.dir, id) {
			removeDeadOwner(s.dir, id)
		}
	}
}

// recoverOwner turns a dead process's pending rows into unknown ones, queueing
// each reported call's change for head office in the same transaction.
func (s *Store) recoverOwner(ctx context.Context, owner string) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	rows, err := tx.QueryContext(ctx, `SELECT id FROM calls WHERE outcome = ? AND owner = ?`, OutcomePending, owner)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET outcome = ?, error_kind = ?, note = ?, owner = '',
			hq_seq = CASE WHEN hq_seq > 0 THEN hq_seq + 1 ELSE 0 END WHERE id = ?`,
			OutcomeUnknown, KindInterrupted, NoteInterrupted, id); err != nil {
			return 0, err
		}
		if err := s.queueEvent(ctx, tx, id, nil); err != nil {
			return 0, err
		}
	}
	return len(ids), tx.Commit()
}
