package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestParseSetting(t *testing.T) {
	good := map[string]string{
		"":                         "system",
		" System ":                 "system",
		"direct":                   "direct",
		"none":                     "direct",
		"proxy.corp:8080":          "http://proxy.corp:8080",
		"http://Proxy.Corp:3128/":  "http://proxy.corp:3128",
		"https://proxy.corp":       "https://proxy.corp:443",
		"socks5://10.0.0.1:1080":   "socks5://10.0.0.1:1080",
		"http://[2001:db8::1]:808": "http://[2001:db8::1]:808",
	}
	for in, want := range good {
		s, err := Parse(in)
		if err != nil || s.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, s.String(), err, want)
		}
	}
	bad := []string{"ftp://proxy:21", "http://user:pw@proxy:8080", "http://proxy:8080/path", "http://proxy:0",
		"http://proxy:99999", "http://:8080", "http://proxy:80?x=1"}
	for _, in := range bad {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	if k := Key(mustURL(t, "http://Proxy.Corp")); k != "proxy.corp:80" {
		t.Error(k)
	}
}

func TestBypass(t *testing.T) {
	cases := []struct {
		host    string
		pattern string
		want    bool
	}{
		{"intranet", "<local>", true},
		{"gw.example.co.id", "<local>", false},
		{"10.1.2.3", "<local>", false},
		{"gw.corp.local", "*.corp.local", true},
		{"corp.local", "*.corp.local", true},
		{"gw.corp.local", ".corp.local", true},
		{"evilcorp.local", ".corp.local", false},
		{"evilcorp.local", "*.corp.local", false},
		{"10.1.2.3", "10.*", true},
		{"10.1.2.3", "10.0.0.0/8", true},
		{"11.1.2.3", "10.0.0.0/8", false},
		{"169.254.3.4", "169.254/16", true},
		{"gw.example.co.id", "gw.example.co.id", true},
		{"gw.example.co.id", "GW.EXAMPLE.CO.ID:443", true},
		{"sub.gw.example.co.id", "gw.example.co.id", false},
		{"gw.example.co.id", "*example*", true},
		{"anything", "*", true},
		{"localhost", "", true},
		{"127.0.0.5", "", true},
		{"::1", "", true},
	}
	for _, c := range cases {
		if got := Bypassed(c.host, []string{c.pattern}); got != c.want {
			t.Errorf("Bypassed(%q, %q) = %v", c.host, c.pattern, got)
		}
	}
}

func TestWindowsList(t *testing.T) {
	var c Config
	parseWindowsList("proxy.corp:8080", &c)
	if c.HTTP != "proxy.corp:8080" || c.HTTPS != "proxy.corp:8080" {
		t.Errorf("%+v", c)
	}
	c = Config{}
	parseWindowsList("http=web:80;https=secure:8443;socks=sox:1080", &c)
	if c.HTTP != "web:80" || c.HTTPS != "secure:8443" || c.SOCKS != "sox:1080" {
		t.Errorf("%+v", c)
	}
	u, err := c.static(mustURL(t, "https://gw.example.co.id"))
	if err != nil || u.String() != "http://secure:8443" {
		t.Error(u, err)
	}
	c = Config{}
	parseWindowsList("socks=sox:1080", &c)
	u, _ = c.static(mustURL(t, "https://gw.example.co.id"))
	if u == nil || u.String() != "socks5://sox:1080" {
		t.Error(u)
	}
}

const gsettingsManual = `org.gnome.system.proxy autoconfig-url ''
org.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8', '::1', '*.corp.local']
org.gnome.system.proxy mode 'manual'
org.gnome.system.proxy use-same-proxy true
org.gnome.system.proxy.ftp host ''
org.gnome.system.proxy.ftp port 0
org.gnome.system.proxy.http authentication-password ''
org.gnome.system.proxy.http authentication-user ''
org.gnome.system.proxy.http enabled false
org.gnome.system.proxy.http host 'proxy.corp'
org.gnome.system.proxy.http port 3128
org.gnome.system.proxy.http use-authentication false
org.gnome.system.proxy.https host ''
org.gnome.system.proxy.https port 0
org.gnome.system.proxy.socks host ''
org.gnome.system.proxy.socks port 0
`

