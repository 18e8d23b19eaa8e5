package hq_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/internal/pgtest"
)

// The report benchmarks run over a generated head office database of
// HQ_BENCH_ROWS calls (default 10 million) from 5,000 counters in 2,000
// outlets over the last 180 days, kept in HQ_BENCH_DIR (default
// /tmp/kycdesk-bench-pg) so it is generated once:
//
//	go test -run '^$' -bench Report -benchtime 20x -timeout 60m ./kyc/hq/
//
// The generator writes the calls with SQL (the ingest path is measured by
// BenchmarkIngestLoad in kyc/hqsync) and then rebuilds the rollup with
// kyc.rebuild_daily, exactly as ingest would have left it.
var bench struct {
	once   sync.Once
	srv    *pgtest.Server
	client *hq.Client
	month  hq.Filter // the last complete calendar month
	day    hq.Filter // yesterday
	err    error
}

func stopBench() {
	if bench.client != nil {
		bench.client.Close()
	}
	if bench.srv != nil {
		_ = bench.srv.Close()
	}
}

func benchClient(b *testing.B) *hq.Client {
	b.Helper()
	bench.once.Do(func() { bench.err = setupBench(b) })
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.client
}

func setupBench(b *testing.B) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	dir := os.Getenv("HQ_BENCH_DIR")
	if dir == "" {
		dir = "/tmp/kycdesk-bench-pg"
	}
	rows, _ := strconv.Atoi(os.Getenv("HQ_BENCH_ROWS"))
	if rows <= 0 {
		rows = 10_000_000
	}
	srv, err := pgtest.New(ctx, pgtest.Options{Dir: dir, Durable: true,
		Settings: []string{"shared_buffers = '2GB'", "work_mem = '64MB'", "maintenance_work_mem = '1GB'", "max_wal_size = '8GB'",
			"jit = off"}})
	if err != nil {
		return err
	}
	bench.srv = srv
	admin, err := srv.Admin(ctx, "")
	if err != nil {
		return err
	}
	dbName := fmt.Sprintf("bench_%d", rows)
	var exists bool
	_ = admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, dbName).Scan(&exists)
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+dbName); err != nil {
			return err
		}
	}
	admin.Close(ctx)
	c, err := srv.Admin(ctx, dbName)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var have string
	_ = c.QueryRow(ctx, `SELECT value FROM kyc.settings WHERE key = 'bench_rows'`).Scan(&have)
	if have != strconv.Itoa(rows) {
		if err := hq.Init(ctx, c); err != nil {
			return err
		}
		start := time.Now()
		steps := []string{
			`SELECT kyc.ensure_partitions((now() - interval '7 months')::date, 9)`,
			`TRUNCATE kyc.calls, kyc.daily_counter, kyc.daily_outlet, kyc.counters RESTART IDENTITY`,
			`INSERT INTO kyc.counters (login, outlet_id, counter_id, last_seen_at, app_version)
			 SELECT 'gen_' || o || '_' || k, 'OUT-' || lpad(o::text, 4, '0'), k::text, now() - (o % 40) * interval '1 hour', '1.4.0'
			 FROM generate_series(1, 2000) o, generate_series(1, 2 + (o % 2)) k
			 ORDER BY o, k`,
		}
		const chunk = 1_000_000
		for off := 0; off < rows; off += chunk {
			n := min(chunk, rows-off)
			steps = append(steps, fmt.Sprintf(`INSERT INTO kyc.calls (started_at, counter_ref, call_id, seq, outlet_id, counter_id, day,
				hq_started_at, ended_at, product, cust_ref_no, os_user, profile, app_version, outcome, error_kind, http_status,
				attempts, trx_id, ref_id, live, first_received_at, received_at)
			SELECT ts, k.id, gen_random_uuid(), 2, k.outlet_id, k.counter_id, (ts AT TIME ZONE 'Asia/Jakarta')::date,
				ts, ts + interval '2 seconds', (ARRAY['passive-liveness', 'id-recognize', 'id-validation'])[1 + i %% 3],
				'GEN' || i, 'clerk', 'Produksi', '1.4.0',
				CASE WHEN r < 0.86 THEN 'success' WHEN r < 0.93 THEN 'rejected' WHEN r < 0.985 THEN 'failed' ELSE 'unknown' END,
				CASE WHEN r < 0.86 THEN '' WHEN r < 0.93 THEN 'quota_exceeded' WHEN r < 0.985 THEN 'connection' ELSE 'gateway_timeout' END,
				CASE WHEN r < 0.93 THEN 200 WHEN r < 0.985 THEN 0 ELSE 504 END, 1,
				CASE WHEN r < 0.86 THEN to_char(ts AT TIME ZONE 'Asia/Jakarta', 'YYYYMMDDHH24MISS') || lpad((i %% 10000)::text, 4, '0') ELSE '' END,
				'', NULL, ts, ts
			FROM (SELECT i, now() - random() * interval '180 days' AS ts, random() AS r, 1 + (i::bigint * 7919) %% 5000 AS cref
			      FROM generate_series(%d::bigint, %d::bigint) i) g
			JOIN kyc.counters k ON k.id = g.cref`, off+1, off+n))
		}
		steps = append(steps,
			`SELECT kyc.rebuild_daily((now() - interval '200 days')::date, (now() + interval '1 day')::date)`,
			`VACUUM ANALYZE kyc.calls`, `VACUUM ANALYZE kyc.daily_counter`, `VACUUM ANALYZE kyc.daily_outlet`, `VACUUM ANALYZE kyc.counters`,
			fmt.Sprintf(`INSERT INTO kyc.settings VALUES ('bench_rows', '%d') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, rows),
			`UPDATE kyc.settings SET value = '60000' WHERE key = 'daily_quota'`)
		for i, s := range steps {
			t0 := time.Now()
			if _, err := c.Exec(ctx, s); err != nil {
				return fmt.Errorf("generator step %d: %w", i, err)
			}
			b.Logf("generator step %d/%d: %s", i+1, len(steps), time.Since(t0).Round(time.Millisecond))
		}
		b.Logf("generated %d calls in %s", rows, time.Since(start).Round(time.Second))
	}
	// A database generated before the rollups changed gets them rebuilt.
	if err := hq.Init(ctx, c); err != nil {
		return err
	}
	var nOutlet, nCounter int64
	_ = c.QueryRow(ctx, `SELECT (SELECT count(*) FROM kyc.daily_outlet), (SELECT count(*) FROM kyc.daily_counter)`).Scan(&nOutlet, &nCounter)
	if nOutlet == 0 {
		for _, s := range []string{`SELECT kyc.rebuild_daily((now() - interval '200 days')::date, (now() + interval '1 day')::date)`,
			`VACUUM ANALYZE kyc.daily_counter`, `VACUUM ANALYZE kyc.daily_outlet`} {
			if _, err := c.Exec(ctx, s); err != nil {
				return err
			}
		}
		_ = c.QueryRow(ctx, `SELECT (SELECT count(*) FROM kyc.daily_outlet), (SELECT count(*) FROM kyc.daily_counter)`).Scan(&nOutlet, &nCounter)
	}
	var size string
	_ = c.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size(current_database()))`).Scan(&size)
	b.Logf("rollup rows: %d per outlet, %d per counter; database %s", nOutlet, nCounter, size)

	login := "bench_reader"
	sql, _ := hq.AddOfficeUserSQL(login, "bench-reader-pw", true)
	if err := hq.Exec(ctx, c, sql); err != nil {
		return err
	}
	client, err := hq.Open(ctx, hqdb.Target{Host: "127.0.0.1", Port: srv.Port, Database: dbName, User: login, Password: "bench-reader-pw"})
	if err != nil {
		return err
	}
	bench.client = client
	now := time.Now().In(jakarta)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	bench.month = hq.Filter{From: first, To: first.AddDate(0, 1, -1)}
	y := now.AddDate(0, 0, -1)
	bench.day = hq.Filter{From: y, To: y}
	return nil
}

func benchReport(b *testing.B, run func(ctx context.Context, c *hq.Client) (int, error)) {
	c := benchClient(b)
	ctx := context.Background()
	if _, err := run(ctx, c); err != nil { // warm the cache once
		b.Fatal(err)
	}
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		var err error
		if n, err = run(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "rows")
}

// A month's summary per outlet (target ≤ 1 s).
func BenchmarkReportMonthPerOutlet(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.Summary(ctx, bench.month, hq.ByOutlet)
		return len(r), err
	})
}

