package hq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kycdesk/kyc/hqdb"
)

// DateLayout is how days are written in filters and results.
const DateLayout = "2006-01-02"

// Filter selects calls by report day (inclusive) and optionally outlets,
// counters and products. Zero From/To: the last 30 days up to today.
type Filter struct {
	From, To time.Time // only the calendar date is used
	Outlets  []string
	Counters []string // counter ids (with Outlets, or across outlets)
	Products []string
}

// Dimension is a column a summary can be broken down by.
type Dimension string

// Dimensions, in the order they appear in results.
const (
	ByDay     Dimension = "day"
	ByOutlet  Dimension = "outlet"
	ByCounter Dimension = "counter" // implies the outlet (counter ids repeat across outlets)
	ByProduct Dimension = "product"
)

// ParseDimensions reads "outlet,day" (any of day, outlet, counter, product).
func ParseDimensions(s string) ([]Dimension, error) {
	var out []Dimension
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(strings.ToLower(f))
		switch Dimension(f) {
		case ByDay, ByOutlet, ByCounter, ByProduct:
			out = append(out, Dimension(f))
		case "":
		default:
			return nil, hqdb.NewError(hqdb.CodeInvalid, "report", fmt.Errorf("unknown breakdown %q (day, outlet, counter, product)", f))
		}
	}
	return out, nil
}

// Counts are calls by outcome. Billable are the SUCCESSFUL answers (what the
// vendor charges); Unknown ones may have been billed until resolved.
type Counts struct {
	Total    int64 `json:"total"`
	Success  int64 `json:"success"`
	Rejected int64 `json:"rejected"`
	Failed   int64 `json:"failed"`
	Unknown  int64 `json:"unknown"`
	Pending  int64 `json:"pending"` // not yet finished, as far as head office knows
	// Billable = Success.
	Billable int64 `json:"billable"`
	// UnknownOpen are unknown or pending calls nobody has resolved yet.
	UnknownOpen int64 `json:"unknown_open"`
	// ResolvedBilled / ResolvedNotBilled are unknown calls resolved by hand.
	ResolvedBilled    int64 `json:"resolved_billed"`
	ResolvedNotBilled int64 `json:"resolved_not_billed"`
}

// FailureShare is the share of calls that did not succeed (rejected, failed,
// unknown), 0 when there were none: "which counters keep failing".
func (c Counts) FailureShare() float64 {
	done := c.Total - c.Pending
	if done <= 0 {
		return 0
	}
	return float64(c.Rejected+c.Failed+c.Unknown) / float64(done)
}

// SummaryRow is one line of a summary; the fields not broken down are empty.
type SummaryRow struct {
	Day     string `json:"day,omitempty"`
	Outlet  string `json:"outlet,omitempty"`
	Counter string `json:"counter,omitempty"`
	Product string `json:"product,omitempty"`
	Counts
}

// bounds resolves the filter's days.
func (f Filter) bounds(loc *time.Location) (from, to time.Time, err error) {
	to = f.To
	if to.IsZero() {
		to = time.Now().In(loc)
	}
	from = f.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -29)
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	from, to = day(from), day(to)
	if to.Before(from) {
		return from, to, hqdb.NewError(hqdb.CodeInvalid, "report", errors.New("the range ends before it starts"))
	}
	if to.Sub(from) > 3*366*24*time.Hour {
		return from, to, hqdb.NewError(hqdb.CodeInvalid, "report", errors.New("the range is longer than three years"))
	}
	return from, to, nil
}

// where builds the filter's conditions over a rollup or kyc.calls (same columns).
func (f Filter) where(loc *time.Location, args *[]any) (string, error) {
	from, to, err := f.bounds(loc)
	if err != nil {
		return "", err
	}
	*args = append(*args, from, to)
	conds := []string{"day BETWEEN $1 AND $2"}
	add := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		*args = append(*args, vals)
		conds = append(conds, fmt.Sprintf("%s = ANY($%d)", col, len(*args)))
	}
	add("outlet_id", f.Outlets)
	add("counter_id", f.Counters)
	add("product", f.Products)
	return strings.Join(conds, " AND "), nil
}

const countCols = `sum(total)::bigint, coalesce(sum(success), 0)::bigint, coalesce(sum(rejected), 0)::bigint,
	coalesce(sum(failed), 0)::bigint, coalesce(sum(unknown), 0)::bigint, coalesce(sum(pending), 0)::bigint,
	coalesce(sum(open), 0)::bigint, coalesce(sum(res_billed), 0)::bigint, coalesce(sum(res_unbilled), 0)::bigint`

// rollup picks the smaller rollup that can answer: per outlet unless
// counters are asked for.
func rollup(f Filter, byCounter bool) string {
	if byCounter || len(f.Counters) > 0 {
		return "kyc.daily_counter"
	}
	return "kyc.daily_outlet"
}

func (c *Counts) targets() []any {
	return []any{&c.Total, &c.Success, &c.Rejected, &c.Failed, &c.Unknown, &c.Pending,
		&c.UnknownOpen, &c.ResolvedBilled, &c.ResolvedNotBilled}
}