func TestDesktopParsers(t *testing.T) {
	c := parseGSettings(gsettingsManual)
	if c.HTTP != "proxy.corp:3128" || c.HTTPS != "proxy.corp:3128" || len(c.Bypass) != 4 || c.Bypass[3] != "*.corp.local" {
		t.Errorf("gnome manual: %+v", c)
	}
	c = parseGSettings(strings.ReplaceAll(strings.ReplaceAll(gsettingsManual, "'manual'", "'auto'"),
		"autoconfig-url ''", "autoconfig-url 'http://wpad.corp/proxy.pac'"))
	if c.PACURL != "http://wpad.corp/proxy.pac" || c.HTTP != "" {
		t.Errorf("gnome auto: %+v", c)
	}
	if c := parseGSettings(strings.ReplaceAll(gsettingsManual, "'manual'", "'none'")); !c.IsZero() {
		t.Errorf("gnome none: %+v", c)
	}

	kde := "[General]\nx=1\n\n[Proxy Settings]\nNoProxyFor=localhost,.corp.local\nProxy Config Script=\nProxyType=1\nhttpProxy=http://proxy.corp 3128\nhttpsProxy=http://proxy.corp:3129\nsocksProxy=\n"
	c = parseKioslaverc(kde)
	if c.HTTP != "http://proxy.corp:3128" || c.HTTPS != "http://proxy.corp:3129" || len(c.Bypass) != 2 {
		t.Errorf("kde: %+v", c)
	}
	c = parseKioslaverc("[Proxy Settings]\nProxyType=2\nProxy Config Script=http://wpad/wpad.dat\n")
	if c.PACURL != "http://wpad/wpad.dat" {
		t.Errorf("kde pac: %+v", c)
	}

	mac := `<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  ExcludeSimpleHostnames : 1
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 8080
  HTTPProxy : proxy.corp
  HTTPSEnable : 1
  HTTPSPort : 8443
  HTTPSProxy : proxy.corp
  ProxyAutoConfigEnable : 0
}`
	c = parseScutil(mac)
	if c.HTTPS != "proxy.corp:8443" || c.HTTP != "proxy.corp:8080" || len(c.Bypass) != 3 || c.Bypass[2] != "<local>" {
		t.Errorf("mac: %+v", c)
	}
	u, _ := c.static(mustURL(t, "https://printer"))
	if u != nil {
		t.Error("a plain host name is excluded on macOS with ExcludeSimpleHostnames")
	}
}

func noEnv(string) string { return "" }

func TestResolverModes(t *testing.T) {
	ctx := context.Background()
	gw := mustURL(t, "https://ekyc.example.co.id/widekyc")
	env := map[string]string{"HTTPS_PROXY": "http://envproxy:3128", "NO_PROXY": "*.corp.local"}
	getenv := func(k string) string { return env[k] }
	osCfg := []Config{{Source: "test OS", HTTPS: "osproxy:8080"}}
	sys := func(context.Context) ([]Config, error) { return osCfg, nil }

	r := NewResolver(Setting{Mode: ModeDirect}, Options{Getenv: getenv, System: sys})
	if rt, err := r.Route(ctx, gw); err != nil || !rt.Direct() {
		t.Errorf("direct: %v %v", rt, err)
	}
	s, _ := Parse("http://explicit:8080")
	r = NewResolver(s, Options{Getenv: getenv, System: sys})
	if rt, _ := r.Route(ctx, gw); rt.Proxy.String() != "http://explicit:8080" || rt.Via != "profile" {
		t.Errorf("explicit: %v", rt)
	}
	if rt, _ := r.Route(ctx, mustURL(t, "http://127.0.0.1:8787")); !rt.Direct() {
		t.Errorf("loopback must go direct: %v", rt)
	}
	r = NewResolver(System(), Options{Getenv: getenv, System: sys})
	if rt, _ := r.Route(ctx, gw); rt.Proxy.String() != "http://envproxy:3128" || !strings.Contains(rt.Via, "HTTPS_PROXY") {
		t.Errorf("env first: %v", rt)
	}
	if rt, _ := r.Route(ctx, mustURL(t, "https://gw.corp.local")); !rt.Direct() {
		t.Errorf("NO_PROXY: %v", rt)
	}
	r = NewResolver(System(), Options{Getenv: noEnv, System: sys})
	if rt, _ := r.Route(ctx, gw); rt.Proxy.String() != "http://osproxy:8080" || rt.Via != "test OS" {
		t.Errorf("os settings: %v", rt)
	}
	r = NewResolver(System(), Options{Getenv: noEnv, System: func(context.Context) ([]Config, error) { return nil, errors.New("boom") }})
	if rt, err := r.Route(ctx, gw); err != nil || !rt.Direct() || !strings.Contains(rt.Note, "boom") {
		t.Errorf("unreadable settings: %v %v", rt, err)
	}
	// "Automatically detect settings" (on by default on Windows) on a network without
	// WPAD: direct, and no note about it; a PAC URL that fails is worth a note.
	wpad := func(err error) *Resolver {
		return NewResolver(System(), Options{Getenv: noEnv,
			System:          func(context.Context) ([]Config, error) { return []Config{{Source: "Windows", AutoDetect: true}}, nil },
			FindProxyForURL: func(context.Context, Config, *url.URL) (string, error) { return "", err }})
	}
	if rt, _ := wpad(fmt.Errorf("%w, error 12180", ErrNoPACFound)).Route(ctx, gw); !rt.Direct() || rt.Note != "" {
		t.Errorf("no WPAD: %v", rt)
	}
	if rt, _ := wpad(errors.New("the PAC file has an error")).Route(ctx, gw); !rt.Direct() || !strings.Contains(rt.Note, "has an error") {
		t.Errorf("broken WPAD PAC: %v", rt)
	}
}

