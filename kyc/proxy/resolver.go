package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// ErrNoPACFound: automatic detection (WPAD) found no PAC file on this network.
var ErrNoPACFound = errors.New("no PAC file was found on the network (WPAD)")

// Route is the way one request goes: through Proxy, or direct when Proxy is nil.
type Route struct {
	Proxy *url.URL
	// Via says where the choice came from, for status displays and error messages:
	// "profile", "environment (HTTPS_PROXY)", "Windows settings (PAC http://…)".
	Via string
	// Note is a problem met while choosing that made the route fall back (a PAC file
	// that could not be read, say); it is added to the message of a call that fails.
	Note string
}

// Direct reports whether the route uses no proxy.
func (r Route) Direct() bool { return r.Proxy == nil }

// String describes the route in one line, without credentials.
func (r Route) String() string {
	s := "direct"
	if r.Proxy != nil {
		s = "through " + r.Proxy.Redacted()
	}
	if r.Via != "" {
		s += " (" + r.Via + ")"
	}
	if r.Note != "" {
		s += "; " + r.Note
	}
	return s
}

// Options configures a Resolver. Zero values choose the real machine.
type Options struct {
	// Getenv reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (nil: os.Getenv).
	Getenv func(string) string
	// System reads the OS's proxy configurations in order of precedence (nil: this
	// platform's: Windows' WinINet then WinHTTP settings, macOS' network settings,
	// GNOME or KDE settings).
	System func(ctx context.Context) ([]Config, error)
	// FindProxyForURL evaluates a PAC configuration for target and returns its answer
	// ("PROXY h:p; DIRECT"). Nil: Windows asks WinHTTP (full JavaScript, WPAD); other
	// systems fetch the file and use the built-in evaluator (see pac.go for its limits).
	FindProxyForURL func(ctx context.Context, c Config, target *url.URL) (string, error)
	// TTL is how long a decision for a host is reused (default five minutes: Windows'
	// own WPAD discovery may take seconds when the network has no PAC file).
	TTL time.Duration
}

// Resolver chooses routes for one setting. It is safe for concurrent use and caches
// its decisions per scheme and host for a short while, because reading the system's
// settings may start a process (gsettings) and a PAC file may have to be fetched.
type Resolver struct {
	setting Setting
	opts    Options

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	route Route
	at    time.Time
}

// NewResolver returns a resolver for s.
func NewResolver(s Setting, opts Options) *Resolver {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.System == nil {
		opts.System = systemConfigs
	}
	if opts.FindProxyForURL == nil {
		opts.FindProxyForURL = findProxyForURL
	}
	if opts.TTL <= 0 {
		opts.TTL = 5 * time.Minute
	}
	return &Resolver{setting: s, opts: opts, cache: map[string]cached{}}
}

// Setting returns the setting the resolver follows.
func (r *Resolver) Setting() Setting { return r.setting }

// Route returns how a request to target goes. Loopback targets always go direct (the
// built-in sandbox lives there). An explicit or system proxy that cannot be parsed is
// an error; a PAC file that cannot be used falls back (see Route.Note).
func (r *Resolver) Route(ctx context.Context, target *url.URL) (Route, error) {
	if target == nil || target.Host == "" {
		return Route{}, errors.New("proxy: no target")
	}
	switch r.setting.Mode {
	case ModeDirect:
		return Route{Via: "profile: direct"}, nil
	case ModeURL:
		if IsLoopback(target.Hostname()) {
			return Route{Via: "loopback"}, nil
		}
		return Route{Proxy: r.setting.URL, Via: "profile"}, nil
	}
	if IsLoopback(target.Hostname()) {
		return Route{Via: "loopback"}, nil
	}
	key := target.Scheme + "://" + strings.ToLower(target.Host)
	r.mu.Lock()
	c, ok := r.cache[key]
	r.mu.Unlock()
	if ok && time.Since(c.at) < r.opts.TTL {
		return c.route, nil
	}
	route, err := r.system(ctx, target)
	if err != nil {
		return Route{}, err
	}
	r.mu.Lock()
	r.cache[key] = cached{route: route, at: time.Now()}
	r.mu.Unlock()
	return route, nil
}

