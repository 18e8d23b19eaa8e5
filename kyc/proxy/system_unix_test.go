//go:build !windows && !darwin

package proxy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// A real GNOME proxy setting, written with gsettings into a private keyfile backend
// (the way GNOME Settings → Network → Proxy stores it in dconf) and read back.
func TestGNOMESettingsForReal(t *testing.T) {
	if _, err := exec.LookPath("gsettings"); err != nil {
		t.Skip("gsettings not installed (Debian: libglib2.0-bin gsettings-desktop-schemas)")
	}
	env := []string{"XDG_CONFIG_HOME=" + t.TempDir(), "GSETTINGS_BACKEND=keyfile"}
	set := func(args ...string) {
		cmd := exec.Command("gsettings", append([]string{"set"}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("gsettings set %v: %v %s (schema org.gnome.system.proxy missing?)", args, err, out)
		}
	}
	set("org.gnome.system.proxy", "mode", "manual")
	set("org.gnome.system.proxy.https", "host", "gnomeproxy.corp")
	set("org.gnome.system.proxy.https", "port", "3128")
	set("org.gnome.system.proxy", "ignore-hosts", "['localhost', '*.corp.local']")
	c, err := readGNOME(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPS != "gnomeproxy.corp:3128" || len(c.Bypass) != 2 {
		t.Fatalf("%+v", c)
	}
	r := NewResolver(System(), Options{Getenv: noEnv, System: func(context.Context) ([]Config, error) { return []Config{c}, nil }})
	rt, err := r.Route(context.Background(), mustURL(t, "https://ekyc.example.co.id"))
	if err != nil || rt.Proxy == nil || rt.Proxy.Host != "gnomeproxy.corp:3128" || rt.Via != "GNOME settings" {
		t.Fatalf("%v %v", rt, err)
	}

	set("org.gnome.system.proxy", "mode", "none")
	if c, err := readGNOME(context.Background(), env); err != nil || !c.IsZero() {
		t.Fatalf("mode none: %+v %v", c, err)
	}
}

func TestKDESettingsFile(t *testing.T) {
	dir := t.TempDir()
	content := "[Proxy Settings]\nProxyType=1\nhttpsProxy=http://kdeproxy.corp 8080\nNoProxyFor=localhost\n"
	if err := os.WriteFile(filepath.Join(dir, "kioslaverc"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_CURRENT_DESKTOP", "KDE")
	cs, err := systemConfigs(context.Background())
	if err != nil || len(cs) != 1 || cs[0].HTTPS != "http://kdeproxy.corp:8080" {
		t.Fatalf("%+v %v", cs, err)
	}
}