const corporatePAC = `
// Outlet network PAC (typical of what IT departments write)
var directDomains = [".corp.local", "intranet.example.co.id"];

function isDirect(host) {
  for (var i = 0; i < directDomains.length; i++) {
    if (dnsDomainIs(host, directDomains[i])) return true;
  }
  return false;
}

function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  if (isPlainHostName(host) || isDirect(host)) {
    return "DIRECT";
  }
  if (isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0") ||
      shExpMatch(host, "*.lan")) {
    return "DIRECT";
  }
  /* gateways go through the secure proxy */
  if (shExpMatch(url, "https://*.example.co.id/*")) {
    return "PROXY secure.corp:8443; DIRECT";
  }
  return (url.substring(0, 5) == "http:") ? "PROXY web.corp:3128" : "SOCKS sox.corp:1080";
}
`

func fakePACEnv() *pacEnv {
	return &pacEnv{
		lookup: func(_ context.Context, host string) ([]net.IP, error) {
			if host == "db.internal.example" {
				return []net.IP{net.ParseIP("10.2.3.4")}, nil
			}
			return nil, errors.New("no such host")
		},
		myIP: func() string { return "192.168.1.20" },
		now:  func() time.Time { return time.Date(2025, 3, 14, 10, 30, 0, 0, time.UTC) }, // a Friday
	}
}

func TestPACEvaluation(t *testing.T) {
	prog, err := parsePAC(corporatePAC)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"https://ekyc.example.co.id/widekyc": "PROXY secure.corp:8443; DIRECT",
		"https://gw.corp.local":              "DIRECT",
		"https://intranet":                   "DIRECT",
		"https://db.internal.example":        "DIRECT",
		"https://box.lan":                    "DIRECT",
		"http://other.example.com/x":         "PROXY web.corp:3128",
		"https://other.example.com":          "SOCKS sox.corp:1080",
	}
	for target, want := range cases {
		got, err := prog.FindProxyForURL(context.Background(), mustURL(t, target), fakePACEnv())
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", target, got, err, want)
		}
	}
	if u, err := parsePACResult("PROXY secure.corp:8443; DIRECT"); err != nil || u.String() != "http://secure.corp:8443" {
		t.Error(u, err)
	}
	if u, err := parsePACResult("SOCKS5 s:1080"); err != nil || u.String() != "socks5://s:1080" {
		t.Error(u, err)
	}
	if u, err := parsePACResult(" DIRECT "); err != nil || u != nil {
		t.Error(u, err)
	}
}

