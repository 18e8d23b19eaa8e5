package history

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ownersDir holds one lock file per open Store (see the package doc).
const ownersDir = "owners"

var ownerID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ownerLock is this Store's liveness marker: a tiny SQLite database on which
// it holds an exclusive lock (locking_mode=EXCLUSIVE) until Close or death.
type ownerLock struct {
	id   string
	path string
	db   *sql.DB
}

func ownerPath(dir, id string) string { return filepath.Join(dir, ownersDir, id+".lock") }

func lockDSN(path string, extra string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if strings.HasPrefix(u.Path, "/") {
		return "file:" + u.EscapedPath() + "?" + extra
	}
	return "file:/" + u.EscapedPath() + "?" + extra
}

func acquireOwner(ctx context.Context, dir string) (*ownerLock, error) {
	if err := os.MkdirAll(filepath.Join(dir, ownersDir), 0o700); err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(b)
	path := ownerPath(dir, id)
	db, err := sql.Open("sqlite", lockDSN(path, "_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(DELETE)"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	// A write takes the EXCLUSIVE lock; locking_mode=EXCLUSIVE keeps it after
	// the commit, for as long as this connection lives.
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS owner (pid INTEGER, started INTEGER);
		INSERT INTO owner VALUES (?, ?)`, os.Getpid(), time.Now().UnixMilli()); err != nil {
		db.Close()
		os.Remove(path)
		return nil, fmt.Errorf("history: owner lock: %w", err)
	}
	return &ownerLock{id: id, path: path, db: db}, nil
}

func (o *ownerLock) release() {
	if o == nil {
		return
	}
	o.db.Close()
	os.Remove(o.path)
	os.Remove(o.path + "-journal")
}

// ownerAlive reports whether the Store with lock id is still open somewhere.
// A missing or lockable file means its process is gone. Any doubt (an
// unexpected error) counts as alive: wrongly keeping a row pending is
// harmless, wrongly calling a live call "unknown" is not.
func ownerAlive(ctx context.Context, dir, id string) bool {
	if !ownerID.MatchString(id) {
		return false // not written by this code; nobody can hold it
	}
	path := ownerPath(dir, id)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false
	}
	db, err := sql.Open("sqlite", lockDSN(path, "_pragma=busy_timeout(0)&mode=ro"))
	if err != nil {
		return true
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n)
	return err != nil
}

// removeDeadOwner deletes the lock file of a process that is gone.
func removeDeadOwner(dir, id string) {
	if ownerID.MatchString(id) {
		os.Remove(ownerPath(dir, id))
		os.Remove(ownerPath(dir, id) + "-journal")
	}
}

// liveOwners counts the Stores open on dir's history right now, in any process.
func liveOwners(ctx context.Context, dir string) int {
	ents, err := os.ReadDir(filepath.Join(dir, ownersDir))
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if id, ok := strings.CutSuffix(e.Name(), ".lock"); ok && ownerAlive(ctx, dir, id) {
			n++
		}
	}
	return n
}
