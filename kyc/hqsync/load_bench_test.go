package hqsync_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
)

// BenchmarkIngestLoad: 1,000 simulated counters × 200 calls each, all
// pushing at once (each call is two events, pending then final, sent in
// batches of 50) to a durable server (fsync on). Then every call must be in
// the central table exactly once and the rollup must agree. Reports calls/s
// and events/s. Run once:
//
//	go test -run '^$' -bench IngestLoad -benchtime 1x -timeout 30m ./kyc/hqsync/
//
// HQ_LOAD_COUNTERS and HQ_LOAD_CALLS change the size, HQ_LOAD_BATCH the
// events per ingest call (50 by default: a counter catching up after a
// short outage; the sender's default is 500).
func BenchmarkIngestLoad(b *testing.B) {
	nCounters, nCalls := envInt("HQ_LOAD_COUNTERS", 1000), envInt("HQ_LOAD_CALLS", 200)
	batch := envInt("HQ_LOAD_BATCH", 50)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	srv, err := pgtest.New(ctx, pgtest.Options{Durable: true, Settings: []string{"shared_buffers = '1GB'", "max_wal_size = '4GB'"}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for i := 0; i < b.N; i++ {
		db, err := srv.CreateDatabase(ctx, "load")
		if err != nil {
			b.Fatal(err)
		}
		h := &hqtest.DB{Srv: srv, Name: db}
		admin, err := srv.Admin(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		if err := hq.Init(ctx, admin); err != nil {
			b.Fatal(err)
		}
		counters := make([]*hqtest.Counter, nCounters)
		senders := make([]*hqsync.Sender, nCounters)
		var sql strings.Builder
		pws := make([]string, nCounters)
		for j := range counters {
			c := hqtest.NewCounter(fmt.Sprintf("OUT-%04d", j/2), strconv.Itoa(j%2+1))
			counters[j] = c
			pws[j] = hq.NewPassword()
			s, _ := hq.AddCounterSQL(c.Outlet, c.ID, hq.CounterLogin(c.Outlet, c.ID)+"_"+db[len(db)-6:], pws[j])
			sql.WriteString(s)
		}
		if err := hq.Exec(ctx, admin, sql.String()); err != nil {
			b.Fatal(err)
		}
		admin.Close(ctx)
		for j, c := range counters {
			tg := h.Target(hq.CounterLogin(c.Outlet, c.ID)+"_"+db[len(db)-6:], "")
			// A thousand logins at the same instant queue for the
			// server's SCRAM handshakes on two cores.
			tg.ConnectTimeout = time.Minute
			pw := pws[j]
			s, err := hqsync.New(c, hqsync.Config{Target: tg, Outlet: c.Outlet, Counter: c.ID, BatchSize: batch,
				Password: func(context.Context) (string, error) { return pw, nil }, CallTimeout: 5 * time.Minute})
			if err != nil {
				b.Fatal(err)
			}
			senders[j] = s
			for k := range nCalls {
				c.Call(spec(j*nCalls + k))
			}
		}
		b.ResetTimer()
		cpu0, _ := srv.CPUTime()
		start := time.Now()
		var wg sync.WaitGroup
		var retries atomic.Int64
		errs := make(chan error, nCounters)
		for j := range counters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// As Run does: retry with jittered backoff until delivered.
				for attempt := 0; ; attempt++ {
					_, err := senders[j].SyncOnce(ctx)
					if err == nil {
						return
					}
					if attempt == 30 {
						errs <- fmt.Errorf("counter %d: %w", j, err)
						return
					}
					retries.Add(1)
					time.Sleep(time.Duration(500+rand.IntN(2500)) * time.Millisecond)
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		for _, s := range senders {
			s.Close()
		}
		time.Sleep(time.Second) // let the backends exit, so their CPU is counted
		cpu1, _ := srv.CPUTime()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		var local []hqtest.LocalCall
		for _, c := range counters {
			local = append(local, c.Snapshot()...)
		}
		central := h.Central(b)
		if p := hqtest.Reconcile(local, central); len(p) > 0 {
			b.Fatalf("%d problems, first: %s", len(p), p[0])
		}
		if d := h.RollupDrift(b); len(d) > 0 {
			b.Fatalf("rollup: %s", d[0])
		}
		b.ReportMetric(float64(len(central))/elapsed.Seconds(), "calls/s")
		b.ReportMetric(float64(2*len(central))/elapsed.Seconds(), "events/s")
		b.ReportMetric(float64(len(central)), "calls")
		b.ReportMetric(float64(retries.Load()), "retries")
		b.ReportMetric((cpu1 - cpu0).Seconds(), "server-CPU-s")
		b.Logf("%d counters × %d calls: %d calls present once each, in %s", nCounters, nCalls, len(central), elapsed.Round(time.Millisecond))
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
