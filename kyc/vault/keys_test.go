package vault

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestKeyCreateAndReuse(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	v := newTestVault(t, f, nil)
	if _, err := v.Key(ctx, KeyHistoryData, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Key(create=false) on empty keyring = %v", err)
	}
	k1, err := v.Key(ctx, KeyHistoryData, true)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("Key = %x, %v", k1, err)
	}
	k2, err := v.Key(ctx, KeyHistoryData, false)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("reread = %x, %v", k2, err)
	}
	k3, err := v.Key(ctx, KeyHistoryIndex, true)
	if err != nil || bytes.Equal(k1, k3) {
		t.Fatalf("index key = %x, %v", k3, err)
	}
	if _, ok := f.data[Service+"/"+KeyHistoryData]; !ok {
		t.Fatal("not stored under service kycdesk")
	}
	if err := v.DeleteKey(ctx, KeyHistoryData); err != nil {
		t.Fatal(err)
	}
	if err := v.DeleteKey(ctx, KeyHistoryData); err != nil {
		t.Fatalf("second delete = %v", err)
	}
	if _, err := v.Key(ctx, KeyHistoryData, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete = %v", err)
	}
}

func TestKeyRefusesBadNamesAndCorruptValues(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	v := newTestVault(t, f, nil)
	for _, name := range []string{"", "Prod", "history-data", "History-Data-Key", "a--key"} {
		if _, err := v.Key(ctx, name, true); !errors.Is(err, ErrKeyring) {
			t.Errorf("Key(%q) = %v", name, err)
		}
	}
	if err := v.DeleteKey(ctx, "Prod"); !errors.Is(err, ErrKeyring) {
		t.Errorf("DeleteKey(Prod) = %v", err)
	}
	f.data[Service+"/"+KeyHistoryData] = "not base64!"
	if _, err := v.Key(ctx, KeyHistoryData, true); !errors.Is(err, ErrKeyring) {
		t.Fatalf("corrupt key = %v", err)
	}
	if f.data[Service+"/"+KeyHistoryData] != "not base64!" {
		t.Fatal("corrupt key was replaced")
	}
	f.err = ErrLocked
	if _, err := v.Key(ctx, KeyHistoryIndex, true); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked = %v", err)
	}
}

func TestKeySetFailure(t *testing.T) {
	v := newTestVault(t, &setFails{newFake()}, nil)
	if _, err := v.Key(context.Background(), KeyHistoryData, true); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v", err)
	}
}

type setFails struct{ *fakeBackend }

func (s *setFails) Set(string, string, string) error { return ErrAccessDenied }
