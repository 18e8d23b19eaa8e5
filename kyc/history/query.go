package history

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DefaultPageSize and MaxPageSize bound List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Filter selects rows. Zero fields do not filter. Results are newest first.
type Filter struct {
	Since, Until time.Time // created at ≥ Since and < Until
	Product      string
	Outcome      string // "pending", "unknown", …
	Ref          string // exact cust_ref_no
	TrxID        string
	NIK          string // matched through the blind index, never in clear
	// Search matches any part of the reference or the trx_id (case-insensitive for
	// letters, as SQLite's LIKE is).
	Search string
	// Unresolved keeps only calls without a resolution (with Outcome unknown: the
	// unknown outcomes nobody has settled yet).
	Unresolved bool
	Limit      int    // page size; 0 → DefaultPageSize
	After      string // Page.Next of the previous page
	// Personal asks for the sealed fields to be opened (Record.Personal).
	Personal bool
}

// Record is one call as stored.
type Record struct {
	ID               int64
	CreatedAt        time.Time
	CompletedAt      time.Time // zero while pending or if interrupted
	Product          string
	CustRefNo        string
	Profile          string
	Outcome          string
	ErrorKind        string
	HTTPStatus       int
	Attempts         int
	TrxID            string
	RefID            string
	GatewayTimestamp int64
	Duration         time.Duration
	NIKMasked        string
	Note             string
	KeyGeneration    int64
	// Consent is the customer's consent recorded with the call (Given() false if
	// none was: calls before consent was required, or the merchant turned it off).
	Consent Consent
	// Images names the photos kept with the call ("selfie", "id"), sealed; read
	// them with KeptImages. Empty when photos were not kept or have expired.
	Images []string
	// OSUser and AppVersion: who made the call, with which version (empty for calls
	// recorded before schema version 3).
	OSUser, AppVersion string
	// Resolution is the decision on an unknown outcome (billed or not), made at head
	// office or at the counter; zero when there is none.
	Resolution Resolution
	// Reported says the call is reported to head office (its profile had a sync
	// section when it was made).
	Reported bool
	// Personal is set only when asked for (Filter.Personal, Get withPersonal).
	Personal *Personal

	uid []byte // the row's random uid (CallID)
}

// Personal is the opened sealed data of one record. A value that cannot be
// opened is absent and listed in Unreadable with the reason (never a crash).
type Personal struct {
	NIK          string
	ErrorMessage string
	Input        map[string]string // validation inputs
	Result       map[string]string // OCR data, match results
	Unreadable   map[string]error  // column ("nik", "input", "result", "message") → why
}

// Page is one page of List.
type Page struct {
	Records []Record
	Next    string // pass as Filter.After for the next page; "" at the end
}

// ErrBadCursor means Filter.After was not produced by List.
var ErrBadCursor = errors.New("history: invalid page cursor")

const recordCols = `id, created_at, completed_at, product, cust_ref_no, profile, outcome, error_kind, http_status,
	attempts, trx_id, ref_id, gateway_ts, duration_ms, nik_masked, note, key_gen, nik_enc, input_enc, result_enc, message_enc,
	row_uid, consent_at, consent_version, consent_text_sha, consent_user,
	coalesce((SELECT text FROM consent_texts WHERE sha = consent_text_sha), ''),
	coalesce((SELECT group_concat(kind, ',') FROM images WHERE call_id = calls.id), ''),
	os_user, app_version, hq_seq, resolution, resolution_note, resolution_source, resolved_by, resolved_at`

// List returns one page of rows matching f, newest first. Paging is by
// keyset (created_at, id), so every page costs the same however deep.
func (s *Store) List(ctx context.Context, f Filter) (Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		limit = MaxPageSize
	}
	where, args, err := s.conditions(f)
	if err != nil {
		return Page{}, err
	}
	if f.After != "" {
		ts, id, err := decodeCursor(f.After)
		if err != nil {
			return Page{}, err
		}
		where = append(where, "(created_at < ? OR (created_at = ? AND id < ?))")
		args = append(args, ts, ts, id)
	}
	q := `SELECT ` + recordCols + ` FROM calls`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	recs, err := s.query(ctx, q, f.Personal, args...)
	if err != nil {
		return Page{}, err
	}
	p := Page{Records: recs}
	if len(recs) > limit {
		p.Records = recs[:limit]
		last := p.Records[limit-1]
		p.Next = encodeCursor(last.CreatedAt.UnixMilli(), last.ID)
	}
	return p, nil
}

