package hqsync_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
)

// Counters keep working and syncing while PostgreSQL is killed mid-batch,
// the network is cut, deliveries are duplicated, one counter's clock is an
// hour fast and another is reinstalled; afterwards every counter's local
// calls are in the central table exactly once, in their latest state.
func TestFaultsReconcile(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	proxy, err := hqtest.NewProxy("127.0.0.1:" + strconv.Itoa(db.Srv.Port))
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()

	const nCounters, perPhase = 6, 25
	counters := make([]*hqtest.Counter, nCounters)
	var senders []*hqsync.Sender
	runCtx, stop := context.WithCancel(ctx)
	var running sync.WaitGroup
	for i := range counters {
		c := hqtest.NewCounter(fmt.Sprintf("OUT-%02d", i/2), strconv.Itoa(i%2+1))
		if i == 3 {
			c.Clock = func() time.Time { return time.Now().Add(time.Hour) }
		}
		counters[i] = c
		tg := db.AddCounter(t, c.Outlet, c.ID)
		tg.Port = proxy.Port()
		s := newSender(t, c, tg)
		senders = append(senders, s)
		running.Add(1)
		go func() {
			defer running.Done()
			_ = s.Run(runCtx)
		}()
	}
	defer func() { stop(); running.Wait() }()

	// Each phase: every counter makes perPhase calls concurrently, while
	// fault() strikes part-way through.
	phase := func(name string, fault func()) {
		var wg sync.WaitGroup
		for i, c := range counters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range perPhase {
					s := spec(i*1000 + j)
					id := c.Start(s)
					time.Sleep(time.Millisecond)
					c.Finish(id, s)
					time.Sleep(2 * time.Millisecond)
				}
			}()
		}
		time.Sleep(25 * time.Millisecond)
		fault()
		wg.Wait()
		t.Logf("phase %s done", name)
	}

	phase("postgres killed", func() {
		if err := db.Srv.Kill(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		if err := db.Srv.Start(ctx); err != nil {
			t.Fatal(err)
		}
	})
	phase("postgres restarted", func() {
		if err := db.Srv.Restart(ctx); err != nil {
			t.Fatal(err)
		}
	})
	phase("network cut", func() {
		proxy.Cut()
		time.Sleep(300 * time.Millisecond)
		proxy.Restore()
	})

	// Duplicate delivery of a whole outbox and of stale first events.
	counters[2].ForgetAcks()
	counters[2].Resend()
	// A counter reinstalled after it had synced.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	if err := hqtest.WaitDrained(wctx, counters[4:5]); err != nil {
		t.Fatal(err)
	}
	cancel()
	old := counters[4].Snapshot()
	counters[4].Reinstall()
	phase("after reinstall", func() {})

	wctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := hqtest.WaitDrained(wctx, counters); err != nil {
		for i, s := range senders {
			t.Logf("counter %d: %+v", i, s.Status())
		}
		t.Fatal(err)
	}
	stop()
	running.Wait()

	local := old
	for _, c := range counters {
		local = append(local, c.Snapshot()...)
	}
	if want := nCounters*perPhase*4 - 0; len(local) != want {
		t.Fatalf("local calls: %d, want %d", len(local), want)
	}
	expectClean(t, db, local)

	// The fast clock was measured and corrected: its calls count on the day
	// they really happened.
	conn, err := db.Srv.Admin(ctx, db.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var minSkew, maxSkew int64
	var maxDiff float64
	if err := conn.QueryRow(ctx, `SELECT min(skew_ms), max(skew_ms), max(abs(extract(epoch FROM hq_started_at - first_received_at)))
		FROM kyc.calls WHERE outlet_id = $1 AND counter_id = $2`, counters[3].Outlet, counters[3].ID).Scan(&minSkew, &maxSkew, &maxDiff); err != nil {
		t.Fatal(err)
	}
	if minSkew > -3590000 || maxSkew < -3610000 || maxDiff > 120 {
		t.Errorf("fast clock: skew %d…%d ms, corrected start up to %.0f s from receipt", minSkew, maxSkew, maxDiff)
	}
}