// Summary counts calls by outcome, broken down by any of day, outlet,
// counter and product (none: one line for the whole range). Lines are
// ordered by the breakdown columns; days without calls do not appear.
func (c *Client) Summary(ctx context.Context, f Filter, by ...Dimension) ([]SummaryRow, error) {
	_, where, args, err := c.scope(ctx, f)
	if err != nil {
		return nil, err
	}
	has := map[Dimension]bool{}
	for _, d := range by {
		has[d] = true
	}
	if has[ByCounter] {
		has[ByOutlet] = true
	}
	var cols []string
	for _, d := range []struct {
		dim Dimension
		col string
	}{{ByDay, "day"}, {ByOutlet, "outlet_id"}, {ByCounter, "counter_id"}, {ByProduct, "product"}} {
		if has[d.dim] {
			cols = append(cols, d.col)
		}
	}
	q := "SELECT "
	if len(cols) > 0 {
		q += strings.Join(cols, ", ") + ", "
	}
	q += countCols + " FROM " + rollup(f, has[ByCounter]) + " WHERE " + where
	if len(cols) > 0 {
		q += " GROUP BY " + strings.Join(cols, ", ") + " ORDER BY " + strings.Join(cols, ", ")
	}
	rows, err := c.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, hqdb.Classify("report", err)
	}
	defer rows.Close()
	var out []SummaryRow
	for rows.Next() {
		var r SummaryRow
		var day time.Time
		var dst []any
		for _, col := range cols {
			switch col {
			case "day":
				dst = append(dst, &day)
			case "outlet_id":
				dst = append(dst, &r.Outlet)
			case "counter_id":
				dst = append(dst, &r.Counter)
			case "product":
				dst = append(dst, &r.Product)
			}
		}
		var total *int64
		t := r.Counts.targets()
		t[0] = &total
		if err := rows.Scan(append(dst, t...)...); err != nil {
			return nil, hqdb.Classify("report", err)
		}
		if total == nil {
			continue // no rows at all in the range
		}
		r.Total = *total
		if !day.IsZero() {
			r.Day = day.Format(DateLayout)
		}
		r.Billable = r.Success
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, hqdb.Classify("report", err)
	}
	return out, nil
}

// CallsPerDay is the summary per day (as Summary with ByDay) with every day
// of the range present, days without calls as zeros: the chart of calls per
// day by outcome shows a silent day as a gap, not by skipping it.
func (c *Client) CallsPerDay(ctx context.Context, f Filter) ([]SummaryRow, error) {
	st, err := c.Settings(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := c.Summary(ctx, f, ByDay)
	if err != nil {
		return nil, err
	}
	from, to, _ := f.bounds(st.Location)
	have := map[string]SummaryRow{}
	for _, r := range rows {
		have[r.Day] = r
	}
	var out []SummaryRow
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		k := d.Format(DateLayout)
		r := have[k]
		r.Day = k
		out = append(out, r)
	}
	return out, nil
}

// QuotaDay is one day's use of the token's quota.
type QuotaDay struct {
	Day      string `json:"day"`
	Billable int64  `json:"billable"` // SUCCESSFUL answers
	// MaybeBilled are unknown calls not yet resolved plus those resolved as
	// billed: the vendor may count them too.
	MaybeBilled int64 `json:"maybe_billed"`
	Quota       int64 `json:"quota"` // 0: not set
	// UsedPercent is Billable / Quota × 100 (0 when no quota is set).
	UsedPercent float64 `json:"used_percent"`
}

// QuotaUse returns every day of the range (days without calls too, for
// charts) with its billable calls against the daily quota. The quota is the
// token's, shared by every outlet: filter by outlet to see one outlet's share.
func (c *Client) QuotaUse(ctx context.Context, f Filter) ([]QuotaDay, error) {
	st, where, args, err := c.scope(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, err := c.pool.Query(ctx, `SELECT day, sum(success)::bigint, sum(open + res_billed)::bigint
		FROM `+rollup(f, false)+` WHERE `+where+` GROUP BY day`, args...)
	if err != nil {
		return nil, hqdb.Classify("quota", err)
	}
	defer rows.Close()
	byDay := map[string]QuotaDay{}
	for rows.Next() {
		var d time.Time
		var q QuotaDay
		if err := rows.Scan(&d, &q.Billable, &q.MaybeBilled); err != nil {
			return nil, hqdb.Classify("quota", err)
		}
		byDay[d.Format(DateLayout)] = q
	}
	if err := rows.Err(); err != nil {
		return nil, hqdb.Classify("quota", err)
	}
	from, to, _ := f.bounds(st.Location)
	var out []QuotaDay
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		k := d.Format(DateLayout)
		q := byDay[k]
		q.Day, q.Quota = k, st.DailyQuota
		if q.Quota > 0 {
			q.UsedPercent = float64(q.Billable) * 100 / float64(q.Quota)
		}
		out = append(out, q)
	}
	return out, nil
}
