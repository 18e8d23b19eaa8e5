package kyc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is stamped at build time (-ldflags "-X kycdesk/kyc.Version=…") and sent in
// the User-Agent.
var Version = "dev"

// TokenSource returns the merchant's access token. The client never touches the
// keyring itself: the caller decides where the token comes from.
type TokenSource func(ctx context.Context) (string, error)

// StaticToken is a TokenSource for a token already in hand (tests, KYCDESK_TOKEN).
func StaticToken(token string) TokenSource {
	return func(context.Context) (string, error) { return token, nil }
}

// Defaults. The whole-call timeout bounds every attempt and every wait together.
const (
	DefaultTimeout         = 60 * time.Second
	DefaultDialTimeout     = 10 * time.Second
	DefaultTLSTimeout      = 10 * time.Second
	DefaultResponseTimeout = 50 * time.Second
	// MaxResponseBytes caps what is read of an answer; an ID recognize answer is a few KB.
	MaxResponseBytes = 1 << 20
	// MaxAttempts and MaxRetryTime bound the retries of requests that certainly were not
	// processed (dial/DNS failures, 503).
	MaxAttempts  = 4
	MaxRetryTime = 30 * time.Second
)

// Client calls the WideKYC gateway. It is safe for concurrent use.
type Client struct {
	base        *url.URL
	http        *http.Client
	ownHTTP     bool
	timeout     time.Duration
	dialTimeout time.Duration
	tlsTimeout  time.Duration
	respTimeout time.Duration
	respSet     bool // set by WithPhaseTimeouts: otherwise it follows the call timeout
	userAgent   string
	token       TokenSource
	maxAttempts int
	retryBudget time.Duration
	backoffBase time.Duration
	backoffCap  time.Duration
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error
	newRef      func() string
	proxy       ProxySelector
	proxyAuth   ProxyAuth
	rootCAs     *x509.CertPool // tests only (withRootCAs)
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient uses hc instead of the client's own tuned one. Its redirect policy is
// overridden per call (a POST must never be silently turned into a GET elsewhere).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc; c.ownHTTP = false }
}

// WithTimeout bounds a whole call, retries included (default 60 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithPhaseTimeouts sets the dial, TLS handshake and response-header timeouts of the
// client's own transport. Zero keeps a default.
func WithPhaseTimeouts(dial, tlsHandshake, responseHeader time.Duration) Option {
	return func(c *Client) {
		if dial > 0 {
			c.dialTimeout = dial
		}
		if tlsHandshake > 0 {
			c.tlsTimeout = tlsHandshake
		}
		if responseHeader > 0 {
			c.respTimeout, c.respSet = responseHeader, true
		}
	}
}

// WithUserAgent replaces the default "KYCDesk/<version>".
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithTokenSource sets where the token comes from. Without one every call fails with
// KindUnauthorized before anything is sent.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.token = ts } }

// WithRetryPolicy changes the retry bounds (attempts including the first, total wait)
// and the backoff's base and cap. Meant for tests and for merchants with odd gateways;
// the defaults are the documented ones.
func WithRetryPolicy(maxAttempts int, budget, base, max time.Duration) Option {
	return func(c *Client) {
		c.maxAttempts, c.retryBudget, c.backoffBase, c.backoffCap = maxAttempts, budget, base, max
	}
}

// WithRefGenerator replaces NewRefNo for calls without a cust_ref_no.
func WithRefGenerator(f func() string) Option { return func(c *Client) { c.newRef = f } }

// withClock is for tests: a fake clock and a fake sleep make backoff instant.
func withClock(now func() time.Time, sleep func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// NewClient returns a client for the gateway at baseURL, which may carry a path prefix
// (https://host/gw/v1 → https://host/gw/v1/api/passive-liveness). Plain http is allowed
// (LAN gateways) and reported through Unencrypted.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := ParseServerURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:        u,
		ownHTTP:     true,
		timeout:     DefaultTimeout,
		dialTimeout: DefaultDialTimeout,
		tlsTimeout:  DefaultTLSTimeout,
		respTimeout: DefaultResponseTimeout,
		userAgent:   "KYCDesk/" + Version,
		maxAttempts: MaxAttempts,
		retryBudget: MaxRetryTime,
		backoffBase: 500 * time.Millisecond,
		backoffCap:  8 * time.Second,
		now:         time.Now,
		sleep:       sleepCtx,
		newRef:      NewRefNo,
		proxy:       envProxy,
	}
	for _, o := range opts {
		o(c)
	}
	if !c.respSet && c.timeout > c.respTimeout {
		// A merchant who allows a slow registry 120 s must not be cut at 50 s waiting for
		// the answer's headers (that would turn slow answers into "unknown" outcomes).
		c.respTimeout = c.timeout
	}
	if c.ownHTTP || c.http == nil {
		c.http = &http.Client{Transport: c.newTransport()}
	}
	if c.maxAttempts < 1 {
		c.maxAttempts = 1
	}
	return c, nil
}

