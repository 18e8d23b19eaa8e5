package hq

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"kycdesk/kyc/hqdb"
)

// ExportHeader is the finance CSV's header.
var ExportHeader = []string{"day", "outlet", "counter", "product", "cust_ref_no", "trx_id", "ref_id", "outcome",
	"billable", "resolution", "resolution_note", "error_kind", "http_status", "attempts", "started", "os_user"}

// ExportCSV writes every call of the filter, by day, outlet and counter, for
// finance: billable is "yes" for SUCCESSFUL answers and unknown calls
// resolved as billed, "unknown" for unresolved unknown outcomes, else "no".
// Times are in the report time zone. It returns the number of calls written.
func (c *Client) ExportCSV(ctx context.Context, w io.Writer, f Filter) (int, error) {
	st, where, args, err := c.scope(ctx, f)
	if err != nil {
		return 0, err
	}
	rows, err := c.pool.Query(ctx, `SELECT `+callCols+` FROM kyc.calls WHERE `+where+
		` ORDER BY day, outlet_id, counter_id, hq_started_at`, args...)
	if err != nil {
		return 0, hqdb.Classify("export", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		call, err := scanCall(rows)
		if err != nil {
			return n, hqdb.Classify("export", err)
		}
		rec := []string{call.Day, call.Outlet, call.Counter, call.Product, call.CustRefNo, call.TrxID, call.RefID,
			call.Outcome, Billable(call), call.Resolution, call.Note, call.ErrorKind, strconv.Itoa(call.HTTPStatus),
			strconv.Itoa(call.Attempts), call.Started.In(st.Location).Format(time.RFC3339), call.OSUser}
		for i := range rec {
			rec[i] = SafeCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, hqdb.Classify("export", err)
	}
	cw.Flush()
	return n, cw.Error()
}

// Billable says whether finance should count a call: "yes", "no" or "unknown".
func Billable(c Call) string {
	switch {
	case c.Outcome == "success", c.Resolution == ResolutionBilled:
		return "yes"
	case c.Resolution == ResolutionNotBilled:
		return "no"
	case c.Outcome == "unknown", c.Outcome == "pending":
		return "unknown"
	}
	return "no"
}

// SafeCell stops a spreadsheet from running a cell as a formula (a reference
// typed as "=HYPERLINK(…)" at a counter must stay text in finance's Excel).
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