func TestPACLanguage(t *testing.T) {
	run := func(body string) (string, error) {
		prog, err := parsePAC("function FindProxyForURL(url, host) {" + body + "}")
		if err != nil {
			return "", err
		}
		return prog.FindProxyForURL(context.Background(), mustURL(t, "https://a.b.example.com"), fakePACEnv())
	}
	ok := map[string]string{
		`return "PROXY " + host.split(".")[1] + ":" + (8000 + 80);`:                                           "PROXY b:8080",
		`var n = 0; while (true) { n++; if (n >= 3) break; } return "" + n;`:                                  "3",
		`var s = ""; for (var i = 0; i < 5; i++) { if (i % 2) continue; s += i; } return s;`:                  "024",
		`return typeof host + (host.indexOf("example") > 0 ? "!" : "?");`:                                     "string!",
		`return weekdayRange("MON", "FRI") && timeRange(9, 17) ? "PROXY w:1" : "DIRECT";`:                     "PROXY w:1",
		`return weekdayRange("SAT", "SUN", "GMT") ? "DIRECT" : "PROXY we:1";`:                                 "PROXY we:1",
		`return dateRange("MAR") && dateRange(2025) && dateRange(1, 15) ? "yes" : "no";`:                      "yes",
		`return myIpAddress() + " " + dnsDomainLevels(host) + " " + convert_addr("10.0.0.1");`:                "192.168.1.20 3 167772161",
		`return localHostOrDomainIs("www", "www.example.com") === true && !isResolvable("nope") ? "a" : "b";`: "a",
		`return 1 == "1" && null == undefined && !(1 === "1") ? "loose" : "strict";`:                          "loose",
		`var a = [1, 2]; a[2] = 3; return a.length + ":" + a.join("-") + ":" + a.indexOf(2);`:                 "3:1-2-3:1",
		`return host.substr(-11).toUpperCase();`:                                                              "EXAMPLE.COM",
		`alert("x"); return shExpMatch(url, "https://*.example.com/") ? "m" : "n";`:                           "m",
	}
	for body, want := range ok {
		got, err := run(body)
		if err != nil || got != want {
			t.Errorf("%s\n  = %q, %v; want %q", body, got, err, want)
		}
	}
	unsupported := []string{
		`return /x/.test(host) ? "a" : "b";`,
		`var o = {a: 1}; return "x";`,
		`switch (host) { case "a": return "x"; } return "y";`,
		`return new Date().getHours() > 1 ? "a" : "b";`,
		`return host.replace("a", "b");`,
		`return undefinedFunction(host);`,
	}
	for _, body := range unsupported {
		if _, err := run(body); err == nil {
			t.Errorf("accepted: %s", body)
		}
	}
	if _, err := run(`while (true) {} return "x";`); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("an endless loop must stop: %v", err)
	}
	if _, err := parsePAC(`function other() { return "DIRECT"; }`); err == nil {
		t.Error("no FindProxyForURL accepted")
	}
	if _, err := parsePAC("function FindProxyForURL(url, host) {\n  return 'DIRECT'\n  if (\n}"); err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("syntax error without a line: %v", err)
	}
}

// The PAC file is fetched over HTTP, evaluated and cached, the way a desktop setting
// "automatic, from this URL" works.
func TestResolverWithPACFile(t *testing.T) {
	var fetched atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetched.Add(1)
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		_, _ = w.Write([]byte(`function FindProxyForURL(url, host) {
			if (dnsDomainIs(host, ".example.co.id")) return "PROXY pacproxy.corp:8080";
			return "DIRECT"; }`))
	}))
	defer srv.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`function FindProxyForURL(url, host) { return /x/.test(host); }`))
	}))
	defer broken.Close()

	ctx := context.Background()
	cfg := []Config{{Source: "test desktop", PACURL: srv.URL + "/proxy.pac"}}
	r := NewResolver(System(), Options{Getenv: noEnv, System: func(context.Context) ([]Config, error) { return cfg, nil },
		FindProxyForURL: func(ctx context.Context, c Config, target *url.URL) (string, error) {
			return evalPACURL(ctx, c.PACURL, target)
		}})
	rt, err := r.Route(ctx, mustURL(t, "https://ekyc.example.co.id"))
	if err != nil || rt.Proxy == nil || rt.Proxy.Host != "pacproxy.corp:8080" || !strings.Contains(rt.Via, "PAC") {
		t.Fatalf("%v %v", rt, err)
	}
	if rt, _ := r.Route(ctx, mustURL(t, "https://elsewhere.example.com")); !rt.Direct() {
		t.Errorf("%v", rt)
	}
	_, _ = r.Route(ctx, mustURL(t, "https://ekyc.example.co.id"))
	if fetched.Load() != 1 {
		t.Errorf("PAC fetched %d times, want once (cached)", fetched.Load())
	}

	// A PAC file the evaluator cannot run falls back to the static proxy, and says so.
	cfg = []Config{{Source: "test desktop", PACURL: broken.URL + "/p.pac", HTTPS: "static.corp:3128"}}
	r = NewResolver(System(), Options{Getenv: noEnv, System: func(context.Context) ([]Config, error) { return cfg, nil },
		FindProxyForURL: func(ctx context.Context, c Config, target *url.URL) (string, error) {
			return evalPACURL(ctx, c.PACURL, target)
		}})
	rt, err = r.Route(ctx, mustURL(t, "https://ekyc.example.co.id"))
	if err != nil || rt.Proxy == nil || rt.Proxy.Host != "static.corp:3128" || !strings.Contains(rt.Note, "regular expressions") {
		t.Fatalf("fallback: %v %v", rt, err)
	}
}
