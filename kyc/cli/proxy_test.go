package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kycdesk/kyc/proxy/proxytest"
	"kycdesk/kyc/sandbox"
)

// A profile that goes through an authenticating proxy, end to end through the
// commands: the gateway (a standalone sandbox, plain http as on an outlet's LAN) is
// named gateway.lan, which only the proxy can reach (it maps every host to loopback).
func TestProxyProfileEndToEnd(t *testing.T) {
	h := newHarness(t)
	_, gw, stop, err := sandbox.StartLoopback(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	u, _ := url.Parse(gw)
	server := "http://gateway.lan:" + u.Port()
	p, err := proxytest.Start(proxytest.Options{User: "kasir1", Password: "Proxy-Pw-777"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	if code, _, errOut := h.run("", "profile", "add", "Outlet", "--server", server, "--proxy", p.URL().String()); code != ExitOK {
		t.Fatalf("profile add --proxy: %s", errOut)
	}
	if code, _, errOut := h.run("", "profile", "add", "Bad", "--server", server, "--proxy", "http://kasir1:pw@proxy:8080"); code != ExitUsage ||
		strings.Contains(errOut, "pw@") {
		t.Fatalf("credentials in the proxy field accepted: %d %s", code, errOut)
	}
	if code, _, _ := h.run(sandbox.DefaultToken, "token", "set", "--profile", "Outlet"); code != ExitOK {
		t.Fatal("token set")
	}
	selfie := h.selfie()

	code, m := h.runJSON("liveness", "--profile", "Outlet", "--image", selfie)
	msg, _ := m["error"].(map[string]any)["message"].(string)
	if code != ExitFailed || errKind(m) != "connection" || m["outcome"] != "failed" || !strings.Contains(msg, "requires a user name and password") ||
		!strings.Contains(msg, p.Addr()) {
		t.Fatalf("without credentials: %d %v", code, m)
	}

	if code, out, errOut := h.run("Proxy-Pw-777\n", "proxy", "set", "--profile", "Outlet", "--user", "kasir1"); code != ExitOK ||
		strings.Contains(out+errOut, "Proxy-Pw-777") || !strings.Contains(out, p.Addr()) {
		t.Fatalf("proxy set: %d %q %q", code, out, errOut)
	}
	code, st := h.runJSON("proxy", "status", "--profile", "Outlet")
	if code != ExitOK || st["proxy"] != p.URL().String() || st["credentials"] != true || st["user"] != "kasir1" || st["via"] != "profile" {
		t.Fatalf("proxy status: %d %v", code, st)
	}
	code, m = h.runJSON("liveness", "--profile", "Outlet", "--image", selfie)
	if code != ExitOK || m["live"] != true {
		t.Fatalf("through the proxy: %d %v", code, m)
	}
	if p.Forwards.Load() != 2 {
		t.Errorf("proxy forwarded %d requests, want 2", p.Forwards.Load())
	}
	code, list, _ := h.run("", "profile", "list", "--json")
	if code != ExitOK || !strings.Contains(list, `"proxy": "`+p.URL().String()+`"`) {
		t.Fatalf("profile list: %s", list)
	}
	if code, out, _ := h.run("", "profile", "list"); code != ExitOK || !strings.Contains(out, "PROXY") || !strings.Contains(out, "system") {
		t.Fatalf("profile list table: %s", out)
	}

	// The proxy is down: a clear connection error naming it, nothing billed.
	down := "http://" + refused(t)
	if code, _, _ := h.run("", "profile", "add", "Down", "--server", server, "--proxy", down); code != ExitOK {
		t.Fatal("profile add")
	}
	h.env["KYCDESK_TOKEN"] = sandbox.DefaultToken
	code, m = h.runJSON("liveness", "--profile", "Down", "--image", selfie)
	msg, _ = m["error"].(map[string]any)["message"].(string)
	if code != ExitFailed || errKind(m) != "connection" || !strings.Contains(msg, "cannot connect to the proxy "+down) {
		t.Fatalf("proxy down: %d %v", code, m)
	}
	delete(h.env, "KYCDESK_TOKEN")

	if code, out, _ := h.run("", "proxy", "clear", "--proxy", p.Addr()); code != ExitOK || !strings.Contains(out, "removed") {
		t.Fatalf("proxy clear: %d %s", code, out)
	}
	if code, _, errOut := h.run("", "proxy", "set", "--profile", "Sandbox", "--user", "x"); code != ExitUsage || !strings.Contains(errOut, "does not use a proxy") {
		t.Fatalf("set on a direct profile: %d %s", code, errOut)
	}
	if code, _, _ := h.run("pw", "proxy", "set", "--proxy", "proxy.corp:8080", "--user", "a:b"); code != ExitUsage {
		t.Fatal("a user name with a colon accepted")
	}
}

func TestFleetCommands(t *testing.T) {
	h := newHarness(t)
	good := filepath.Join(h.dir, "fleet.json")
	if err := os.WriteFile(good, []byte(`{"default": "Production", "profiles": [
		{"name": "Production", "server_url": "https://ekyc.example.co.id/widekyc", "proxy": "system"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(h.dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"profiles": [{"name": "P", "server_url": "https://x.example", "token": "leaked-123"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := h.run("", "fleet", "check", good); code != ExitOK || !strings.Contains(out, "Production (default)") {
		t.Fatalf("check good: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := h.run("", "fleet", "check", bad); code != ExitUsage || !strings.Contains(errOut, "token") || strings.Contains(errOut, "leaked-123") {
		t.Fatalf("check bad: %d %s", code, errOut)
	}
	dst := filepath.Join(h.dir, "ProgramData", "KYCDesk", "profiles.json")
	if code, _, errOut := h.run("", "fleet", "install", bad, "--to", dst); code != ExitUsage {
		t.Fatalf("installed a bad file: %s", errOut)
	}
	if code, out, errOut := h.run("", "fleet", "install", good, "--to", dst); code != ExitOK || !strings.Contains(out, dst) {
		t.Fatalf("install: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(dst); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := h.run("", "fleet", "remove", "--to", dst, "--user-data"); code != ExitUsage || !strings.Contains(errOut, "--yes") {
		t.Fatalf("remove --user-data without --yes: %d %s", code, errOut)
	}
	code, m := h.runJSON("fleet", "remove", "--to", dst)
	if code != ExitOK || m["fleet_file_removed"] != true {
		t.Fatalf("remove: %d %v", code, m)
	}
	if code, _, _ := h.run("", "fleet", "check", filepath.Join(h.dir, "missing.json")); code != ExitUsage {
		t.Fatal("missing file")
	}
}
