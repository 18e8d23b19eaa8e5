package hqtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kycdesk/kyc/hqsync"
)

// CentralCall is a row of kyc.calls as the reconciliation checks it.
type CentralCall struct {
	Outlet, Counter, CallID, Outcome, TrxID, Resolution string
	Seq                                                 int
	Started                                             time.Time
}

// Central reads every call row (as the superuser).
func (d *DB) Central(tb testing.TB) []CentralCall {
	tb.Helper()
	ctx, c, done := d.admin(tb)
	defer done()
	rows, err := c.Query(ctx, `SELECT outlet_id, counter_id, call_id::text, outcome, trx_id, resolution, seq, started_at FROM kyc.calls`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []CentralCall
	for rows.Next() {
		var x CentralCall
		if err := rows.Scan(&x.Outlet, &x.Counter, &x.CallID, &x.Outcome, &x.TrxID, &x.Resolution, &x.Seq, &x.Started); err != nil {
			tb.Fatal(err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// RollupDrift lists the rollup rows that disagree with the calls they count.
func (d *DB) RollupDrift(tb testing.TB) []string {
	tb.Helper()
	ctx, c, done := d.admin(tb)
	defer done()
	rows, err := c.Query(ctx, `
		WITH actual AS (
			SELECT day, outlet_id, counter_id, product, count(*) AS total,
				count(*) FILTER (WHERE outcome = 'success') AS success, count(*) FILTER (WHERE outcome = 'rejected') AS rejected,
				count(*) FILTER (WHERE outcome = 'failed') AS failed, count(*) FILTER (WHERE outcome = 'unknown') AS unknown,
				count(*) FILTER (WHERE outcome = 'pending') AS pending,
				count(*) FILTER (WHERE outcome IN ('unknown', 'pending') AND resolution = '') AS open,
				count(*) FILTER (WHERE resolution = 'billed') AS res_billed,
				count(*) FILTER (WHERE resolution = 'not_billed') AS res_unbilled
			FROM kyc.calls GROUP BY 1, 2, 3, 4
		), nonzero AS (
			SELECT * FROM kyc.daily_counter WHERE (total, success, rejected, failed, unknown, pending, open, res_billed, res_unbilled)
				<> (0, 0, 0, 0, 0, 0, 0, 0, 0)
		), outlet_actual AS (
			SELECT day, outlet_id, product, sum(total) total, sum(success) success, sum(rejected) rejected, sum(failed) failed,
				sum(unknown) unknown, sum(pending) pending, sum(open) open, sum(res_billed) res_billed, sum(res_unbilled) res_unbilled
			FROM actual GROUP BY 1, 2, 3
		), outlet_nonzero AS (
			SELECT * FROM kyc.daily_outlet WHERE (total, success, rejected, failed, unknown, pending, open, res_billed, res_unbilled)
				<> (0, 0, 0, 0, 0, 0, 0, 0, 0)
		)
		SELECT format('counter rollup %s %s/%s %s: %s, calls say %s', coalesce(a.day, d.day), coalesce(a.outlet_id, d.outlet_id),
			coalesce(a.counter_id, d.counter_id), coalesce(a.product, d.product),
			row(d.total, d.success, d.rejected, d.failed, d.unknown, d.pending, d.open, d.res_billed, d.res_unbilled),
			row(a.total, a.success, a.rejected, a.failed, a.unknown, a.pending, a.open, a.res_billed, a.res_unbilled))
		FROM actual a FULL JOIN nonzero d USING (day, outlet_id, counter_id, product)
		WHERE row(a.total, a.success, a.rejected, a.failed, a.unknown, a.pending, a.open, a.res_billed, a.res_unbilled)
			IS DISTINCT FROM row(d.total, d.success, d.rejected, d.failed, d.unknown, d.pending, d.open, d.res_billed, d.res_unbilled)
		UNION ALL
		SELECT format('outlet rollup %s %s %s: %s, calls say %s', coalesce(a.day, d.day), coalesce(a.outlet_id, d.outlet_id),
			coalesce(a.product, d.product),
			row(d.total, d.success, d.rejected, d.failed, d.unknown, d.pending, d.open, d.res_billed, d.res_unbilled),
			row(a.total, a.success, a.rejected, a.failed, a.unknown, a.pending, a.open, a.res_billed, a.res_unbilled))
		FROM outlet_actual a FULL JOIN outlet_nonzero d USING (day, outlet_id, product)
		WHERE row(a.total::bigint, a.success::bigint, a.rejected::bigint, a.failed::bigint, a.unknown::bigint, a.pending::bigint,
				a.open::bigint, a.res_billed::bigint, a.res_unbilled::bigint)
			IS DISTINCT FROM row(d.total, d.success, d.rejected, d.failed, d.unknown, d.pending, d.open, d.res_billed, d.res_unbilled)`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// LocalCall is one call as a counter recorded it.
type LocalCall struct {
	Outlet, Counter string
	hqsync.Event
}

// Snapshot returns the counter's local calls (take it before Reinstall to
// keep the calls of the old installation).
func (c *Counter) Snapshot() []LocalCall {
	var out []LocalCall
	for _, e := range c.Calls() {
		out = append(out, LocalCall{Outlet: c.Outlet, Counter: c.ID, Event: e})
	}
	return out
}

// Reconcile compares the counters' local calls with the central table:
// every local call present exactly once, in its latest state, under its
// outlet and counter, and nothing central that no counter made.
func Reconcile(local []LocalCall, central []CentralCall) []string {
	var problems []string
	type key struct{ outlet, counter, id string }
	seen := map[key]int{}
	byKey := map[key]CentralCall{}
	for _, c := range central {
		k := key{c.Outlet, c.Counter, c.CallID}
		seen[k]++
		byKey[k] = c
	}
	want := map[key]bool{}
	for _, l := range local {
		k := key{l.Outlet, l.Counter, l.CallID}
		want[k] = true
		switch n := seen[k]; {
		case n == 0:
			problems = append(problems, fmt.Sprintf("missing: %s/%s call %s (%s)", l.Outlet, l.Counter, l.CallID, l.Outcome))
		case n > 1:
			problems = append(problems, fmt.Sprintf("doubled ×%d: %s/%s call %s", n, l.Outlet, l.Counter, l.CallID))
		default:
			c := byKey[k]
			if c.Seq != l.Seq || c.Outcome != l.Outcome || c.TrxID != l.TrxID || !c.Started.Equal(l.StartedAt) {
				problems = append(problems, fmt.Sprintf("stale: %s/%s call %s: central seq %d %s %s, local seq %d %s %s",
					l.Outlet, l.Counter, l.CallID, c.Seq, c.Outcome, c.TrxID, l.Seq, l.Outcome, l.TrxID))
			}
		}
	}
	for k, n := range seen {
		if !want[k] {
			problems = append(problems, fmt.Sprintf("unexpected ×%d: %s/%s call %s", n, k.outlet, k.counter, k.id))
		}
	}
	return problems
}

// WaitDrained syncs until every counter's outbox is empty or ctx ends.
func WaitDrained(ctx context.Context, counters []*Counter) error {
	for {
		n := 0
		for _, c := range counters {
			w, _ := c.Waiting(ctx)
			n += w
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d events still waiting: %w", n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Dump is every row of every table of the kyc schema as text (the
// privacy test scans it).
func (d *DB) Dump(tb testing.TB) string {
	tb.Helper()
	ctx, c, done := d.admin(tb)
	defer done()
	rows, err := c.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'kyc'`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	var b []byte
	for _, tbl := range tables {
		var s *string
		if err := c.QueryRow(ctx, `SELECT string_agg(t::text, E'\n') FROM kyc.`+tbl+` t`).Scan(&s); err != nil {
			tb.Fatal(err)
		}
		if s != nil {
			b = append(b, *s...)
			b = append(b, '\n')
		}
	}
	return string(b)
}
