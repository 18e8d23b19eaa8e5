//go:build darwin

package proxy

import (
	"context"
	"errors"
	"net/url"
	"os/exec"
	"time"
)

// systemConfigs reads macOS' proxy settings (System Settings → Network → Details →
// Proxies) for the active network service, as `scutil --proxy` reports them.
func systemConfigs(ctx context.Context) ([]Config, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/usr/sbin/scutil", "--proxy").Output()
	if err != nil {
		return nil, err
	}
	c := parseScutil(string(out))
	if c.IsZero() {
		return nil, nil
	}
	return []Config{c}, nil
}

// findProxyForURL evaluates a PAC file with the built-in evaluator; WPAD is not
// supported (macOS' own evaluator lives in CFNetwork, which needs cgo and a run loop).
func findProxyForURL(ctx context.Context, c Config, target *url.URL) (string, error) {
	if c.PACURL == "" {
		return "", errors.New("automatic proxy discovery (WPAD) is not supported here: set the PAC file's URL in the network settings, or the proxy in the profile")
	}
	return evalPACURL(ctx, c.PACURL, target)
}
