package kyc

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"kycdesk/kyc/proxy"
)

// ProxySelector chooses how a request to target goes: through a proxy or direct
// (kyc/proxy's Resolver.Route has this shape).
type ProxySelector func(ctx context.Context, target *url.URL) (proxy.Route, error)

// ProxyAuth returns the user name and password for a proxy, or nil when none are
// stored. Like the token, they come from the caller (the keyring), never from a file.
type ProxyAuth func(ctx context.Context, proxyURL *url.URL) (*url.Userinfo, error)

// WithProxy sets how requests reach the gateway. Without it the client honours
// HTTPS_PROXY/NO_PROXY from the environment, as it always has. A nil selector means
// direct. The TLS rules are the same through a proxy: the tunnel (CONNECT) carries the
// same verified TLS session to the gateway, and redirects are never followed.
func WithProxy(sel ProxySelector) Option {
	return func(c *Client) {
		if sel == nil {
			sel = func(context.Context, *url.URL) (proxy.Route, error) { return proxy.Route{}, nil }
		}
		c.proxy = sel
	}
}

// WithProxyAuth sets where proxy credentials come from. They are sent only to the
// proxy (Proxy-Authorization, Basic), never to the gateway, and never appear in errors.
func WithProxyAuth(auth ProxyAuth) Option { return func(c *Client) { c.proxyAuth = auth } }

// withRootCAs is for tests: trust a test CA on the client's own transport (through a
// proxy, where WithHTTPClient would replace the transport being tested).
func withRootCAs(pool *x509.CertPool) Option { return func(c *Client) { c.rootCAs = pool } }

// envProxy is the default selector: the environment, read once per process as
// net/http does.
func envProxy(_ context.Context, target *url.URL) (proxy.Route, error) {
	u, err := http.ProxyFromEnvironment(&http.Request{URL: target})
	if err != nil || u == nil {
		return proxy.Route{}, err
	}
	return proxy.Route{Proxy: u, Via: "environment"}, nil
}

// ProxyError says why a request did not get through a proxy. It is the cause (Err) of
// an *Error of kind connection or timeout: find it with errors.As to offer the proxy
// settings or the proxy credentials.
type ProxyError struct {
	// Proxy is the proxy's address without credentials ("" when none was chosen).
	Proxy string
	// Via says where the proxy came from ("profile", "Windows settings (…)").
	Via string
	// Status is the proxy's answer to CONNECT (407, 403, 502…), 0 if it gave none.
	Status int
	// Authenticate lists the schemes a 407 offered ("Basic", "NTLM", "Negotiate").
	Authenticate []string
	// CredentialsSent tells a refused password from a missing one.
	CredentialsSent bool
	// Err is the underlying cause, if any.
	Err error

	stage string // "select" or "credentials" when it failed before any connection
}

