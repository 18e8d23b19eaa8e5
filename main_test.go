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
		deps.Problems == nil || deps.Photos == nil || deps.Exporter == nil {
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
