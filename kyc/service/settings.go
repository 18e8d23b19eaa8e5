package service

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// SettingsFile holds the merchant's history settings in the data directory, so the
// window and the headless commands apply the same retention (a command opening the
// history must not purge rows the window was told to keep).
const SettingsFile = "settings.json"

// Settings are the history settings both the window and the commands honour.
type Settings struct {
	RetentionDays int  `json:"retention_days"` // 1–3650; 0 → 90
	KeepImages    bool `json:"keep_images"`    // keep the photos sent (sealed, 7 days)
}

// DefaultRetentionDays is UU 27/2022's "no longer than needed" in practice: a monthly
// invoice plus a two-month dispute window.
const DefaultRetentionDays = 90

// Retention returns the retention period.
func (s Settings) Retention() time.Duration {
	d := s.RetentionDays
	if d <= 0 || d > 3650 {
		d = DefaultRetentionDays
	}
	return time.Duration(d) * 24 * time.Hour
}

// LoadSettings reads the settings; a missing or unreadable file gives the defaults.
func LoadSettings(dir string) Settings {
	s := Settings{RetentionDays: DefaultRetentionDays}
	b, err := os.ReadFile(filepath.Join(dir, SettingsFile))
	if err != nil {
		return s
	}
	_ = json.Unmarshal(b, &s)
	if s.RetentionDays <= 0 || s.RetentionDays > 3650 {
		s.RetentionDays = DefaultRetentionDays
	}
	return s
}

// SaveSettings writes the settings atomically (owner-only).
func SaveSettings(dir string, s Settings) error {
	if s.RetentionDays < 1 || s.RetentionDays > 3650 {
		return errors.New("retention must be 1–3650 days")
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".settings-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), fs.FileMode(0o600)); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, SettingsFile))
}
