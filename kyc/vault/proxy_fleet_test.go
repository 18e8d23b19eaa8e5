package vault

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProfileProxyField(t *testing.T) {
	v := newTestVault(t, newFake(), nil)
	for _, px := range []string{"", "system", "direct", "http://proxy.corp:8080", "proxy.corp:3128", "socks5://s:1080"} {
		p := Profile{Name: "P", ServerURL: "https://gw.example.id", Proxy: px}
		if err := v.SaveProfile(p); err != nil {
			t.Fatalf("%q: %v", px, err)
		}
		got, _ := v.Profile("P")
		if got.Proxy != px {
			t.Errorf("round trip %q → %q", px, got.Proxy)
		}
	}
	for _, px := range []string{"http://kasir:secret@proxy:8080", "ftp://proxy:21", "http://proxy:8080/x"} {
		err := v.SaveProfile(Profile{Name: "P", ServerURL: "https://gw.example.id", Proxy: px})
		if !errors.Is(err, ErrProfileInvalid) {
			t.Errorf("%q accepted: %v", px, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("password in error: %v", err)
		}
	}
	p, _ := v.Profile("P")
	if s := p.ProxySetting(); s.String() != "socks5://s:1080" {
		t.Error(s)
	}
}

func TestFleetFileProxyAndCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	writeFile(t, good, `{"default": "Production", "profiles": [
		{"name": "Production", "server_url": "https://ekyc.example.co.id/widekyc", "proxy": "http://proxy.corp:8080"},
		{"name": "Staging", "server_url": "https://stg.example.co.id", "proxy": "direct"}]}`)
	fc, err := CheckSystemFile(good)
	if err != nil || len(fc.Problems) != 0 || len(fc.Profiles) != 2 || fc.Default != "Production" ||
		fc.Profiles[0].Proxy != "http://proxy.corp:8080" || fc.Profiles[0].Source != SourceSystem {
		t.Fatalf("%+v %v", fc, err)
	}
	v, err := New(Options{Dir: filepath.Join(dir, "user"), SystemFile: good, Backend: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := v.Profile("Production"); err != nil || p.ProxySetting().String() != "http://proxy.corp:8080" || !p.ReadOnly() {
		t.Fatalf("%+v %v", p, err)
	}

	cases := map[string]string{
		`{"profiles": [{"name": "A", "server_url": "https://a.example", "token": "abc"}]}`:     "token",
		`{"profiles": [{"name": "A", "server_url": "https://a.example", "proxy": "ftp://x"}]}`: "scheme",
		`{"default": "Nope", "profiles": [{"name": "A", "server_url": "https://a.example"}]}`:  "default",
		`{"profiles": []}`: "no profiles",
		`not json`:         "not valid JSON",
	}
	for content, want := range cases {
		f := filepath.Join(dir, "bad.json")
		writeFile(t, f, content)
		fc, err := CheckSystemFile(f)
		if err != nil || !strings.Contains(strings.Join(fc.Problems, "|"), want) {
			t.Errorf("%s: %+v %v (want a problem with %q)", content, fc.Problems, err, want)
		}
		dst := filepath.Join(dir, "installed", "profiles.json")
		if _, err := InstallSystemFile(f, dst); err == nil {
			t.Errorf("installed a file with problems: %s", content)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Errorf("a refused file was written")
		}
	}
	if _, err := CheckSystemFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}

	dst := filepath.Join(dir, "ProgramData", "KYCDesk", "profiles.json")
	if _, err := InstallSystemFile(good, dst); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(good)
	b, _ := os.ReadFile(dst)
	if string(a) != string(b) {
		t.Error("installed file differs")
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm()&0o004 == 0 {
		t.Errorf("installed file mode %v: every user must be able to read it", fi.Mode())
	}
	if removed, err := RemoveSystemFile(dst); !removed || err != nil {
		t.Fatal(removed, err)
	}
	if _, err := os.Stat(filepath.Dir(dst)); !os.IsNotExist(err) {
		t.Error("empty fleet directory left behind")
	}
	if removed, err := RemoveSystemFile(dst); removed || err != nil {
		t.Error("removing twice", removed, err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestProxyCredentials(t *testing.T) {
	ctx := context.Background()
	fake := newFake()
	v := newTestVault(t, fake, nil)
	u, _ := url.Parse("http://Proxy.Corp:8080")
	if ui, err := v.ProxyAuth(ctx, u); ui != nil || err != nil {
		t.Fatalf("nothing stored: %v %v", ui, err)
	}
	if err := v.SetProxyCredentials(ctx, "proxy.corp:8080", "kasir1", "pa:ss w0rd\n"); err != nil {
		t.Fatal(err)
	}
	if fake.data[ProxyService+"/proxy.corp:8080"] != "kasir1:pa:ss w0rd" {
		t.Errorf("stored %q", fake.data)
	}
	ui, err := v.ProxyAuth(ctx, u)
	if err != nil || ui.Username() != "kasir1" {
		t.Fatal(ui, err)
	}
	if pw, _ := ui.Password(); pw != "pa:ss w0rd" {
		t.Errorf("password %q", pw)
	}
	for _, bad := range [][2]string{{"", "pw-SECRET"}, {"a:b", "pw-SECRET"}, {"a", ""}, {"a", "pw-SECRET\x00y"}} {
		if err := v.SetProxyCredentials(ctx, "proxy.corp:8080", bad[0], bad[1]); err == nil {
			t.Errorf("accepted %q", bad)
		} else if bad[1] != "" && strings.Contains(err.Error(), bad[1]) {
			t.Errorf("password in error %v", err)
		}
	}
	if err := v.SetProxyCredentials(ctx, "ftp://x", "a", "b"); err == nil {
		t.Error("bad proxy address accepted")
	}
	if removed, err := v.ClearProxyCredentials(ctx, "http://proxy.corp:8080/"); !removed || err != nil {
		t.Fatal(removed, err)
	}
	if removed, err := v.ClearProxyCredentials(ctx, "proxy.corp:8080"); removed || err != nil {
		t.Fatal("second clear", removed, err)
	}
	fake.err = ErrLocked
	if _, err := v.ProxyAuth(ctx, u); !errors.Is(err, ErrLocked) {
		t.Errorf("a locked keyring must be an error, not 'no credentials': %v", err)
	}
	// Tokens and proxy credentials do not mix.
	if _, ok := fake.data[Service+"/proxy.corp:8080"]; ok {
		t.Error("stored under the token service")
	}
}
