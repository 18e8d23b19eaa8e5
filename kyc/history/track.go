package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Outcomes stored in the outcome column. The client's outcomes (success,
// rejected, failed, unknown) are stored as given; OutcomePending only exists
// while a call is in flight.
const (
	OutcomePending  = "pending"
	OutcomeSuccess  = "success"
	OutcomeRejected = "rejected"
	OutcomeFailed   = "failed"
	OutcomeUnknown  = "unknown"
)

// Error kinds this package sets itself.
const (
	KindInterrupted = "interrupted" // the process died between sending and recording the answer
	KindPanic       = "panic"       // send panicked
)

// NoteInterrupted is the note of a call whose process died mid-call.
const NoteInterrupted = "may have been billed — check before retrying"

// Call is what is known before sending.
type Call struct {
	Product   string // passive-liveness | id-recognize | id-validation
	CustRefNo string
	Profile   string
	NIK       string            // optional; sealed, masked copy in clear, blind-indexed
	Personal  map[string]string // validation inputs (name, birth date, address…); sealed
	// Images to keep when Options.StoreImages is on ("selfie", "id"); sealed
	// and expiring. Ignored otherwise.
	Images map[string][]byte
	// Sealed says the completion will carry personal data (an OCR result): the
	// encryption key is then required before sending, as for a call with personal
	// fields, so a result is never received that cannot be kept.
	Sealed bool
	// Consent is the customer's consent the clerk confirmed; zero when none was
	// recorded (the merchant turned the requirement off).
	Consent Consent
	// Sync reports the call to head office: the profile has a sync section. Every
	// state change of the call is then queued in the outbox (see Outbox) in the
	// transaction that records it.
	Sync bool
	// OSUser is the OS user who made the call; AppVersion the app's version. Both
	// are kept in clear with the call and sent to head office with it.
	OSUser, AppVersion string
}

// Consent is a customer's consent to the processing of their data, as the clerk
// confirmed it before the call. It is stored in clear with the call (it is about
// the clerk's act, not the customer's data); the text is stored once per version.
type Consent struct {
	At      time.Time // when the clerk confirmed it; zero: no consent recorded
	Version int       // the consent text's version (from the settings)
	Text    string    // the exact text the customer agreed to
	TextSHA string    // SHA-256 of Text, hex; filled by Track and when reading
	User    string    // the OS user who confirmed it
}

// Given reports whether a consent was recorded.
func (c Consent) Given() bool { return !c.At.IsZero() }

// ConsentTextSHA is the key a consent text is stored under.
func ConsentTextSHA(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Completion is what is known after sending. Outcome "" is stored as unknown.
type Completion struct {
	Outcome, ErrorKind, ErrorMessage string // ErrorMessage is sealed
	HTTPStatus, Attempts             int
	TrxID, RefID                     string
	GatewayTimestamp                 int64             // the gateway's timestamp (ms)
	Personal                         map[string]string // OCR data, match results; sealed
}

// Track records c as pending and commits it, then calls send, then records
// its completion. If the pending row cannot be committed, send is not
// called and the error is returned: no record, no call. If send panics the
// row is completed as unknown and the panic continues. If the completion
// cannot be written, the row stays pending (and becomes unknown at the next
// start); the error is returned with the row id.
//
// A call carrying personal data (NIK, Personal, Images) needs the current
// encryption key; without it Track returns an error wrapping
// ErrKeyUnavailable and nothing is sent.
func (s *Store) Track(ctx context.Context, c Call, send func(ctx context.Context) Completion) (id int64, err error) {
	if c.Product == "" || c.CustRefNo == "" {
		return 0, errors.New("history: Call needs Product and CustRefNo")
	}
	if err := s.usable(); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	id, err = s.begin(ctx, c)
	if err != nil {
		return 0, err
	}
	start := s.now()
	done := false
	defer func() {
		if done {
			return
		}
		r := recover()
		// send panicked: the request may have gone out.
		_ = s.complete(context.WithoutCancel(ctx), id, start, Completion{Outcome: OutcomeUnknown, ErrorKind: KindPanic})
		panic(r)
	}()
	comp := send(ctx)
	done = true
	if err := s.complete(context.WithoutCancel(ctx), id, start, comp); err != nil {
		return id, err
	}
	return id, nil
}

func hasPersonal(c Call) bool {
	return c.Sealed || c.NIK != "" || len(c.Personal) > 0 || len(c.Images) > 0
}

// currentKeys returns the key set new rows are sealed under.
func (s *Store) currentKeys() (*keySet, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if ks := s.keys[s.current]; ks != nil {
		return ks, nil
	}
	if s.keyErr != nil {
		return nil, s.keyErr
	}
	return nil, ErrKeyUnavailable
}

// begin inserts and commits the pending row (synchronous=FULL: on disk when
// Commit returns).
func (s *Store) begin(ctx context.Context, c Call) (id int64, err error) {
	defer func() { err = s.noteDamage(err) }()
	var ks *keySet
	if hasPersonal(c) {
		var err error
		if ks, err = s.currentKeys(); err != nil {
			return 0, err
		}
	}
	uid, err := newRowUID()
	if err != nil {
		return 0, err
	}
	var consentAt int64
	if c.Consent.Given() {
		consentAt = c.Consent.At.UnixMilli()
		c.Consent.TextSHA = ConsentTextSHA(c.Consent.Text)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("history: record call: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if c.Consent.Given() {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO consent_texts (sha, version, text, first_used_at) VALUES (?, ?, ?, ?)`,
			c.Consent.TextSHA, c.Consent.Version, c.Consent.Text, consentAt); err != nil {
			return 0, fmt.Errorf("history: record consent: %w", err)
		}
	}
	hqSeq := 0
	if c.Sync {
		hqSeq = 1
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO calls (created_at, product, cust_ref_no, profile, outcome, nik_masked, owner,
		row_uid, consent_at, consent_version, consent_text_sha, consent_user, hq_seq, os_user, app_version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.now().UnixMilli(), c.Product, c.CustRefNo, c.Profile, OutcomePending, MaskNIK(c.NIK), s.owner.id,
		uid, consentAt, c.Consent.Version, c.Consent.TextSHA, c.Consent.User, hqSeq, c.OSUser, c.AppVersion)
	if err != nil {
		return 0, fmt.Errorf("history: record call: %w", err)
	}
	id, err = res.LastInsertId()
	if err != nil {
		return 0, err
	}
	r := row{id: id, uid: uid}
	if ks != nil {
		var nikEnc, inEnc, nikHash []byte
		if c.NIK != "" {
			if nikEnc, err = ks.seal(r, "nik", []byte(normalizeNIK(c.NIK))); err != nil {
				return 0, err
			}
			nikHash = ks.blindIndex(c.NIK)
		}
		if inEnc, err = sealMap(ks, r, "input", c.Personal); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET key_gen = ?, nik_enc = ?, nik_hash = ?, input_enc = ? WHERE id = ?`,
			ks.gen, nikEnc, nikHash, inEnc, id); err != nil {
			return 0, fmt.Errorf("history: record call: %w", err)
		}
		if s.policy().StoreImages {
			exp := s.now().Add(s.opts.ImageRetention).UnixMilli()
			for kind, img := range c.Images {
				enc, err := ks.seal(r, "image/"+kind, img)
				if err != nil {
					return 0, err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO images (call_id, kind, key_gen, data_enc, expires_at) VALUES (?, ?, ?, ?, ?)`,
					id, kind, ks.gen, enc, exp); err != nil {
					return 0, fmt.Errorf("history: record image: %w", err)
				}
			}
		}
	}
	if err := s.queueEvent(ctx, tx, id, nil); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("history: record call: %w", err)
	}
	return id, nil
}

