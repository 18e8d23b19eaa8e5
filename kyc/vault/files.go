package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ProfilesFile is the user's profiles file in the data directory.
const ProfilesFile = "profiles.json"

// profileJSON is a profile as stored on disk. Token is only read to detect
// (and ignore) a token someone put in the system file.
type profileJSON struct {
	Name      string          `json:"name"`
	ServerURL string          `json:"server_url"`
	Timeout   string          `json:"timeout,omitempty"` // Go duration: "30s"
	Note      string          `json:"note,omitempty"`
	Token     json.RawMessage `json:"token,omitempty"`
	// Head office connections (passwords in the keyring, never here).
	Sync       *SyncSection       `json:"sync,omitempty"`
	HeadOffice *HeadOfficeSection `json:"head_office,omitempty"`
}

// userFile is profiles.json.
type userFile struct {
	Version  int           `json:"version"`
	Active   string        `json:"active,omitempty"`
	Profiles []profileJSON `json:"profiles"`
}

// systemFile is the read-only fleet file.
type systemFile struct {
	Default  string          `json:"default,omitempty"`
	Profiles []profileJSON   `json:"profiles"`
	Token    json.RawMessage `json:"token,omitempty"`
}

func (pj profileJSON) profile(src Source) (Profile, error) {
	p := Profile{Name: pj.Name, ServerURL: pj.ServerURL, Note: pj.Note, Source: src, Sync: pj.Sync, HeadOffice: pj.HeadOffice}
	if pj.Timeout != "" {
		d, err := time.ParseDuration(pj.Timeout)
		if err != nil {
			return p, newErr(CodeProfileInvalid, "profile", pj.Name, "", fmt.Errorf("timeout: %w", err))
		}
		p.Timeout = d
	}
	return p, p.Validate()
}

func toJSON(p Profile) profileJSON {
	pj := profileJSON{Name: p.Name, ServerURL: p.ServerURL, Note: p.Note, Sync: p.Sync, HeadOffice: p.HeadOffice}
	if p.Timeout != 0 {
		pj.Timeout = p.Timeout.String()
	}
	return pj
}

func readUserFile(path string) (userFile, error) {
	var f userFile
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return userFile{Version: 1}, nil
	}
	if err != nil {
		return f, fmt.Errorf("vault: read %s: %w", ProfilesFile, err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("vault: %s is damaged (fix or delete it): %w", path, err)
	}
	return f, nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed over the target, so a reader (the GUI and a
// command share the file) sees the old or the new content, never half.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil && !isChmodUnsupported(err) {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// isChmodUnsupported tolerates file systems without Unix modes.
func isChmodUnsupported(err error) bool { return errors.Is(err, errors.ErrUnsupported) }

// syncDir makes the rename durable where the OS allows opening directories;
// elsewhere (Windows) it is a no-op.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
