//go:build linux

package faulttest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestKillDuringBurst: 200 liveness calls against the standalone sandbox, four at a
// time, most of the processes killed with SIGKILL at a random moment (before the
// record, between the record and the request, with the request in flight, after
// the answer). Then: every call that reached the sandbox is on record exactly once,
// none is recorded as a success the sandbox did not answer (billed, written whole),
// none stays pending, and the history passes SQLite's integrity check.
func TestKillDuringBurst(t *testing.T) {
	needBinary(t)
	const calls, parallel = 200, 4
	sb := startSandbox(t, 300*time.Millisecond)
	d := newDesk(t, filepath.Join(t.TempDir(), "home"), "KYCDESK_SERVER="+sb.url, "KYCDESK_TOKEN=sandbox-demo-token")
	img := selfie(t)
	// The kill moments spread over a whole call, as long as one takes here (start-up,
	// image, record, request, answer, completion), measured on warm-up calls.
	var span time.Duration
	for i := 0; i < 3; i++ {
		start := time.Now()
		if r := d.run(liveness(img, fmt.Sprintf("fi-warmup-%d", i))...); r.code != 0 {
			t.Fatalf("warm-up call: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		span = max(span, time.Since(start))
	}
	span = span * 5 / 4

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; kills spread over %v", seed, span)
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	type plan struct {
		ref   string
		kill  bool
		delay time.Duration
	}
	plans := make([]plan, calls)
	for i := range plans {
		plans[i] = plan{ref: fmt.Sprintf("fi-%03d", i), kill: rng.IntN(10) < 7, delay: time.Duration(rng.Int64N(int64(span)))}
	}
	results := make([]result, calls)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := plans[i]
				if p.kill {
					results[i] = d.runKilled(p.delay, liveness(img, p.ref)...)
				} else {
					results[i] = d.runKilled(2*time.Minute, liveness(img, p.ref)...)
				}
			}
		}()
	}
	for i := range plans {
		next <- i
	}
	close(next)
	wg.Wait()
	sb.stop()

	answers := sb.answers(t)
	rows := d.exportRows()
	byRef := map[string][]map[string]any{}
	for _, r := range rows {
		ref := r["cust_ref_no"].(string)
		byRef[ref] = append(byRef[ref], r)
	}
	killed, interrupted, reached, successes := 0, 0, 0, 0
	for i, p := range plans {
		res, recs, ans := results[i], byRef[p.ref], answers[p.ref]
		if res.killed {
			killed++
		}
		if len(ans) > 1 {
			t.Errorf("%s reached the sandbox %d times (never retried after sending)", p.ref, len(ans))
		}
		if len(ans) > 0 {
			reached++
			if len(recs) != 1 {
				t.Errorf("%s reached the sandbox but is on record %d times", p.ref, len(recs))
			}
		}
		if len(recs) > 1 {
			t.Errorf("%s is on record %d times", p.ref, len(recs))
		}
		for _, rec := range recs {
			switch rec["outcome"] {
			case "pending":
				t.Errorf("%s still pending after every process ended", p.ref)
			case "success":
				successes++
				if len(ans) == 0 || !ans[0].Billed || !ans[0].Answered {
					t.Errorf("%s recorded as success but the sandbox did not answer it: %+v", p.ref, ans)
				}
			case "unknown":
				if rec["error_kind"] == "interrupted" {
					interrupted++
				}
			}
		}
		if !res.killed {
			// A call that ran to the end says what the record says.
			if len(recs) != 1 {
				t.Errorf("%s (exit %d) is on record %d times", p.ref, res.code, len(recs))
			} else if (res.code == 0) != (recs[0]["outcome"] == "success") {
				t.Errorf("%s: exit %d but recorded %v\n%s", p.ref, res.code, recs[0]["outcome"], res.stdout)
			}
		}
	}
	t.Logf("%d calls: %d killed, %d reached the sandbox, %d successes, %d interrupted (unknown, may be billed)",
		calls, killed, reached, successes, interrupted)
	if killed < calls/3 || reached < calls/4 || interrupted == 0 {
		t.Errorf("the burst did not exercise the faults it is meant to (killed %d, reached %d, interrupted %d)", killed, reached, interrupted)
	}
	if r := d.run("history", "--check"); r.code != 0 {
		t.Errorf("integrity check after the burst: exit %d: %s", r.code, r.stderr)
	}
	// The owner locks of the killed processes are gone once their calls are settled.
	locks, _ := filepath.Glob(filepath.Join(d.home, "owners", "*.lock"))
	if len(locks) > 0 {
		ages := []string{}
		for _, l := range locks {
			if st, err := os.Stat(l); err == nil {
				ages = append(ages, strconv.FormatFloat(time.Since(st.ModTime()).Seconds(), 'f', 1, 64))
			}
		}
		t.Logf("%d owner lock files left (seconds old: %v); young ones are swept at a later start", len(locks), ages)
	}
}
