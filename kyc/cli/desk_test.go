package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

func TestConsentRequiredByDefault(t *testing.T) {
	h := newHarness(t)
	h.noConsent = true
	code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie())
	msg, _ := m["error"].(map[string]any)["message"].(string)
	if code != ExitUsage || errKind(m) != "consent_required" || m["attempts"].(float64) != 0 || !strings.Contains(msg, "--consent") {
		t.Fatalf("without --consent: %d %v", code, m)
	}
	if _, m := h.runJSON("history"); m["count"].(float64) != 0 {
		t.Fatalf("a refused call was recorded: %v", m)
	}
	h.noConsent = false
	if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
		t.Fatal(m)
	}
	_, m = h.runJSON("history")
	rec := m["records"].([]any)[0].(map[string]any)
	if rec["consent_at"] == nil || rec["consent_version"].(float64) != 1 || rec["consent_user"] == "" ||
		!strings.Contains(rec["consent_text"].(string), "data biometrik") {
		t.Fatalf("consent not on record: %v", rec)
	}
	// The merchant turns the requirement off: no consent needed, none recorded.
	if code, out, errOut := h.run("", "settings", "set", "--consent-required=false"); code != ExitOK {
		t.Fatal(out, errOut)
	}
	h.noConsent = true
	if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
		t.Fatal(m)
	}
}

// TestDamagedSettingsAsANewUserMeetsThem: settings.json damaged by hand; every
// command says so and how to repair, nothing is purged, paid calls wait for the
// repair, and the repair works as written.
func TestDamagedSettingsAsANewUserMeetsThem(t *testing.T) {
	h := newHarness(t)
	if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
		t.Fatal(m)
	}
	path := filepath.Join(h.home, "settings.json")
	if err := os.WriteFile(path, []byte(`{"retention_days": "365"`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := h.run("", "history")
	if code != ExitInternal || !strings.Contains(errOut, "settings.json is damaged") || !strings.Contains(errOut, "kycdesk settings set --retention-days") ||
		!strings.Contains(out, "passive-liveness") {
		t.Fatalf("history with damaged settings: %d\n%s\n%s", code, out, errOut)
	}
	code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie())
	if code != ExitUsage || errKind(m) != "settings_invalid" || m["attempts"].(float64) != 0 {
		t.Fatalf("call with damaged settings: %d %v", code, m)
	}
	if code, _, errOut := h.run("", "settings"); code != ExitInternal || !strings.Contains(errOut, "damaged") {
		t.Fatalf("settings show: %d %s", code, errOut)
	}
	if code, _, errOut := h.run("", "settings", "set", "--keep-images=true"); code != ExitUsage || !strings.Contains(errOut, "--retention-days") {
		t.Fatalf("a repair without the retention: %d %s", code, errOut)
	}
	if code, out, errOut := h.run("", "settings", "set", "--retention-days", "365"); code != ExitOK || !strings.Contains(out, "365 days") {
		t.Fatalf("repair: %d %s %s", code, out, errOut)
	}
	if kept, _ := filepath.Glob(path + ".damaged-*"); len(kept) != 1 {
		t.Fatalf("damaged file not kept: %v", kept)
	}
	if code, m := h.runJSON("history"); code != ExitOK || m["count"].(float64) != 1 {
		t.Fatalf("after repair: %d %v", code, m)
	}
	if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
		t.Fatal(m)
	}
	if code, _, errOut := h.run("", "settings", "set", "--retention-days", "0"); code != ExitUsage || !strings.Contains(errOut, "1–3650") {
		t.Fatalf("bad retention: %d %s", code, errOut)
	}
}

// TestServerWithNoProfileWalkthrough follows every message from "KYCDESK_SERVER
// points at a gateway no profile has" to a working call.
func TestServerWithNoProfileWalkthrough(t *testing.T) {
	h := newHarness(t)
	_, url, stop, err := sandbox.StartLoopback(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop(context.Background())
	h.env[EnvServer] = url
	selfie := h.selfie()

	code, m := h.runJSON("liveness", "--image", selfie)
	msg, _ := m["error"].(map[string]any)["message"].(string)
	if code != ExitUnauthorized || !strings.Contains(msg, "kycdesk profile add NAME --server "+url) || strings.Contains(msg, "Sandbox") {
		t.Fatalf("step 1: %d %s", code, msg)
	}
	code, out, errOut := h.run("", "profile", "add", "Shop", "--server", url)
	if code != ExitOK || !strings.Contains(out, `kycdesk token set --profile "Shop"`) {
		t.Fatalf("step 2: %d %s %s", code, out, errOut)
	}
	// Before the token: the message names the matching profile, not the active Sandbox.
	code, m = h.runJSON("liveness", "--image", selfie)
	msg, _ = m["error"].(map[string]any)["message"].(string)
	if code != ExitUnauthorized || !strings.Contains(msg, `--profile "Shop"`) || strings.Contains(msg, `"Sandbox"`) {
		t.Fatalf("step 3: %d %s", code, msg)
	}
	if code, out, errOut := h.run(sandbox.DefaultToken+"\n", "token", "set", "--profile", "Shop"); code != ExitOK {
		t.Fatalf("step 4: %d %s %s", code, out, errOut)
	}
	if code, out, _ := h.run("", "profile", "use", "Shop"); code != ExitOK {
		t.Fatalf("step 5: %s", out)
	}
	code, m = h.runJSON("liveness", "--image", selfie)
	if code != ExitOK || m["profile"] != "Shop" {
		t.Fatalf("step 6: %d %v", code, m)
	}
	// A token for the active Sandbox profile is refused with a way forward.
	if code, _, errOut := h.run(sandbox.DefaultToken+"\n", "token", "set", "--profile", "Sandbox"); code != ExitUsage || !strings.Contains(errOut, "kycdesk profile add NAME --server URL") {
		t.Fatalf("token set Sandbox: %d %s", code, errOut)
	}
}

func TestShortTokensRefusedReadably(t *testing.T) {
	h := newHarness(t)
	h.env[vault.EnvToken] = "t"
	code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie())
	msg, _ := m["error"].(map[string]any)["message"].(string)
	if code != ExitUnauthorized || !strings.Contains(msg, "shorter than 12") || strings.Contains(msg, "REDACTED") {
		t.Fatalf("KYCDESK_TOKEN=t: %d %s", code, msg)
	}
	delete(h.env, vault.EnvToken)
	h.run("", "profile", "add", "Shop", "--server", "https://gw.example")
	if code, _, errOut := h.run("short\n", "token", "set", "--profile", "Shop"); code != ExitUsage || !strings.Contains(errOut, "shorter than 12") {
		t.Fatalf("token set short: %d %s", code, errOut)
	}
	if code, _, errOut := h.run("", "token", "show"); code != ExitUsage || !strings.Contains(errOut, "token status") {
		t.Fatalf("token show: %d %s", code, errOut)
	}
}

