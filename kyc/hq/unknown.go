package hq

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hqdb"
)

// CallKey identifies a call at head office (the counter's start time is part
// of the key because the table is partitioned by it).
type CallKey struct {
	CallID    string    `json:"call_id"`
	StartedAt time.Time `json:"started_at"`
}

// Call is one call as head office sees it: non-personal metadata only.
type Call struct {
	CallKey
	Day        string    `json:"day"`
	Outlet     string    `json:"outlet"`
	Counter    string    `json:"counter"`
	Product    string    `json:"product"`
	CustRefNo  string    `json:"cust_ref_no"`
	TrxID      string    `json:"trx_id,omitempty"`
	RefID      string    `json:"ref_id,omitempty"`
	Outcome    string    `json:"outcome"`
	ErrorKind  string    `json:"error_kind,omitempty"`
	HTTPStatus int       `json:"http_status,omitempty"`
	Attempts   int       `json:"attempts"`
	OSUser     string    `json:"os_user,omitempty"`
	Profile    string    `json:"profile,omitempty"`
	Started    time.Time `json:"started"` // corrected for the counter's clock
	// Resolution is "", ResolutionBilled or ResolutionNotBilled.
	Resolution string     `json:"resolution,omitempty"`
	Note       string     `json:"note,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// Resolutions head office can record for an unknown outcome.
const (
	ResolutionBilled    = "billed"
	ResolutionNotBilled = "not_billed"
)

// MaxNoteLen bounds a resolution's note.
const MaxNoteLen = 500

// UnknownOptions tune Unknowns.
type UnknownOptions struct {
	// Resolved lists the resolved ones instead of the open ones.
	Resolved bool
	// Limit caps the list (0: 1000).
	Limit int
	// PendingAfter: calls still pending after this long are listed too
	// (their counter never reported the end); 0: 15 minutes.
	PendingAfter time.Duration
}

const callCols = `call_id::text, started_at, day, outlet_id, counter_id, product, cust_ref_no, trx_id, ref_id,
	outcome, error_kind, http_status, attempts, os_user, profile, hq_started_at, resolution, resolution_note,
	resolved_by, resolved_at`

func scanCall(r pgx.Row) (Call, error) {
	var c Call
	var day time.Time
	err := r.Scan(&c.CallID, &c.StartedAt, &day, &c.Outlet, &c.Counter, &c.Product, &c.CustRefNo, &c.TrxID, &c.RefID,
		&c.Outcome, &c.ErrorKind, &c.HTTPStatus, &c.Attempts, &c.OSUser, &c.Profile, &c.Started, &c.Resolution, &c.Note,
		&c.ResolvedBy, &c.ResolvedAt)
	c.Day = day.Format(DateLayout)
	return c, err
}

// Unknowns lists the calls whose outcome is unknown (may have been billed)
// and nobody has resolved, oldest first, with outlet and reference.
func (c *Client) Unknowns(ctx context.Context, f Filter, opt UnknownOptions) ([]Call, error) {
	_, where, args, err := c.scope(ctx, f)
	if err != nil {
		return nil, err
	}
	if opt.Limit <= 0 {
		opt.Limit = 1000
	}
	if opt.PendingAfter <= 0 {
		opt.PendingAfter = 15 * time.Minute
	}
	args = append(args, time.Now().Add(-opt.PendingAfter), opt.Limit)
	n := len(args)
	state := `(outcome = 'unknown' OR (outcome = 'pending' AND hq_started_at < $` + itoa(n-1) + `)) AND resolution = ''`
	if opt.Resolved {
		state = `outcome IN ('unknown', 'pending') AND resolution <> '' AND $` + itoa(n-1) + `::timestamptz IS NOT NULL`
	}
	rows, err := c.pool.Query(ctx, `SELECT `+callCols+` FROM kyc.calls WHERE outcome IN ('unknown', 'pending') AND `+
		state+` AND `+where+` ORDER BY hq_started_at LIMIT $`+itoa(n), args...)
	if err != nil {
		return nil, hqdb.Classify("unknowns", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Call, error) { return scanCall(r) })
	return out, hqdb.Classify("unknowns", err)
}

// Call returns one call.
func (c *Client) Call(ctx context.Context, k CallKey) (Call, error) {
	call, err := scanCall(c.pool.QueryRow(ctx, `SELECT `+callCols+` FROM kyc.calls WHERE call_id = $1 AND started_at = $2`,
		k.CallID, k.StartedAt))
	if errors.Is(err, pgx.ErrNoRows) {
		return Call{}, hqdb.NewError(hqdb.CodeNotFound, "call", errors.New("no such call"))
	}
	return call, hqdb.Classify("call", err)
}

// Resolve records head office's decision on a call with an unknown outcome:
// ResolutionBilled or ResolutionNotBilled, with a note (at most MaxNoteLen
// characters). It needs a kyc_hq_write login. The counter that made the call
// receives the resolution at its next sync and shows it in its History.
// Resolving again replaces the decision (and is sent again).
func (c *Client) Resolve(ctx context.Context, k CallKey, resolution, note string) error {
	if resolution != ResolutionBilled && resolution != ResolutionNotBilled {
		return hqdb.NewError(hqdb.CodeInvalid, "resolve", errors.New(`resolution must be "billed" or "not_billed"`))
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen || !utf8.ValidString(note) {
		return hqdb.NewError(hqdb.CodeInvalid, "resolve", errors.New("the note must be valid text of at most 500 characters"))
	}
	_, err := c.pool.Exec(ctx, `SELECT kyc.resolve($1, $2, $3, $4)`, k.CallID, k.StartedAt, resolution, note)
	return hqdb.Classify("resolve", err)
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
