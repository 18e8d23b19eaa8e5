package proxy

import (
	"bufio"
	"net"
	"strconv"
	"strings"
)

// The parsers for each desktop's settings live here, built on every OS, so their tests
// run everywhere; the code that reads the settings is in system_<os>.go.

// parseGSettings reads `gsettings list-recursively org.gnome.system.proxy` (GNOME,
// Cinnamon, MATE, Budgie, Unity: all keep the proxy in this schema).
func parseGSettings(out string) Config {
	v := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.SplitN(strings.TrimSpace(sc.Text()), " ", 3)
		if len(f) == 3 && strings.HasPrefix(f[0], "org.gnome.system.proxy") {
			v[strings.TrimPrefix(f[0], "org.gnome.system.proxy")+" "+f[1]] = f[2]
		}
	}
	c := Config{Source: "GNOME settings"}
	switch gvString(v[" mode"]) {
	case "manual":
		hp := func(schema string) string {
			host := gvString(v[schema+" host"])
			port, _ := strconv.Atoi(strings.TrimSpace(v[schema+" port"]))
			if host == "" || port <= 0 {
				return ""
			}
			return net.JoinHostPort(host, strconv.Itoa(port))
		}
		c.HTTP, c.HTTPS, c.SOCKS = hp(".http"), hp(".https"), hp(".socks")
		if c.HTTPS == "" && gvBool(v[" use-same-proxy"]) {
			c.HTTPS = c.HTTP
		}
		if c.SOCKS != "" {
			c.SOCKS = "socks5://" + c.SOCKS
		}
		c.Bypass = gvStrings(v[" ignore-hosts"])
	case "auto":
		c.PACURL = gvString(v[" autoconfig-url"])
		c.AutoDetect = c.PACURL == ""
	}
	return c
}

// gvString reads a GVariant text string: 'text' with backslash escapes.
func gvString(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') || s[len(s)-1] != s[0] {
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '\\' && i+1 < len(s)-1 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func gvBool(s string) bool { return strings.TrimSpace(s) == "true" }

// gvStrings reads a GVariant string array: ['a', 'b'] or @as [].
func gvStrings(s string) []string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "@as"))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	var out []string
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ,")
		if s == "" {
			break
		}
		q := s[0]
		if q != '\'' && q != '"' {
			break
		}
		end := 1
		for end < len(s) && s[end] != q {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			break
		}
		out = append(out, gvString(s[:end+1]))
		s = s[end+1:]
	}
	return out
}

// parseKioslaverc reads KDE's proxy settings (~/.config/kioslaverc, [Proxy Settings]).
// ProxyType: 0 none, 1 manual, 2 PAC URL, 3 WPAD, 4 environment variables (which the
// resolver reads first anyway).
func parseKioslaverc(content string) Config {
	c := Config{Source: "KDE settings"}
	v := map[string]string{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(content))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if section != "Proxy Settings" {
			continue
		}
		if k, val, ok := strings.Cut(line, "="); ok {
			// Keys may carry a locale or flags suffix: httpsProxy[$e]=…
			k = strings.TrimSpace(k)
			if i := strings.IndexByte(k, '['); i >= 0 {
				k = k[:i]
			}
			v[k] = strings.TrimSpace(val)
		}
	}
	kde := func(s string) string {
		// "http://proxy.corp 8080" (KDE's own form) or "http://proxy.corp:8080".
		s = strings.TrimSpace(s)
		if host, port, ok := strings.Cut(s, " "); ok && port != "" {
			return host + ":" + strings.TrimSpace(port)
		}
		return s
	}
	switch strings.TrimSpace(v["ProxyType"]) {
	case "1":
		c.HTTP, c.HTTPS, c.SOCKS = kde(v["httpProxy"]), kde(v["httpsProxy"]), kde(v["socksProxy"])
		if c.SOCKS != "" && !strings.Contains(c.SOCKS, "://") {
			c.SOCKS = "socks5://" + c.SOCKS
		}
		if strings.EqualFold(v["ReversedException"], "true") {
			// "Use the proxy only for these hosts": not supported, so nothing is bypassed
			// rather than everything.
			break
		}
		c.Bypass = splitList(v["NoProxyFor"])
	case "2":
		c.PACURL = v["Proxy Config Script"]
	case "3":
		c.AutoDetect = true
	}
	return c
}

// parseScutil reads `scutil --proxy` (macOS: System Settings → Network → Proxies).
func parseScutil(out string) Config {
	c := Config{Source: "macOS network settings"}
	v := map[string]string{}
	var exceptions []string
	inExceptions := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if inExceptions {
			if line == "}" {
				inExceptions = false
				continue
			}
			if _, val, ok := strings.Cut(line, " : "); ok {
				exceptions = append(exceptions, strings.TrimSpace(val))
			}
			continue
		}
		k, val, ok := strings.Cut(line, " : ")
		if !ok {
			continue
		}
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if k == "ExceptionsList" && strings.HasPrefix(val, "<array>") {
			inExceptions = true
			continue
		}
		v[k] = val
	}
	on := func(k string) bool { return v[k] == "1" }
	hp := func(host, port string) string {
		if v[host] == "" {
			return ""
		}
		if v[port] == "" {
			return v[host]
		}
		return net.JoinHostPort(v[host], v[port])
	}
	if on("HTTPEnable") {
		c.HTTP = hp("HTTPProxy", "HTTPPort")
	}
	if on("HTTPSEnable") {
		c.HTTPS = hp("HTTPSProxy", "HTTPSPort")
	}
	if on("SOCKSEnable") {
		if s := hp("SOCKSProxy", "SOCKSPort"); s != "" {
			c.SOCKS = "socks5://" + s
		}
	}
	if on("ProxyAutoConfigEnable") {
		c.PACURL = v["ProxyAutoConfigURLString"]
	}
	if on("ProxyAutoDiscoveryEnable") && c.PACURL == "" {
		c.AutoDetect = true
	}
	c.Bypass = exceptions
	if on("ExcludeSimpleHostnames") {
		c.Bypass = append(c.Bypass, "<local>")
	}
	return c
}
