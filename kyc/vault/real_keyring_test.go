package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"
)

// EnvRealKeyring enables TestRealKeyring. testdata/with-keyring.sh sets it
// after starting an unlocked gnome-keyring in a private D-Bus session.
const envRealKeyring = "KYCDESK_REAL_KEYRING"

// TestRealKeyring is the one test against the OS keyring. It runs only when
// KYCDESK_REAL_KEYRING=1 (it would otherwise write to, or pop up prompts
// from, the developer's own keyring). With the variable set, a keyring that
// cannot be reached is a failure: the environment promised one.
//
//	kyc/vault/testdata/with-keyring.sh go test -run TestRealKeyring -v ./kyc/vault/
func TestRealKeyring(t *testing.T) {
	if os.Getenv(envRealKeyring) != "1" {
		t.Skip("real keyring test skipped: set " + envRealKeyring + "=1, or on Linux run " +
			"kyc/vault/testdata/with-keyring.sh go test -run TestRealKeyring ./kyc/vault/ " +
			"(needs gnome-keyring and dbus-run-session)")
	}
	ctx := context.Background()
	b := SystemBackend()
	dir := t.TempDir()
	v, err := New(Options{Dir: dir, SystemFile: dir + "/none", Backend: b, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	// Probe: a lookup of a name nobody uses must answer "not found".
	suffix := randomHex(t)
	if _, err := v.Key(ctx, "kycdesk-probe-"+suffix+"-key", false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("%s=1 but the %s is not usable: %v", envRealKeyring, b.Name(), err)
	}

	profile := "kycdesk-test-" + suffix
	if err := v.SaveProfile(Profile{Name: profile, ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = v.ClearToken(context.Background(), profile) })
	const tok = "real-keyring-token-WXYZ"
	if err := v.SetToken(ctx, profile, tok+"\n"); err != nil {
		t.Fatal(err)
	}
	got, err := v.Token(ctx, profile)
	if err != nil || got != tok {
		t.Fatalf("Token = %q, %v", got, err)
	}
	st, err := v.TokenStatus(ctx, profile)
	if err != nil || !st.Stored || st.Where != b.Name() || st.Last4 != "WXYZ" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	// Overwrite, then clear.
	if err := v.SetToken(ctx, profile, tok+"2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.Token(ctx, profile); got != tok+"2" {
		t.Fatalf("after overwrite Token = %q", got)
	}
	if removed, err := v.ClearToken(ctx, profile); err != nil || !removed {
		t.Fatalf("clear = %v, %v", removed, err)
	}
	if _, err := v.Token(ctx, profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after clear = %v", err)
	}

	keyName := "kycdesk-test-" + suffix + "-key"
	t.Cleanup(func() { _ = v.DeleteKey(context.Background(), keyName) })
	k1, err := v.Key(ctx, keyName, true)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("Key = %v", err)
	}
	k2, err := v.Key(ctx, keyName, false)
	if err != nil || string(k1) != string(k2) {
		t.Fatalf("Key reread = %v", err)
	}

	// Proxy credentials: their own service, keyed by the proxy's host:port.
	proxyAddr := "proxy-" + suffix + ".test:3128"
	t.Cleanup(func() { _, _ = v.ClearProxyCredentials(context.Background(), proxyAddr) })
	if err := v.SetProxyCredentials(ctx, "http://"+proxyAddr, "kasir1", "real-proxy-pw"); err != nil {
		t.Fatal(err)
	}
	if u, pw, err := v.ProxyCredentials(ctx, proxyAddr); err != nil || u != "kasir1" || pw != "real-proxy-pw" {
		t.Fatalf("ProxyCredentials = %q %q %v", u, pw, err)
	}
	if removed, err := v.ClearProxyCredentials(ctx, proxyAddr); err != nil || !removed {
		t.Fatalf("clear proxy credentials = %v, %v", removed, err)
	}
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
