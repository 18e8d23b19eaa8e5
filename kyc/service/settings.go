package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"kycdesk/kyc/safefile"
)

// SettingsFile holds the merchant's settings in the data directory, so the window
// and the headless commands apply the same ones (a command opening the history must
// not purge rows the window was told to keep).
const SettingsFile = "settings.json"

// Settings are the merchant's choices both the window and the commands honour. The
// Desk is their one owner: it reads them once, validates them, and applies a change
// to the live history at once.
type Settings struct {
	// RetentionDays is how long call records are kept, 1–3650 days.
	RetentionDays int `json:"retention_days"`
	// KeepImages keeps the photos sent (sealed, 7 days), for disputes with the vendor.
	KeepImages bool `json:"keep_images"`
	// ConsentRequired: no paid call is made until the clerk has confirmed that the
	// customer consented (UU 27/2022: a selfie is biometric data). On by default.
	ConsentRequired bool `json:"consent_required"`
	// ConsentText is what the customer agrees to, as the window shows it.
	ConsentText string `json:"consent_text"`
	// ConsentVersion numbers the texts; SaveSettings raises it whenever the text
	// changes, so each record says which wording the customer agreed to.
	ConsentVersion int `json:"consent_version"`
}

// Defaults and limits.
const (
	// DefaultRetentionDays is UU 27/2022's "no longer than needed" in practice: a
	// monthly invoice plus a two-month dispute window.
	DefaultRetentionDays = 90
	MinRetentionDays     = 1
	MaxRetentionDays     = 3650
	// MaxConsentTextRunes bounds the consent text (it is shown in a dialog and stored
	// once per version).
	MaxConsentTextRunes = 2000
)

// DefaultConsentText is the consent the clerk reads out or shows, in Indonesian.
const DefaultConsentText = "Nasabah telah menyetujui pemrosesan data pribadinya, termasuk foto wajah (data biometrik), " +
	"untuk verifikasi identitas ke Dukcapil."

// DefaultSettings are the settings of a new installation.
func DefaultSettings() Settings {
	return Settings{RetentionDays: DefaultRetentionDays, ConsentRequired: true, ConsentText: DefaultConsentText, ConsentVersion: 1}
}

// Retention returns the retention period.
func (s Settings) Retention() time.Duration {
	return time.Duration(s.RetentionDays) * 24 * time.Hour
}

// Validate checks every field; the error says which and what is allowed.
func (s Settings) Validate() error {
	var problems []string
	if s.RetentionDays < MinRetentionDays || s.RetentionDays > MaxRetentionDays {
		problems = append(problems, fmt.Sprintf("retention_days must be %d–%d days (got %d)", MinRetentionDays, MaxRetentionDays, s.RetentionDays))
	}
	text := strings.TrimSpace(s.ConsentText)
	switch {
	case text == "":
		problems = append(problems, "consent_text must not be empty")
	case !utf8.ValidString(text):
		problems = append(problems, "consent_text is not valid UTF-8")
	case utf8.RuneCountInString(text) > MaxConsentTextRunes:
		problems = append(problems, fmt.Sprintf("consent_text is longer than %d characters", MaxConsentTextRunes))
	}
	if s.ConsentVersion < 1 {
		problems = append(problems, fmt.Sprintf("consent_version must be 1 or more (got %d)", s.ConsentVersion))
	}
	if len(problems) > 0 {
		return &SettingsError{Reason: strings.Join(problems, "; "), Invalid: true}
	}
	return nil
}

// ErrSettings matches every *SettingsError.
var ErrSettings = errors.New("service: settings in doubt")

// SettingsError says why the settings cannot be trusted. While it stands, the Desk
// fails closed: no history row is deleted for its age, no photo is kept, a consent
// is required, and paid calls are refused (which consent text is in force is not
// known); the repair is to save valid settings (the window's Settings screen, or
// `kycdesk settings set --retention-days N`).
type SettingsError struct {
	Path   string // settings.json
	Reason string // what is wrong
	// Invalid: a value is out of range (Validate); Damaged: the file cannot be read
	// or parsed; Missing: the file is gone although this history has run with
	// chosen settings before (LastRetentionDays says which retention).
	Invalid, Damaged, Missing bool
	// LastRetentionDays is the retention the history last ran with, if known: the
	// value to restore.
	LastRetentionDays int
	Err               error
}

