//go:build linux

package faulttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// keyringScript runs inside a private D-Bus session with an unlocked gnome-keyring
// (kyc/vault/testdata/with-keyring.sh): a token in the real Secret Service, one
// call, then the keyring locked, then its daemon gone, a call after each.
const keyringScript = `set -u
k=$KYCDESK_BIN_UNDER_TEST
call() { "$k" liveness --image "$IMG" --force --consent --json --ref "$1" >"$OUT/$1.json" 2>"$OUT/$1.err"; echo "$1=$?" >>"$OUT/codes"; }
"$k" profile add Shop --server "$URL" >/dev/null || exit 90
printf 'sandbox-demo-token' | "$k" token set --profile Shop >/dev/null || exit 91
"$k" profile use Shop >/dev/null || exit 92
call kr-ok
dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
	org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >"$OUT/lock.log" 2>&1 || exit 93
call kr-locked
pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetConnectionUnixProcessID \
	string:org.freedesktop.secrets | awk '/uint32/ {print $2}')
[ -n "$pid" ] || exit 94
kill "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
call kr-gone
`

// TestKeyringLockedOrGone: the real Secret Service locked, then gone, while the
// merchant works: each call says so (exit 4), nothing reaches the gateway, and no
// token is taken from anywhere else.
func TestKeyringLockedOrGone(t *testing.T) {
	needBinary(t)
	for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon", "dbus-send"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("KYCDESK_REAL_KEYRING") == "1" {
				t.Fatalf("%s is missing but KYCDESK_REAL_KEYRING=1 promised a Secret Service (.ci/deps.sh installs it)", tool)
			}
			t.Skipf("%s is missing: the keyring fault test needs a real Secret Service", tool)
		}
	}
	sb := startSandbox(t, 0)
	img := selfie(t)
	out := t.TempDir()
	home := filepath.Join(t.TempDir(), "home")
	d := newDesk(t, home)
	script := filepath.Join(out, "keyring.sh")
	if err := os.WriteFile(script, []byte(keyringScript), 0o700); err != nil {
		t.Fatal(err)
	}
	wrapper, _ := filepath.Abs("../vault/testdata/with-keyring.sh")
	cmd := exec.Command("sh", wrapper, "bash", script)
	// A fresh environment: no KYCDESK_TOKEN (the keyring is the only token source),
	// and with-keyring.sh starts its own bus even when the tests run inside one.
	cmd.Env = append(d.env, "KYCDESK_BIN_UNDER_TEST="+bin, "IMG="+img, "URL="+sb.url, "OUT="+out)
	cmd.Env = filterEnv(cmd.Env, "DBUS_SESSION_BUS_ADDRESS", "KYCDESK_IN_PRIVATE_BUS")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("keyring script: %v\n%s", err, b)
	}
	codes, _ := os.ReadFile(filepath.Join(out, "codes"))
	read := func(name string) string { b, _ := os.ReadFile(filepath.Join(out, name)); return string(b) }
	if !strings.Contains(string(codes), "kr-ok=0") {
		t.Fatalf("call with the keyring open: %s\n%s%s", codes, read("kr-ok.json"), read("kr-ok.err"))
	}
	for _, ref := range []string{"kr-locked", "kr-gone"} {
		got := read(ref + ".json")
		if !strings.Contains(string(codes), ref+"=4") || !strings.Contains(got, `"kind": "unauthorized"`) ||
			!strings.Contains(got, "keyring") || !strings.Contains(got, `"attempts": 0`) {
			t.Errorf("%s: %s\n%s%s", ref, codes, got, read(ref+".err"))
		}
		if strings.Contains(got, "sandbox-demo-token") {
			t.Errorf("%s: the token appears in the output", ref)
		}
		if len(sb.answers(t)[ref]) != 0 {
			t.Errorf("%s reached the gateway", ref)
		}
	}
	t.Logf("locked: %s", firstLine(read("kr-locked.json"), `"message"`))
	t.Logf("gone:   %s", firstLine(read("kr-gone.json"), `"message"`))
	refs := refsOf(d.exportRows())
	if refs["kr-ok"] != "success" || refs["kr-locked"] != "failed" || refs["kr-gone"] != "failed" {
		t.Errorf("records: %v", refs)
	}
}

func filterEnv(env []string, drop ...string) []string {
	out := env[:0:0]
	for _, kv := range env {
		keep := true
		for _, d := range drop {
			if strings.HasPrefix(kv, d+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

func firstLine(s, containing string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, containing) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