// system resolves ModeSystem: the environment first (whoever set HTTPS_PROXY meant
// it, and it is what KYC Desk has always honoured), then the OS's configurations.
func (r *Resolver) system(ctx context.Context, target *url.URL) (Route, error) {
	if route, ok, err := r.fromEnv(target); ok || err != nil {
		return route, err
	}
	configs, err := r.opts.System(ctx)
	var notes []string
	if err != nil {
		notes = append(notes, "the system's proxy settings could not be read: "+err.Error())
	}
	for _, c := range configs {
		if c.IsZero() {
			continue
		}
		if c.PACURL != "" || c.AutoDetect {
			answer, perr := r.opts.FindProxyForURL(ctx, c, target)
			if perr == nil {
				u, perr := parsePACResult(answer)
				if perr == nil {
					return Route{Proxy: u, Via: c.Source + ", " + pacName(c)}, nil
				}
				notes = append(notes, fmt.Sprintf("%s: %v", pacName(c), perr))
			} else if !(errors.Is(perr, ErrNoPACFound) && c.PACURL == "") {
				// (Automatic detection finding nothing is the normal case of a network
				// without WPAD, not a problem worth a note.)
				notes = append(notes, fmt.Sprintf("%s could not be used: %v", pacName(c), perr))
			}
			if !c.hasStatic() {
				continue
			}
		}
		u, err := c.static(target)
		if err != nil {
			return Route{}, err
		}
		via := c.Source
		if u == nil {
			via += ": bypassed"
		}
		return Route{Proxy: u, Via: via, Note: strings.Join(notes, "; ")}, nil
	}
	return Route{Via: "no proxy configured", Note: strings.Join(notes, "; ")}, nil
}

func pacName(c Config) string {
	if c.PACURL != "" {
		return "PAC " + c.PACURL
	}
	return "automatic detection (WPAD)"
}

// fromEnv applies HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case). ok is false when the
// environment names no proxy for the target's scheme, so the OS settings decide.
func (r *Resolver) fromEnv(target *url.URL) (Route, bool, error) {
	get := func(names ...string) (string, string) {
		for _, n := range names {
			if v := strings.TrimSpace(r.opts.Getenv(n)); v != "" {
				return v, n
			}
		}
		return "", ""
	}
	var val, name string
	if target.Scheme == "https" {
		val, name = get("HTTPS_PROXY", "https_proxy")
	} else {
		val, name = get("HTTP_PROXY", "http_proxy")
	}
	if val == "" {
		return Route{}, false, nil
	}
	noProxy, _ := get("NO_PROXY", "no_proxy")
	cfg := httpproxy.Config{HTTPProxy: val, HTTPSProxy: val, NoProxy: noProxy}
	u, err := cfg.ProxyFunc()(target)
	if err != nil {
		return Route{}, true, fmt.Errorf("proxy in %s: %w", name, err)
	}
	if u == nil {
		return Route{Via: "environment: NO_PROXY"}, true, nil
	}
	if _, err := ParseProxyURL(u.String()); err != nil {
		return Route{}, true, fmt.Errorf("proxy in %s: %w", name, err)
	}
	return Route{Proxy: u, Via: "environment (" + name + ")"}, true, nil
}

// fetchPAC downloads a PAC file directly (never through a proxy), bounded in time and
// size. file:// URLs are read from disk.
func fetchPAC(ctx context.Context, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	const maxPAC = 1 << 20
	if u.Scheme == "file" {
		p := u.Path
		if u.Host != "" && u.Host != "localhost" {
			p = "//" + u.Host + p
		}
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxPAC+1))
		if len(b) > maxPAC {
			return "", errors.New("PAC file larger than 1 MB")
		}
		return string(b), err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("unsupported PAC URL scheme %q", u.Scheme)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tr := &http.Transport{Proxy: nil, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 5 * time.Second}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxPAC+1))
	if len(b) > maxPAC {
		return "", errors.New("PAC file larger than 1 MB")
	}
	return string(b), err
}