func (e *SettingsError) Error() string {
	if e.Path == "" {
		return "settings: " + e.Reason
	}
	msg := fmt.Sprintf("%s %s", e.Path, e.Reason)
	if e.Damaged || e.Missing {
		msg += "; until valid settings are saved no call record is deleted, no photo is kept, and no paid call is made"
		hint := "N"
		if e.LastRetentionDays > 0 {
			msg += fmt.Sprintf(" (the history last ran with a retention of %d days)", e.LastRetentionDays)
			hint = fmt.Sprint(e.LastRetentionDays)
		}
		msg += ". Repair: save the settings in the window (Settings), or run `kycdesk settings set --retention-days " + hint + "`"
	}
	return msg
}

func (e *SettingsError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSettings) work.
func (e *SettingsError) Is(target error) bool { return target == ErrSettings }

// settingsFile is settings.json as parsed: pointers tell a missing key from a zero.
type settingsFile struct {
	RetentionDays   *int    `json:"retention_days"`
	KeepImages      *bool   `json:"keep_images"`
	ConsentRequired *bool   `json:"consent_required"`
	ConsentText     *string `json:"consent_text"`
	ConsentVersion  *int    `json:"consent_version"`
}

// maxSettingsBytes bounds what is read: settings.json is a few hundred bytes.
const maxSettingsBytes = 64 << 10

// readSettings reads and validates settings.json. It returns os.ErrNotExist (wrapped)
// when there is no file, and a *SettingsError for anything it cannot trust: an
// unreadable file, bad JSON (a power cut mid-write, a bad hand edit), a value of the
// wrong type or out of range, a missing retention. It never substitutes a default for
// a value that is there but wrong. Keys a later version adds are ignored; the consent
// keys, which the first versions did not write, take their defaults when absent (the
// default is the protective choice: consent required).
func readSettings(dir string) (Settings, error) {
	path := filepath.Join(dir, SettingsFile)
	bad := func(reason string, err error) (Settings, error) {
		return Settings{}, &SettingsError{Path: path, Reason: reason, Damaged: true, Err: err}
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Settings{}, err
	}
	if err != nil {
		return bad("cannot be read: "+err.Error(), err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSettingsBytes+1))
	if err != nil {
		return bad("cannot be read: "+err.Error(), err)
	}
	if len(b) > maxSettingsBytes {
		return bad(fmt.Sprintf("is larger than %d bytes, so it is not KYC Desk's", maxSettingsBytes), nil)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return bad("is empty (cut short by a crash or a power cut?)", nil)
	}
	var sf settingsFile
	if err := json.Unmarshal(b, &sf); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return bad("is damaged: it must be a JSON object, not a JSON "+te.Value, err)
		}
		if errors.As(err, &te) {
			return bad(fmt.Sprintf("is damaged: %q must be %s, not a JSON %s", te.Field, kindName(te.Field), te.Value), err)
		}
		return bad("is damaged (not valid JSON: "+err.Error()+")", err)
	}
	if sf.RetentionDays == nil {
		return bad(`is damaged: it does not say "retention_days"`, nil)
	}
	s := DefaultSettings()
	s.RetentionDays = *sf.RetentionDays
	if sf.KeepImages != nil {
		s.KeepImages = *sf.KeepImages
	}
	if sf.ConsentRequired != nil {
		s.ConsentRequired = *sf.ConsentRequired
	}
	if sf.ConsentText != nil {
		s.ConsentText = *sf.ConsentText
	}
	if sf.ConsentVersion != nil {
		s.ConsentVersion = *sf.ConsentVersion
	}
	if err := s.Validate(); err != nil {
		se := err.(*SettingsError)
		se.Path, se.Damaged = path, true
		se.Reason = "is not valid: " + se.Reason
		return Settings{}, se
	}
	return s, nil
}

func kindName(field string) string {
	switch field {
	case "retention_days", "consent_version":
		return "a whole number"
	case "keep_images", "consent_required":
		return "true or false"
	case "consent_text":
		return "a text"
	}
	return "another type"
}

// writeSettings writes valid settings crash-safely and owner-only.
func writeSettings(dir string, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return safefile.Write(filepath.Join(dir, SettingsFile), append(b, '\n'))
}

// setAsideSettings keeps a damaged settings.json as settings.json.damaged-<time>
// for IT to look at, before a repair writes a new one.
func setAsideSettings(dir string, now time.Time) (string, error) {
	src := filepath.Join(dir, SettingsFile)
	if _, err := os.Stat(src); err != nil {
		return "", nil
	}
	dst := src + ".damaged-" + now.UTC().Format("20060102T150405Z")
	return dst, safefile.Rename(src, dst)
}
