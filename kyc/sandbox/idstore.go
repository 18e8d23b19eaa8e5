package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// IDStoreFile is the file, in the per-user cache directory's KYCDesk
// folder, where sandboxes remember the last ids they handed out.
const IDStoreFile = "sandbox-ids.db"

// DefaultIDStore is the id store of the GUI's built-in sandbox, `kycdesk
// sandbox` and the commands' --server sandbox: shared by every process of
// the OS user, so two of them never hand out the same trx_id or ref_id, in
// the same second or after a restart. "" when the OS has no cache directory.
func DefaultIDStore() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "KYCDesk", IDStoreFile)
}

// idStore hands out ids across processes: one row in a small SQLite file,
// read and advanced inside an IMMEDIATE transaction (SQLite's file lock
// serialises the processes on every OS).
type idStore struct {
	mu sync.Mutex
	db *sql.DB
}

func openIDStore(path string) (*idStore, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	u := url.URL{Path: filepath.ToSlash(path)}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/… on Windows
	}
	dsn := "file:" + p + "?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS ids (
		k INTEGER PRIMARY KEY CHECK (k = 1), last_sec INTEGER NOT NULL, seq INTEGER NOT NULL, ref_n INTEGER NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	return &idStore{db: db}, nil
}

// next returns the next (second, sequence) of the trx_id and the ref_id
// counter, persisted before it returns.
func (s *idStore) next(sec int64) (lastSec int64, seq int, refN int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	err = tx.QueryRowContext(ctx, `SELECT last_sec, seq, ref_n FROM ids WHERE k = 1`).Scan(&lastSec, &seq, &refN)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		lastSec, seq, refN = sec, 0, 0
	case err != nil:
		return 0, 0, 0, err
	case sec > lastSec:
		lastSec, seq, refN = sec, 0, refN+1
	default:
		seq, refN = seq+1, refN+1
		if seq > 9999 {
			lastSec, seq = lastSec+1, 0
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ids (k, last_sec, seq, ref_n) VALUES (1, ?, ?, ?)
		ON CONFLICT (k) DO UPDATE SET last_sec = excluded.last_sec, seq = excluded.seq, ref_n = excluded.ref_n`,
		lastSec, seq, refN); err != nil {
		return 0, 0, 0, err
	}
	return lastSec, seq, refN, tx.Commit()
}

// refIDFromCounter turns the n-th ref_id into 10 digits: an affine
// permutation of [0, 10¹⁰) (the multiplier is coprime with 10¹⁰), so ids
// look random but never repeat within ten billion calls.
func refIDFromCounter(n int64) string {
	const mod = 10_000_000_000
	const a, b = 7_919_000_003, 4_294_967_291
	hi, lo := bits.Mul64(uint64(n%mod), a)
	_, r := bits.Div64(hi, lo, mod)
	v := (r + b) % mod
	return fmt.Sprintf("%010d", v)
}
