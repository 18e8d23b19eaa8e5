package history

import (
	"context"
	"time"
)

// Purge deletes rows older than the retention period and images past their
// expiry, then checkpoints the WAL with TRUNCATE. secure_delete is on for
// every connection, so deleted content is overwritten in the database file,
// and the checkpoint empties the WAL that still held the old pages. Pending
// rows are never purged (their call is in flight). Returns rows deleted.
//
// With Policy.KeepAll no row is deleted for its age (images still expire: their
// short life is a fixed rule, not a setting, and a photo is not a billing
// record).
func (s *Store) Purge(ctx context.Context) (n int, err error) {
	defer func() { err = s.noteDamage(err) }()
	now := s.now()
	pol := s.policy()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck
	var rows int64
	if !pol.KeepAll {
		cutoff := now.Add(-pol.Retention).UnixMilli()
		res, err := tx.ExecContext(ctx, `DELETE FROM calls WHERE created_at < ? AND outcome <> ?`, cutoff, OutcomePending)
		if err != nil {
			return 0, err
		}
		rows, _ = res.RowsAffected()
	}
	imgs, err := tx.ExecContext(ctx, `DELETE FROM images WHERE expires_at < ?`, now.UnixMilli())
	if err != nil {
		return 0, err
	}
	ni, _ := imgs.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if rows > 0 || ni > 0 {
		if err := s.checkpoint(ctx); err != nil {
			return int(rows), err
		}
	}
	return int(rows), nil
}

// checkpoint copies the WAL into the database and truncates it to zero
// bytes. If another process is reading, SQLite may not be able to truncate
// now; the next checkpoint will.
func (s *Store) checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	return s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
}

// RunMaintenance runs Recover and Purge every interval (daily is plenty)
// until ctx ends. The GUI runs it in a goroutine; errors go to report
// (which may be nil) and do not stop the loop.
func (s *Store) RunMaintenance(ctx context.Context, every time.Duration, report func(error)) {
	if every <= 0 {
		every = 24 * time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, err1 := s.Recover(ctx)
			_, err2 := s.Purge(ctx)
			for _, err := range []error{err1, err2} {
				// An error because we are shutting down is not worth reporting.
				if err != nil && report != nil && ctx.Err() == nil {
					report(err)
				}
			}
		}
	}
}
