package history

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"

	"kycdesk/kyc/safefile"
)

// ErrCorrupt matches every *CorruptError.
var ErrCorrupt = errors.New("history: the database is damaged")

// CorruptError says the history database is damaged: a torn or truncated file,
// a file that is not a database, or pages SQLite refuses to read. Open sets a
// damaged database aside (never deletes it: it is the record of billed calls) and
// starts a new one; a Store that meets damage while running refuses new calls and
// leaves a marker so the next Open does the same.
type CorruptError struct {
	Path   string // the database file
	Reason string // what is wrong, for the report
	// InUse is set when the database could not be set aside because another KYC
	// Desk process (the window, a command) still has it open.
	InUse bool
	Err   error
}

func (e *CorruptError) Error() string {
	msg := fmt.Sprintf("history: %s is damaged: %s", e.Path, e.Reason)
	if e.InUse {
		msg += "; another KYC Desk process still has it open: close it, then try again (the damaged file will be kept aside and a new history started)"
	}
	return msg
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrCorrupt) work.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// SetAside reports a damaged database that Open moved aside before starting a new one.
type SetAside struct {
	From   string    // where it was (the history's path)
	Path   string    // where it is now (the WAL and shared-memory files follow with -wal/-shm)
	Reason string    // what was wrong
	At     time.Time // when it was moved
}

// damagedPrefix starts the name of every database set aside.
const damagedPrefix = "history-damaged-"

// markerFile records damage met while running, for the next Open.
const markerFile = FileName + ".damaged"

// SQLite's primary result codes for a damaged database and a full disk.
const (
	sqliteIOErr   = 10
	sqliteCorrupt = 11
	sqliteFull    = 13
	sqliteNotADB  = 26
)

// ErrDiskFull means a write failed for want of space (or a file size limit):
// nothing was recorded, and nothing is sent without a record.
var ErrDiskFull = errors.New("history: the disk is full")

// diskFull wraps err with ErrDiskFull when it is SQLite or the OS reporting a full
// disk, or a generic I/O error while dir's disk has no room left (SQLite reports a
// full disk met in its shared-memory file as a plain I/O error).
func diskFull(dir string, err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	var se *sqlite.Error
	full := safefile.DiskFull(err)
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteFull:
			full = true
		case sqliteIOErr:
			full = full || safefile.NoRoom(dir)
		}
	}
	if full {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

// corruption returns a *CorruptError if err is SQLite reporting damage, else nil.
func corruption(path string, err error) *CorruptError {
	if err == nil {
		return nil
	}
	var ce *CorruptError
	if errors.As(err, &ce) {
		return ce
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteCorrupt:
			return &CorruptError{Path: path, Reason: "SQLite reports a malformed database (" + se.Error() + ")", Err: err}
		case sqliteNotADB:
			return &CorruptError{Path: path, Reason: "the file is not a SQLite database", Err: err}
		}
	}
	return nil
}

