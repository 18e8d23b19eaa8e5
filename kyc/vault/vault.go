package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"kycdesk/kyc/safefile"
)

// Options configures New. Zero values choose the production defaults.
type Options struct {
	Dir            string              // data directory; "" → DataDir()
	SystemFile     string              // fleet file; "" → SystemProfilesPath()
	Backend        Backend             // keyring; nil → SystemBackend()
	KeyringTimeout time.Duration       // per keyring call; 0 → DefaultKeyringTimeout
	Getenv         func(string) string // environment; nil → os.Getenv
}

// Vault gives access to profiles and secrets. It is safe for concurrent use.
// Profiles are re-read from disk on every call, so a change made by another
// process (the GUI while a command runs) is seen at once.
type Vault struct {
	dir        string
	systemFile string
	getenv     func(string) string
	kr         *guard
	mu         sync.Mutex // serialises read-modify-write of profiles.json in this process
}

// New opens the vault. It creates the data directory if needed; it does not
// touch the keyring.
func New(opts Options) (*Vault, error) {
	v := &Vault{dir: opts.Dir, systemFile: opts.SystemFile, getenv: opts.Getenv}
	if v.dir == "" {
		d, err := DataDir()
		if err != nil {
			return nil, err
		}
		v.dir = d
	} else if err := safefile.MkdirAll(v.dir); err != nil {
		return nil, fmt.Errorf("vault: create data directory: %w", err)
	}
	if v.systemFile == "" {
		v.systemFile = SystemProfilesPath()
	}
	if v.getenv == nil {
		v.getenv = os.Getenv
	}
	b := opts.Backend
	if b == nil {
		b = SystemBackend()
	}
	v.kr = newGuard(b, opts.KeyringTimeout)
	return v, nil
}

// Dir returns the data directory.
func (v *Vault) Dir() string { return v.dir }

// KeyringName says where secrets are kept ("Secret Service", …).
func (v *Vault) KeyringName() string { return v.kr.backend.Name() }

// Snapshot is the merged view of all profiles at one moment.
type Snapshot struct {
	Profiles []Profile // Sandbox first, then system profiles, then user profiles, each in file order
	Active   string    // name of the active profile (always one of Profiles)
	Warnings []string  // problems in the files that did not stop loading (shown to IT, never secrets)
}

// Find returns the profile with this name (case-insensitive).
func (s Snapshot) Find(name string) (Profile, bool) {
	for _, p := range s.Profiles {
		if sameName(p.Name, name) {
			return p, true
		}
	}
	return Profile{}, false
}

// Snapshot loads the built-in, system and user profiles and resolves the
// active one. Problems in the system file are warnings, not errors: a bad
// fleet file must not stop a clerk from working with their own profiles. A
// damaged user file is an error, because saving over it would lose data.
func (v *Vault) Snapshot() (Snapshot, error) {
	s := Snapshot{Profiles: []Profile{Sandbox()}}
	sysDefault := v.loadSystem(&s)
	uf, err := readUserFile(filepath.Join(v.dir, ProfilesFile))
	if err != nil {
		return Snapshot{}, err
	}
	for _, pj := range uf.Profiles {
		p, err := pj.profile(SourceUser)
		if err != nil {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s: profile %q skipped: %v", ProfilesFile, pj.Name, err))
			continue
		}
		if other, dup := s.Find(p.Name); dup {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s: profile %q hidden: the %s profile %q has the same name",
				ProfilesFile, p.Name, other.Source, other.Name))
			continue
		}
		s.Profiles = append(s.Profiles, p)
	}
	for _, choice := range []string{uf.Active, sysDefault, SandboxName} {
		if p, ok := s.Find(choice); ok && choice != "" {
			s.Active = p.Name
			break
		}
	}
	return s, nil
}

// loadSystem appends the fleet profiles to s and returns the fleet default.
func (v *Vault) loadSystem(s *Snapshot) string {
	b, err := os.ReadFile(v.systemFile)
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	warn := func(format string, a ...any) {
		s.Warnings = append(s.Warnings, v.systemFile+": "+fmt.Sprintf(format, a...))
	}
	if err != nil {
		warn("cannot read: %v", err)
		return ""
	}
	var f systemFile
	if err := json.Unmarshal(b, &f); err != nil {
		warn("ignored, not valid JSON: %v", err)
		return ""
	}
	if len(f.Token) > 0 {
		warn(`"token" ignored: tokens belong in each user's keyring (kycdesk token set), never in a file`)
	}
	for _, pj := range f.Profiles {
		if len(pj.Token) > 0 {
			warn(`profile %q: "token" ignored: tokens belong in each user's keyring (kycdesk token set), never in a file`, pj.Name)
		}
		p, err := pj.profile(SourceSystem)
		if err != nil {
			warn("profile %q skipped: %v", pj.Name, err)
			continue
		}
		if other, dup := s.Find(p.Name); dup {
			warn("profile %q skipped: same name as %q", p.Name, other.Name)
			continue
		}
		s.Profiles = append(s.Profiles, p)
	}
	return f.Default
}