// A day's summary per outlet (target ≤ 100 ms).
func BenchmarkReportDayPerOutlet(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.Summary(ctx, bench.day, hq.ByOutlet)
		return len(r), err
	})
}

// A month per day and product (the chart of calls per day by outcome).
func BenchmarkReportMonthPerDayProduct(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.Summary(ctx, bench.month, hq.ByDay, hq.ByProduct)
		return len(r), err
	})
}

// A month per counter (which counters keep failing).
func BenchmarkReportMonthPerCounter(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.Summary(ctx, bench.month, hq.ByCounter)
		return len(r), err
	})
}

// A month's quota use per day.
func BenchmarkReportQuotaMonth(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.QuotaUse(ctx, bench.month)
		return len(r), err
	})
}

// A day's open unknown outcomes (first 1000).
func BenchmarkReportUnknownsDay(b *testing.B) {
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		r, err := c.Unknowns(ctx, bench.day, hq.UnknownOptions{})
		return len(r), err
	})
}

// One outlet's month.
func BenchmarkReportMonthOneOutlet(b *testing.B) {
	f := bench.month
	benchReport(b, func(ctx context.Context, c *hq.Client) (int, error) {
		f = bench.month
		f.Outlets = []string{"OUT-0042"}
		r, err := c.Summary(ctx, f, hq.ByDay)
		return len(r), err
	})
}
