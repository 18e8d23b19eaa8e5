package history

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"kycdesk/kyc/vault"
)

// memKeys is a KeySource in memory.
type memKeys struct {
	mu   sync.Mutex
	keys map[string][]byte
	err  error // returned by every call when set
}

func newMemKeys() *memKeys { return &memKeys{keys: map[string][]byte{}} }

func (m *memKeys) Key(_ context.Context, name string, create bool) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return nil, m.err
	}
	if k, ok := m.keys[name]; ok {
		return k, nil
	}
	if !create {
		return nil, fmt.Errorf("memKeys %s: %w", name, vault.ErrNotFound)
	}
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	m.keys[name] = k
	return k, nil
}

func (m *memKeys) drop(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, name)
}

// clock is an injectable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // strictly increasing, like real calls
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openTest(t *testing.T, dir string, keys KeySource, c *clock, mod ...func(*Options)) *Store {
	t.Helper()
	opts := Options{Dir: dir, Keys: keys}
	if c != nil {
		opts.Now = c.Now
	}
	for _, m := range mod {
		m(&opts)
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

const (
	testNIK  = "3671012501900004"
	testName = "SITI RAHAYU WIDODO"
)

func validationCall(ref string) Call {
	return Call{Product: "id-validation", CustRefNo: ref, Profile: "Prod", NIK: testNIK,
		Personal: map[string]string{"name": testName, "birth_place": "TANGERANG", "address": "JL MELATI NO 7"}}
}

func okCompletion(trx string) func(context.Context) Completion {
	return func(context.Context) Completion {
		return Completion{Outcome: OutcomeSuccess, HTTPStatus: 200, Attempts: 1, TrxID: trx, RefID: "R-" + trx,
			GatewayTimestamp: 1680060646134, Personal: map[string]string{"full_name": "true", "selfie_photo": "10"}}
	}
}

func track(t *testing.T, s *Store, c Call, send func(context.Context) Completion) int64 {
	t.Helper()
	id, err := s.Track(context.Background(), c, send)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
