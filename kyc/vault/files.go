package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
	Proxy     string          `json:"proxy,omitempty"` // "system" (default), "direct" or a proxy URL
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
	p := Profile{Name: pj.Name, ServerURL: pj.ServerURL, Note: pj.Note, Source: src, Proxy: pj.Proxy, Sync: pj.Sync, HeadOffice: pj.HeadOffice}
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
	pj := profileJSON{Name: p.Name, ServerURL: p.ServerURL, Note: p.Note, Proxy: p.Proxy, Sync: p.Sync, HeadOffice: p.HeadOffice}
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