// Count returns how many rows match f (After, Limit and Personal are ignored): an exact
// figure, never a page's length.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	where, args, err := s.conditions(f)
	if err != nil {
		return 0, err
	}
	q := `SELECT COUNT(*) FROM calls`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	var n int
	err = s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// conditions turns f into SQL conditions.
func (s *Store) conditions(f Filter) ([]string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if !f.Since.IsZero() {
		add("created_at >= ?", f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		add("created_at < ?", f.Until.UnixMilli())
	}
	if f.Product != "" {
		add("product = ?", f.Product)
	}
	if f.Outcome != "" {
		add("outcome = ?", f.Outcome)
	}
	if f.Ref != "" {
		add("cust_ref_no = ?", f.Ref)
	}
	if f.Unresolved {
		add("resolution = ''")
	}
	if f.TrxID != "" {
		add("trx_id = ?", f.TrxID)
	}
	if f.Search != "" {
		pat := "%" + likeEscaper.Replace(f.Search) + "%"
		add(`(cust_ref_no LIKE ? ESCAPE '\' OR trx_id LIKE ? ESCAPE '\')`, pat, pat)
	}
	if f.NIK != "" {
		cond, a, err := s.nikCondition(f.NIK)
		if err != nil {
			return nil, nil, err
		}
		add(cond, a...)
	}
	return where, args, nil
}

// likeEscaper makes a search term literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ByRef returns every call with this cust_ref_no, newest first (a retried
// reference has several).
func (s *Store) ByRef(ctx context.Context, ref string, personal bool) ([]Record, error) {
	return s.query(ctx, `SELECT `+recordCols+` FROM calls WHERE cust_ref_no = ? ORDER BY created_at DESC, id DESC`, personal, ref)
}

// Get returns one record.
func (s *Store) Get(ctx context.Context, id int64, personal bool) (Record, error) {
	recs, err := s.query(ctx, `SELECT `+recordCols+` FROM calls WHERE id = ?`, personal, id)
	if err != nil {
		return Record{}, err
	}
	if len(recs) == 0 {
		return Record{}, ErrNotFound
	}
	return recs[0], nil
}

// nikCondition matches the blind index under every available key
// generation. Rows of a generation whose key is missing cannot be found by
// NIK.
func (s *Store) nikCondition(nik string) (string, []any, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.keys) == 0 {
		if s.keyErr != nil {
			return "", nil, s.keyErr
		}
		return "", nil, ErrKeyUnavailable
	}
	var ors []string
	var args []any
	for _, ks := range s.keys {
		ors = append(ors, "nik_hash = ?")
		args = append(args, ks.blindIndex(nik))
	}
	return "(" + strings.Join(ors, " OR ") + ")", args, nil
}

