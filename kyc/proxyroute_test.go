package kyc

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"kycdesk/kyc/proxy"
	"kycdesk/kyc/proxy/proxytest"
)

// These tests send real requests through a real forwarding proxy on loopback
// (proxytest: CONNECT tunnels and absolute-form forwarding) to a TLS gateway. The
// gateway is named example.com, the name in httptest's certificate; the proxy maps
// every host to 127.0.0.1, so nothing leaves the machine and a direct connection to
// example.com would not even resolve here.

type tlsGateway struct {
	srv   *httptest.Server
	count atomic.Int32
	last  atomic.Pointer[http.Request]
	url   string // https://example.com:PORT
}

func newTLSGateway(t *testing.T, handle http.HandlerFunc) *tlsGateway {
	t.Helper()
	g := &tlsGateway{}
	g.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.count.Add(1)
		_, _ = io.ReadAll(r.Body)
		g.last.Store(r)
		handle(w, r)
	}))
	t.Cleanup(g.srv.Close)
	_, port, _ := net.SplitHostPort(g.srv.Listener.Addr().String())
	g.url = "https://example.com:" + port
	return g
}

func (g *tlsGateway) roots() Option {
	return withRootCAs(g.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs)
}

func startProxy(t *testing.T, opts proxytest.Options) *proxytest.Proxy {
	t.Helper()
	p, err := proxytest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func via(u *url.URL) Option {
	return WithProxy(func(context.Context, *url.URL) (proxy.Route, error) {
		return proxy.Route{Proxy: u, Via: "profile"}, nil
	})
}

func creds(user, pass string) Option {
	return WithProxyAuth(func(context.Context, *url.URL) (*url.Userinfo, error) {
		return url.UserPassword(user, pass), nil
	})
}

func okLiveness(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, sampleLiveness)
}

func TestProxyTunnelKeepsTLSAndHeaders(t *testing.T) {
	g := newTLSGateway(t, okLiveness)
	p := startProxy(t, proxytest.Options{})
	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if err != nil || !res.Live || res.Attempts != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	if p.Connects.Load() != 1 || p.Tunnels.Load() != 1 || !strings.HasPrefix(p.Targets()[0], "example.com:") {
		t.Fatalf("connects=%d tunnels=%d targets=%v", p.Connects.Load(), p.Tunnels.Load(), p.Targets())
	}
	if r := g.last.Load(); r.Header.Get("token") != testToken || r.Header.Get("Proxy-Authorization") != "" {
		t.Errorf("gateway headers: %v", r.Header)
	}

	// The same gateway through the same proxy without the test CA: the certificate is
	// checked end to end, exactly as without a proxy.
	c = fastClient(t, g.url, nil, via(p.URL()))
	res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 ||
		!strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted gateway through a proxy: %v %+v", err, res.Meta)
	}
	if g.count.Load() != 1 {
		t.Errorf("the untrusted gateway got the request: %d", g.count.Load())
	}
}

func TestProxyAuthentication(t *testing.T) {
	g := newTLSGateway(t, okLiveness)
	p := startProxy(t, proxytest.Options{User: "kasir1", Password: "pr0xy-SECRET"})

	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	var pe *ProxyError
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 || !errors.As(err, &pe) ||
		pe.Status != http.StatusProxyAuthRequired || pe.CredentialsSent {
		t.Fatalf("no credentials: %v %+v %+v", err, res.Meta, pe)
	}
	if !strings.Contains(err.Error(), "requires a user name and password") || !strings.Contains(err.Error(), p.Addr()) {
		t.Errorf("message: %v", err)
	}

	c = fastClient(t, g.url, nil, via(p.URL()), g.roots(), creds("kasir1", "wrong-SECRET"))
	res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Attempts != 1 || !strings.Contains(err.Error(), "refused the stored user name and password") {
		t.Fatalf("wrong credentials: %v %+v", err, res.Meta)
	}
	if strings.Contains(err.Error(), "wrong-SECRET") {
		t.Errorf("the proxy password is in the error: %v", err)
	}

	c = fastClient(t, g.url, nil, via(p.URL()), g.roots(), creds("kasir1", "pr0xy-SECRET"))
	if res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img}); err != nil || !res.Live {
		t.Fatalf("right credentials: %v", err)
	}
	auths := p.Auths()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("kasir1:pr0xy-SECRET"))
	if auths[len(auths)-1] != want {
		t.Errorf("Proxy-Authorization %q, want %q", auths[len(auths)-1], want)
	}
	if r := g.last.Load(); r.Header.Get("Proxy-Authorization") != "" {
		t.Error("the proxy credentials reached the gateway")
	}
	if g.count.Load() != 1 {
		t.Errorf("gateway requests %d, want only the authenticated one", g.count.Load())
	}
}

func TestProxyWindowsSignInIsExplained(t *testing.T) {
	g := newTLSGateway(t, okLiveness)
	p := startProxy(t, proxytest.Options{User: "x", Password: "y", Schemes: []string{"Negotiate", "NTLM"}})
	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	_, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || !strings.Contains(err.Error(), "Negotiate/NTLM") || !strings.Contains(err.Error(), "only Basic") {
		t.Fatal(err)
	}
}

