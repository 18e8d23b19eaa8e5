package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// Options configures Open. Zero values choose the production defaults.
type Options struct {
	// Dir is the data directory; "" → vault.DataDir() (KYCDESK_HOME, else the per-user
	// config directory's KYCDesk).
	Dir string
	// SystemProfiles is the fleet's read-only profiles file; "" → the OS's place.
	SystemProfiles string
	// Keyring replaces the OS keyring (tests); nil uses the system's.
	Keyring vault.Backend
	// Getenv reads the environment (KYCDESK_TOKEN); nil → os.Getenv.
	Getenv func(string) string
	// Sandbox configures the in-process sandbox gateway; nil → sandbox.DefaultConfig().
	Sandbox *sandbox.Config
	// UserAgent overrides "KYCDesk/<version>".
	UserAgent string
	// Now is the clock; nil → time.Now.
	Now func() time.Time
	// HistoryTimeout bounds opening the history (SQLite, migrations, the keyring's
	// keys); 0 → 15 s.
	HistoryTimeout time.Duration
	// SyncFlush is how long Close lets the head office sender deliver the events
	// still waiting; 0 → DefaultSyncFlush, negative: not at all.
	SyncFlush time.Duration
}

// Part names what is unavailable in an *UnavailableError.
type Part string

// Parts.
const (
	PartDataDir Part = "data directory"
	PartHistory Part = "call history"
)

// ErrUnavailable matches every *UnavailableError.
var ErrUnavailable = errors.New("service: unavailable")

// UnavailableError says a part KYC Desk needs cannot be used, and why (Err: a
// *vault.Error for the keyring, a *history.CorruptError, a *safefile.Error, …).
// Whatever returns it did nothing: no call was sent, no file was changed.
type UnavailableError struct {
	Part Part
	Err  error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the %s is not available: %v", e.Part, e.Err)
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) work.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// SettingsState is the settings in force and whether they can be trusted.
type SettingsState struct {
	// Settings in force. While Problem is set they are the fail-closed ones:
	// RetentionDays 0 (no row is deleted for its age; a form must ask for the value,
	// never fill in a default), KeepImages off, ConsentRequired on with no text (so
	// paid calls are refused until the settings are repaired).
	Settings Settings
	// Problem says why the settings are in doubt; nil when settings.json was read
	// and is valid.
	Problem *SettingsError
	// Path is settings.json's path.
	Path string
}

// OK reports whether the settings were read and are valid.
func (s SettingsState) OK() bool { return s.Problem == nil }

// metaRetention is the history's record of the retention it last ran with by
// choice, so a lost settings.json is told from a new installation.
const metaRetention = "settings.retention_days"

// Desk is KYC Desk's data directory opened once, the one wiring point of the window
// and the headless commands: profiles and the keyring (vault), the settings (read
// once, validated, applied live), the history (opened on first use) and the
// connections that record every call. Safe for concurrent use.
//
// A Desk whose data directory cannot be used still exists: every method returns an
// *UnavailableError saying why, so no caller ever holds a nil.
type Desk struct {
	opts   Options
	dir    string
	vault  *vault.Vault
	broken error // the data directory cannot be used

	openMu sync.Mutex // serialises opening the history (slow: keyring, migrations)

	mu        sync.Mutex
	settings  SettingsState
	stamp     fileStamp // settings.json as last read
	undecided bool      // settings.json missing, not yet known whether new or lost
	store     *history.Store
	storeErr  error
	closed    bool

	sync syncHub // the head office sender of the connected profile (sync.go)
}

// fileStamp tells whether settings.json changed on disk (another process saved it).
type fileStamp struct {
	exists bool
	mod    time.Time
	size   int64
}

func stampOf(path string) fileStamp {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{exists: true, mod: st.ModTime(), size: st.Size()}
}

