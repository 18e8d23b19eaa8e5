//go:build windows

package proxy

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows keeps two proxy configurations: the per-user Internet Options (WinINet:
// what Edge/IE and most programs use, and what a GPO or Intune pushes, including a PAC
// URL and "Automatically detect settings") and the machine-wide WinHTTP one (`netsh
// winhttp set proxy`). Both are read through WinHTTP's documented API, and a PAC file
// or WPAD is evaluated by WinHTTP itself, with Windows' own JavaScript engine: no PAC
// subset, no second opinion on what the PC's proxy is.

var (
	winhttp                            = windows.NewLazySystemDLL("winhttp.dll")
	procGetIEProxyConfigForCurrentUser = winhttp.NewProc("WinHttpGetIEProxyConfigForCurrentUser")
	procGetDefaultProxyConfiguration   = winhttp.NewProc("WinHttpGetDefaultProxyConfiguration")
	procOpen                           = winhttp.NewProc("WinHttpOpen")
	procCloseHandle                    = winhttp.NewProc("WinHttpCloseHandle")
	procSetTimeouts                    = winhttp.NewProc("WinHttpSetTimeouts")
	procGetProxyForURL                 = winhttp.NewProc("WinHttpGetProxyForUrl")
	procGlobalFree                     = windows.NewLazySystemDLL("kernel32.dll").NewProc("GlobalFree")
)

// WINHTTP_CURRENT_USER_IE_PROXY_CONFIG
type ieProxyConfig struct {
	autoDetect    int32
	autoConfigURL *uint16
	proxy         *uint16
	proxyBypass   *uint16
}

// WINHTTP_PROXY_INFO
type proxyInfo struct {
	accessType  uint32
	proxy       *uint16
	proxyBypass *uint16
}

// WINHTTP_AUTOPROXY_OPTIONS
type autoProxyOptions struct {
	flags                 uint32
	autoDetectFlags       uint32
	autoConfigURL         *uint16
	reserved              uintptr
	reservedDword         uint32
	autoLogonIfChallenged int32
}

const (
	accessTypeNoProxy    = 1
	accessTypeNamedProxy = 3
	autoProxyAutoDetect  = 0x1
	autoProxyConfigURL   = 0x2
	autoDetectDHCP       = 0x1
	autoDetectDNSA       = 0x2
)

// takeString copies a string WinHTTP allocated and frees it.
func takeString(p *uint16) string {
	if p == nil {
		return ""
	}
	s := windows.UTF16PtrToString(p)
	_, _, _ = procGlobalFree.Call(uintptr(unsafe.Pointer(p)))
	return s
}

func systemConfigs(context.Context) ([]Config, error) {
	var out []Config
	var errs []string
	var ie ieProxyConfig
	if r, _, err := procGetIEProxyConfigForCurrentUser.Call(uintptr(unsafe.Pointer(&ie))); r == 0 {
		errs = append(errs, fmt.Sprintf("Internet Options: %v", err))
	} else {
		c := Config{Source: "Windows settings (Internet Options)", AutoDetect: ie.autoDetect != 0,
			PACURL: strings.TrimSpace(takeString(ie.autoConfigURL))}
		parseWindowsList(takeString(ie.proxy), &c)
		c.Bypass = splitList(takeString(ie.proxyBypass))
		out = append(out, c)
	}
	var info proxyInfo
	if r, _, err := procGetDefaultProxyConfiguration.Call(uintptr(unsafe.Pointer(&info))); r == 0 {
		errs = append(errs, fmt.Sprintf("WinHTTP: %v", err))
	} else {
		list, bypass := takeString(info.proxy), takeString(info.proxyBypass)
		if info.accessType == accessTypeNamedProxy {
			c := Config{Source: "Windows WinHTTP settings (netsh winhttp)"}
			parseWindowsList(list, &c)
			c.Bypass = splitList(bypass)
			out = append(out, c)
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

// findProxyForURL asks WinHTTP to run the PAC file (or WPAD) for target. The call can
// take seconds (WPAD probes DHCP and DNS): it runs in its own goroutine and the
// caller stops waiting when ctx ends.
func findProxyForURL(ctx context.Context, c Config, target *url.URL) (string, error) {
	type result struct {
		answer string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		a, err := winHTTPProxyForURL(c, target)
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		return r.answer, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func winHTTPProxyForURL(c Config, target *url.URL) (string, error) {
	agent, _ := windows.UTF16PtrFromString("KYCDesk")
	h, _, err := procOpen.Call(uintptr(unsafe.Pointer(agent)), accessTypeNoProxy, 0, 0, 0)
	if h == 0 {
		return "", fmt.Errorf("WinHttpOpen: %v", err)
	}
	defer procCloseHandle.Call(h) //nolint:errcheck
	// Resolve, connect, send, receive: bounds the PAC download.
	_, _, _ = procSetTimeouts.Call(h, 5000, 5000, 5000, 5000)

	opts := autoProxyOptions{autoLogonIfChallenged: 1}
	if c.PACURL != "" {
		opts.flags |= autoProxyConfigURL
		opts.autoConfigURL, _ = windows.UTF16PtrFromString(c.PACURL)
	}
	if c.AutoDetect {
		opts.flags |= autoProxyAutoDetect
		opts.autoDetectFlags = autoDetectDHCP | autoDetectDNSA
	}
	u, err := windows.UTF16PtrFromString(target.String())
	if err != nil {
		return "", err
	}
	var info proxyInfo
	r, _, err := procGetProxyForURL.Call(h, uintptr(unsafe.Pointer(u)), uintptr(unsafe.Pointer(&opts)), uintptr(unsafe.Pointer(&info)))
	if r == 0 {
		return "", winHTTPError(err)
	}
	list, _ := takeString(info.proxy), takeString(info.proxyBypass)
	if info.accessType != accessTypeNamedProxy || strings.TrimSpace(list) == "" {
		return "DIRECT", nil
	}
	var one Config
	parseWindowsList(list, &one)
	p := one.HTTPS
	if target.Scheme == "http" {
		p = one.HTTP
	}
	if p == "" && one.SOCKS != "" {
		return "SOCKS " + one.SOCKS, nil
	}
	if p == "" {
		return "DIRECT", nil
	}
	if strings.HasPrefix(strings.ToLower(p), "https://") {
		return "HTTPS " + p[len("https://"):], nil
	}
	return "PROXY " + strings.TrimPrefix(p, "http://"), nil
}

// winHTTPError names the WinHTTP errors IT meets with PAC files.
func winHTTPError(err error) error {
	if errno, ok := err.(windows.Errno); ok {
		switch errno {
		case 12180:
			return fmt.Errorf("%w, error 12180", ErrNoPACFound)
		case 12167:
			return fmt.Errorf("the PAC file could not be downloaded (error 12167)")
		case 12166:
			return fmt.Errorf("the PAC file has an error (error 12166)")
		case 12178:
			return fmt.Errorf("the PAC file service failed (error 12178)")
		}
	}
	return fmt.Errorf("WinHttpGetProxyForUrl: %v", err)
}
