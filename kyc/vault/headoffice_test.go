package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sync and head office sections survive profile edits, come from the
// fleet file too, and their passwords live in the keyring only.
func TestHeadOfficeSections(t *testing.T) {
	ctx := context.Background()
	fake := newFake()
	v := newTestVault(t, fake, nil)
	sync := &SyncSection{Server: "10.0.0.5:5432", Database: "kycdesk", User: "kyc_c_out_12_1", Outlet: "OUT-12", Counter: "1"}
	p := Profile{Name: "Produksi", ServerURL: "https://gw.example.co.id", Sync: sync}
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	p.Note = "edited"
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	got, err := v.Profile("produksi")
	if err != nil || got.Sync == nil || *got.Sync != *sync || got.Note != "edited" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if err := v.SaveProfile(Profile{Name: "Bad", ServerURL: "https://x", Sync: &SyncSection{Server: "h"}}); !errors.Is(err, ErrProfileInvalid) {
		t.Fatalf("incomplete section accepted: %v", err)
	}

	if err := v.SetSyncPassword(ctx, "Produksi", "s3cret-pw\n"); err != nil {
		t.Fatal(err)
	}
	if pw, err := v.SyncPassword(ctx, "Produksi"); err != nil || pw != "s3cret-pw" {
		t.Fatalf("password: %q %v", pw, err)
	}
	// A missing password says which command stores it, for this profile (never `token set`
	// about a keyring entry's name).
	_, err = v.HeadOfficePassword(ctx, "Produksi")
	if !errors.Is(err, ErrNotFound) || CodeOf(err) != CodeHeadOfficePasswordMissing {
		t.Fatalf("head office password: %v", err)
	}
	for _, lang := range []string{"en", "id"} {
		m := err.(*Error).Message(lang)
		if !strings.Contains(m, "`kycdesk hq password --profile \"Produksi\"`") || strings.Contains(m, "token set") {
			t.Errorf("%s: %q", lang, m)
		}
	}
	b, _ := os.ReadFile(filepath.Join(v.Dir(), ProfilesFile))
	if strings.Contains(string(b), "s3cret") || !strings.Contains(string(b), `"outlet": "OUT-12"`) {
		t.Fatalf("profiles.json: %s", b)
	}
	if err := v.ClearSyncPassword(ctx, "Produksi"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.SyncPassword(ctx, "Produksi"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "`kycdesk sync password --profile \"Produksi\"`") {
		t.Fatalf("after clear: %v", err)
	}

	// IT's fleet file.
	sys := filepath.Join(t.TempDir(), "fleet.json")
	if err := os.WriteFile(sys, []byte(`{"profiles": [{"name": "Kantor", "server_url": "https://gw.example.co.id",
		"head_office": {"server": "hq-db.example.co.id", "database": "kycdesk", "user": "finance"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	v2, err := New(Options{Dir: t.TempDir(), SystemFile: sys, Backend: fake})
	if err != nil {
		t.Fatal(err)
	}
	k, err := v2.Profile("Kantor")
	if err != nil || k.HeadOffice == nil || k.HeadOffice.User != "finance" || k.Source != SourceSystem {
		t.Fatalf("fleet profile: %+v %v", k, err)
	}
}
