package history

import (
	"context"
	"errors"
	"testing"

	"kycdesk/kyc/vault"
)

func TestDataKeyLostThenNewKeysThenRestored(t *testing.T) {
	dir := t.TempDir()
	keys := newMemKeys()
	ctx := context.Background()
	s := openTest(t, dir, keys, nil)
	oldID := track(t, s, validationCall("OLD"), okCompletion("T1"))
	s.Close()

	saved := keys.keys[vault.KeyHistoryData]
	keys.drop(vault.KeyHistoryData) // keyring reset

	s = openTest(t, dir, keys, nil)
	st, err := s.KeyStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Available || st.Generation != 1 || !errors.Is(st.Err, vault.ErrNotFound) || !errors.Is(st.Err, ErrKeyUnavailable) || st.UnreadableRows != 1 {
		t.Fatalf("status = %+v", st)
	}
	// Clear fields still list; personal fields report why, per value.
	r, err := s.Get(ctx, oldID, true)
	if err != nil || r.TrxID != "T1" || r.NIKMasked == "" {
		t.Fatalf("record = %+v, %v", r, err)
	}
	if !errors.Is(r.Personal.Unreadable["nik"], ErrKeyUnavailable) || r.Personal.NIK != "" {
		t.Fatalf("personal = %+v", r.Personal)
	}
	// No personal data can be recorded: the call is refused before sending.
	sent := false
	if _, err := s.Track(ctx, validationCall("NEW"), func(context.Context) Completion { sent = true; return Completion{} }); !errors.Is(err, ErrKeyUnavailable) || sent {
		t.Fatalf("Track without key: %v, sent=%v", err, sent)
	}
	// A call without personal data still works.
	track(t, s, Call{Product: "passive-liveness", CustRefNo: "LIVE"}, okCompletion("T2"))

	if err := s.StartNewKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.StartNewKeys(ctx); err == nil {
		t.Fatal("StartNewKeys with a usable key")
	}
	st, _ = s.KeyStatus(ctx)
	if !st.Available || st.Generation != 2 || st.UnreadableRows != 1 {
		t.Fatalf("status after new keys = %+v", st)
	}
	if _, ok := keys.keys["history-data-g2-key"]; !ok {
		t.Fatal("generation 2 not under its own name")
	}
	newID := track(t, s, validationCall("NEW"), okCompletion("T3"))
	if r, _ := s.Get(ctx, newID, true); r.Personal.NIK != testNIK || r.KeyGeneration != 2 {
		t.Fatalf("new row = %+v", r)
	}
	// Finds only what it can: NIK search under generation 2.
	if p, _ := s.List(ctx, Filter{NIK: testNIK}); len(p.Records) != 1 {
		t.Fatalf("NIK search = %d rows", len(p.Records))
	}

	// The old key comes back (keyring restored): old rows open again.
	keys.keys[vault.KeyHistoryData] = saved
	if err := s.ReloadKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(ctx, oldID, true); r.Personal.NIK != testNIK {
		t.Fatalf("old row after restore = %+v", r.Personal)
	}
	if p, _ := s.List(ctx, Filter{NIK: testNIK}); len(p.Records) != 2 {
		t.Fatalf("NIK search after restore = %d rows", len(p.Records))
	}
}

func TestWrongKeyUnderTheNameIsDetected(t *testing.T) {
	dir := t.TempDir()
	keys := newMemKeys()
	s := openTest(t, dir, keys, nil)
	track(t, s, validationCall("X"), okCompletion("T"))
	s.Close()
	keys.keys[vault.KeyHistoryData] = make([]byte, 32) // someone else's key
	s = openTest(t, dir, keys, nil)
	st, _ := s.KeyStatus(context.Background())
	if st.Available || !errors.Is(st.Err, ErrKeyMismatch) {
		t.Fatalf("status = %+v", st)
	}
}

func TestKeyringLockedAtFirstOpen(t *testing.T) {
	keys := newMemKeys()
	keys.err = vault.ErrLocked
	s := openTest(t, t.TempDir(), keys, nil)
	ctx := context.Background()
	st, _ := s.KeyStatus(ctx)
	if st.Available || st.Generation != 0 || !errors.Is(st.Err, vault.ErrLocked) {
		t.Fatalf("status = %+v", st)
	}
	if _, err := s.Track(ctx, validationCall("A"), okCompletion("T")); !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("Track = %v", err)
	}
	if _, err := s.List(ctx, Filter{NIK: testNIK}); !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("NIK search = %v", err)
	}
	if _, err := s.EraseNIK(ctx, testNIK); !errors.Is(err, vault.ErrLocked) {
		t.Fatalf("EraseNIK = %v", err)
	}
	keys.err = nil // unlocked
	if err := s.ReloadKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.KeyStatus(ctx); !st.Available || st.Generation != 1 {
		t.Fatalf("after unlock = %+v", st)
	}
	track(t, s, validationCall("A"), okCompletion("T"))
}

func TestOpenValidatesOptions(t *testing.T) {
	if _, err := Open(context.Background(), Options{Dir: t.TempDir()}); err == nil {
		t.Fatal("no key source accepted")
	}
	if _, err := newKeySet(1, make([]byte, 16), make([]byte, 32)); err == nil {
		t.Fatal("short key accepted")
	}
}