func (e *ProxyError) Error() string {
	var b strings.Builder
	b.WriteString("proxy")
	if e.Proxy != "" {
		b.WriteString(" " + e.Proxy)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *ProxyError) Unwrap() error { return e.Err }

// hop records, for one attempt, which proxy the transport chose, so a failure can name
// it. It travels in the request's context from once() to the transport's hooks.
type hop struct {
	mu       sync.Mutex
	route    proxy.Route
	proxy    string // redacted
	password string // to scrub from messages
	sentAuth bool
}

type hopKey struct{}

func hopFrom(ctx context.Context) *hop {
	h, _ := ctx.Value(hopKey{}).(*hop)
	return h
}

// secret is the proxy password used, to scrub from messages.
func (h *hop) secret() string {
	if h == nil {
		return ""
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.password
}

func (h *hop) name() string {
	if h == nil {
		return ""
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.proxy
}

// proxyFor is the transport's Proxy hook: the selector's choice plus the stored
// credentials for that proxy.
func (c *Client) proxyFor(req *http.Request) (*url.URL, error) {
	ctx := req.Context()
	h := hopFrom(ctx)
	route, err := c.proxy(ctx, req.URL)
	if err != nil {
		return nil, &ProxyError{Err: err, stage: "select"}
	}
	if h != nil {
		h.mu.Lock()
		h.route = route
		h.mu.Unlock()
	}
	if route.Proxy == nil {
		return nil, nil
	}
	u := *route.Proxy
	if u.User == nil && c.proxyAuth != nil {
		ui, err := c.proxyAuth(ctx, &u)
		if err != nil {
			return nil, &ProxyError{Proxy: (&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), Via: route.Via, Err: err, stage: "credentials"}
		}
		u.User = ui
	}
	if h != nil {
		h.mu.Lock()
		h.proxy = (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
		if pw, ok := u.User.Password(); ok {
			h.password = pw
		}
		h.sentAuth = u.User != nil
		h.mu.Unlock()
	}
	return &u, nil
}

// onConnect sees the proxy's answer to CONNECT: anything but 200 becomes a ProxyError
// with the status, which net/http would otherwise reduce to its reason phrase.
func (c *Client) onConnect(ctx context.Context, proxyURL *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	pe := &ProxyError{Proxy: (&url.URL{Scheme: proxyURL.Scheme, Host: proxyURL.Host}).String(),
		Status: resp.StatusCode, CredentialsSent: proxyURL.User != nil}
	for _, a := range resp.Header.Values("Proxy-Authenticate") {
		scheme, _, _ := strings.Cut(strings.TrimSpace(a), " ")
		pe.Authenticate = append(pe.Authenticate, scheme)
	}
	if h := hopFrom(ctx); h != nil {
		h.mu.Lock()
		pe.Via = h.route.Via
		h.mu.Unlock()
	}
	return pe
}

// proxyFailure classifies a failure on the way to or through the proxy; ok is false
// when the error has nothing to do with the proxy. Everything here happened before
// the request was written, so nothing was sent: the outcome is failed, and whatever a
// direct connection would retry (could not connect, gateway unreachable) is retried.
func proxyFailure(err error, h *hop) (attempt, bool) {
	var pe *ProxyError
	if !errors.As(err, &pe) {
		var op *net.OpError
		if h == nil || h.name() == "" {
			return attempt{}, false
		}
		switch {
		case errors.As(err, &op) && op.Op == "proxyconnect":
			pe = &ProxyError{Err: op.Err}
		case errors.As(err, &op) && strings.HasPrefix(op.Op, "socks"):
			pe = &ProxyError{Err: op}
		default:
			return attempt{}, false
		}
		h.mu.Lock()
		pe.Proxy, pe.Via, pe.CredentialsSent = h.proxy, h.route.Via, h.sentAuth
		h.mu.Unlock()
	}
	name := "the proxy"
	if pe.Proxy != "" {
		name = "the proxy " + pe.Proxy
		if pe.Via != "" && pe.Via != "profile" {
			name += " (" + pe.Via + ")"
		}
	}
	fail := func(retry bool, kind ErrorKind, format string, a ...any) (attempt, bool) {
		return attempt{retryable: retry, err: errorf(kind, OutcomeFailed, err, format, a...)}, true
	}
	switch {
	case pe.stage == "select":
		return fail(false, KindConnection, "cannot decide which proxy to use; nothing was sent")
	case pe.stage == "credentials":
		return fail(false, KindConnection, "cannot read the credentials of %s from the keyring; nothing was sent", name)
	case pe.Status == http.StatusProxyAuthRequired:
		for _, s := range pe.Authenticate {
			if strings.EqualFold(s, "Basic") {
				if pe.CredentialsSent {
					return fail(false, KindConnection, "%s refused the stored user name and password (HTTP 407); nothing was sent: set the proxy credentials again", name)
				}
				return fail(false, KindConnection, "%s requires a user name and password (HTTP 407); nothing was sent: store them with `kycdesk proxy set` or in the settings", name)
			}
		}
		if len(pe.Authenticate) > 0 {
			return fail(false, KindConnection, "%s asks for %s sign-in (HTTP 407), which KYC Desk does not support (only Basic); nothing was sent: ask IT for a Basic-auth proxy or a local relay (see INSTALL.md)", name, strings.Join(pe.Authenticate, "/"))
		}
		return fail(false, KindConnection, "%s requires authentication (HTTP 407); nothing was sent", name)
	case pe.Status == http.StatusBadGateway || pe.Status == http.StatusServiceUnavailable || pe.Status == http.StatusGatewayTimeout:
		return fail(true, KindConnection, "%s could not reach the gateway (HTTP %d); nothing was sent", name, pe.Status)
	case pe.Status != 0:
		return fail(false, KindConnection, "%s refused the connection to the gateway (HTTP %d %s); nothing was sent: ask IT to allow the gateway's address", name, pe.Status, http.StatusText(pe.Status))
	}
	if isCertificateError(err) {
		return fail(false, KindConnection, "the TLS certificate of %s is not trusted by this PC; nothing was sent", name)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fail(true, KindConnection, "cannot find the host name of %s; nothing was sent (check the proxy settings)", name)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fail(true, KindTimeout, "connecting to %s timed out; nothing was sent (check the proxy settings)", name)
	}
	var op *net.OpError
	if errors.As(err, &op) && strings.HasPrefix(op.Op, "socks") {
		return fail(false, KindConnection, "%s refused the connection to the gateway; nothing was sent", name)
	}
	return fail(true, KindConnection, "cannot connect to %s; nothing was sent (check that the proxy is running and the proxy settings)", name)
}
