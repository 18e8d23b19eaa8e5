package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMatchScenario(t *testing.T) {
	for ref, want := range map[string]string{
		"sbx-503-once":        Trigger503Once,
		"SBX-503-ONCE-0001":   Trigger503Once,
		"sbx-503":             Trigger503,
		"Sbx-503-0001":        Trigger503,
		" sbx-500 ":           Trigger500,
		"sbx-not-activated-1": TriggerNotActivated,
		"sbx-not-approved":    TriggerNotApproved,
		"sbx-5":               "",
		"xsbx-500":            "",
		"3322873":             "",
		"":                    "",
	} {
		got, ok := MatchScenario(ref)
		if ok != (want != "") || got.Trigger != want {
			t.Errorf("MatchScenario(%q) = %q, %v; want %q", ref, got.Trigger, ok, want)
		}
	}
}

func TestScenarioTable(t *testing.T) {
	seen := map[string]bool{}
	for _, sc := range Scenarios {
		if sc.Trigger != strings.ToLower(sc.Trigger) || !strings.HasPrefix(sc.Trigger, "sbx-") {
			t.Errorf("trigger %q: want lowercase sbx-…", sc.Trigger)
		}
		if seen[sc.Trigger] {
			t.Errorf("trigger %q listed twice", sc.Trigger)
		}
		seen[sc.Trigger] = true
		if sc.Effect == "" || sc.Client == "" {
			t.Errorf("trigger %q is undocumented", sc.Trigger)
		}
	}
}

// scenarioChecks holds one check per documented trigger; the test fails if
// the table and the checks drift apart.
var scenarioChecks = map[string]func(t *testing.T, ts string, p Product, ref string){
	Trigger401: wantStatus(http.StatusUnauthorized),
	Trigger404: wantStatus(http.StatusNotFound),
	Trigger500: wantStatus(http.StatusInternalServerError),
	Trigger504: wantStatus(http.StatusGatewayTimeout),
	Trigger503: func(t *testing.T, ts string, p Product, ref string) {
		for i := 0; i < 3; i++ {
			r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
			if r.status != 503 || r.header.Get("Retry-After") != "1" {
				t.Errorf("attempt %d: status %d Retry-After %q", i+1, r.status, r.header.Get("Retry-After"))
			}
		}
	},
	Trigger503Once: func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != 503 || r.header.Get("Retry-After") != "1" {
			t.Errorf("first: status %d Retry-After %q", r.status, r.header.Get("Retry-After"))
		}
		result(t, post(t, ts, p, DefaultToken, bodyFor(t, p, ref)))
		result(t, post(t, ts, p, DefaultToken, bodyFor(t, p, ref)))
		if r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref+"-other")); r.status != 503 {
			t.Errorf("a new reference: status %d, want 503", r.status)
		}
	},
	TriggerQuota:        wantError(DescQuota),
	TriggerNotActivated: wantError(DescNotActivated),
	TriggerNotApproved:  wantError(DescNotApproved),
	TriggerError:        wantError(DescInternal),
	TriggerSlow: func(t *testing.T, ts string, p Product, ref string) {
		start := time.Now()
		result(t, post(t, ts, p, DefaultToken, bodyFor(t, p, ref)))
		if d := time.Since(start); d < testSlowDelay {
			t.Errorf("answered after %v, want at least %v", d, testSlowDelay)
		}
	},
	TriggerDrop: func(t *testing.T, ts string, p Product, ref string) {
		b, _ := json.Marshal(bodyFor(t, p, ref))
		req, _ := http.NewRequest(http.MethodPost, ts+p.Path(), bytes.NewReader(b))
		req.Header.Set("token", DefaultToken)
		req.Header.Set("Content-Type", "application/json")
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("got status %d, want a dropped connection", resp.StatusCode)
		}
	},
	TriggerHTML: func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte("<html>")) {
			t.Errorf("status %d, %s: %.80s", r.status, r.header.Get("Content-Type"), r.body)
		}
	},
	TriggerTruncated: func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != 200 || json.Valid(r.body) || !bytes.HasPrefix(r.body, []byte(`{"statusCode":"SUCCESSFUL"`)) {
			t.Errorf("status %d, body %s; want a cut-off SUCCESSFUL envelope", r.status, r.body)
		}
	},
	TriggerBareSuccess: func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != 200 || json.Valid(r.body) || !bytes.Contains(r.body, []byte(`"status": success,`)) {
			t.Errorf("status %d, body %s", r.status, r.body)
		}
		// Quoting the bare word makes it the normal answer again.
		fixed := bytes.Replace(r.body, []byte(`"status": success`), []byte(`"status":"success"`), 1)
		result(t, reply{200, r.header, fixed})
	},
	TriggerBig: func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != 200 || len(r.body) <= 1<<20 || json.Valid(r.body[:1<<20]) {
			t.Errorf("status %d, %d bytes; want more than 1 MiB that is not JSON when capped", r.status, len(r.body))
		}
		result(t, r) // the whole body is a valid envelope with an extra field
	},
}

func wantStatus(code int) func(*testing.T, string, Product, string) {
	return func(t *testing.T, ts string, p Product, ref string) {
		r := post(t, ts, p, DefaultToken, bodyFor(t, p, ref))
		if r.status != code || !json.Valid(r.body) {
			t.Errorf("status %d body %s; want %d with a JSON body", r.status, r.body, code)
		}
	}
}