func sealMap(ks *keySet, r row, column string, m map[string]string) ([]byte, error) {
	if len(m) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return ks.seal(r, column, b)
}

// complete writes the outcome. Personal results are sealed under the row's
// own generation (the one begin used), or dropped with a note if that key
// vanished in between, never stored in clear.
func (s *Store) complete(ctx context.Context, id int64, start time.Time, c Completion) (err error) {
	defer func() { err = s.noteDamage(err) }()
	if c.Outcome == "" || c.Outcome == OutcomePending {
		c.Outcome = OutcomeUnknown
	}
	end := s.now()
	var resEnc, msgEnc []byte
	var gen int64
	note := ""
	if len(c.Personal) > 0 || c.ErrorMessage != "" {
		r := row{id: id}
		if err := s.db.QueryRowContext(ctx, `SELECT key_gen, row_uid FROM calls WHERE id = ?`, id).Scan(&gen, &r.uid); err != nil {
			return fmt.Errorf("history: complete call %d: %w", id, err)
		}
		ks, err := s.keysFor(gen)
		if gen == 0 {
			ks, err = s.currentKeys()
		}
		if err != nil {
			note = "result not stored: encryption key unavailable"
		} else {
			gen = ks.gen
			if resEnc, err = sealMap(ks, r, "result", c.Personal); err != nil {
				return err
			}
			if c.ErrorMessage != "" {
				if msgEnc, err = ks.seal(r, "message", []byte(c.ErrorMessage)); err != nil {
					return err
				}
			}
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("history: complete call %d: %w", id, err)
	}
	defer tx.Rollback() //nolint:errcheck
	_, err = tx.ExecContext(ctx, `UPDATE calls SET completed_at = ?, outcome = ?, error_kind = ?, http_status = ?, attempts = ?,
		trx_id = ?, ref_id = ?, gateway_ts = ?, duration_ms = ?, result_enc = ?, message_enc = ?, note = ?, owner = '',
		key_gen = CASE WHEN key_gen = 0 THEN ? ELSE key_gen END,
		hq_seq = CASE WHEN hq_seq > 0 THEN hq_seq + 1 ELSE 0 END
		WHERE id = ?`,
		end.UnixMilli(), c.Outcome, c.ErrorKind, c.HTTPStatus, c.Attempts, c.TrxID, c.RefID, c.GatewayTimestamp,
		end.Sub(start).Milliseconds(), resEnc, msgEnc, note, gen, id)
	if err != nil {
		return fmt.Errorf("history: complete call %d: %w", id, err)
	}
	// The verdict (never a personal field: see hqsync.EventFrom) from the answer in
	// hand, even when the key to keep the result was missing.
	if err := s.queueEvent(ctx, tx, id, c.Personal); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("history: complete call %d: %w", id, err)
	}
	return nil
}

// keysFor returns a generation's keys if available.
func (s *Store) keysFor(gen int64) (*keySet, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if ks := s.keys[gen]; ks != nil {
		return ks, nil
	}
	return nil, fmt.Errorf("%w (generation %d)", ErrKeyUnavailable, gen)
}

// ConsentTextVersion returns the version this history recorded for text (0 if it
// never did) and the highest consent text version it has recorded, so a text that
// comes back keeps its number and a new one gets the next.
func (s *Store) ConsentTextVersion(ctx context.Context, text string) (version, max int, err error) {
	defer func() { err = s.noteDamage(err) }()
	err = s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT version FROM consent_texts WHERE sha = ?), 0),
		coalesce((SELECT max(version) FROM consent_texts), 0)`, ConsentTextSHA(text)).Scan(&version, &max)
	return version, max, err
}
