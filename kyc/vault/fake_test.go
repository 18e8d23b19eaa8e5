package vault

import (
	"sync"
	"testing"

	"github.com/zalando/go-keyring"
)

// fakeBackend is an in-memory keyring that can fail or block on demand.
type fakeBackend struct {
	mu    sync.Mutex
	data  map[string]string
	err   error         // returned by every call when set
	block chan struct{} // when non-nil, calls wait until it is closed
	calls int
}

func newFake() *fakeBackend { return &fakeBackend{data: map[string]string{}} }

func (f *fakeBackend) Name() string { return "Fake Keyring" }

func (f *fakeBackend) enter() error {
	f.mu.Lock()
	f.calls++
	block, err := f.block, f.err
	f.mu.Unlock()
	if block != nil {
		<-block
	}
	return err
}

func (f *fakeBackend) Get(service, user string) (string, error) {
	if err := f.enter(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.data[service+"/"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeBackend) Set(service, user, secret string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data[service+"/"+user] = secret
	return nil
}

func (f *fakeBackend) Delete(service, user string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.data[service+"/"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.data, service+"/"+user)
	return nil
}

// newTestVault returns a vault in a temp dir with no system file, the given
// backend and environment.
func newTestVault(t *testing.T, b Backend, env map[string]string) *Vault {
	t.Helper()
	dir := t.TempDir()
	v, err := New(Options{
		Dir:        dir,
		SystemFile: dir + "/no-system-profiles.json",
		Backend:    b,
		Getenv:     func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// callCount is calls, read under the lock (a stuck call's goroutine may still be
// running).
func (f *fakeBackend) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}
