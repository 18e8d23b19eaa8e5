package history

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"kycdesk/kyc/safefile"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// ExportOptions selects what Export writes.
type ExportOptions struct {
	Format string // FormatCSV or FormatJSON
	Filter Filter // rows to export (Limit and After are ignored: all matching rows)
	// IncludePersonal adds the opened personal fields (NIK, inputs, results,
	// error message). Off by default: reconciliation needs only clear fields.
	IncludePersonal bool
	Location        *time.Location // for times; nil → time.Local
}

// ExportRow is one record as exported (JSON export, `kycdesk history --json`);
// field names follow the CLI's --json output.
type ExportRow struct {
	ID          int64  `json:"id"`
	CreatedAt   string `json:"created_at"`
	CompletedAt string `json:"completed_at,omitempty"`
	Product     string `json:"product"`
	CustRefNo   string `json:"cust_ref_no"`
	Profile     string `json:"profile"`
	Outcome     string `json:"outcome"`
	ErrorKind   string `json:"error_kind,omitempty"`
	HTTPStatus  int    `json:"http_status,omitempty"`
	Attempts    int    `json:"attempts"`
	TrxID       string `json:"trx_id,omitempty"`
	RefID       string `json:"ref_id,omitempty"`
	Timestamp   int64  `json:"timestamp,omitempty"`
	DurationMS  int64  `json:"duration_ms"`
	NIKMasked   string `json:"nik_masked,omitempty"`
	Note        string `json:"note,omitempty"`
	// The customer's consent as the clerk confirmed it (absent: none recorded).
	ConsentAt      string   `json:"consent_at,omitempty"`
	ConsentVersion int      `json:"consent_version,omitempty"`
	ConsentUser    string   `json:"consent_user,omitempty"`
	ConsentText    string   `json:"consent_text,omitempty"`
	Images         []string `json:"images,omitempty"` // kinds of the photos kept (sealed; not exported)
	OSUser         string   `json:"os_user,omitempty"`
	// The resolution of an unknown outcome (head office's or the counter's).
	Resolution       string            `json:"resolution,omitempty"`
	ResolutionSource string            `json:"resolution_source,omitempty"`
	ResolvedBy       string            `json:"resolved_by,omitempty"`
	ResolvedAt       string            `json:"resolved_at,omitempty"`
	ResolutionNote   string            `json:"resolution_note,omitempty"`
	NIK              string            `json:"nik,omitempty"`
	ErrorMessage     string            `json:"error_message,omitempty"`
	Input            map[string]string `json:"input,omitempty"`
	Result           map[string]string `json:"result,omitempty"`
	Unreadable       []string          `json:"unreadable,omitempty"`
}

var csvHeader = []string{"id", "created_at", "completed_at", "product", "cust_ref_no", "profile", "outcome", "error_kind",
	"http_status", "attempts", "trx_id", "ref_id", "timestamp", "duration_ms", "nik_masked", "note",
	"consent_at", "consent_version", "consent_user", "os_user", "resolution", "resolution_source", "resolved_by",
	"resolved_at", "resolution_note"}

var csvPersonalHeader = []string{"nik", "error_message", "input", "result", "unreadable"}

