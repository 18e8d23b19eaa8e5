package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hq/hqchart"
	"kycdesk/kyc/safefile"
)

func writeChart(path string, draw func() ([]byte, error)) error {
	b, err := draw()
	if err != nil {
		return err
	}
	return safefile.Write(path, b)
}

// runReport: kycdesk report [--by outlet,counter,product,day] [filters]
// [--unknown | --quota | --silent | --counters] [--format table|csv|json].
func runReport(ctx context.Context, env *Env, args []string) int {
	fs := newFlags(env, "report", "[--by outlet,day] [--from D --to D] [--outlet X] [--unknown|--quota|--silent|--counters] [--format table|csv|json]")
	profile := fs.String("profile", "", "profile with the head_office connection (default: the active one)")
	filter := filterFlags(fs)
	by := fs.String("by", "outlet", "break down by any of: day, outlet, counter, product (\"\" for one total)")
	unknown := fs.Bool("unknown", false, "list calls with an unknown outcome not yet resolved (with outlet and reference)")
	resolved := fs.Bool("resolved", false, "with --unknown: the resolved ones instead")
	quota := fs.Bool("quota", false, "billable calls per day against the token's daily quota")
	silent := fs.Duration("silent", 0, "list counters not in touch for longer than this (e.g. 24h)")
	counters := fs.Bool("counters", false, "list every registered counter and its last contact")
	format := fs.String("format", "table", "table, csv or json")
	chart := fs.String("chart", "", "also draw a PNG: calls per day by outcome, or with --quota the quota use")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usageError(env, "report", "--format must be table, csv or json")
	}
	f, err := filter()
	if err != nil {
		return usageError(env, "report", "%v", err)
	}
	dims, err := hq.ParseDimensions(*by)
	if err != nil {
		return headOfficeFailure(env, "report", err)
	}
	c, err := openHeadOffice(ctx, env, *profile)
	if err != nil {
		return headOfficeFailure(env, "report", err)
	}
	defer c.Close()
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	ts := func(t *time.Time) string {
		if t == nil {
			return "never"
		}
		return t.Format(time.RFC3339)
	}
	switch {
	case *unknown:
		calls, err := c.Unknowns(ctx, f, hq.UnknownOptions{Resolved: *resolved})
		if err != nil {
			return headOfficeFailure(env, "report", err)
		}
		rows := [][]string{{"day", "outlet", "counter", "product", "cust_ref_no", "outcome", "error_kind", "http_status", "resolution", "note", "call_id", "started_at"}}
		for _, x := range calls {
			rows = append(rows, []string{x.Day, x.Outlet, x.Counter, x.Product, x.CustRefNo, x.Outcome, x.ErrorKind,
				strconv.Itoa(x.HTTPStatus), x.Resolution, x.Note, x.CallID, x.StartedAt.Format(time.RFC3339Nano)})
		}
		return render(env, *format, rows, calls)
	case *quota:
		days, err := c.QuotaUse(ctx, f)
		if err != nil {
			return headOfficeFailure(env, "report", err)
		}
		if *chart != "" {
			if err := writeChart(*chart, func() ([]byte, error) { return hqchart.QuotaUse(days, hqchart.English, hqchart.DefaultSize) }); err != nil {
				return headOfficeFailure(env, "report", err)
			}
		}
		rows := [][]string{{"day", "billable", "maybe_billed", "quota", "used_%"}}
		for _, d := range days {
			rows = append(rows, []string{d.Day, i64(d.Billable), i64(d.MaybeBilled), i64(d.Quota), fmt.Sprintf("%.1f", d.UsedPercent)})
		}
		return render(env, *format, rows, days)
	case *silent > 0, *counters:
		var list []hq.Counter
		if *counters {
			list, err = c.Counters(ctx)
		} else {
			list, err = c.SilentCounters(ctx, *silent)
		}
		if err != nil {
			return headOfficeFailure(env, "report", err)
		}
		rows := [][]string{{"outlet", "counter", "login", "last_seen", "last_call", "app_version", "clock_skew_s"}}
		for _, x := range list {
			rows = append(rows, []string{x.Outlet, x.Counter, x.Login, ts(x.LastSeen), ts(x.LastCall), x.AppVersion,
				strconv.FormatInt(x.ClockSkewMS/1000, 10)})
		}
		return render(env, *format, rows, list)
	}
	sum, err := c.Summary(ctx, f, dims...)
	if err != nil {
		return headOfficeFailure(env, "report", err)
	}
	if *chart != "" {
		perDay, err := c.CallsPerDay(ctx, f)
		if err == nil {
			err = writeChart(*chart, func() ([]byte, error) { return hqchart.CallsPerDay(perDay, hqchart.English, hqchart.DefaultSize) })
		}
		if err != nil {
			return headOfficeFailure(env, "report", err)
		}
	}
	head := []string{}
	has := map[hq.Dimension]bool{}
	for _, d := range dims {
		has[d] = true
	}
	if has[hq.ByCounter] {
		has[hq.ByOutlet] = true
	}
	for _, d := range []hq.Dimension{hq.ByDay, hq.ByOutlet, hq.ByCounter, hq.ByProduct} {
		if has[d] {
			head = append(head, string(d))
		}
	}
	rows := [][]string{append(head, "total", "success", "rejected", "failed", "unknown", "pending", "billable", "unknown_open", "resolved_billed", "resolved_not_billed")}
	for _, r := range sum {
		var line []string
		for _, d := range []hq.Dimension{hq.ByDay, hq.ByOutlet, hq.ByCounter, hq.ByProduct} {
			if has[d] {
				line = append(line, map[hq.Dimension]string{hq.ByDay: r.Day, hq.ByOutlet: r.Outlet, hq.ByCounter: r.Counter, hq.ByProduct: r.Product}[d])
			}
		}
		rows = append(rows, append(line, i64(r.Total), i64(r.Success), i64(r.Rejected), i64(r.Failed), i64(r.Unknown),
			i64(r.Pending), i64(r.Billable), i64(r.UnknownOpen), i64(r.ResolvedBilled), i64(r.ResolvedNotBilled)))
	}
	return render(env, *format, rows, sum)
}
