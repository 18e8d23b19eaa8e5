package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"
)

func TestStartLoopback(t *testing.T) {
	s, baseURL, shutdown, err := StartLoopback(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") || strings.HasSuffix(baseURL, "/") {
		t.Errorf("base URL %q", baseURL)
	}
	result(t, post(t, baseURL, Recognize, DefaultToken, bodyFor(t, Recognize, "loop")))
	if s.Usage(DefaultToken) != 1 {
		t.Errorf("usage %d", s.Usage(DefaultToken))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Post(baseURL+Liveness.Path(), "application/json", nil); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestShutdownCutsOffSlowCall(t *testing.T) {
	s := New(Config{SlowDelay: time.Hour})
	baseURL, shutdown, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	wrote := make(chan struct{})
	go func() {
		b, _ := json.Marshal(bodyFor(t, Liveness, "sbx-slow"))
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(wrote) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
			http.MethodPost, baseURL+Liveness.Path(), bytes.NewReader(b))
		req.Header.Set("token", DefaultToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// Let the call arrive: the whole request is on the wire (a fixed sleep was not
	// enough on a loaded machine under -race).
	select {
	case <-wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("the request was never written")
	}
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := shutdown(ctx); err == nil {
		t.Error("shutdown with a call in flight reported a clean stop")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Error("the slow call got an answer")
		}
	case <-time.After(3 * time.Second):
		t.Error("the slow call is still hanging after shutdown")
	}
}

func TestListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, _, err := New(Config{}).Listen(ln.Addr().String()); err == nil {
		t.Error("listening on a busy port succeeded")
	}
	if _, _, _, err := StartLoopback(Config{}); err != nil {
		t.Errorf("StartLoopback: %v", err)
	}
	if err := Serve(context.Background(), ln.Addr().String(), Config{}, &bytes.Buffer{}); err == nil {
		t.Error("Serve on a busy port succeeded")
	}
}

func TestServe(t *testing.T) {
	var out syncBuffer // written by Serve's goroutine
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, "127.0.0.1:0", Config{}, &out) }()

	var baseURL string
	deadline := time.Now().Add(3 * time.Second)
	for baseURL == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %q", out.String())
		}
		first, _, _ := strings.Cut(out.String(), "\n")
		if i := strings.Index(first, "http://"); i >= 0 {
			baseURL = first[i:]
		}
		time.Sleep(5 * time.Millisecond)
	}
	result(t, post(t, baseURL, Liveness, DefaultToken, bodyFor(t, Liveness, "serve")))
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop")
	}
	banner := out.String()
	for _, want := range []string{DefaultToken, TokenQuota3, Trigger503Once, TriggerBig, specimens[0].NIK, "Ctrl+C", "stopped"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if strings.Contains(banner, "WARNING") {
		t.Error("loopback banner warns about exposure")
	}
	var exposed bytes.Buffer
	writeBanner(&exposed, "http://0.0.0.0:8787", true)
	if !strings.Contains(exposed.String(), "WARNING") {
		t.Error("no warning when listening beyond loopback")
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8787": true, "localhost:1": true, "[::1]:80": true,
		"0.0.0.0:8787": false, ":8787": false, "192.168.1.5:80": false, "nonsense": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

func TestLogNeverShowsTokenOrImage(t *testing.T) {
	var logs syncBuffer
	_, ts := newTestServer(t, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	img := goodPhoto(t, 9)
	secret := "sandbox-secret-token-xyz"
	post(t, ts.URL, Liveness, secret, map[string]string{"cust_ref_no": "LOG-1", "selfie_image": img})
	post(t, ts.URL, Liveness, DefaultToken, map[string]string{"cust_ref_no": "LOG-2", "selfie_image": img})
	post(t, ts.URL, Validation, DefaultToken, map[string]string{"cust_ref_no": "LOG-3", "nik": specimens[0].NIK, "name": specimens[0].Name})
	got := logs.String()
	for _, leak := range []string{secret, DefaultToken, img[:40], specimens[0].NIK, specimens[0].Name} {
		if strings.Contains(got, leak) {
			t.Errorf("log contains %.20q…", leak)
		}
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), got)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &line); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"method": "POST", "path": Liveness.Path(), "status": 200.0, "cust_ref_no": "LOG-2",
		"billed": true, "answered": true} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Error("log lacks duration")
	}
	if !strings.Contains(lines[0], `"status":401`) || !strings.Contains(lines[0], `"billed":false`) {
		t.Errorf("401 line: %s", lines[0])
	}
}
