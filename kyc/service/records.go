package service

import (
	"context"
	"io"

	"kycdesk/kyc/history"
	"kycdesk/kyc/vault"
)

// Records is the call history as the window's History screen uses it. It is never
// nil and never panics: while the history cannot be opened (keyring locked at start,
// database in use or damaged, data directory gone) every method returns an
// *UnavailableError saying why, and works as soon as the history opens.
type Records struct{ d *Desk }

// Records returns the history's screen-facing view.
func (d *Desk) Records() *Records { return &Records{d: d} }

// List returns one page of records (see history.Store.List).
func (r *Records) List(ctx context.Context, f history.Filter) (history.Page, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return history.Page{}, err
	}
	return s.List(ctx, f)
}

// Count counts the calls matching f (an exact figure for the History screen).
func (r *Records) Count(ctx context.Context, f history.Filter) (int, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return 0, err
	}
	return s.Count(ctx, f)
}

// Get returns one record, its consent and the kinds of photos kept with it.
func (r *Records) Get(ctx context.Context, id int64, personal bool) (history.Record, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return history.Record{}, err
	}
	return s.Get(ctx, id, personal)
}

// Export writes the matching records to w (a stream the caller owns).
func (r *Records) Export(ctx context.Context, w io.Writer, opt history.ExportOptions) (int, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return 0, err
	}
	return s.Export(ctx, w, opt)
}

// ExportFile writes the matching records to path crash-safely and owner-only: the
// way the window should write a CSV the clerk chose a place for.
func (r *Records) ExportFile(ctx context.Context, path string, opt history.ExportOptions) (int, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return 0, err
	}
	return s.ExportFile(ctx, path, opt)
}

// KeptImages opens the photos kept with record id (decrypted on demand, for the
// History details). An empty list means none were kept or they have expired.
func (r *Records) KeptImages(ctx context.Context, id int64) ([]history.KeptImage, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return nil, err
	}
	return s.KeptImages(ctx, id)
}

// StartNewKeys begins a new key generation after the history's key was lost.
func (r *Records) StartNewKeys(ctx context.Context) error {
	s, err := r.d.History(ctx)
	if err != nil {
		return err
	}
	return s.StartNewKeys(ctx)
}

// KeyStatus reports whether personal data can be written and read.
func (r *Records) KeyStatus(ctx context.Context) (history.KeyState, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return history.KeyState{}, err
	}
	return s.KeyStatus(ctx)
}

// Check runs SQLite's integrity check (quick: quick_check) and returns what it found.
func (r *Records) Check(ctx context.Context, quick bool) ([]string, error) {
	s, err := r.d.History(ctx)
	if err != nil {
		return nil, err
	}
	return s.Check(ctx, quick)
}

// ProfileStore is the vault as the window's Settings screen uses it.
type ProfileStore interface {
	Snapshot() (vault.Snapshot, error)
	SetActive(name string) error
	SaveProfile(p vault.Profile) error
	RemoveProfile(name string) error
	SetToken(ctx context.Context, profile, raw string) error
	ClearToken(ctx context.Context, profile string) (bool, error)
	TokenStatus(ctx context.Context, profile string) (vault.TokenStatus, error)
	// Proxy credentials, per proxy ("host:port"), in the keyring like the token.
	SetProxyCredentials(ctx context.Context, addr, user, password string) error
	ClearProxyCredentials(ctx context.Context, addr string) (bool, error)
}

// Profiles returns the profiles and keyring; never nil (a broken data directory
// answers every call with its error).
func (d *Desk) Profiles() ProfileStore {
	if d.broken != nil {
		return brokenProfiles{d.broken}
	}
	return d.vault
}

type brokenProfiles struct{ err error }

func (b brokenProfiles) Snapshot() (vault.Snapshot, error)                { return vault.Snapshot{}, b.err }
func (b brokenProfiles) SetActive(string) error                           { return b.err }
func (b brokenProfiles) SaveProfile(vault.Profile) error                  { return b.err }
func (b brokenProfiles) RemoveProfile(string) error                       { return b.err }
func (b brokenProfiles) SetToken(context.Context, string, string) error   { return b.err }
func (b brokenProfiles) ClearToken(context.Context, string) (bool, error) { return false, b.err }
func (b brokenProfiles) SetProxyCredentials(context.Context, string, string, string) error {
	return b.err
}
func (b brokenProfiles) ClearProxyCredentials(context.Context, string) (bool, error) {
	return false, b.err
}
func (b brokenProfiles) TokenStatus(context.Context, string) (vault.TokenStatus, error) {
	return vault.TokenStatus{}, b.err
}
