package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestSandboxAlwaysExistsAndIsDefault(t *testing.T) {
	v := newTestVault(t, newFake(), nil)
	s, err := v.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Profiles) != 1 || s.Profiles[0].Name != SandboxName || !s.Profiles[0].IsSandbox() {
		t.Fatalf("profiles = %+v", s.Profiles)
	}
	a, err := v.Active()
	if err != nil || a.Name != SandboxName {
		t.Fatalf("active = %+v, %v", a, err)
	}
	for _, name := range []string{"Sandbox", "sandbox"} {
		err := v.SaveProfile(Profile{Name: name, ServerURL: "https://x.example"})
		if !errors.Is(err, ErrProfileReadOnly) {
			t.Errorf("SaveProfile(%q) = %v, want read-only", name, err)
		}
	}
	if err := v.RemoveProfile("Sandbox"); !errors.Is(err, ErrProfileReadOnly) {
		t.Errorf("RemoveProfile(Sandbox) = %v", err)
	}
}

func TestSaveActivateRemoveProfile(t *testing.T) {
	v := newTestVault(t, newFake(), nil)
	p := Profile{Name: "Produksi", ServerURL: "https://gw.example.id/api", Timeout: 45 * time.Second, Note: "outlet 12"}
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := v.SetActive("produksi"); err != nil { // case-insensitive
		t.Fatal(err)
	}
	a, err := v.Active()
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.Source = SourceUser
	if a != want {
		t.Fatalf("active = %+v, want %+v", a, want)
	}
	// A second Vault (another process) sees the same state.
	v2, err := New(Options{Dir: v.Dir(), SystemFile: filepath.Join(v.Dir(), "none.json"), Backend: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	if a2, _ := v2.Active(); a2 != want {
		t.Fatalf("other process active = %+v", a2)
	}
	// Update in place.
	p.Note = "outlet 13"
	if err := v.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	ps, _ := v.Profiles()
	if len(ps) != 2 || ps[1].Note != "outlet 13" {
		t.Fatalf("profiles = %+v", ps)
	}
	if err := v.RemoveProfile("Produksi"); err != nil {
		t.Fatal(err)
	}
	if a, _ := v.Active(); a.Name != SandboxName {
		t.Fatalf("active after remove = %q", a.Name)
	}
	if err := v.RemoveProfile("Produksi"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("second remove = %v", err)
	}
	if err := v.SetActive("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("SetActive(nope) = %v", err)
	}
	if _, err := v.Profile("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("Profile(nope) = %v", err)
	}
}

func TestProfilesFileModesAndNoTempLeft(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	dir := filepath.Join(t.TempDir(), "home")
	v, err := New(Options{Dir: dir, SystemFile: filepath.Join(dir, "none"), Backend: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SaveProfile(Profile{Name: "P", ServerURL: "http://127.0.0.1:8787"}); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v", st.Mode().Perm())
	}
	fst, _ := os.Stat(filepath.Join(dir, ProfilesFile))
	if fst.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fst.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("entries = %v (temp file left behind?)", ents)
	}
}

func TestProfileValidation(t *testing.T) {
	long := strings.Repeat("a", MaxProfileNameLen+1)
	bad := []Profile{
		{Name: "", ServerURL: "https://x.example"},
		{Name: " x", ServerURL: "https://x.example"},
		{Name: long, ServerURL: "https://x.example"},
		{Name: "history-data-key", ServerURL: "https://x.example"},
		{Name: "a\tb", ServerURL: "https://x.example"},
		{Name: "bad\xff", ServerURL: "https://x.example"},
		{Name: "x", ServerURL: "ftp://x.example"},
		{Name: "x", ServerURL: "sandbox:"},
		{Name: "x", ServerURL: "https://"},
		{Name: "x", ServerURL: "://bad"},
		{Name: "x", ServerURL: "https://u:p@x.example"},
		{Name: "x", ServerURL: "https://x.example", Timeout: time.Millisecond},
		{Name: "x", ServerURL: "https://x.example", Timeout: time.Hour},
		{Name: "x", ServerURL: "https://x.example", Note: strings.Repeat("n", MaxNoteLen+1)},
	}
	v := newTestVault(t, newFake(), nil)
	for _, p := range bad {
		err := v.SaveProfile(p)
		if !errors.Is(err, ErrProfileInvalid) {
			t.Errorf("SaveProfile(%+v) = %v, want invalid", p, err)
		}
		var e *Error
		if errors.As(err, &e) && e.Message("id") == "" {
			t.Error("no Indonesian message")
		}
	}
}

func writeJSON(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSystemProfiles(t *testing.T) {
	dir := t.TempDir()
	sys := filepath.Join(dir, "etc", "profiles.json")
	writeJSON(t, sys, `{
	  "default": "Fleet",
	  "token": "TOPSECRET-SYS",
	  "profiles": [
	    {"name": "Fleet", "server_url": "https://gw.example.id", "timeout": "20s", "token": "TOPSECRET-1"},
	    {"name": "Broken", "server_url": "gopher://x"},
	    {"name": "sandbox", "server_url": "https://x.example"},
	    {"name": "BadTimeout", "server_url": "https://x.example", "timeout": "soon"}
	  ]}`)
	home := filepath.Join(dir, "home")
	writeJSON(t, filepath.Join(home, ProfilesFile), `{"version":1,"profiles":[
	  {"name":"fleet","server_url":"https://evil.example"},
	  {"name":"Mine","server_url":"https://mine.example"},
	  {"name":"Mine2","server_url":"nope"}]}`)
	v, err := New(Options{Dir: home, SystemFile: sys, Backend: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := v.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range s.Profiles {
		names = append(names, p.Name+"/"+string(p.Source))
	}
	if got := strings.Join(names, ","); got != "Sandbox/builtin,Fleet/system,Mine/user" {
		t.Fatalf("profiles = %s", got)
	}
	if s.Active != "Fleet" {
		t.Fatalf("active = %q, want the fleet default", s.Active)
	}
	if f, _ := s.Find("Fleet"); f.Timeout != 20*time.Second || f.ServerURL != "https://gw.example.id" {
		t.Fatalf("fleet = %+v", f)
	}
	all := strings.Join(s.Warnings, "\n")
	for _, want := range []string{`"token" ignored`, `profile "Fleet": "token" ignored`, `"Broken" skipped`, `"sandbox" skipped`, `"BadTimeout" skipped`, `"fleet" hidden`, `"Mine2" skipped`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "TOPSECRET") {
		t.Fatal("a warning contains the token")
	}
	if err := v.SaveProfile(Profile{Name: "FLEET", ServerURL: "https://x.example"}); !errors.Is(err, ErrProfileReadOnly) {
		t.Fatalf("shadowing a system profile: %v", err)
	}
	if err := v.RemoveProfile("Fleet"); !errors.Is(err, ErrProfileReadOnly) {
		t.Fatalf("removing a system profile: %v", err)
	}
	// The user's choice beats the fleet default.
	if err := v.SetActive("Mine"); err != nil {
		t.Fatal(err)
	}
	if a, _ := v.Active(); a.Name != "Mine" {
		t.Fatalf("active = %q", a.Name)
	}
}

func TestSystemFileUnusable(t *testing.T) {
	dir := t.TempDir()
	sys := filepath.Join(dir, "profiles.json")
	writeJSON(t, sys, `{not json`)
	v, _ := New(Options{Dir: filepath.Join(dir, "h"), SystemFile: sys, Backend: newFake()})
	s, err := v.Snapshot()
	if err != nil || len(s.Profiles) != 1 || len(s.Warnings) != 1 {
		t.Fatalf("snapshot = %+v, %v", s, err)
	}
	// A directory where the file should be: unreadable, a warning too.
	v2, _ := New(Options{Dir: filepath.Join(dir, "h"), SystemFile: dir, Backend: newFake()})
	if s, err := v2.Snapshot(); err != nil || len(s.Warnings) != 1 {
		t.Fatalf("snapshot = %+v, %v", s, err)
	}
}

func TestDamagedUserFileIsAnError(t *testing.T) {
	v := newTestVault(t, newFake(), nil)
	writeJSON(t, filepath.Join(v.Dir(), ProfilesFile), `{"profiles": [`)
	if _, err := v.Snapshot(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v", err)
	}
	if err := v.SaveProfile(Profile{Name: "x", ServerURL: "https://x.example"}); err == nil {
		t.Fatal("saved over a damaged file")
	}
	if _, err := v.Active(); err == nil {
		t.Fatal("Active on damaged file")
	}
	if _, err := v.Profile("x"); err == nil {
		t.Fatal("Profile on damaged file")
	}
}

func TestDataDir(t *testing.T) {
	d := filepath.Join(t.TempDir(), "a", "b")
	t.Setenv(EnvHome, d)
	got, err := DataDir()
	if err != nil || got != d {
		t.Fatalf("DataDir = %q, %v", got, err)
	}
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Fatal("not created")
	}
	t.Setenv(EnvHome, "")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(t.TempDir(), "cfg"))
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AppData", filepath.Join(t.TempDir(), "appdata"))
	got, err = DataDir()
	if err != nil || filepath.Base(got) != "KYCDesk" {
		t.Fatalf("DataDir = %q, %v", got, err)
	}
	v, err := New(Options{SystemFile: filepath.Join(got, "none"), Backend: newFake()})
	if err != nil || v.Dir() != got {
		t.Fatalf("New default dir = %v, %v", v, err)
	}
	if SystemProfilesPath() == "" {
		t.Fatal("no system path")
	}
}