// ParseServerURL checks a gateway address as a user would type it into settings.
func ParseServerURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, invalidInput("no gateway server URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, invalidInput("server URL %q is not a URL", raw)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, invalidInput("server URL %q must start with https:// (or http:// for a LAN gateway)", raw)
	}
	if u.Host == "" {
		return nil, invalidInput("server URL %q has no host", raw)
	}
	if u.User != nil {
		return nil, invalidInput("server URL must not carry a user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, invalidInput("server URL must not carry a query or fragment")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// BaseURL returns the gateway address this client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// Unencrypted reports whether calls go over plain http to another machine. Loopback
// (the built-in sandbox, a local proxy) never leaves the PC, so it does not count.
func (c *Client) Unencrypted() bool { return unencrypted(c.base) }

// newTransport is tuned for a counter PC: bounded phases, TLS 1.2+, system roots, and
// no Idempotency-Key header ever, so net/http never replays a POST on a stale
// keep-alive connection (it only retries a request it had not written at all). The
// proxy, if any, comes from WithProxy (default: the environment), with its credentials
// from WithProxyAuth; the proxy's answer to CONNECT is kept so a refusal can be told
// apart from an unreachable gateway.
func (c *Client) newTransport() *http.Transport {
	d := &net.Dialer{Timeout: c.dialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                  c.proxyFor,
		OnProxyConnectResponse: c.onConnect,
		DialContext:            d.DialContext,
		TLSHandshakeTimeout:    c.tlsTimeout,
		ResponseHeaderTimeout:  c.respTimeout,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: c.rootCAs},
		MaxIdleConns:           4,
		IdleConnTimeout:        50 * time.Second,
		ForceAttemptHTTP2:      true,
	}
}

// Liveness runs passive liveness on a selfie. The result is never nil: on error its
// Meta still says what happened (outcome, attempts, status, reference).
func (c *Client) Liveness(ctx context.Context, req LivenessRequest) (*LivenessResult, error) {
	r := &LivenessResult{}
	if strings.TrimSpace(req.SelfieImage) == "" {
		return r, c.localFailure(&r.Meta, ProductLiveness, req.CustRefNo, invalidInput("no selfie image"))
	}
	body := map[string]string{"cust_ref_no": "", "selfie_image": req.SelfieImage}
	a, err := c.call(ctx, &r.Meta, ProductLiveness, req.CustRefNo, body)
	if err == nil {
		err = c.finish(&r.Meta, a.liveness(r))
	}
	return r, err
}

// Recognize runs ID recognize (OCR) on an eKTP photo.
func (c *Client) Recognize(ctx context.Context, req RecognizeRequest) (*RecognizeResult, error) {
	r := &RecognizeResult{}
	if strings.TrimSpace(req.IDImage) == "" {
		return r, c.localFailure(&r.Meta, ProductIDRecognize, req.CustRefNo, invalidInput("no ID card image"))
	}
	body := map[string]string{"cust_ref_no": "", "id_image": req.IDImage}
	a, err := c.call(ctx, &r.Meta, ProductIDRecognize, req.CustRefNo, body)
	if err == nil {
		err = c.finish(&r.Meta, a.recognize(r))
	}
	return r, err
}

// Validate runs ID validation against the civil registry. The NIK and the birth date
// are checked locally first (CheckValidation): a request the gateway would certainly
// reject is never sent.
func (c *Client) Validate(ctx context.Context, req ValidationRequest) (*ValidationResult, error) {
	r := &ValidationResult{}
	if err := CheckValidation(req); err != nil {
		return r, c.localFailure(&r.Meta, ProductIDValidation, req.CustRefNo, err)
	}
	body := map[string]string{"cust_ref_no": "", "nik": strings.TrimSpace(req.NIK)}
	for k, v := range map[string]string{
		"name": req.Name, "birth_date": req.BirthDate, "birth_place": req.BirthPlace,
		"address": req.Address, "selfie_image": req.SelfieImage,
	} {
		if v = strings.TrimSpace(v); v != "" {
			body[k] = v
		}
	}
	a, err := c.call(ctx, &r.Meta, ProductIDValidation, req.CustRefNo, body)
	if err == nil {
		err = c.finish(&r.Meta, a.validation(r))
	}
	return r, err
}

// localFailure records a call refused before anything was sent.
func (c *Client) localFailure(m *Meta, p Product, ref string, e *Error) error {
	m.Product, m.CustRefNo, m.Outcome, m.Unencrypted = p, c.refOrNew(ref), OutcomeFailed, c.Unencrypted()
	e.Outcome = OutcomeFailed
	return e
}

// finish applies a product-level decode verdict to the meta.
func (c *Client) finish(m *Meta, e *Error) error {
	if e != nil {
		e.Attempts, e.HTTPStatus = m.Attempts, m.HTTPStatus
		m.Outcome = e.Outcome
		return e
	}
	m.Outcome = OutcomeSuccess
	return nil
}

func (c *Client) refOrNew(ref string) string {
	if ref = strings.TrimSpace(ref); ref != "" {
		return ref
	}
	return c.newRef()
}

// errorf builds a transport-level error with the attempt count filled in.
func errorf(kind ErrorKind, outcome Outcome, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Outcome: outcome, Message: fmt.Sprintf(format, args...), Err: cause}
}

// backoff returns the wait before attempt n (1-based count of attempts made so far):
// full jitter over an exponential ceiling, so a fleet of counters that lost the
// gateway at the same moment does not come back in step.
func (c *Client) backoff(n int) time.Duration {
	ceil := c.backoffBase << (n - 1)
	if ceil > c.backoffCap || ceil <= 0 {
		ceil = c.backoffCap
	}
	if ceil <= 0 {
		return 0
	}
	return ceil/2 + rand.N(ceil/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// isCanceled tells a caller's cancellation from a deadline.
func isCanceled(ctx context.Context, err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled)
}
