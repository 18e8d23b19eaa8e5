package proxy

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Config is a proxy configuration as an OS or desktop reports it.
type Config struct {
	// Source says where it was read, for status displays and messages: "Windows
	// settings (WinINet)", "GNOME settings", "macOS network settings"…
	Source string
	// HTTPS, HTTP and SOCKS are the static proxies ("host:port" or a URL); "" for none.
	// A target uses the proxy for its scheme, else SOCKS, else goes direct.
	HTTPS, HTTP, SOCKS string
	// Bypass lists hosts that go direct: "host", "*.corp", ".corp", "10.*",
	// "10.0.0.0/8", "169.254/16" (macOS) and "<local>" (names without a dot).
	Bypass []string
	// PACURL is a proxy auto-config file to evaluate for each target.
	PACURL string
	// AutoDetect asks for WPAD (the network says where the PAC file is).
	AutoDetect bool
}

// IsZero reports a configuration that names no proxy at all.
func (c Config) IsZero() bool {
	return c.HTTPS == "" && c.HTTP == "" && c.SOCKS == "" && c.PACURL == "" && !c.AutoDetect
}

// hasStatic reports whether a static proxy is configured.
func (c Config) hasStatic() bool { return c.HTTPS != "" || c.HTTP != "" || c.SOCKS != "" }

// static picks the static proxy for target, or nil for direct (bypassed or none).
func (c Config) static(target *url.URL) (*url.URL, error) {
	if Bypassed(target.Hostname(), c.Bypass) {
		return nil, nil
	}
	cand := c.HTTPS
	if target.Scheme == "http" {
		cand = c.HTTP
	}
	if cand == "" && c.SOCKS != "" {
		cand = c.SOCKS
		if !strings.Contains(cand, "://") {
			cand = "socks5://" + cand
		}
	}
	if cand == "" {
		return nil, nil
	}
	u, err := ParseProxyURL(cand)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Source, err)
	}
	return u, nil
}

// parseWindowsList reads a WinINet/WinHTTP proxy string: "host:port" for every
// protocol, or "http=h:p;https=h:p;socks=h:p" (also space-separated).
func parseWindowsList(s string, c *Config) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if !strings.Contains(s, "=") {
		first := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' })[0]
		c.HTTP, c.HTTPS = first, first
		return
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "http":
			c.HTTP = v
		case "https":
			c.HTTPS = v
		case "socks":
			c.SOCKS = v
		}
	}
}

// splitList splits a bypass list written with ';', ',' or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// IsLoopback reports localhost and loopback addresses, which never go through a proxy.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Bypassed reports whether host matches one of the bypass patterns (or is loopback).
func Bypassed(host string, patterns []string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if IsLoopback(host) {
		return true
	}
	ip := net.ParseIP(host)
	for _, p := range patterns {
		if matchBypass(host, ip, p) {
			return true
		}
	}
	return false
}

func matchBypass(host string, ip net.IP, p string) bool {
	p = strings.ToLower(strings.TrimSpace(p))
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
	}
	switch {
	case p == "":
		return false
	case p == "*":
		return true
	case p == "<local>":
		return ip == nil && !strings.Contains(host, ".")
	case strings.Contains(p, "/"):
		if ip == nil {
			return false
		}
		_, n, err := net.ParseCIDR(padCIDR(p))
		return err == nil && n.Contains(ip)
	}
	// A port in the pattern (WinINet allows "host:8080") is not compared.
	if h, _, err := net.SplitHostPort(p); err == nil {
		p = h
	}
	p = strings.Trim(p, "[]")
	switch {
	case strings.HasPrefix(p, "*."):
		return host == p[2:] || strings.HasSuffix(host, p[1:])
	case strings.HasPrefix(p, "."):
		return host == p[1:] || strings.HasSuffix(host, p)
	case strings.Contains(p, "*"):
		return shellMatch(p, host) // '*' matches any run, dots included
	}
	if pip := net.ParseIP(p); pip != nil {
		return ip != nil && pip.Equal(ip)
	}
	return host == p
}

// padCIDR turns macOS's short form "169.254/16" into "169.254.0.0/16".
func padCIDR(p string) string {
	addr, bits, _ := strings.Cut(p, "/")
	if strings.Contains(addr, ":") {
		return p
	}
	for strings.Count(addr, ".") < 3 {
		addr += ".0"
	}
	return addr + "/" + bits
}

// parsePACResult reads what FindProxyForURL returned ("PROXY a:8080; SOCKS b:1080;
// DIRECT") and returns the first entry: a proxy URL, or nil for DIRECT. Later entries
// are fallbacks a browser tries when the first is down; KYC Desk uses the first.
func parsePACResult(s string) (*url.URL, error) {
	var f []string
	for _, entry := range strings.Split(s, ";") {
		if f = strings.Fields(entry); len(f) > 0 {
			break
		}
	}
	if len(f) == 0 {
		return nil, nil
	}
	kind := strings.ToUpper(f[0])
	if kind == "DIRECT" {
		return nil, nil
	}
	if len(f) < 2 {
		return nil, fmt.Errorf("PAC answer %q: %s without an address", s, kind)
	}
	switch kind {
	case "PROXY", "HTTP":
		return ParseProxyURL("http://" + f[1])
	case "HTTPS":
		return ParseProxyURL("https://" + f[1])
	case "SOCKS", "SOCKS5", "SOCKS4":
		return ParseProxyURL("socks5://" + f[1])
	}
	return nil, fmt.Errorf("PAC answer %q: unknown kind %q", s, f[0])
}
