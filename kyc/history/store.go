package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"kycdesk/kyc/safefile"
)

// FileName is the database file in the data directory.
const FileName = "history.db"

// DefaultRetention is how long rows are kept (see the package doc).
const DefaultRetention = 90 * 24 * time.Hour

// DefaultImageRetention is how long stored images are kept when StoreImages
// is on: long enough to settle a same-week dispute about a photo, far less
// than the row itself, because a selfie is biometric data.
const DefaultImageRetention = 7 * 24 * time.Hour

// BusyTimeout is how long a write waits for the other process's write.
const BusyTimeout = 5 * time.Second

// Errors.
var (
	ErrNewerSchema = errors.New("history: the database was written by a newer KYC Desk")
	ErrNotFound    = errors.New("history: no such record")
	ErrClosed      = errors.New("history: store closed")
)

// KeySource supplies the history's keys; *vault.Vault implements it. Key
// returns a 32-byte key, creating it when create is true; when the key does
// not exist and create is false it returns an error matching
// vault.ErrNotFound.
type KeySource interface {
	Key(ctx context.Context, name string, create bool) ([]byte, error)
}

// Options configures Open.
type Options struct {
	Dir       string        // data directory (vault.DataDir()); required
	Keys      KeySource     // required
	Retention time.Duration // 0 → DefaultRetention
	// KeepAll turns retention off: no row is deleted for its age. The service sets
	// it while the settings are in doubt (settings.json damaged or lost): a
	// retention nobody chose must never delete billing records.
	KeepAll        bool
	StoreImages    bool             // keep images passed in Call.Images (encrypted, expiring)
	ImageRetention time.Duration    // 0 → DefaultImageRetention
	Now            func() time.Time // clock; nil → time.Now
	// KeepDamaged makes Open return a *CorruptError for a damaged database
	// instead of setting it aside and starting a new one (tools that only read).
	KeepDamaged bool
}

// Policy is the part of the options the merchant's settings decide; SetPolicy
// changes it on a live store.
type Policy struct {
	Retention   time.Duration // 0 → DefaultRetention
	KeepAll     bool          // no row is deleted for its age
	StoreImages bool          // keep the images calls carry
}

// Store is an open history. Safe for concurrent use; other processes may have
// the same file open at the same time.
type Store struct {
	dir   string
	db    *sql.DB
	opts  Options
	owner *ownerLock

	mu      sync.RWMutex
	keys    map[int64]*keySet // available generations
	current int64             // generation new rows are sealed under; 0 if none yet
	keyErr  error             // why the current generation is unavailable, nil if it is
	pol     Policy

	installID string // this history's random id (meta hq.install_id), set at Open

	dmu      sync.Mutex
	damage   *CorruptError // damage met while running
	setAside *SetAside     // what Open moved aside before starting this history
}

func (s *Store) now() time.Time { return s.opts.Now() }

func dsn(path string) string {
	return lockDSN(path, "_txlock=immediate"+
		"&_pragma=busy_timeout("+fmt.Sprint(BusyTimeout.Milliseconds())+")"+
		"&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(FULL)"+
		"&_pragma=foreign_keys(ON)"+
		"&_pragma=secure_delete(ON)")
}

// Open opens (creating if needed) the history in opts.Dir: it applies
// migrations, loads or creates the keys, turns pending rows of dead
// processes into unknown ones and deletes expired rows. A keyring problem
// does not make Open fail: see KeyStatus.
//
// A damaged database (not a database, cut short, pages SQLite cannot read, or
// damage a running Store recorded) is moved aside as history-damaged-<time>.db,
// never deleted, and a new history is started; SetAside reports it. If another
// process still has the damaged database open, Open returns a *CorruptError
// with InUse set instead.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Dir == "" || opts.Keys == nil {
		return nil, errors.New("history: Options.Dir and Options.Keys are required")
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.ImageRetention <= 0 {
		opts.ImageRetention = DefaultImageRetention
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := safefile.MkdirAll(opts.Dir); err != nil {
		return nil, fmt.Errorf("history: data directory: %w", err)
	}
	s, err := open(ctx, opts)
	var ce *CorruptError
	if err == nil || !errors.As(err, &ce) || opts.KeepDamaged {
		return s, err
	}
	moved, err := setAside(ctx, opts.Dir, ce, opts.Now())
	if err != nil {
		return nil, err
	}
	if s, err = open(ctx, opts); err != nil {
		return nil, err
	}
	s.setAside = moved
	return s, nil
}

func open(ctx context.Context, opts Options) (*Store, error) {
	path := filepath.Join(opts.Dir, FileName)
	if ce := readMarker(opts.Dir); ce != nil {
		return nil, ce
	}
	if ce := checkHeader(path); ce != nil {
		return nil, ce
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	// One connection: one writer per process, and SQLite's file locks plus
	// busy_timeout arbitrate with the other process. Keep it open: reopening
	// would re-run the pragmas and lose the WAL's shared-memory mapping.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	s := &Store{dir: opts.Dir, db: db, opts: opts, keys: map[int64]*keySet{},
		pol: Policy{Retention: opts.Retention, KeepAll: opts.KeepAll, StoreImages: opts.StoreImages}}
	fail := func(err error) (*Store, error) {
		s.owner.release()
		db.Close()
		if ce := corruption(path, err); ce != nil {
			return nil, ce
		}
		return nil, diskFull(opts.Dir, err)
	}
	if err := migrate(ctx, db, opts.Now); err != nil {
		return fail(err)
	}
	_ = os.Chmod(path, 0o600)
	if err := s.ensureInstallID(ctx); err != nil {
		return fail(err)
	}
	if s.owner, err = acquireOwner(ctx, opts.Dir); err != nil {
		return fail(err)
	}
	if err := s.loadKeys(ctx); err != nil {
		return fail(err)
	}
	if _, err := s.Recover(ctx); err != nil {
		return fail(err)
	}
	if _, err := s.Purge(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// Close releases the database and this process's owner lock.
func (s *Store) Close() error {
	err := s.db.Close()
	s.owner.release()
	return err
}

// Path returns the database file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Dir returns the data directory the history lives in.
func (s *Store) Dir() string { return s.dir }

// Policy returns the policy in force.
func (s *Store) Policy() Policy { return s.policy() }

func (s *Store) policy() Policy {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.pol
}

// SetPolicy changes retention and image keeping on the live store: the next
// call follows it, and the next Purge (RunMaintenance, or the caller at once)
// deletes by the new retention.
func (s *Store) SetPolicy(p Policy) {
	if p.Retention <= 0 {
		p.Retention = DefaultRetention
	}
	s.mu.Lock()
	s.pol = p
	s.mu.Unlock()
}

// Meta returns a value of the history's own key/value table ("" and false if unset).
func (s *Store) Meta(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.noteDamage(err)
	}
	return v, true, nil
}

// SetMeta stores a value in the history's own key/value table.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return s.noteDamage(err)
}