// Open opens the data directory: profiles and keyring, and settings.json (read and
// validated now; a problem is reported by Settings and Problems, never replaced by a
// default). The history opens on first use (History), so a window shows at once.
//
// Open always returns a usable *Desk. When the data directory cannot be used it
// also returns the error, and every method of the Desk returns it too.
func Open(opts Options) (*Desk, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.HistoryTimeout <= 0 {
		opts.HistoryTimeout = 15 * time.Second
	}
	d := &Desk{opts: opts}
	v, err := vault.New(vault.Options{Dir: opts.Dir, SystemFile: opts.SystemProfiles, Backend: opts.Keyring, Getenv: opts.Getenv})
	if err != nil {
		d.broken = &UnavailableError{Part: PartDataDir, Err: err}
		d.settings = SettingsState{Settings: failClosed(), Problem: &SettingsError{Reason: "cannot be read: " + err.Error(), Damaged: true, Err: err}}
		return d, d.broken
	}
	d.vault, d.dir = v, v.Dir()
	d.mu.Lock()
	d.loadSettingsLocked()
	d.mu.Unlock()
	return d, nil
}

// Dir returns the data directory ("" if it could not be used).
func (d *Desk) Dir() string { return d.dir }

// Err returns why the data directory cannot be used, or nil.
func (d *Desk) Err() error { return d.broken }

// Vault returns the profiles and keyring, or the error that makes them unusable.
func (d *Desk) Vault() (*vault.Vault, error) {
	if d.broken != nil {
		return nil, d.broken
	}
	return d.vault, nil
}

// failClosed is what is in force while the settings are in doubt.
func failClosed() Settings { return Settings{ConsentRequired: true} }

// loadSettingsLocked (re)reads settings.json. d.mu is held.
func (d *Desk) loadSettingsLocked() {
	path := filepath.Join(d.dir, SettingsFile)
	d.stamp = stampOf(path)
	s, err := readSettings(d.dir)
	var se *SettingsError
	switch {
	case err == nil:
		d.settings, d.undecided = SettingsState{Settings: s, Path: path}, false
		return
	case errors.Is(err, os.ErrNotExist):
		d.undecided = true
		se = &SettingsError{Path: path, Reason: "does not exist", Missing: true}
		if d.store != nil {
			d.decideMissingLocked(context.Background())
			return
		}
	case errors.As(err, &se):
		d.undecided = false
		defer d.noteLastRetentionLocked(context.Background())
	default:
		d.undecided = false
		se = &SettingsError{Path: path, Reason: "cannot be read: " + err.Error(), Damaged: true, Err: err}
	}
	d.settings = SettingsState{Settings: failClosed(), Problem: se, Path: path}
}

// noteLastRetentionLocked tells settings in doubt the retention the history last ran
// with, the value to offer for the repair. d.mu is held.
func (d *Desk) noteLastRetentionLocked(ctx context.Context) {
	p := d.settings.Problem
	if p == nil || p.LastRetentionDays > 0 || d.store == nil {
		return
	}
	if v, ok, err := d.store.Meta(ctx, metaRetention); err == nil && ok {
		p.LastRetentionDays, _ = strconv.Atoi(v)
	}
}

// decideMissingLocked settles a missing settings.json once the history is open: a
// history that never ran with chosen settings (a new installation, or one from before
// settings.json existed, which ran on the defaults) adopts the defaults and writes
// them down; one that did has lost its settings, which stay in doubt (nothing is
// deleted) until they are saved again. d.mu is held, d.store is open.
func (d *Desk) decideMissingLocked(ctx context.Context) {
	path := filepath.Join(d.dir, SettingsFile)
	last, known, err := d.store.Meta(ctx, metaRetention)
	if err != nil {
		d.settings = SettingsState{Settings: failClosed(), Path: path,
			Problem: &SettingsError{Path: path, Reason: "does not exist, and the history cannot say whether it ever did: " + err.Error(), Missing: true, Err: err}}
		return
	}
	if known {
		days, _ := strconv.Atoi(last)
		d.undecided = false
		d.settings = SettingsState{Settings: failClosed(), Path: path,
			Problem: &SettingsError{Path: path, Reason: "is missing although this history ran with chosen settings", Missing: true, LastRetentionDays: days}}
		return
	}
	s := DefaultSettings()
	if err := writeSettings(d.dir, s); err != nil {
		d.settings = SettingsState{Settings: failClosed(), Path: path,
			Problem: &SettingsError{Path: path, Reason: "does not exist and the defaults cannot be written: " + err.Error(), Damaged: true, Err: err}}
		return
	}
	d.undecided = false
	d.stamp = stampOf(path)
	d.settings = SettingsState{Settings: s, Path: path}
}