// checkHeader catches damage SQLite itself only notices when it reads the
// affected page: a file that is not a database, or one cut short (a copy
// interrupted, a disk that lost its tail). Without a WAL to complete it, a
// database file must hold every page its header counts.
func checkHeader(path string) *CorruptError {
	f, err := os.Open(path)
	if err != nil {
		return nil // missing: a new history; unreadable: SQLite will say why
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 || !st.Mode().IsRegular() {
		return nil // nothing to judge; SQLite says what is wrong with a non-file
	}
	bad := func(format string, a ...any) *CorruptError {
		return &CorruptError{Path: path, Reason: fmt.Sprintf(format, a...)}
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return bad("the file is cut short (%d bytes)", st.Size())
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		return bad("the file is not a SQLite database")
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return bad("its header is damaged (page size %d)", pageSize)
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil // the WAL may hold the pages the file does not have yet
	}
	if st.Size()%pageSize != 0 {
		return bad("the file is cut short (%d bytes, not a whole number of %d-byte pages)", st.Size(), pageSize)
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	valid := binary.BigEndian.Uint32(h[24:28]) == binary.BigEndian.Uint32(h[92:96])
	if valid && pages > 0 && pages*pageSize > st.Size() {
		return bad("the file is cut short (%d bytes; its header counts %d pages of %d bytes)", st.Size(), pages, pageSize)
	}
	return nil
}

// readMarker returns the damage recorded by a Store that met it while running.
func readMarker(dir string) *CorruptError {
	b, err := os.ReadFile(filepath.Join(dir, markerFile))
	if err != nil {
		return nil
	}
	reason := strings.TrimSpace(string(b))
	if reason == "" {
		reason = "damage was found while it was in use"
	}
	return &CorruptError{Path: filepath.Join(dir, FileName), Reason: reason}
}

// setAside moves the damaged database (and its WAL and shared-memory files)
// to history-damaged-<UTC time>.db in the same directory, unless another process
// has it open. Nothing is deleted.
func setAside(ctx context.Context, dir string, ce *CorruptError, now time.Time) (*SetAside, error) {
	if owners := liveOwners(ctx, dir); owners > 0 {
		c := *ce
		c.InUse = true
		return nil, &c
	}
	src := filepath.Join(dir, FileName)
	stamp := now.UTC().Format("20060102T150405.000Z")
	dst := filepath.Join(dir, damagedPrefix+strings.Replace(stamp, ".", "", 1)+".db")
	if _, err := os.Stat(src); err == nil {
		if err := safefile.Rename(src, dst); err != nil {
			return nil, fmt.Errorf("history: cannot set the damaged database aside: %w", err)
		}
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(src + suffix); err == nil {
			if err := safefile.Rename(src+suffix, dst+suffix); err != nil {
				return nil, fmt.Errorf("history: cannot set the damaged database's %s file aside: %w", suffix, err)
			}
		}
	}
	_ = os.Remove(filepath.Join(dir, markerFile))
	return &SetAside{From: src, Path: dst, Reason: ce.Reason, At: now}, nil
}

// DamagedFiles lists the damaged databases set aside in dir so far, oldest first.
// They hold the record of calls that may have been billed: the window lists them
// until IT has dealt with them (kept, sent to the vendor, archived).
func DamagedFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); strings.HasPrefix(n, damagedPrefix) && strings.HasSuffix(n, ".db") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// noteDamage turns SQLite's report of damage met while running into a
// *CorruptError, remembers it (so no further call is recorded into, or sent
// past, a damaged database) and leaves the marker for the next Open. Other
// errors pass through.
func (s *Store) noteDamage(err error) error {
	ce := corruption(s.Path(), err)
	if ce == nil {
		return diskFull(s.dir, err)
	}
	s.dmu.Lock()
	first := s.damage == nil
	if first {
		s.damage = ce
	}
	s.dmu.Unlock()
	if first {
		_ = safefile.Write(filepath.Join(s.dir, markerFile), []byte(ce.Reason+"\n"))
	}
	return ce
}

// usable returns the damage met while running, if any.
func (s *Store) usable() error {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.damage != nil {
		return s.damage
	}
	return nil
}

// Damage returns the damage this Store met while running (nil if none). The
// next Open sets the database aside.
func (s *Store) Damage() *CorruptError {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	return s.damage
}

// SetAside returns what Open moved aside before starting this history, or nil.
func (s *Store) SetAside() *SetAside { return s.setAside }

// Check runs SQLite's integrity check over the whole database (quick: the
// faster quick_check, which skips index-content checks) and returns its
// findings; none means the database is sound. Damage found is remembered as
// if met while running: new calls are refused and the next Open sets the
// database aside.
func (s *Store) Check(ctx context.Context, quick bool) ([]string, error) {
	pragma := "PRAGMA integrity_check"
	if quick {
		pragma = "PRAGMA quick_check"
	}
	rows, err := s.db.QueryContext(ctx, pragma)
	if err != nil {
		return nil, s.noteDamage(err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return found, s.noteDamage(err)
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		return found, s.noteDamage(err)
	}
	if len(found) > 0 {
		_ = s.noteDamage(&CorruptError{Path: s.Path(), Reason: "integrity check: " + found[0]})
	}
	return found, nil
}