func TestProxyDownIsAConnectionErrorNamingIt(t *testing.T) {
	down := &url.URL{Scheme: "http", Host: refusedAddr(t)}
	c := fastClient(t, "https://example.com", nil, via(down))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != MaxAttempts {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	if !strings.Contains(err.Error(), "cannot connect to the proxy http://"+down.Host) || !strings.Contains(err.Error(), "nothing was sent") {
		t.Errorf("message: %v", err)
	}
}

func TestProxyRefusals(t *testing.T) {
	g := newTLSGateway(t, okLiveness)
	// 403: policy says no; retrying cannot help.
	p := startProxy(t, proxytest.Options{Refuse: http.StatusForbidden})
	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 || p.Connects.Load() != 1 ||
		!strings.Contains(err.Error(), "refused the connection to the gateway (HTTP 403") {
		t.Fatalf("403: %v %+v", err, res.Meta)
	}
	// 502: the proxy could not reach the gateway, like a failed dial: nothing was sent,
	// so it is retried, within the usual bounds.
	p = startProxy(t, proxytest.Options{Refuse: http.StatusBadGateway})
	c = fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != MaxAttempts ||
		int(p.Connects.Load()) != MaxAttempts || !strings.Contains(err.Error(), "could not reach the gateway (HTTP 502)") {
		t.Fatalf("502: %v %+v connects=%d", err, res.Meta, p.Connects.Load())
	}
	if g.count.Load() != 0 {
		t.Errorf("the gateway was reached: %d", g.count.Load())
	}
}

func TestProxyConnectionLostAfterSendingIsUnknownNotRetried(t *testing.T) {
	g := newTLSGateway(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	g.srv.EnableHTTP2 = false
	p := startProxy(t, proxytest.Options{})
	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if res.Outcome != OutcomeUnknown || res.Attempts != 1 || g.count.Load() != 1 {
		t.Fatalf("%v %+v count=%d", err, res.Meta, g.count.Load())
	}
}

func TestProxyRedirectNotFollowed(t *testing.T) {
	g := newTLSGateway(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example.com/api", http.StatusFound)
	})
	p := startProxy(t, proxytest.Options{})
	c := fastClient(t, g.url, nil, via(p.URL()), g.roots())
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindNotFound || res.Outcome != OutcomeFailed || g.count.Load() != 1 || p.Connects.Load() != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

func TestProxyPlainHTTPGateway(t *testing.T) {
	g := newGateway(t, reply(200, sampleLiveness))
	_, port, _ := net.SplitHostPort(g.srv.Listener.Addr().String())
	base := "http://gateway.lan:" + port
	p := startProxy(t, proxytest.Options{User: "u", Password: "p-SECRET"})

	c := fastClient(t, base, nil, via(p.URL()))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 || g.count.Load() != 0 ||
		!strings.Contains(err.Error(), "requires a user name and password") {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	c = fastClient(t, base, nil, via(p.URL()), creds("u", "p-SECRET"))
	if res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img}); err != nil || !res.Live {
		t.Fatal(err)
	}
	if p.Forwards.Load() != 2 || g.count.Load() != 1 {
		t.Errorf("forwards=%d gateway=%d", p.Forwards.Load(), g.count.Load())
	}
}

func TestProxySelectionAndCredentialFailures(t *testing.T) {
	c := fastClient(t, "https://example.com", nil, WithProxy(func(context.Context, *url.URL) (proxy.Route, error) {
		return proxy.Route{}, errors.New("PAC exploded")
	}))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 ||
		!strings.Contains(err.Error(), "cannot decide which proxy") || !strings.Contains(err.Error(), "PAC exploded") {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	p := startProxy(t, proxytest.Options{})
	c = fastClient(t, "https://example.com", nil, via(p.URL()), WithProxyAuth(func(context.Context, *url.URL) (*url.Userinfo, error) {
		return nil, errors.New("keyring locked")
	}))
	res, err = c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Attempts != 1 || p.Connects.Load() != 0 ||
		!strings.Contains(err.Error(), "cannot read the credentials of the proxy") || !strings.Contains(err.Error(), "keyring locked") {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

// The resolver's "system" mode with HTTPS_PROXY set: the route the client takes.
func TestProxyFromResolver(t *testing.T) {
	g := newTLSGateway(t, okLiveness)
	p := startProxy(t, proxytest.Options{})
	env := map[string]string{"HTTPS_PROXY": p.URL().String()}
	r := proxy.NewResolver(proxy.System(), proxy.Options{Getenv: func(k string) string { return env[k] },
		System: func(context.Context) ([]proxy.Config, error) { return nil, nil }})
	c := fastClient(t, g.url, nil, WithProxy(r.Route), g.roots())
	if _, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img}); err != nil || p.Tunnels.Load() != 1 {
		t.Fatalf("%v tunnels=%d", err, p.Tunnels.Load())
	}
	// "direct" ignores HTTPS_PROXY (the gateway is reached by its loopback address here).
	direct := proxy.NewResolver(proxy.Setting{Mode: proxy.ModeDirect}, proxy.Options{Getenv: func(k string) string { return env[k] }})
	c = fastClient(t, g.srv.URL, nil, WithProxy(direct.Route), g.roots())
	if _, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img}); err != nil || p.Connects.Load() != 1 {
		t.Fatalf("direct mode: %v connects=%d", err, p.Connects.Load())
	}
}
