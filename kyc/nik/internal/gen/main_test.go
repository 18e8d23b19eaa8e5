package main

import (
	"os"
	"path/filepath"
	"testing"

	"kycdesk/kyc/nik/internal/wilayah"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.tsv.gz")
	if err := os.WriteFile(in, []byte("code,name\n36,Banten\n36.71,Kota Tangerang\n36.71.12,Karang Tengah\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := wilayah.Read(f)
	if err != nil || len(entries) != 3 || entries[2] != (wilayah.Entry{Code: "367112", Name: "Karang Tengah"}) {
		t.Errorf("Read = %v, %v", entries, err)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name\n36.71,Orphan\n"), 0o600)
	out := filepath.Join(dir, "out.tsv.gz")
	if err := run(filepath.Join(dir, "missing.csv"), out); err == nil {
		t.Error("run accepted a missing input")
	}
	if err := run(bad, out); err == nil {
		t.Error("run accepted a malformed CSV")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed run left an output file behind")
	}
}
