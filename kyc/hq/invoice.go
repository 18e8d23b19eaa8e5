package hq

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hqdb"
)

// InvoiceMapping says where the vendor's billing export keeps what
// reconciliation needs. The vendor's format is not published, so finance
// describes it once in a small JSON file:
//
//	{"trx_id": "Transaction ID", "date": "Trx Date", "date_format": "02/01/2006 15:04:05",
//	 "product": "Service", "delimiter": ";"}
//
// Column names are matched ignoring case and surrounding spaces.
type InvoiceMapping struct {
	TrxID string `json:"trx_id"` // required
	Date  string `json:"date"`   // required
	// DateFormat is a Go layout; empty tries 2006-01-02, 2006-01-02 15:04:05,
	// RFC 3339, 02/01/2006 and 02/01/2006 15:04:05.
	DateFormat string `json:"date_format,omitempty"`
	Product    string `json:"product,omitempty"`
	// Delimiter is one character; empty: ",".
	Delimiter string `json:"delimiter,omitempty"`
}

// LoadInvoiceMapping reads a mapping file.
func LoadInvoiceMapping(path string) (InvoiceMapping, error) {
	var m InvoiceMapping
	b, err := os.ReadFile(path)
	if err != nil {
		return m, hqdb.NewError(hqdb.CodeInvalid, "invoice", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, hqdb.NewError(hqdb.CodeInvalid, "invoice", fmt.Errorf("mapping %s: %w", path, err))
	}
	return m, m.validate()
}

func (m InvoiceMapping) validate() error {
	if strings.TrimSpace(m.TrxID) == "" || strings.TrimSpace(m.Date) == "" {
		return hqdb.NewError(hqdb.CodeInvalid, "invoice", errors.New(`the mapping needs the "trx_id" and "date" column names`))
	}
	if m.Delimiter != "" && utf8.RuneCountInString(m.Delimiter) != 1 {
		return hqdb.NewError(hqdb.CodeInvalid, "invoice", errors.New("delimiter must be one character"))
	}
	return nil
}

var dateLayouts = []string{"2006-01-02", "2006-01-02 15:04:05", time.RFC3339, "02/01/2006", "02/01/2006 15:04:05", "2006/01/02"}

func (m InvoiceMapping) parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	layouts := dateLayouts
	if m.DateFormat != "" {
		layouts = []string{m.DateFormat}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q does not match %s", s, strings.Join(layouts, " or "))
}

// InvoiceImport is one imported billing export.
type InvoiceImport struct {
	ID       int       `json:"id"`
	Name     string    `json:"name"`
	Imported time.Time `json:"imported"`
	FirstDay string    `json:"first_day"`
	LastDay  string    `json:"last_day"`
	Lines    int       `json:"lines"`
}

// MaxInvoiceLines bounds one import (a month of a large merchant is far less).
const MaxInvoiceLines = 5_000_000

// ImportInvoice reads the vendor's CSV with m and stores its lines under
// name (needs kyc_hq_write). A line that cannot be read stops the import
// with its line number; nothing is stored then.
func (c *Client) ImportInvoice(ctx context.Context, name string, r io.Reader, m InvoiceMapping) (InvoiceImport, error) {
	bad := func(err error) (InvoiceImport, error) {
		return InvoiceImport{}, hqdb.NewError(hqdb.CodeInvalid, "invoice", err)
	}
	if err := m.validate(); err != nil {
		return InvoiceImport{}, err
	}
	cr := csv.NewReader(r)
	if m.Delimiter != "" {
		cr.Comma, _ = utf8.DecodeRuneInString(m.Delimiter)
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return bad(fmt.Errorf("header: %w", err))
	}
	col := func(name string) int {
		for i, h := range head {
			h = strings.TrimPrefix(h, "\ufeff") // Excel's byte order mark
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
				return i
			}
		}
		return -1
	}
	iTrx, iDate, iProd := col(m.TrxID), col(m.Date), -1
	if iTrx < 0 || iDate < 0 {
		return bad(fmt.Errorf("columns %q and %q must be in the header (found: %s)", m.TrxID, m.Date, strings.Join(head, ", ")))
	}
	if m.Product != "" {
		if iProd = col(m.Product); iProd < 0 {
			return bad(fmt.Errorf("column %q is not in the header", m.Product))
		}
	}
	var lines [][]any
	var first, last time.Time
	for ln := 2; ; ln++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bad(fmt.Errorf("line %d: %w", ln, err))
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) <= iTrx || len(rec) <= iDate || (iProd >= 0 && len(rec) <= iProd) {
			return bad(fmt.Errorf("line %d: too few columns", ln))
		}
		trx := strings.TrimSpace(rec[iTrx])
		if trx == "" || len(trx) > 64 {
			return bad(fmt.Errorf("line %d: trx_id is empty or too long", ln))
		}
		d, err := m.parseDate(rec[iDate])
		if err != nil {
			return bad(fmt.Errorf("line %d: %w", ln, err))
		}
		d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
		prod := ""
		if iProd >= 0 {
			prod = strings.TrimSpace(rec[iProd])
		}
		lines = append(lines, []any{0, ln, trx, d, prod})
		if len(lines) > MaxInvoiceLines {
			return bad(fmt.Errorf("more than %d lines", MaxInvoiceLines))
		}
	}
	if len(lines) == 0 {
		return bad(errors.New("the file has no lines after its header"))
	}
	imp := InvoiceImport{Name: name, Lines: len(lines), FirstDay: first.Format(DateLayout), LastDay: last.Format(DateLayout)}
	err = pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO kyc.invoice_imports (name, first_day, last_day, lines)
			VALUES ($1, $2, $3, $4) RETURNING id, imported_at`, name, first, last, len(lines)).Scan(&imp.ID, &imp.Imported); err != nil {
			return err
		}
		for _, l := range lines {
			l[0] = imp.ID
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"kyc", "invoice_lines"},
			[]string{"import_id", "line", "trx_id", "billed_on", "product"}, pgx.CopyFromRows(lines))
		return err
	})
	if err != nil {
		return InvoiceImport{}, hqdb.Classify("invoice", err)
	}
	return imp, nil
}

// InvoiceImports lists the imports, newest first.
func (c *Client) InvoiceImports(ctx context.Context) ([]InvoiceImport, error) {
	rows, err := c.pool.Query(ctx, `SELECT id, name, imported_at, first_day, last_day, lines FROM kyc.invoice_imports ORDER BY id DESC`)
	if err != nil {
		return nil, hqdb.Classify("invoice", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (InvoiceImport, error) {
		var i InvoiceImport
		var f, l time.Time
		err := r.Scan(&i.ID, &i.Name, &i.Imported, &f, &l, &i.Lines)
		i.FirstDay, i.LastDay = f.Format(DateLayout), l.Format(DateLayout)
		return i, err
	})
	return out, hqdb.Classify("invoice", err)
}

// InvoiceLine is a billed line with what head office knows of its trx_id.
type InvoiceLine struct {
	Line     int    `json:"line"`
	TrxID    string `json:"trx_id"`
	BilledOn string `json:"billed_on"`
	Product  string `json:"product,omitempty"`
	// Call is the matching call, if any (its outcome says why it is listed).
	Call *Call `json:"call,omitempty"`
	// Copies > 1: the invoice bills this trx_id more than once.
	Copies int `json:"copies"`
}

// Reconciliation compares an invoice with the calls of its days.
type Reconciliation struct {
	Import InvoiceImport `json:"import"`
	// BilledWithoutSuccess: invoice lines with no SUCCESSFUL call of that
	// trx_id (no call at all, an unknown outcome, a failure) or billed twice.
	BilledWithoutSuccess []InvoiceLine `json:"billed_without_success"`
	// SuccessNotInvoiced: SUCCESSFUL calls of the invoice's days whose trx_id
	// the invoice lacks.
	SuccessNotInvoiced []Call `json:"success_not_invoiced"`
	// Matched counts the lines that match one successful call.
	Matched int `json:"matched"`
}

// Reconcile lists what the invoice bills that we have no success for, and
// the successes the invoice lacks. Calls are looked up from three days
// before the invoice's first day to three days after its last (the
// vendor's day and ours may differ; counters' clocks may be off).
func (c *Client) Reconcile(ctx context.Context, importID int) (Reconciliation, error) {
	var rec Reconciliation
	var f, l time.Time
	err := c.pool.QueryRow(ctx, `SELECT id, name, imported_at, first_day, last_day, lines FROM kyc.invoice_imports WHERE id = $1`,
		importID).Scan(&rec.Import.ID, &rec.Import.Name, &rec.Import.Imported, &f, &l, &rec.Import.Lines)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, hqdb.NewError(hqdb.CodeNotFound, "reconcile", fmt.Errorf("no invoice import %d", importID))
	}
	if err != nil {
		return rec, hqdb.Classify("reconcile", err)
	}
	rec.Import.FirstDay, rec.Import.LastDay = f.Format(DateLayout), l.Format(DateLayout)
	lo, hi := f.AddDate(0, 0, -3), l.AddDate(0, 0, 4)

	rows, err := c.pool.Query(ctx, `
		WITH lines AS (
			SELECT line, trx_id, billed_on, product, count(*) OVER (PARTITION BY trx_id) AS copies
			FROM kyc.invoice_lines WHERE import_id = $1
		), calls AS (
			SELECT DISTINCT ON (trx_id) * FROM kyc.calls
			WHERE trx_id <> '' AND started_at >= $2 AND started_at < $3
			ORDER BY trx_id, (outcome = 'success') DESC
		)
		SELECT l.line, l.trx_id, l.billed_on, l.product, l.copies, c.call_id IS NOT NULL,
			coalesce(c.call_id::text, ''), coalesce(c.started_at, 'epoch'), coalesce(c.day, 'epoch'), coalesce(c.outlet_id, ''),
			coalesce(c.counter_id, ''), coalesce(c.product, ''), coalesce(c.cust_ref_no, ''), coalesce(c.trx_id, ''),
			coalesce(c.ref_id, ''), coalesce(c.outcome, ''), coalesce(c.error_kind, ''), coalesce(c.http_status, 0),
			coalesce(c.attempts, 0), coalesce(c.os_user, ''), coalesce(c.profile, ''), coalesce(c.hq_started_at, 'epoch'),
			coalesce(c.resolution, ''), coalesce(c.resolution_note, ''), coalesce(c.resolved_by, ''), c.resolved_at
		FROM lines l LEFT JOIN calls c USING (trx_id)
		ORDER BY l.line`, importID, lo, hi)
	if err != nil {
		return rec, hqdb.Classify("reconcile", err)
	}
	defer rows.Close()
	for rows.Next() {
		var il InvoiceLine
		var billed, day time.Time
		var found bool
		var call Call
		if err := rows.Scan(&il.Line, &il.TrxID, &billed, &il.Product, &il.Copies, &found,
			&call.CallID, &call.StartedAt, &day, &call.Outlet, &call.Counter, &call.Product, &call.CustRefNo, &call.TrxID,
			&call.RefID, &call.Outcome, &call.ErrorKind, &call.HTTPStatus, &call.Attempts, &call.OSUser, &call.Profile,
			&call.Started, &call.Resolution, &call.Note, &call.ResolvedBy, &call.ResolvedAt); err != nil {
			return rec, hqdb.Classify("reconcile", err)
		}
		il.BilledOn = billed.Format(DateLayout)
		if found {
			call.Day = day.Format(DateLayout)
			il.Call = &call
		}
		if found && call.Outcome == "success" && il.Copies == 1 {
			rec.Matched++
			continue
		}
		rec.BilledWithoutSuccess = append(rec.BilledWithoutSuccess, il)
	}
	if err := rows.Err(); err != nil {
		return rec, hqdb.Classify("reconcile", err)
	}
	rows.Close()

	rows, err = c.pool.Query(ctx, `SELECT `+callCols+` FROM kyc.calls c
		WHERE outcome = 'success' AND day BETWEEN $2 AND $3 AND started_at >= $4 AND started_at < $5
		  AND NOT EXISTS (SELECT FROM kyc.invoice_lines l WHERE l.import_id = $1 AND l.trx_id = c.trx_id)
		ORDER BY hq_started_at`, importID, f, l, lo, hi)
	if err != nil {
		return rec, hqdb.Classify("reconcile", err)
	}
	rec.SuccessNotInvoiced, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Call, error) { return scanCall(r) })
	return rec, hqdb.Classify("reconcile", err)
}
