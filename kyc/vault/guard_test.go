package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestKeyringTimeoutAndStuckPrompt(t *testing.T) {
	f := newFake()
	f.block = make(chan struct{})
	defer close(f.block)
	dir := t.TempDir()
	v, err := New(Options{Dir: dir, SystemFile: dir + "/none", Backend: f, KeyringTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = v.Token(context.Background(), "Prod")
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
	// The first call is still stuck in the backend: the next one must not
	// start a second goroutine but fail after the timeout.
	err = v.SetToken(context.Background(), "Prod", "abcdef-123456")
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "still waiting") {
		t.Fatalf("second call err = %v", err)
	}
	if f.callCount() != 1 {
		t.Fatalf("backend entered %d times, want 1", f.callCount())
	}
	var e *Error
	if !errors.As(err, &e) || e.Backend != "Fake Keyring" || e.Code != CodeTimeout {
		t.Fatalf("error = %#v", err)
	}
}

func TestKeyringContextCancel(t *testing.T) {
	f := newFake()
	f.block = make(chan struct{})
	defer close(f.block)
	v := newTestVault(t, f, nil)
	_ = v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := v.Token(ctx, "Prod"); !errors.Is(err, ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// Slot still held by the stuck call; a cancelled context fails fast.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := v.Token(ctx2, "Prod"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestKeyringErrorsAreTyped(t *testing.T) {
	cases := []struct {
		backendErr error
		want       error
	}{
		{keyring.ErrNotFound, ErrNotFound},
		{keyring.ErrSetDataTooBig, ErrTokenTooLong},
		{keyring.ErrUnsupportedPlatform, ErrUnavailable},
		{errPreflight, ErrUnavailable},
		{fmt.Errorf("wrapped: %w", ErrLocked), ErrLocked},
		{ErrAccessDenied, ErrAccessDenied},
		{context.DeadlineExceeded, ErrTimeout},
		{errors.New("something odd"), ErrKeyring},
	}
	for _, c := range cases {
		f := newFake()
		f.err = c.backendErr
		v := newTestVault(t, f, nil)
		_ = v.SaveProfile(Profile{Name: "Prod", ServerURL: "https://gw.example.id"})
		err := v.SetToken(context.Background(), "Prod", "secret-token-value")
		if !errors.Is(err, c.want) {
			t.Errorf("backend %v: got %v, want %v", c.backendErr, err, c.want)
			continue
		}
		if !errors.Is(err, c.backendErr) {
			t.Errorf("cause not wrapped: %v", err)
		}
		if strings.Contains(err.Error(), "secret-token-value") {
			t.Errorf("token in error: %v", err)
		}
		var e *Error
		errors.As(err, &e)
		if e.Message("en") == "" || e.Message("id") == "" || e.Message("en") == e.Message("id") {
			t.Errorf("messages for %s missing", e.Code)
		}
		if CodeOf(err) != e.Code {
			t.Errorf("CodeOf = %q", CodeOf(err))
		}
	}
	if CodeOf(errors.New("x")) != "" {
		t.Error("CodeOf plain error")
	}
}

func TestEveryCodeHasMessages(t *testing.T) {
	for code := range sentinels {
		m, ok := messages[code]
		if !ok || m.en == "" || m.id == "" {
			t.Errorf("code %s lacks a message", code)
		}
	}
	e := &Error{Code: "made_up"}
	if e.Message("en") != messages[CodeKeyring].en || e.Error() == "" {
		t.Error("unknown code should fall back")
	}
	e = &Error{Code: CodeLocked, Op: "get"}
	if !strings.HasSuffix(e.Error(), "[get]") {
		t.Errorf("Error() = %q", e.Error())
	}
}
