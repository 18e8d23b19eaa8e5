package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FleetCheck is what CheckSystemFile found in a fleet profiles file.
type FleetCheck struct {
	Profiles []Profile // the profiles the app would show, in file order
	Default  string    // the profile clerks start on ("" if the file names none)
	Problems []string  // everything the app would skip or ignore; empty when the file is clean
}

// CheckSystemFile reads a fleet profiles file exactly as the app will (the same
// loader, so every rule the app applies is checked) and lists its problems. The app
// skips bad entries and carries on; before deploying a file IT wants to know, so the
// installer refuses a file with any problem (InstallSystemFile).
func CheckSystemFile(path string) (FleetCheck, error) {
	var fc FleetCheck
	b, err := os.ReadFile(path)
	if err != nil {
		return fc, fmt.Errorf("vault: fleet profiles file: %w", err)
	}
	tmp, err := os.MkdirTemp("", "kycdesk-fleetcheck-")
	if err != nil {
		return fc, err
	}
	defer os.RemoveAll(tmp)
	v, err := New(Options{Dir: tmp, SystemFile: path, Backend: GoKeyringBackend(), Getenv: func(string) string { return "" }})
	if err != nil {
		return fc, err
	}
	s, err := v.Snapshot()
	if err != nil {
		return fc, err
	}
	for _, p := range s.Profiles {
		if p.Source == SourceSystem {
			fc.Profiles = append(fc.Profiles, p)
		}
	}
	for _, w := range s.Warnings {
		fc.Problems = append(fc.Problems, strings.TrimPrefix(w, path+": "))
	}
	var head struct {
		Default string `json:"default"`
	}
	if json.Unmarshal(b, &head) == nil && head.Default != "" {
		if p, ok := s.Find(head.Default); ok && p.Source == SourceSystem {
			fc.Default = p.Name
		} else {
			fc.Problems = append(fc.Problems, fmt.Sprintf("default %q is not one of the file's profiles", head.Default))
		}
	}
	if len(fc.Problems) == 0 && len(fc.Profiles) == 0 {
		fc.Problems = append(fc.Problems, `no profiles (the file needs a "profiles" list; see profiles.example.json)`)
	}
	return fc, nil
}

// InstallSystemFile checks the fleet file at src and, if it has no problem at all,
// copies it to dst (SystemProfilesPath() when empty), readable by everyone and
// replaced atomically, so a running app never reads half a file. Installers (the MSI,
// a GPO script, `sudo kycdesk fleet install`) call it as administrator/root.
func InstallSystemFile(src, dst string) (FleetCheck, error) {
	fc, err := CheckSystemFile(src)
	if err != nil {
		return fc, err
	}
	if len(fc.Problems) > 0 {
		return fc, fmt.Errorf("vault: %s not installed: %s", src, strings.Join(fc.Problems, "; "))
	}
	if dst == "" {
		dst = SystemProfilesPath()
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return fc, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fc, fmt.Errorf("vault: create %s: %w", filepath.Dir(dst), err)
	}
	if err := writeShared(dst, b); err != nil {
		return fc, fmt.Errorf("vault: install %s: %w", dst, err)
	}
	return fc, nil
}

// RemoveSystemFile deletes the fleet profiles file (dst, or SystemProfilesPath()) and
// its directory if that is left empty. A missing file is not an error.
func RemoveSystemFile(dst string) (bool, error) {
	if dst == "" {
		dst = SystemProfilesPath()
	}
	err := os.Remove(dst)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	_ = os.Remove(filepath.Dir(dst)) // only if empty
	return true, nil
}

// AllUsersDataDirs lists the KYC Desk data directories of every local user account
// that has one (Windows: each profile in the registry's ProfileList, under
// AppData\Roaming; Linux: /root and /home/*, under .config; macOS: /Users/*, under
// Library/Application Support). Directories moved with KYCDESK_HOME, or kept on a
// server by folder redirection, are not found.
func AllUsersDataDirs() ([]string, error) {
	homes, err := userHomes()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range homes {
		d := filepath.Join(h, userConfigSubdir, appDirName)
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	return out, nil
}

// writeShared writes the fleet file crash-safely (temporary file, fsync, rename, the
// folder fsynced) and readable by every user of the PC: it holds no secret, and every
// clerk's app must read it. (safefile makes files owner-only, which the installer's
// SYSTEM account would then own alone.)
func writeShared(dst string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".profiles-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		_ = d.Sync() // not supported on every OS; the rename is what matters
		d.Close()
	}
	return nil
}
