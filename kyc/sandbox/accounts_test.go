package sandbox

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestQuotaPerJakartaDay(t *testing.T) {
	// 23:59:30 WIB is 16:59:30 UTC: the same UTC day continues past the
	// Jakarta midnight, so a UTC-based counter would fail this test.
	clk := &fixedClock{time.Date(2024, 5, 10, 16, 59, 30, 0, time.UTC)}
	s, ts := newTestServer(t, Config{Now: clk.now})
	call := func() reply { return post(t, ts.URL, Liveness, TokenQuota3, bodyFor(t, Liveness, "q")) }

	for i := 0; i < 2; i++ {
		result(t, call())
	}
	// An ERROR envelope is not billed and does not spend quota.
	if d := errorDesc(t, post(t, ts.URL, Liveness, TokenQuota3, map[string]string{"cust_ref_no": "q"})); d == DescQuota {
		t.Fatal("a bad request was counted as quota")
	}
	result(t, call())
	if d := errorDesc(t, call()); d != DescQuota {
		t.Fatalf("4th call: %q, want %q", d, DescQuota)
	}
	if u := s.Usage(TokenQuota3); u != 3 {
		t.Errorf("usage %d, want 3", u)
	}
	// The refusal is not billed either: still refused, still 3.
	errorDesc(t, call())
	if u := s.Usage(TokenQuota3); u != 3 {
		t.Errorf("usage after refusals %d, want 3", u)
	}
	// Other tokens have their own counters.
	result(t, post(t, ts.URL, Liveness, DefaultToken, bodyFor(t, Liveness, "q")))

	clk.t = clk.t.Add(time.Minute) // 00:00:30 WIB, next day
	if u := s.Usage(TokenQuota3); u != 0 {
		t.Errorf("usage on the new day %d, want 0", u)
	}
	for i := 0; i < 3; i++ {
		result(t, call())
	}
	if d := errorDesc(t, call()); d != DescQuota {
		t.Errorf("new day, 4th call: %q", d)
	}
}

func TestQuotaConfig(t *testing.T) {
	tokens := DefaultTokens()
	tokens["unlimited"] = Account{DailyQuota: -1}
	tokens["two"] = Account{DailyQuota: 2}
	_, ts := newTestServer(t, Config{DailyQuota: 1, Tokens: tokens})
	tokens["late-addition"] = Account{} // the server took a copy

	body := bodyFor(t, Liveness, "q")
	result(t, post(t, ts.URL, Liveness, DefaultToken, body))
	if d := errorDesc(t, post(t, ts.URL, Liveness, DefaultToken, body)); d != DescQuota {
		t.Errorf("Config.DailyQuota 1, 2nd call: %q", d)
	}
	for i := 0; i < 2; i++ {
		result(t, post(t, ts.URL, Liveness, "two", body))
	}
	errorDesc(t, post(t, ts.URL, Liveness, "two", body))
	for i := 0; i < 5; i++ {
		result(t, post(t, ts.URL, Liveness, "unlimited", body))
	}
	if r := post(t, ts.URL, Liveness, "late-addition", body); r.status != http.StatusUnauthorized {
		t.Errorf("a token added after New: status %d, want 401", r.status)
	}
}

func TestQuotaConcurrent(t *testing.T) {
	s := New(Config{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.ledger.reserve(TokenQuota3, 3, sampleTime) {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if granted != 3 {
		t.Errorf("granted %d units of a quota of 3", granted)
	}
}

func TestLedgerReleaseAcrossMidnight(t *testing.T) {
	var l ledger
	l.used = map[string]dayCount{}
	before := time.Date(2024, 1, 1, 23, 59, 59, 0, jakarta)
	after := before.Add(2 * time.Second)
	l.reserve("t", 10, before)
	l.reserve("t", 10, after) // new day: count 1
	l.release("t", before)    // yesterday's reservation: today's count untouched
	if u := l.usage("t", after); u != 1 {
		t.Errorf("usage %d, want 1", u)
	}
	l.release("t", after)
	l.release("t", after) // never below zero
	if u := l.usage("t", after); u != 0 {
		t.Errorf("usage %d, want 0", u)
	}
}

func TestProductStates(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, tc := range []struct {
		token string
		want  map[Product]string // "" = success
	}{
		{DefaultToken, map[Product]string{Liveness: "", Recognize: "", Validation: ""}},
		{TokenNotActivated, map[Product]string{Liveness: DescNotActivated, Recognize: DescNotActivated, Validation: DescNotActivated}},
		{TokenNotApproved, map[Product]string{Liveness: DescNotApproved, Recognize: DescNotApproved, Validation: DescNotApproved}},
		{TokenNoValidation, map[Product]string{Liveness: "", Recognize: "", Validation: DescNotActivated}},
		{TokenQuota3, map[Product]string{Liveness: "", Recognize: "", Validation: ""}},
	} {
		for p, want := range tc.want {
			r := post(t, ts.URL, p, tc.token, bodyFor(t, p, "state"))
			if want == "" {
				result(t, r)
			} else if got := errorDesc(t, r); got != want {
				t.Errorf("%s %s: %q, want %q", tc.token, p, got, want)
			}
		}
	}
}

func TestBuiltinTokenDocs(t *testing.T) {
	tokens := DefaultTokens()
	if len(BuiltinTokenDocs) != len(tokens) {
		t.Errorf("%d documented tokens, %d built in", len(BuiltinTokenDocs), len(tokens))
	}
	for _, d := range BuiltinTokenDocs {
		if _, ok := tokens[d.Token]; !ok || d.Effect == "" {
			t.Errorf("documented token %q is not built in or has no effect", d.Token)
		}
	}
	if !slices.Equal(Products, []Product{Liveness, Recognize, Validation}) {
		t.Error("product list changed")
	}
}

func TestTrxIDs(t *testing.T) {
	var g trxIDs
	seen := map[string]bool{}
	last := ""
	// A frozen clock and more than 10 000 ids in one second.
	for i := 0; i < 25_000; i++ {
		id := g.next(sampleTime)
		if !trxIDPattern.MatchString(id) || seen[id] || id <= last {
			t.Fatalf("id %d: %q (previous %q): want unique, increasing, 18 digits", i, id, last)
		}
		seen[id], last = true, id
	}
	// A clock that goes back never repeats an id.
	if id := g.next(sampleTime.Add(-time.Hour)); id <= last {
		t.Errorf("after a clock step back: %q <= %q", id, last)
	}
	if id := g.next(sampleTime.Add(time.Hour)); id != "202303291130010000" {
		t.Errorf("next hour: %q", id)
	}
	refs := map[string]bool{}
	for n := int64(0); n < 100_000; n++ {
		r := refIDFromCounter(n)
		if !refIDPattern.MatchString(r) || refs[r] {
			t.Fatalf("ref_id %d: %q repeats or is not 10 digits", n, r)
		}
		refs[r] = true
	}
}
