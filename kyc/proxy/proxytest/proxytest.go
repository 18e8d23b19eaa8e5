// Package proxytest runs a real forwarding HTTP proxy on loopback for tests: CONNECT
// tunnels (how HTTPS goes through a proxy) and absolute-form forwarding (plain http),
// optionally requiring Basic authentication or refusing every tunnel with a status.
// It is the proxy of the outlets' networks in miniature, the way httptest is the server.
package proxytest

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Proxy.
type Options struct {
	// User and Password, when User is set, are required as Basic Proxy-Authorization;
	// without them the proxy answers 407 with Proxy-Authenticate (Schemes, default Basic).
	User, Password string
	Schemes        []string
	// Refuse, when non-zero, is the status every CONNECT is answered with (403, 502…).
	Refuse int
	// Dial replaces how the proxy reaches a target ("host:port"). The default maps every
	// host to 127.0.0.1 (same port), so a test can name its gateway example.com (the name
	// in httptest's certificate) and only ever reach loopback.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
}

// Proxy is a running forwarding proxy.
type Proxy struct {
	opts Options
	srv  *http.Server
	ln   net.Listener
	url  *url.URL

	// Connects counts CONNECT requests, Forwards absolute-form requests, Tunnels the
	// CONNECTs that were let through to the target.
	Connects, Forwards, Tunnels atomic.Int32

	mu      sync.Mutex
	auths   []string // Proxy-Authorization headers received, in order ("" when absent)
	targets []string
	open    map[net.Conn]bool // tunnel ends, closed by Close
	conns   sync.WaitGroup
}

// Start runs a proxy on 127.0.0.1 until Close.
func Start(opts Options) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{opts: opts, ln: ln, url: &url.URL{Scheme: "http", Host: ln.Addr().String()}, open: map[net.Conn]bool{}}
	if p.opts.Dial == nil {
		p.opts.Dial = LoopbackDial
	}
	if len(p.opts.Schemes) == 0 {
		p.opts.Schemes = []string{`Basic realm="proxytest"`}
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// LoopbackDial reaches "host:port" at 127.0.0.1:port, whatever the host.
func LoopbackDial(ctx context.Context, addr string) (net.Conn, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", port))
}

// URL is the proxy's address, http://127.0.0.1:PORT.
func (p *Proxy) URL() *url.URL { u := *p.url; return &u }

// Addr is host:port.
func (p *Proxy) Addr() string { return p.url.Host }

// Auths returns the Proxy-Authorization headers received so far, in order.
func (p *Proxy) Auths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.auths...)
}

// Targets returns the hosts requested so far (CONNECT authority or absolute URL host).
func (p *Proxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

// Close stops the proxy and cuts its tunnels (a client keeps idle connections open).
func (p *Proxy) Close() {
	_ = p.srv.Close()
	p.mu.Lock()
	for c := range p.open {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.conns.Wait()
}

func (p *Proxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.open[c] = true
	}
}

func (p *Proxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.open, c)
	}
}

func (p *Proxy) authorized(r *http.Request) bool {
	h := r.Header.Get("Proxy-Authorization")
	p.mu.Lock()
	p.auths = append(p.auths, h)
	p.targets = append(p.targets, r.Host)
	p.mu.Unlock()
	if p.opts.User == "" {
		return true
	}
	scheme, cred, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	return err == nil && string(raw) == p.opts.User+":"+p.opts.Password
}

func (p *Proxy) deny(w http.ResponseWriter) {
	for _, s := range p.opts.Schemes {
		w.Header().Add("Proxy-Authenticate", s)
	}
	http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.Connects.Add(1)
		p.connect(w, r)
		return
	}
	p.Forwards.Add(1)
	if !r.URL.IsAbs() {
		http.Error(w, "this is a proxy: send an absolute URL", http.StatusBadRequest)
		return
	}
	if !p.authorized(r) {
		p.deny(w)
		return
	}
	p.forward(w, r)
}

func (p *Proxy) connect(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(r) {
		p.deny(w)
		return
	}
	if p.opts.Refuse != 0 {
		http.Error(w, "refused by proxytest", p.opts.Refuse)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	up, err := p.opts.Dial(ctx, r.Host)
	cancel()
	if err != nil {
		http.Error(w, "cannot reach "+r.Host+": "+err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "no hijacking", http.StatusInternalServerError)
		return
	}
	down, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	p.Tunnels.Add(1)
	_, _ = io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n")
	p.track(up, down)
	p.conns.Add(2)
	go func() {
		defer p.conns.Done()
		// Anything the client sent after the CONNECT (the TLS hello) may sit in buf.
		_, _ = io.Copy(up, buf)
		closeWrite(up)
	}()
	go func() {
		defer p.conns.Done()
		_, _ = io.Copy(down, up)
		_ = down.Close()
		_ = up.Close()
		p.untrack(up, down)
	}()
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// forward relays a plain-http request given in absolute form.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return p.opts.Dial(ctx, addr)
		},
	}
	defer tr.CloseIdleConnections()
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Authorization")
	out.Header.Del("Proxy-Connection")
	resp, err := tr.RoundTrip(out)
	if err != nil {
		http.Error(w, "cannot reach "+r.URL.Host+": "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}
