package history

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"

	"kycdesk/kyc/vault"
)

// ErrKeyUnavailable means the key needed to seal or open personal data is
// not available (lost with a keyring reset, or the keyring is locked). The
// wrapped error says which; errors.Is(err, vault.ErrNotFound) means "gone".
var ErrKeyUnavailable = errors.New("history: encryption key unavailable")

// ErrKeyMismatch means the keyring holds a key under the generation's name
// that is not the one the history was written with.
var ErrKeyMismatch = errors.New("history: the keyring holds a different key than the one this history was written with")

// keyNames returns the keyring names of a generation. Generation 1 uses the
// plain names; later ones carry the number so an old key that comes back
// (a restored keyring) never collides with the new one.
func keyNames(gen int64) (data, index string) {
	if gen == 1 {
		return vault.KeyHistoryData, vault.KeyHistoryIndex
	}
	g := strconv.FormatInt(gen, 10)
	return "history-data-g" + g + "-key", "history-index-g" + g + "-key"
}

// KeyState summarises the keys for the GUI.
type KeyState struct {
	Generation int64 // current generation (0 before the first key exists)
	Available  bool  // the current generation's keys are usable
	// Err says why not (wraps vault errors: ErrNotFound = lost, ErrLocked, …).
	Err error
	// UnreadableRows counts rows sealed under generations whose key is missing.
	UnreadableRows int
}

// KeyStatus reports whether personal data can be written and read.
func (s *Store) KeyStatus(ctx context.Context) (KeyState, error) {
	s.mu.RLock()
	st := KeyState{Generation: s.current, Available: s.keys[s.current] != nil, Err: s.keyErr}
	var have []any
	q := `SELECT count(*) FROM calls WHERE key_gen <> 0`
	for g := range s.keys {
		have = append(have, g)
		q += ` AND key_gen <> ?`
	}
	s.mu.RUnlock()
	err := s.db.QueryRowContext(ctx, q, have...).Scan(&st.UnreadableRows)
	return st, err
}

// loadKeys loads every generation recorded in the database whose key is in
// the keyring and, for a brand-new history, creates generation 1. Creation
// happens inside an IMMEDIATE transaction so that two processes opening a
// new history at once agree on one key.
func (s *Store) loadKeys(ctx context.Context) error {
	type gen struct {
		n                 int64
		dataChk, indexChk []byte
	}
	rows, err := s.db.QueryContext(ctx, `SELECT gen, data_check, index_check FROM key_gens ORDER BY gen`)
	if err != nil {
		return err
	}
	var gens []gen
	for rows.Next() {
		var g gen
		if err := rows.Scan(&g.n, &g.dataChk, &g.indexChk); err != nil {
			rows.Close()
			return err
		}
		gens = append(gens, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(gens) == 0 {
		return s.newGeneration(ctx, 1)
	}
	keys := map[int64]*keySet{}
	var curErr error
	for _, g := range gens {
		ks, err := s.fetch(ctx, g.n, g.dataChk, g.indexChk)
		if err == nil {
			keys[g.n] = ks
		}
		if g.n == gens[len(gens)-1].n {
			curErr = err
		}
	}
	s.mu.Lock()
	s.keys, s.current, s.keyErr = keys, gens[len(gens)-1].n, curErr
	s.mu.Unlock()
	return nil
}

// ReloadKeys retries the keyring (after the user unlocked it or restored it).
func (s *Store) ReloadKeys(ctx context.Context) error { return s.loadKeys(ctx) }

// fetchRaw gets a generation's two keys from the keyring.
func (s *Store) fetchRaw(ctx context.Context, gen int64, create bool) (data, index []byte, err error) {
	dn, in := keyNames(gen)
	if data, err = s.opts.Keys.Key(ctx, dn, create); err == nil {
		index, err = s.opts.Keys.Key(ctx, in, create)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w (generation %d): %w", ErrKeyUnavailable, gen, err)
	}
	return data, index, nil
}

// fetch gets a generation's keys and checks them against the recorded
// fingerprints, so a different key under the same name is reported rather
// than producing a flood of decryption failures.
func (s *Store) fetch(ctx context.Context, gen int64, dataChk, indexChk []byte) (*keySet, error) {
	data, index, err := s.fetchRaw(ctx, gen, false)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(keyCheck(data, "data"), dataChk) != 1 ||
		subtle.ConstantTimeCompare(keyCheck(index, "index"), indexChk) != 1 {
		return nil, fmt.Errorf("%w (generation %d): %w", ErrKeyUnavailable, gen, ErrKeyMismatch)
	}
	return newKeySet(gen, data, index)
}

// StartNewKeys begins a new key generation after the current key was lost:
// new rows are sealed under it; rows of older generations keep their
// ciphertext and stay unreadable unless their key returns. It is refused
// while the current key is available (there would be nothing to fix).
func (s *Store) StartNewKeys(ctx context.Context) error {
	s.mu.RLock()
	cur, ok := s.current, s.keys[s.current] != nil
	s.mu.RUnlock()
	if ok {
		return errors.New("history: the current key is available; no new key needed")
	}
	if err := s.newGeneration(ctx, cur+1); err != nil {
		return err
	}
	return s.loadKeys(ctx)
}

// newGeneration creates generation gen's keys (unless another process
// recorded that generation meanwhile) and records their fingerprints. The
// IMMEDIATE transaction holds the database write lock while the keyring is
// asked, so two processes never create two different keys for one
// generation; it happens once per history (and once per StartNewKeys).
func (s *Store) newGeneration(ctx context.Context, gen int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM key_gens WHERE gen >= ?`, gen).Scan(&exists); err != nil {
		return err
	}
	if exists == 0 {
		data, index, err := s.fetchRaw(ctx, gen, true)
		if err != nil {
			// Not fatal: the history still lists clear fields; KeyStatus says why.
			s.mu.Lock()
			s.keyErr = err
			s.mu.Unlock()
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO key_gens (gen, data_check, index_check, created_at) VALUES (?, ?, ?, ?)`,
			gen, keyCheck(data, "data"), keyCheck(index, "index"), s.now().UnixMilli()); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	} else if err := tx.Rollback(); err != nil {
		return err
	}
	return s.loadKeys(ctx) // key_gens is not empty now: no recursion
}