// Export writes the matching rows, newest first, to w: CSV with a header row,
// or a JSON array. It returns the number of rows written.
func (s *Store) Export(ctx context.Context, w io.Writer, opt ExportOptions) (int, error) {
	loc := opt.Location
	if loc == nil {
		loc = time.Local
	}
	f := opt.Filter
	f.Limit, f.After, f.Personal = MaxPageSize, "", opt.IncludePersonal
	var write func(Record) error
	var finish func() error
	switch opt.Format {
	case FormatCSV:
		cw := csv.NewWriter(w)
		hdr := csvHeader
		if opt.IncludePersonal {
			hdr = append(append([]string(nil), csvHeader...), csvPersonalHeader...)
		}
		if err := cw.Write(hdr); err != nil {
			return 0, err
		}
		write = func(r Record) error { return cw.Write(csvRow(ExportRowOf(r, loc), opt.IncludePersonal)) }
		finish = func() error { cw.Flush(); return cw.Error() }
	case FormatJSON:
		first := true
		if _, err := io.WriteString(w, "["); err != nil {
			return 0, err
		}
		write = func(r Record) error {
			b, err := json.Marshal(ExportRowOf(r, loc))
			if err != nil {
				return err
			}
			sep := ",\n"
			if first {
				sep, first = "\n", false
			}
			_, err = io.WriteString(w, sep+string(b))
			return err
		}
		finish = func() error { _, err := io.WriteString(w, "\n]\n"); return err }
	default:
		return 0, fmt.Errorf("history: unknown export format %q (want csv or json)", opt.Format)
	}
	n := 0
	for {
		p, err := s.List(ctx, f)
		if err != nil {
			return n, err
		}
		for _, r := range p.Records {
			if err := write(r); err != nil {
				return n, err
			}
			n++
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	return n, finish()
}

// ExportRowOf converts a record for export, times in loc (nil → time.Local).
func ExportRowOf(r Record, loc *time.Location) ExportRow {
	if loc == nil {
		loc = time.Local
	}
	e := ExportRow{ID: r.ID, CreatedAt: r.CreatedAt.In(loc).Format(time.RFC3339), Product: r.Product,
		CustRefNo: r.CustRefNo, Profile: r.Profile, Outcome: r.Outcome, ErrorKind: r.ErrorKind,
		HTTPStatus: r.HTTPStatus, Attempts: r.Attempts, TrxID: r.TrxID, RefID: r.RefID,
		Timestamp: r.GatewayTimestamp, DurationMS: r.Duration.Milliseconds(), NIKMasked: r.NIKMasked, Note: r.Note}
	if !r.CompletedAt.IsZero() {
		e.CompletedAt = r.CompletedAt.In(loc).Format(time.RFC3339)
	}
	if r.Consent.Given() {
		e.ConsentAt = r.Consent.At.In(loc).Format(time.RFC3339)
		e.ConsentVersion, e.ConsentUser, e.ConsentText = r.Consent.Version, r.Consent.User, r.Consent.Text
	}
	e.Images, e.OSUser = r.Images, r.OSUser
	if res := r.Resolution; res.Resolved() {
		e.Resolution, e.ResolutionSource, e.ResolvedBy, e.ResolutionNote = res.Value, res.Source, res.By, res.Note
		e.ResolvedAt = res.At.In(loc).Format(time.RFC3339)
	}
	if p := r.Personal; p != nil {
		e.NIK, e.ErrorMessage, e.Input, e.Result = p.NIK, p.ErrorMessage, p.Input, p.Result
		for col, err := range p.Unreadable {
			e.Unreadable = append(e.Unreadable, col+": "+err.Error())
		}
		sort.Strings(e.Unreadable)
	}
	return e
}

func csvRow(e ExportRow, personal bool) []string {
	row := []string{strconv.FormatInt(e.ID, 10), e.CreatedAt, e.CompletedAt, cell(e.Product), cell(e.CustRefNo),
		cell(e.Profile), e.Outcome, cell(e.ErrorKind), strconv.Itoa(e.HTTPStatus), strconv.Itoa(e.Attempts),
		cell(e.TrxID), cell(e.RefID), strconv.FormatInt(e.Timestamp, 10), strconv.FormatInt(e.DurationMS, 10),
		e.NIKMasked, cell(e.Note), e.ConsentAt, "", cell(e.ConsentUser), cell(e.OSUser), e.Resolution,
		e.ResolutionSource, cell(e.ResolvedBy), e.ResolvedAt, cell(e.ResolutionNote)}
	if e.ConsentAt != "" {
		row[17] = strconv.Itoa(e.ConsentVersion)
	}
	if personal {
		row = append(row, cell(e.NIK), cell(e.ErrorMessage), cell(mapJSON(e.Input)), cell(mapJSON(e.Result)),
			cell(strings.Join(e.Unreadable, "; ")))
	}
	return row
}

func mapJSON(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m) // map[string]string always marshals
	return string(b)
}

// cell defuses spreadsheet formulas: the outlet opens the CSV in a
// spreadsheet, and a reference or OCR value starting with = + - @ would be
// evaluated there. A leading apostrophe makes it text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ExportFile writes Export's output to path crash-safely and owner-only (see
// kyc/safefile): a reader, or a power cut, never meets half an export, and an
// export of personal data is never readable by other users.
func (s *Store) ExportFile(ctx context.Context, path string, opt ExportOptions) (int, error) {
	n := 0
	err := safefile.WriteWith(path, func(w io.Writer) error {
		var err error
		n, err = s.Export(ctx, w, opt)
		return err
	})
	return n, err
}