// Settings returns the settings in force, re-read first if another process (a
// command, the window) saved settings.json meanwhile; a change applies to the live
// history at once. It touches the disk (a stat): call it off the UI goroutine.
func (d *Desk) Settings() SettingsState {
	if d.broken != nil {
		return d.settings
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if st := stampOf(filepath.Join(d.dir, SettingsFile)); st != d.stamp {
		d.loadSettingsLocked()
		d.applyLocked(context.Background(), false)
	}
	return d.settings
}

// applyLocked gives the history the policy the settings decide; purge also deletes
// at once what a new retention no longer keeps. Settings in doubt keep everything.
// d.mu is held.
func (d *Desk) applyLocked(ctx context.Context, purge bool) error {
	if d.store == nil {
		return nil
	}
	st := d.settings
	if !st.OK() {
		d.store.SetPolicy(history.Policy{KeepAll: true})
		return nil
	}
	d.store.SetPolicy(history.Policy{Retention: st.Settings.Retention(), StoreImages: st.Settings.KeepImages})
	if err := d.store.SetMeta(ctx, metaRetention, strconv.Itoa(st.Settings.RetentionDays)); err != nil {
		return err
	}
	if purge {
		_, err := d.store.Purge(ctx)
		return err
	}
	return nil
}

// SaveSettings validates s, writes it crash-safely (see kyc/safefile) and applies it
// at once: the next call follows it, and a shorter retention deletes what it no
// longer keeps right now. It is also the repair of settings in doubt: a damaged
// settings.json is kept beside as settings.json.damaged-<time> for IT, then replaced.
// The consent text's version is managed here: it rises whenever the text changes
// (s.ConsentVersion is ignored unless the text is new to this history and the old
// version is unknown). The error is a *SettingsError for a bad value.
func (d *Desk) SaveSettings(ctx context.Context, s Settings) error {
	if d.broken != nil {
		return d.broken
	}
	s.ConsentText = strings.TrimSpace(s.ConsentText)
	d.mu.Lock()
	defer d.mu.Unlock()
	if stampOf(filepath.Join(d.dir, SettingsFile)) != d.stamp {
		d.loadSettingsLocked()
	}
	prev := d.settings
	s.ConsentVersion = d.consentVersionLocked(ctx, prev, s)
	if err := s.Validate(); err != nil {
		se := err.(*SettingsError)
		se.Path = filepath.Join(d.dir, SettingsFile)
		return se
	}
	if prev.Problem != nil && prev.Problem.Damaged {
		if _, err := setAsideSettings(d.dir, d.opts.Now()); err != nil {
			return err
		}
	}
	if err := writeSettings(d.dir, s); err != nil {
		return err
	}
	d.loadSettingsLocked()
	if !d.settings.OK() {
		return d.settings.Problem // written but not read back: say so
	}
	return d.applyLocked(ctx, true)
}

// consentVersionLocked numbers s's consent text: the same text keeps its version,
// a text the history has recorded before gets that version back, a new text the
// next number.
func (d *Desk) consentVersionLocked(ctx context.Context, prev SettingsState, s Settings) int {
	if prev.OK() && strings.TrimSpace(prev.Settings.ConsentText) == s.ConsentText {
		return prev.Settings.ConsentVersion
	}
	if d.store != nil {
		if v, max, err := d.store.ConsentTextVersion(ctx, s.ConsentText); err == nil {
			if v > 0 {
				return v
			}
			if prev.OK() && prev.Settings.ConsentVersion > max {
				max = prev.Settings.ConsentVersion
			}
			return max + 1
		}
	}
	if prev.OK() {
		return prev.Settings.ConsentVersion + 1
	}
	if s.ConsentVersion < 1 {
		return 1
	}
	return s.ConsentVersion
}

// History returns the call history, opening it on first use (and again after a
// failed open: a keyring prompt answered late, a database briefly locked). The error
// is an *UnavailableError. Opening sets a damaged database aside (see Problems).
func (d *Desk) History(ctx context.Context) (*history.Store, error) {
	if d.broken != nil {
		return nil, d.broken
	}
	d.openMu.Lock()
	defer d.openMu.Unlock()
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil, &UnavailableError{Part: PartHistory, Err: history.ErrClosed}
	}
	if d.store != nil {
		s := d.store
		d.mu.Unlock()
		return s, nil
	}
	if st := stampOf(filepath.Join(d.dir, SettingsFile)); st != d.stamp {
		d.loadSettingsLocked()
	}
	st := d.settings
	d.mu.Unlock()

	opts := history.Options{Dir: d.dir, Keys: d.vault, Now: d.opts.Now, KeepAll: true}
	if st.OK() {
		opts.KeepAll, opts.Retention, opts.StoreImages = false, st.Settings.Retention(), st.Settings.KeepImages
	}
	octx, cancel := context.WithTimeout(ctx, d.opts.HistoryTimeout)
	defer cancel()
	store, err := history.Open(octx, opts)

	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.storeErr = &UnavailableError{Part: PartHistory, Err: err}
		return nil, d.storeErr
	}
	d.store, d.storeErr = store, nil
	d.noteLastRetentionLocked(ctx)
	if d.undecided {
		d.decideMissingLocked(ctx)
		_ = d.applyLocked(ctx, true)
	} else if st.OK() {
		_ = d.applyLocked(ctx, false) // records the chosen retention (Open purged already)
	}
	return store, nil
}

