package vault

import (
	"context"
	"errors"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name every secret of KYC Desk is stored under.
const Service = "kycdesk"

// DefaultKeyringTimeout bounds every keyring call.
const DefaultKeyringTimeout = 3 * time.Second

// Backend is the keyring as this package needs it. The default is the OS
// keyring through go-keyring; tests inject fakes that block, lock or fail.
// Get must return an error matching keyring.ErrNotFound (or ErrNotFound)
// when nothing is stored.
type Backend interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
	// Name is where secrets live, for status displays: "Secret Service",
	// "Windows Credential Manager", "macOS Keychain".
	Name() string
}

// SystemBackend returns the OS keyring. On Linux it first checks that a
// session bus exists, because go-keyring would otherwise run dbus-launch and
// leave a private bus and keyring daemon behind that nobody can unlock.
func SystemBackend() Backend {
	return goKeyring{name: platformKeyringName, preflight: platformPreflight}
}

// GoKeyringBackend returns go-keyring without the platform pre-flight check;
// with keyring.MockInit() it is an in-memory keyring for tests.
func GoKeyringBackend() Backend { return goKeyring{name: platformKeyringName} }

type goKeyring struct {
	name      string
	preflight func() error
}

func (g goKeyring) Name() string { return g.name }

func (g goKeyring) Get(service, user string) (string, error) {
	if g.preflight != nil {
		if err := g.preflight(); err != nil {
			return "", err
		}
	}
	return keyring.Get(service, user)
}

func (g goKeyring) Set(service, user, secret string) error {
	if g.preflight != nil {
		if err := g.preflight(); err != nil {
			return err
		}
	}
	return keyring.Set(service, user, secret)
}

func (g goKeyring) Delete(service, user string) error {
	if g.preflight != nil {
		if err := g.preflight(); err != nil {
			return err
		}
	}
	return keyring.Delete(service, user)
}

// errPreflight marks "no keyring service reachable" detected before calling
// go-keyring.
var errPreflight = errors.New("no session D-Bus (DBUS_SESSION_BUS_ADDRESS unset and no /run/user/<uid>/bus)")

// guard runs keyring calls with a timeout, one at a time.
type guard struct {
	backend Backend
	timeout time.Duration
	sem     chan struct{}
}

func newGuard(b Backend, timeout time.Duration) *guard {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return &guard{backend: b, timeout: timeout, sem: make(chan struct{}, 1)}
}

// do runs fn in a goroutine and waits at most the timeout (and ctx). A call
// that times out keeps its slot until the backend finally returns, so a
// prompt left open makes later calls fail fast with CodeTimeout rather than
// stacking goroutines behind it. The error is classified into an *Error.
func (g *guard) do(ctx context.Context, op, subject string, fn func(Backend) error) error {
	timer := time.NewTimer(g.timeout)
	defer timer.Stop()
	select {
	case g.sem <- struct{}{}:
	case <-timer.C:
		return newErr(CodeTimeout, op, subject, g.backend.Name(), errors.New("a previous keyring request is still waiting"))
	case <-ctx.Done():
		return newErr(CodeTimeout, op, subject, g.backend.Name(), ctx.Err())
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-g.sem }()
		done <- fn(g.backend)
	}()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		return newErr(classify(err), op, subject, g.backend.Name(), err)
	case <-timer.C:
		return newErr(CodeTimeout, op, subject, g.backend.Name(), errors.New("no answer within "+g.timeout.String()))
	case <-ctx.Done():
		return newErr(CodeTimeout, op, subject, g.backend.Name(), ctx.Err())
	}
}

// classify maps a backend error to a Code: the portable errors first, then
// the platform's own (classifyPlatform, per OS).
func classify(err error) Code {
	switch {
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return CodeTokenTooLong
	case errors.Is(err, keyring.ErrUnsupportedPlatform), errors.Is(err, errPreflight), errors.Is(err, ErrUnavailable):
		return CodeUnavailable
	case errors.Is(err, ErrLocked):
		return CodeLocked
	case errors.Is(err, ErrAccessDenied):
		return CodeAccessDenied
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return CodeTimeout
	}
	return classifyPlatform(err)
}
