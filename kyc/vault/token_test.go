package vault

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func mockVault(t *testing.T, env map[string]string) *Vault {
	t.Helper()
	keyring.MockInit()
	v := newTestVault(t, GoKeyringBackend(), env)
	if err := v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTokenLifecycleWithMockKeyring(t *testing.T) {
	ctx := context.Background()
	v := mockVault(t, nil)
	st, err := v.TokenStatus(ctx, "Prod")
	if err != nil || st.Stored || st.Where != "" || st.Last4 != "" {
		t.Fatalf("status before set = %+v, %v", st, err)
	}
	if _, err := v.Token(ctx, "Prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Token before set = %v", err)
	}
	if err := v.SetToken(ctx, "prod", "  tok-abcdef123456\r\n"); err != nil {
		t.Fatal(err)
	}
	tok, err := v.Token(ctx, "Prod")
	if err != nil || tok != "tok-abcdef123456" {
		t.Fatalf("Token = %q, %v", tok, err)
	}
	if got, _ := keyring.Get(Service, "Prod"); got != tok {
		t.Fatalf("stored under service %q user Prod: %q", Service, got)
	}
	tok2, err := v.TokenSource("Prod")(ctx)
	if err != nil || tok2 != tok {
		t.Fatal("TokenSource differs")
	}
	st, err = v.TokenStatus(ctx, "Prod")
	if err != nil || !st.Stored || st.Where != v.KeyringName() || st.Last4 != "3456" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	removed, err := v.ClearToken(ctx, "Prod")
	if err != nil || !removed {
		t.Fatalf("clear = %v, %v", removed, err)
	}
	removed, err = v.ClearToken(ctx, "Prod")
	if err != nil || removed {
		t.Fatalf("second clear = %v, %v", removed, err)
	}
	if _, err := v.ClearToken(ctx, "nobody"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("clear unknown profile = %v", err)
	}
	if err := v.SetToken(ctx, "nobody", "abcdef-123456"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("set unknown profile = %v", err)
	}
	if _, err := v.TokenStatus(ctx, "nobody"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("status unknown profile = %v", err)
	}
}

func TestEnvTokenWins(t *testing.T) {
	ctx := context.Background()
	v := mockVault(t, map[string]string{EnvToken: " env-token-9999\n"})
	if err := v.SetToken(ctx, "Prod", "keyring-token-1111"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"Prod", SandboxName} {
		tok, err := v.Token(ctx, p)
		if err != nil || tok != "env-token-9999" {
			t.Fatalf("Token(%s) = %q, %v", p, tok, err)
		}
		st, err := v.TokenStatus(ctx, p)
		if err != nil || st.Where != SourceEnv || st.Last4 != "9999" || !st.Stored {
			t.Fatalf("status(%s) = %+v, %v", p, st, err)
		}
	}
	bad := mockVault(t, map[string]string{EnvToken: "has space"})
	if _, err := bad.Token(ctx, "Prod"); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("invalid env token = %v", err)
	}
	short := mockVault(t, map[string]string{EnvToken: "t"})
	_, err := short.Token(ctx, "Prod")
	if !errors.Is(err, ErrTokenTooShort) || !strings.Contains(err.Error(), EnvToken) || !strings.Contains(err.Error(), "shorter than 12") {
		t.Fatalf("short env token = %v", err)
	}
}

func TestSandboxHasNoKeyringToken(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	v := newTestVault(t, f, nil)
	if _, err := v.Token(ctx, SandboxName); !errors.Is(err, ErrSandbox) {
		t.Fatalf("Token(Sandbox) = %v", err)
	}
	if err := v.SetToken(ctx, SandboxName, "abcdef-123456"); !errors.Is(err, ErrSandbox) {
		t.Fatalf("SetToken(Sandbox) = %v", err)
	}
	if _, err := v.ClearToken(ctx, SandboxName); !errors.Is(err, ErrSandbox) {
		t.Fatalf("ClearToken(Sandbox) = %v", err)
	}
	st, err := v.TokenStatus(ctx, SandboxName)
	if err != nil || !st.Sandbox || st.Stored {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if f.callCount() != 0 {
		t.Fatalf("keyring called %d times for the sandbox", f.callCount())
	}
}

func TestNormalizeToken(t *testing.T) {
	ok := map[string]string{
		"abcdef-12345":            "abcdef-12345",
		"  abcdef-12345\n":        "abcdef-12345",
		"\tabcdef-12345\r\n":      "abcdef-12345",
		strings.Repeat("x", 2560): strings.Repeat("x", 2560),
		"Bearer-like.token_/+=":   "Bearer-like.token_/+=",
	}
	for in, want := range ok {
		got, err := NormalizeToken(in)
		if err != nil || got != want {
			t.Errorf("NormalizeToken(%q) = %q, %v", in, got, err)
		}
	}
	bad := map[string]error{
		"":                        ErrTokenEmpty,
		" \n\t":                   ErrTokenEmpty,
		"ab c":                    ErrTokenInvalid,
		"ab\x00c":                 ErrTokenInvalid,
		"ab\x1bc":                 ErrTokenInvalid,
		"ab\u0085c":               ErrTokenInvalid,
		"ab\xffc":                 ErrTokenInvalid,
		strings.Repeat("x", 2561): ErrTokenTooLong,
		"t":                       ErrTokenTooShort,
		" abcdef-1234 ":           ErrTokenTooShort,
	}
	for in, want := range bad {
		_, err := NormalizeToken(in)
		if !errors.Is(err, want) {
			t.Errorf("NormalizeToken(%q) = %v, want %v", in, err, want)
		}
		if len(in) > 2 && strings.Contains(err.Error(), in) {
			t.Errorf("error reveals the token: %v", err)
		}
	}
}

func TestTooLongTokenNeverReachesKeyring(t *testing.T) {
	f := newFake()
	v := newTestVault(t, f, nil)
	if err := v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	err := v.SetToken(context.Background(), "Prod", strings.Repeat("t", MaxTokenBytes+1))
	if !errors.Is(err, ErrTokenTooLong) || f.callCount() != 0 {
		t.Fatalf("err = %v, keyring calls = %d", err, f.callCount())
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message("en"), "2560") || !strings.Contains(e.Message("id"), "2560") {
		t.Fatalf("message = %v", err)
	}
}

func TestTokenStatusReportsKeyringFailure(t *testing.T) {
	f := newFake()
	f.err = ErrLocked
	v := newTestVault(t, f, nil)
	if err := v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.TokenStatus(context.Background(), "Prod"); !errors.Is(err, ErrLocked) {
		t.Fatalf("status = %v", err)
	}
	if _, err := v.ClearToken(context.Background(), "Prod"); !errors.Is(err, ErrLocked) {
		t.Fatalf("clear = %v", err)
	}
}

func TestLast4(t *testing.T) {
	for in, want := range map[string]string{"": "", "abcd": "", "abcde": "bcde", "tokénabc€": "nabc€"[1:]} {
		if got := last4(in); got != want {
			t.Errorf("last4(%q) = %q, want %q", in, got, want)
		}
	}
}

// A short token stored by an older version (or another program) is refused on
// read with the same clear message as when it is set.
func TestShortStoredTokenRefusedOnRead(t *testing.T) {
	f := newFake()
	v := newTestVault(t, f, nil)
	if err := v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example"}); err != nil {
		t.Fatal(err)
	}
	f.data[Service+"/Prod"] = "t"
	_, err := v.Token(context.Background(), "Prod")
	if !errors.Is(err, ErrTokenTooShort) || !strings.Contains(err.Error(), `"Prod"`) {
		t.Fatalf("err = %v", err)
	}
}
