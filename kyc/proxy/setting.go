// Package proxy decides how KYC Desk reaches a gateway: directly, through the proxy the
// PC is configured with (Windows' WinINet/WinHTTP settings including a PAC file, the
// environment, GNOME or KDE settings, macOS network settings), or through a proxy named
// in the profile. It never handles credentials: the kyc client asks the keyring for
// them (kyc.WithProxyAuth) once it knows which proxy a request goes through.
package proxy

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Mode is how a profile reaches its gateway.
type Mode string

const (
	// ModeSystem follows the PC's own proxy settings (the default for every profile).
	ModeSystem Mode = "system"
	// ModeDirect never uses a proxy, whatever the PC says.
	ModeDirect Mode = "direct"
	// ModeURL always uses the proxy in Setting.URL.
	ModeURL Mode = "url"
)

// Setting is a profile's proxy field: "" or "system", "direct", or a proxy URL
// (http://host:port, https://host:port or socks5://host:port).
type Setting struct {
	Mode Mode
	URL  *url.URL // ModeURL only; never carries credentials (those live in the keyring)
}

// System is the default setting.
func System() Setting { return Setting{Mode: ModeSystem} }

// Parse reads a profile's proxy field. A bare "host:port" means an http proxy, the way
// Windows and most tools write it. Credentials in the URL are refused: a profile is a
// file, and proxy passwords belong in the keyring.
func Parse(raw string) (Setting, error) {
	s := strings.TrimSpace(raw)
	switch strings.ToLower(s) {
	case "", string(ModeSystem):
		return System(), nil
	case string(ModeDirect), "none":
		return Setting{Mode: ModeDirect}, nil
	}
	u, err := ParseProxyURL(s)
	if err != nil {
		return Setting{}, err
	}
	if u.User != nil {
		return Setting{}, fmt.Errorf("proxy %q must not contain a user name or password: store them in the keyring (kycdesk proxy set)", u.Redacted())
	}
	return Setting{Mode: ModeURL, URL: u}, nil
}

// String is the setting as it is written in a profile: "system", "direct" or the URL.
func (s Setting) String() string {
	switch s.Mode {
	case ModeDirect:
		return string(ModeDirect)
	case ModeURL:
		if s.URL != nil {
			return s.URL.String()
		}
	}
	return string(ModeSystem)
}

// defaultPorts for proxies named without one (Windows settings sometimes omit it).
var defaultPorts = map[string]string{"http": "80", "https": "443", "socks5": "1080", "socks5h": "1080"}

// ParseProxyURL reads a proxy address: scheme://host:port, or host:port for http. It
// keeps user information (an environment variable may carry it); Parse refuses it.
func ParseProxyURL(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, fmt.Errorf("empty proxy address")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("proxy %q is not a URL", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if _, ok := defaultPorts[u.Scheme]; !ok {
		return nil, fmt.Errorf("proxy %q: scheme must be http, https or socks5", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("proxy %q has no host", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("proxy %q must be scheme://host:port, without a path", raw)
	}
	u.Path, u.RawPath = "", ""
	if p := u.Port(); p == "" {
		u.Host = net.JoinHostPort(u.Hostname(), defaultPorts[u.Scheme])
	} else if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("proxy %q: port %q is not a number from 1 to 65535", raw, p)
	}
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

// Key names a proxy for its credentials in the keyring: "host:port", lower case. Two
// profiles going through the same proxy share its credentials, and a proxy chosen by
// the system settings finds the ones stored for it.
func Key(u *url.URL) string {
	if u == nil {
		return ""
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = defaultPorts[u.Scheme]
	}
	return strings.ToLower(net.JoinHostPort(host, port))
}