func (s *Store) query(ctx context.Context, q string, personal bool, args ...any) (_ []Record, err error) {
	defer func() { err = s.noteDamage(err) }()
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var created, gw, dur, consentAt int64
		var completed sql.NullInt64
		var nikEnc, inEnc, resEnc, msgEnc, uid []byte
		var kinds string
		var hqSeq, resolvedAt int64
		if err := rows.Scan(&r.ID, &created, &completed, &r.Product, &r.CustRefNo, &r.Profile, &r.Outcome, &r.ErrorKind,
			&r.HTTPStatus, &r.Attempts, &r.TrxID, &r.RefID, &gw, &dur, &r.NIKMasked, &r.Note, &r.KeyGeneration,
			&nikEnc, &inEnc, &resEnc, &msgEnc, &uid, &consentAt, &r.Consent.Version, &r.Consent.TextSHA, &r.Consent.User,
			&r.Consent.Text, &kinds, &r.OSUser, &r.AppVersion, &hqSeq, &r.Resolution.Value, &r.Resolution.Note,
			&r.Resolution.Source, &r.Resolution.By, &resolvedAt); err != nil {
			return nil, err
		}
		r.uid, r.Reported = uid, hqSeq > 0
		if resolvedAt != 0 {
			r.Resolution.At = time.UnixMilli(resolvedAt)
		}
		if consentAt != 0 {
			r.Consent.At = time.UnixMilli(consentAt)
		}
		if kinds != "" {
			r.Images = strings.Split(kinds, ",")
			sort.Strings(r.Images)
		}
		r.CreatedAt = time.UnixMilli(created)
		if completed.Valid {
			r.CompletedAt = time.UnixMilli(completed.Int64)
		}
		r.GatewayTimestamp = gw
		r.Duration = time.Duration(dur) * time.Millisecond
		if personal {
			r.Personal = s.open(row{id: r.ID, uid: uid}, r.KeyGeneration, nikEnc, inEnc, resEnc, msgEnc)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// open decrypts a row's sealed values, one by one, so a damaged value costs
// only itself.
func (s *Store) open(id row, gen int64, nikEnc, inEnc, resEnc, msgEnc []byte) *Personal {
	p := &Personal{}
	fail := func(col string, err error) {
		if p.Unreadable == nil {
			p.Unreadable = map[string]error{}
		}
		p.Unreadable[col] = err
	}
	if nikEnc == nil && inEnc == nil && resEnc == nil && msgEnc == nil {
		return p
	}
	ks, err := s.keysFor(gen)
	if err != nil {
		for col, v := range map[string][]byte{"nik": nikEnc, "input": inEnc, "result": resEnc, "message": msgEnc} {
			if v != nil {
				fail(col, err)
			}
		}
		return p
	}
	if nikEnc != nil {
		if b, err := ks.open(id, "nik", nikEnc); err != nil {
			fail("nik", err)
		} else {
			p.NIK = string(b)
		}
	}
	if msgEnc != nil {
		if b, err := ks.open(id, "message", msgEnc); err != nil {
			fail("message", err)
		} else {
			p.ErrorMessage = string(b)
		}
	}
	for _, c := range []struct {
		col string
		enc []byte
		dst *map[string]string
	}{{"input", inEnc, &p.Input}, {"result", resEnc, &p.Result}} {
		if c.enc == nil {
			continue
		}
		b, err := ks.open(id, c.col, c.enc)
		if err == nil {
			err = json.Unmarshal(b, c.dst)
		}
		if err != nil {
			fail(c.col, err)
		}
	}
	return p
}

// KeptImage is a photo kept with a call, opened.
type KeptImage struct {
	Kind      string    // "selfie" or "id"
	JPEG      []byte    // exactly what was sent
	ExpiresAt time.Time // when retention deletes it
}

// KeptImages opens the photos kept with call id (Settings: keep photos), for the
// History details and for a dispute with the vendor. None is not an error (an
// empty list): photos were not kept for this call, or have expired.
func (s *Store) KeptImages(ctx context.Context, id int64) (_ []KeptImage, err error) {
	defer func() { err = s.noteDamage(err) }()
	rows, err := s.db.QueryContext(ctx, `SELECT i.kind, i.key_gen, i.data_enc, i.expires_at, c.row_uid FROM images i
		JOIN calls c ON c.id = i.call_id WHERE i.call_id = ? AND i.expires_at >= ? ORDER BY i.kind`, id, s.now().UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []KeptImage
	for rows.Next() {
		var k KeptImage
		var gen, exp int64
		var enc, uid []byte
		if err := rows.Scan(&k.Kind, &gen, &enc, &exp, &uid); err != nil {
			return nil, err
		}
		ks, err := s.keysFor(gen)
		if err != nil {
			return nil, err
		}
		if k.JPEG, err = ks.open(row{id: id, uid: uid}, "image/"+k.Kind, enc); err != nil {
			return nil, fmt.Errorf("history: kept %s photo of call %d: %w", k.Kind, id, err)
		}
		k.ExpiresAt = time.UnixMilli(exp)
		out = append(out, k)
	}
	return out, rows.Err()
}

// Image returns one kept photo (StoreImages on, not expired); ErrNotFound if none.
func (s *Store) Image(ctx context.Context, id int64, kind string) ([]byte, error) {
	imgs, err := s.KeptImages(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, im := range imgs {
		if im.Kind == kind {
			return im.JPEG, nil
		}
	}
	return nil, ErrNotFound
}

func encodeCursor(ts, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(ts, 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (ts, id int64, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, ErrBadCursor
	}
	a, z, ok := strings.Cut(string(b), ".")
	if !ok {
		return 0, 0, ErrBadCursor
	}
	if ts, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, ErrBadCursor
	}
	if id, err = strconv.ParseInt(z, 10, 64); err != nil {
		return 0, 0, fmt.Errorf("%w", ErrBadCursor)
	}
	return ts, id, nil
}
