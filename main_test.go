package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zalando/go-keyring"

	"kycdesk/kyc/history"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// TestGUIDepsNeverNil: with a data directory that cannot be used, every dependency
// the window gets is there and answers with the reason, never a nil to panic on
// (the History screen's Export used to panic the process from a goroutine).
func TestGUIDepsNeverNil(t *testing.T) {
	keyring.MockInit()
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(vault.EnvHome, file)
	deps, closeDeps := guiDeps("")
	defer closeDeps()
	if deps.History == nil || deps.Profiles == nil || deps.Connect == nil || deps.Settings == nil || deps.Consent == nil ||
		deps.Problems == nil || deps.Photos == nil || deps.Exporter == nil || deps.LoadSettings == nil || deps.SaveSettings == nil {
		t.Fatalf("a nil dependency: %+v", deps)
	}
	ctx := context.Background()
	if _, err := deps.History.Export(ctx, nil, history.ExportOptions{Format: history.FormatCSV}); !errors.Is(err, service.ErrUnavailable) {
		t.Fatalf("Export = %v", err)
	}
	if _, err := deps.History.List(ctx, history.Filter{}); !errors.Is(err, service.ErrUnavailable) {
		t.Fatalf("List = %v", err)
	}
	if _, err := deps.Connect(vault.Sandbox()); err == nil {
		t.Fatal("connected without a data directory")
	}
	if p := deps.Problems.Problems(ctx); len(p) == 0 || p[0].Code != service.ProblemDataDir {
		t.Fatalf("problems = %+v", p)
	}
}

// TestOldSettingsFormKeepsTheConsentText: today's Settings form saves retention and
// photo keeping only; the consent settings in force survive it.
func TestOldSettingsFormKeepsTheConsentText(t *testing.T) {
	keyring.MockInit()
	t.Setenv(vault.EnvHome, t.TempDir())
	deps, closeDeps := guiDeps("")
	defer closeDeps()
	if err := deps.Settings.SaveSettings(context.Background(), service.Settings{RetentionDays: 90, ConsentRequired: true, ConsentText: "Teks persetujuan toko."}); err != nil {
		t.Fatal(err)
	}
	if err := deps.SaveSettings(service.Settings{RetentionDays: 120, KeepImages: true}); err != nil {
		t.Fatal(err)
	}
	st := deps.Settings.Settings()
	if !st.OK() || st.Settings.RetentionDays != 120 || !st.Settings.KeepImages || st.Settings.ConsentText != "Teks persetujuan toko." || !st.Settings.ConsentRequired {
		t.Fatalf("settings = %+v", st)
	}
}