func wantError(desc string) func(*testing.T, string, Product, string) {
	return func(t *testing.T, ts string, p Product, ref string) {
		if got := errorDesc(t, post(t, ts, p, DefaultToken, bodyFor(t, p, ref))); got != desc {
			t.Errorf("description %q, want %q", got, desc)
		}
	}
}

// bodyFor is a valid request for the product.
func bodyFor(t testing.TB, p Product, ref string) map[string]string {
	switch p {
	case Liveness:
		return map[string]string{"cust_ref_no": ref, "selfie_image": goodPhoto(t, 1)}
	case Recognize:
		return map[string]string{"cust_ref_no": ref, "id_image": goodPhoto(t, 2)}
	default:
		return map[string]string{"cust_ref_no": ref, "nik": specimens[1].NIK, "name": specimens[1].Name, "selfie_image": goodPhoto(t, 3)}
	}
}

const testSlowDelay = 30 * time.Millisecond

func TestScenarios(t *testing.T) {
	s, ts := newTestServer(t, Config{SlowDelay: testSlowDelay})
	for _, sc := range Scenarios {
		check, ok := scenarioChecks[sc.Trigger]
		if !ok {
			t.Errorf("no test for documented trigger %q", sc.Trigger)
			continue
		}
		for _, p := range Products {
			t.Run(sc.Trigger+"/"+string(p), func(t *testing.T) {
				// Upper case and a suffix: matching is a case-insensitive prefix.
				check(t, ts.URL, p, strings.ToUpper(sc.Trigger)+"-"+string(p)+"-0001")
			})
		}
	}
	if len(scenarioChecks) != len(Scenarios) {
		t.Errorf("%d checks for %d documented scenarios", len(scenarioChecks), len(Scenarios))
	}
	// Billed per product: sbx-slow once, sbx-503-once twice (its retries),
	// and the three broken-but-processed answers (truncated, bare-success,
	// big). Nothing else reaches the ledger.
	if got, want := s.Usage(DefaultToken), 3*6; got != want {
		t.Errorf("usage after the scenarios %d, want %d", got, want)
	}
}

func TestScenarioMangledKeepsErrors(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, trig := range []string{TriggerTruncated, TriggerBareSuccess, TriggerBig} {
		r := post(t, ts.URL, Liveness, DefaultToken, map[string]string{"cust_ref_no": trig})
		if d := errorDesc(t, r); d != "selfie_image is required" {
			t.Errorf("%s without an image: %q", trig, d)
		}
	}
}

func TestScenarioTriggersBeforeAccountState(t *testing.T) {
	_, ts := newTestServer(t, Config{SlowDelay: time.Millisecond})
	p := Liveness
	if r := post(t, ts.URL, p, TokenNotActivated, bodyFor(t, p, "sbx-504")); r.status != 504 {
		t.Errorf("sbx-504 with a not-activated token: %d, want 504", r.status)
	}
	// Broken answers are broken normal answers: account state comes first.
	for _, trig := range []string{TriggerTruncated, TriggerBareSuccess, TriggerBig} {
		if d := errorDesc(t, post(t, ts.URL, p, TokenNotActivated, bodyFor(t, p, trig))); d != DescNotActivated {
			t.Errorf("%s with a not-activated token: %q", trig, d)
		}
	}
	// The normal answer after a delay or a 503 goes through the account checks.
	if d := errorDesc(t, post(t, ts.URL, p, TokenNotActivated, bodyFor(t, p, "sbx-slow"))); d != DescNotActivated {
		t.Errorf("sbx-slow with a not-activated token: %q", d)
	}
	post(t, ts.URL, p, TokenNotApproved, bodyFor(t, p, "sbx-503-once-x"))
	if d := errorDesc(t, post(t, ts.URL, p, TokenNotApproved, bodyFor(t, p, "sbx-503-once-x"))); d != DescNotApproved {
		t.Errorf("sbx-503-once retry with a not-approved token: %q", d)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSlowStopsWhenClientLeaves(t *testing.T) {
	var logs syncBuffer
	s, ts := newTestServer(t, Config{SlowDelay: time.Hour, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	b, _ := json.Marshal(bodyFor(t, Liveness, "sbx-slow-leave"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+Liveness.Path(), bytes.NewReader(b))
	req.Header.Set("token", DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer %d, want a client timeout", resp.StatusCode)
	}
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(logs.String(), "sbx-slow-leave") {
		if time.Now().After(deadline) {
			t.Fatal("the handler was still waiting 3 s after the client left")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), `status="no answer"`) {
		t.Errorf("log: %s", logs.String())
	}
	if s.Usage(DefaultToken) != 0 {
		t.Error("an unanswered call was billed")
	}
}

func TestDropWithoutHijacker(t *testing.T) {
	// httptest.ResponseRecorder cannot hijack: drop aborts the handler.
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	drop(struct{ http.ResponseWriter }{})
}

func TestFirstSightIsBounded(t *testing.T) {
	s := New(Config{})
	for i := 0; i < maxSeen503+10; i++ {
		s.firstSight(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if len(s.seen503) > maxSeen503 {
		t.Errorf("sbx-503-once memory grew to %d", len(s.seen503))
	}
	if !s.firstSight("new") || s.firstSight("new") {
		t.Error("firstSight does not remember")
	}
}
