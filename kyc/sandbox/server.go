package sandbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is an offline WideKYC-compatible gateway. It is an http.Handler;
// mount it at the root of a server (Listen and StartLoopback do that).
// A Server is safe for concurrent use.
type Server struct {
	cfg    Config
	ledger ledger
	ids    trxIDs
	refN   int64 // ref_id counter when there is no id store

	storeOnce sync.Once
	store     *idStore // nil: in-process ids only

	mu      sync.Mutex
	seen503 map[string]struct{} // cust_ref_no values that already got their sbx-503-once 503
}

// maxSeen503 bounds the sbx-503-once memory; when full it starts afresh,
// which at worst gives a reference a second 503.
const maxSeen503 = 100_000

// New returns a sandbox gateway with cfg (zero fields take their defaults,
// see Config).
func New(cfg Config) *Server {
	go warmCards() // the specimen cards' signatures, ready before the first card arrives
	return &Server{
		cfg:     cfg.withDefaults(),
		ledger:  ledger{used: map[string]dayCount{}},
		seen503: map[string]struct{}{},
	}
}

// Usage returns how many billable calls the token has made today (Jakarta
// calendar day).
func (s *Server) Usage(token string) int {
	return s.ledger.usage(token, s.cfg.Now())
}

// productFor maps a URL path to a product; anything else is not served.
func productFor(path string) (Product, bool) {
	for _, p := range Products {
		if path == p.Path() {
			return p, true
		}
	}
	return "", false
}

// ServeHTTP answers one gateway call. The order of checks is the order a
// real gateway would plausibly apply: route, method, token, size, media
// type, body, scenario trigger, product state, quota, then the product.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	start := time.Now()
	var ref string
	defer func() { s.logRequest(r, rec, time.Since(start), ref) }()

	product, ok := productFor(r.URL.Path)
	if !ok {
		writeHTTPError(rec, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		rec.Header().Set("Allow", http.MethodPost)
		writeHTTPError(rec, http.StatusMethodNotAllowed)
		return
	}
	token := r.Header.Get("token")
	account, ok := s.cfg.Tokens[token]
	if token == "" || !ok {
		writeHTTPError(rec, http.StatusUnauthorized)
		return
	}
	if r.ContentLength > MaxRequestBytes {
		writeHTTPError(rec, http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(rec, r.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeHTTPError(rec, http.StatusRequestEntityTooLarge)
		}
		return // otherwise the client went away mid-body: nobody to answer
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeJSON(rec, http.StatusOK, errorBody(DescBadContentType))
		return
	}
	req, desc := parseRequest(body)
	ref = string(req.CustRefNo)
	if desc != "" {
		writeJSON(rec, http.StatusOK, errorBody(desc))
		return
	}
	ctx := r.Context()
	if !sleep(ctx, s.jitter()) {
		return
	}
	sc, _ := MatchScenario(ref)
	if sc.Trigger != "" && s.playScenario(rec, r, sc, req) {
		return
	}
	s.answer(rec, ctx, product, token, account, req, sc.Trigger)
}

// answer is the normal path: product state, quota, then the product. A
// SUCCESSFUL answer is billed, and then broken if trigger asks for it.
func (s *Server) answer(w http.ResponseWriter, ctx context.Context, p Product, token string, a Account, req request, trigger string) {
	switch {
	case a.has(a.NotActivated, p):
		writeJSON(w, http.StatusOK, errorBody(DescNotActivated))
		return
	case a.has(a.NotApproved, p):
		writeJSON(w, http.StatusOK, errorBody(DescNotApproved))
		return
	}
	quota := a.DailyQuota
	if quota == 0 {
		quota = s.cfg.DailyQuota
	}
	now := s.cfg.Now()
	if !s.ledger.reserve(token, quota, now) {
		writeJSON(w, http.StatusOK, errorBody(DescQuota))
		return
	}
	result, desc := s.process(p, req, now)
	if desc != "" || ctx.Err() != nil {
		// Only SUCCESSFUL answers are billed; a client that went away
		// gets no answer, so nothing is billed either.
		s.ledger.release(token, now)
		if desc != "" {
			writeJSON(w, http.StatusOK, errorBody(desc))
		}
		return
	}
	if rec, ok := w.(*recorder); ok {
		rec.billed = true
	}
	writeJSON(w, http.StatusOK, mangle(trigger, successBody(result)))
}

// jitter returns this call's latency: uniform in [L/2, 3L/2].
func (s *Server) jitter() time.Duration {
	l := s.cfg.Latency
	if l <= 0 {
		return 0
	}
	return l/2 + rand.N(l+1)
}

// sleep waits d or until ctx is done; it reports whether the full wait
// elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) logRequest(r *http.Request, rec *recorder, d time.Duration, ref string) {
	if s.cfg.Logger == nil {
		return
	}
	statusAttr := slog.Int("status", rec.status)
	if rec.status == 0 {
		statusAttr = slog.String("status", "no answer")
	}
	// billed: a SUCCESSFUL answer was counted against the quota; answered: the whole
	// answer was handed to the connection. A client's record of a success must have
	// both (the fault-injection tests check it).
	s.cfg.Logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelInfo, "sandbox request",
		slog.String("method", r.Method),
		slog.String("path", strings.ToValidUTF8(r.URL.Path, "?")),
		statusAttr,
		slog.Duration("duration", d),
		slog.String("cust_ref_no", ref),
		slog.Bool("billed", rec.billed),
		slog.Bool("answered", rec.status != 0 && rec.werr == nil),
	)
}

// recorder remembers the status, whether the answer was billed and whether it was
// written whole, for the log line. Unwrap lets http.ResponseController reach the
// connection for sbx-drop.
type recorder struct {
	http.ResponseWriter
	status int
	billed bool
	werr   error
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	if err != nil && r.werr == nil {
		r.werr = err
	}
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