// Profiles returns every profile (see Snapshot for the order).
func (v *Vault) Profiles() ([]Profile, error) {
	s, err := v.Snapshot()
	return s.Profiles, err
}

// Profile returns one profile by name (case-insensitive).
func (v *Vault) Profile(name string) (Profile, error) {
	s, err := v.Snapshot()
	if err != nil {
		return Profile{}, err
	}
	p, ok := s.Find(name)
	if !ok {
		return Profile{}, newErr(CodeProfileNotFound, "profile", name, "", nil)
	}
	return p, nil
}

// Active returns the active profile.
func (v *Vault) Active() (Profile, error) {
	s, err := v.Snapshot()
	if err != nil {
		return Profile{}, err
	}
	p, _ := s.Find(s.Active)
	return p, nil
}

// SetActive makes name the active profile for this user.
func (v *Vault) SetActive(name string) error {
	return v.update(func(s Snapshot, uf *userFile) error {
		p, ok := s.Find(name)
		if !ok {
			return newErr(CodeProfileNotFound, "activate", name, "", nil)
		}
		uf.Active = p.Name
		return nil
	})
}

// SaveProfile adds a user profile or replaces the one with the same name.
// The built-in and system profiles cannot be replaced (CodeProfileReadOnly).
func (v *Vault) SaveProfile(p Profile) error {
	p.Source = SourceUser
	if err := p.Validate(); err != nil {
		return err
	}
	return v.update(func(s Snapshot, uf *userFile) error {
		if other, ok := s.Find(p.Name); ok && other.ReadOnly() {
			return newErr(CodeProfileReadOnly, "save", other.Name, "", nil)
		}
		for i, pj := range uf.Profiles {
			if sameName(pj.Name, p.Name) {
				uf.Profiles[i] = toJSON(p)
				return nil
			}
		}
		uf.Profiles = append(uf.Profiles, toJSON(p))
		return nil
	})
}

// RemoveProfile deletes a user profile from profiles.json. It does not touch
// the keyring: call ClearToken first so no orphaned token stays behind (the
// GUI asks before removing a profile whose token cannot be cleared).
func (v *Vault) RemoveProfile(name string) error {
	return v.update(func(s Snapshot, uf *userFile) error {
		p, ok := s.Find(name)
		if !ok {
			return newErr(CodeProfileNotFound, "remove", name, "", nil)
		}
		if p.ReadOnly() {
			return newErr(CodeProfileReadOnly, "remove", p.Name, "", nil)
		}
		kept := uf.Profiles[:0]
		for _, pj := range uf.Profiles {
			if !sameName(pj.Name, name) {
				kept = append(kept, pj)
			}
		}
		uf.Profiles = kept
		if sameName(uf.Active, name) {
			uf.Active = ""
		}
		return nil
	})
}

// update applies change to profiles.json under the in-process lock and
// writes it atomically. Two processes editing profiles at the same instant
// can lose one edit (last rename wins) but never corrupt the file; profile
// edits are rare, manual actions.
func (v *Vault) update(change func(Snapshot, *userFile) error) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, err := v.Snapshot()
	if err != nil {
		return err
	}
	path := filepath.Join(v.dir, ProfilesFile)
	uf, err := readUserFile(path)
	if err != nil {
		return err
	}
	if err := change(s, &uf); err != nil {
		return err
	}
	uf.Version = 1
	if uf.Profiles == nil {
		uf.Profiles = []profileJSON{}
	}
	b, err := json.MarshalIndent(uf, "", "  ")
	if err != nil {
		return err
	}
	// Crash-safe: the GUI and a command share the file, and a power cut must leave
	// the old or the new profiles, never half of either.
	if err := safefile.Write(path, append(b, '\n')); err != nil {
		return fmt.Errorf("vault: save %s: %w", ProfilesFile, err)
	}
	return nil
}