func TestHistoryJSONPagesExactly(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 5; i++ {
		if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie()); code != ExitOK {
			t.Fatal(m)
		}
	}
	seen := map[float64]bool{}
	after := ""
	pages := 0
	for {
		args := []string{"history", "--limit", "2"}
		if after != "" {
			args = append(args, "--after", after)
		}
		code, m := h.runJSON(args...)
		if code != ExitOK {
			t.Fatal(m)
		}
		pages++
		for _, r := range m["records"].([]any) {
			id := r.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("row %v twice", id)
			}
			seen[id] = true
		}
		if m["more"] != true {
			if _, ok := m["next"]; ok {
				t.Fatal("next on the last page")
			}
			break
		}
		after = m["next"].(string)
	}
	if len(seen) != 5 || pages != 3 {
		t.Fatalf("%d rows over %d pages", len(seen), pages)
	}
	if code, _, _ := h.run("", "history", "--after", "not-a-cursor"); code != ExitUsage {
		t.Fatal("bad cursor accepted")
	}
	// Dates: both formats, through one parser; --until includes its day.
	for _, d := range []string{"2020-01-01", "01-01-2020"} {
		if code, m := h.runJSON("history", "--since", d); code != ExitOK || m["count"].(float64) != 5 {
			t.Fatalf("--since %s: %d %v", d, code, m)
		}
	}
	if code, m := h.runJSON("history", "--until", "01-01-2020"); code != ExitOK || m["count"].(float64) != 0 {
		t.Fatalf("--until: %d %v", code, m)
	}
	if code, out, _ := h.run("", "history", "--check"); code != ExitOK || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("--check: %d %s", code, out)
	}
}

func TestExportKeptPhotos(t *testing.T) {
	h := newHarness(t)
	if code, out, errOut := h.run("", "settings", "set", "--keep-images=true"); code != ExitOK {
		t.Fatal(out, errOut)
	}
	if code, m := h.runJSON("liveness", "--server", "sandbox", "--image", h.selfie(), "--ref", "DISPUTE-1"); code != ExitOK {
		t.Fatal(m)
	}
	dir := filepath.Join(h.dir, "photos")
	code, out, errOut := h.run("", "history", "--ref", "DISPUTE-1", "--export-images", dir)
	if code != ExitOK || !strings.Contains(errOut, "Wrote 1 photo") {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "DISPUTE-1-*-passive-liveness-selfie.jpg"))
	if len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	st, _ := os.Stat(files[0])
	if len(b) < 1000 || b[0] != 0xFF || b[1] != 0xD8 || st.Mode().Perm() != 0o600 {
		t.Fatalf("photo: %d bytes, mode %v", len(b), st.Mode().Perm())
	}
	if code, _, errOut := h.run("", "history", "--export-images", dir); code != ExitUsage || !strings.Contains(errOut, "--ref") {
		t.Fatal(errOut)
	}
	// The record lists the photo kept with it.
	if code, m := h.runJSON("history", "--ref", "DISPUTE-1"); code != ExitOK || len(m["records"].([]any)[0].(map[string]any)["images"].([]any)) != 1 {
		t.Fatal(m)
	}
}

func TestHelpMatchesTheCommands(t *testing.T) {
	h := newHarness(t)
	_, out, _ := h.run("", "help")
	for _, c := range commands() {
		if !strings.Contains(out, "  "+c.name) {
			t.Errorf("help lacks %s", c.name)
		}
	}
	if strings.Contains(out, "show or clear") {
		t.Error("help offers `token show`")
	}
	for _, sub := range []string{"set", "status", "clear"} {
		if code, _, errOut := h.run("", "token", sub, "-h"); code != ExitOK {
			t.Errorf("token %s -h: %s", sub, errOut)
		}
	}
}