// Close stops the head office sender (after letting it deliver what is waiting, for
// at most Options.SyncFlush) and closes the history. The Desk must not be used
// afterwards.
func (d *Desk) Close() error {
	flush := d.opts.SyncFlush
	if flush == 0 {
		flush = DefaultSyncFlush
	}
	d.stopSync(max(flush, 0))
	d.openMu.Lock()
	defer d.openMu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	if d.store == nil {
		return nil
	}
	err := d.store.Close()
	d.store = nil
	d.storeErr = &UnavailableError{Part: PartHistory, Err: history.ErrClosed}
	return err
}

// CallPolicy is the policy of the next call (Service.Policy): an error while the
// settings are in doubt refuses paid calls.
func (d *Desk) CallPolicy() (CallPolicy, error) {
	if d.broken != nil {
		return CallPolicy{}, d.broken
	}
	st := d.Settings()
	if st.Problem != nil {
		return CallPolicy{ConsentRequired: true}, st.Problem
	}
	return CallPolicy{ConsentRequired: st.Settings.ConsentRequired, KeepImages: st.Settings.KeepImages}, nil
}

// ConsentPolicy says whether a customer's consent must be confirmed before a paid
// call, and the text to show. It fails while the settings are in doubt (which text
// is in force is not known).
func (d *Desk) ConsentPolicy() (ConsentPolicy, error) {
	if d.broken != nil {
		return ConsentPolicy{Required: true}, d.broken
	}
	st := d.Settings()
	if st.Problem != nil {
		return ConsentPolicy{Required: true}, st.Problem
	}
	return ConsentPolicy{Required: st.Settings.ConsentRequired, Text: st.Settings.ConsentText, Version: st.Settings.ConsentVersion}, nil
}
