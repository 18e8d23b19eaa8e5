package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// SyncSection is a profile's connection to the head office database, used by
// the counter's sender (kyc/hqsync): the calls made with the profile are
// sent there. IT's fleet profiles file can carry it:
//
//	{"name": "Produksi", "server_url": "https://…",
//	 "sync": {"server": "hq-db.example.co.id:5432", "database": "kycdesk",
//	          "user": "kyc_c_out_0012_1", "outlet": "OUT-0012", "counter": "1"}}
//
// The password is never in a file: SetSyncPassword keeps it in the keyring.
type SyncSection struct {
	Server   string `json:"server"`             // host[:port] of PostgreSQL
	Database string `json:"database"`           //
	User     string `json:"user"`               // the counter's login (kycdesk hq add-counter)
	Outlet   string `json:"outlet"`             // outlet id registered for the login
	Counter  string `json:"counter"`            // counter id registered for the login
	CAFile   string `json:"ca_file,omitempty"`  // extra trusted CA (PEM) for a private CA
	TLS      string `json:"tls,omitempty"`      // "" (verify; off only to loopback) | "verify" | "disable" (loopback only)
	Disabled bool   `json:"disabled,omitempty"` // keep the settings, send nothing
}

// HeadOfficeSection is a head office PC's read (or resolve) connection, for
// the Kantor pusat screen and `kycdesk report`. Its presence is what shows
// that screen.
type HeadOfficeSection struct {
	Server   string `json:"server"`
	Database string `json:"database"`
	User     string `json:"user"` // a kyc_hq_read or kyc_hq_write login
	CAFile   string `json:"ca_file,omitempty"`
	TLS      string `json:"tls,omitempty"`
}

func checkConn(what, server, database, user, tls string) error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"server", server}, {"database", database}, {"user", user}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %s missing", what, strings.Join(missing, ", "))
	}
	switch tls {
	case "", "verify", "disable":
	default:
		return fmt.Errorf(`%s: tls must be "verify" or "disable"`, what)
	}
	for _, s := range []string{server, database, user} {
		if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
			return fmt.Errorf("%s: server, database and user must not contain spaces", what)
		}
		if strings.Contains(s, "@") && s == server {
			return fmt.Errorf("%s: the server must not contain user information", what)
		}
	}
	return nil
}

// Validate checks a sync section.
func (s SyncSection) Validate() error {
	if err := checkConn("sync", s.Server, s.Database, s.User, s.TLS); err != nil {
		return err
	}
	if strings.TrimSpace(s.Outlet) == "" || strings.TrimSpace(s.Counter) == "" {
		return errors.New("sync: outlet and counter are required")
	}
	return nil
}

// Validate checks a head office section.
func (h HeadOfficeSection) Validate() error {
	return checkConn("head_office", h.Server, h.Database, h.User, h.TLS)
}

// validateSections checks the optional sections of a profile.
func (p Profile) validateSections() error {
	bad := func(err error) error { return newErr(CodeProfileInvalid, "profile", p.Name, "", err) }
	if p.Sync != nil {
		if err := p.Sync.Validate(); err != nil {
			return bad(err)
		}
	}
	if p.HeadOffice != nil {
		if err := p.HeadOffice.Validate(); err != nil {
			return bad(err)
		}
	}
	return nil
}

// Environment variables that override the keyring for scripts and CI.
const (
	EnvSyncPassword       = "KYCDESK_SYNC_PASSWORD"
	EnvHeadOfficePassword = "KYCDESK_HQ_PASSWORD"
)

// Keyring entries of the head office passwords share the "kycdesk"
// service; names ending in "-key" can never be a profile's (see validateName).
func syncEntry(profile string) string { return "sync:" + strings.ToLower(profile) + "-key" }
func headOfficeEntry(profile string) string {
	return "head-office:" + strings.ToLower(profile) + "-key"
}

// SyncPassword returns the password of the profile's sync login:
// KYCDESK_SYNC_PASSWORD if set, else the keyring's. Not stored: ErrNotFound.
func (v *Vault) SyncPassword(ctx context.Context, profile string) (string, error) {
	return v.secret(ctx, profile, EnvSyncPassword, syncEntry, CodeSyncPasswordMissing)
}

// SetSyncPassword stores the sync login's password in the keyring.
func (v *Vault) SetSyncPassword(ctx context.Context, profile, password string) error {
	return v.setSecret(ctx, profile, password, syncEntry)
}

// ClearSyncPassword removes it; nothing stored is not an error.
func (v *Vault) ClearSyncPassword(ctx context.Context, profile string) error {
	return v.clearSecret(ctx, profile, syncEntry)
}

// HeadOfficePassword returns the password of the profile's head office login
// (KYCDESK_HQ_PASSWORD if set, else the keyring's).
func (v *Vault) HeadOfficePassword(ctx context.Context, profile string) (string, error) {
	return v.secret(ctx, profile, EnvHeadOfficePassword, headOfficeEntry, CodeHeadOfficePasswordMissing)
}

// SetHeadOfficePassword stores the head office login's password in the keyring.
func (v *Vault) SetHeadOfficePassword(ctx context.Context, profile, password string) error {
	return v.setSecret(ctx, profile, password, headOfficeEntry)
}

// ClearHeadOfficePassword removes it; nothing stored is not an error.
func (v *Vault) ClearHeadOfficePassword(ctx context.Context, profile string) error {
	return v.clearSecret(ctx, profile, headOfficeEntry)
}

// secret reads one of the head office passwords; nothing stored is missing, an error of code
// missing about the profile (its message names the command that stores it).
func (v *Vault) secret(ctx context.Context, profile, env string, entry func(string) string, missing Code) (string, error) {
	if e := v.getenv(env); e != "" {
		return strings.TrimRight(e, "\r\n"), nil
	}
	p, err := v.Profile(profile)
	if err != nil {
		return "", err
	}
	var pw string
	err = v.kr.do(ctx, "get", entry(p.Name), func(b Backend) error {
		var err error
		pw, err = b.Get(Service, entry(p.Name))
		return err
	})
	if e := (*Error)(nil); errors.As(err, &e) && e.Code == CodeNotFound {
		return "", newErr(missing, "get", p.Name, e.Backend, nil)
	}
	return pw, err
}

func (v *Vault) setSecret(ctx context.Context, profile, password string, entry func(string) string) error {
	password = strings.TrimRight(password, "\r\n")
	if password == "" {
		return newErr(CodeTokenEmpty, "set", profile, "", nil)
	}
	if len(password) > MaxTokenBytes {
		return newErr(CodeTokenTooLong, "set", profile, "", nil)
	}
	p, err := v.Profile(profile)
	if err != nil {
		return err
	}
	return v.kr.do(ctx, "set", entry(p.Name), func(b Backend) error { return b.Set(Service, entry(p.Name), password) })
}

func (v *Vault) clearSecret(ctx context.Context, profile string, entry func(string) string) error {
	p, err := v.Profile(profile)
	if err != nil {
		return err
	}
	err = v.kr.do(ctx, "delete", entry(p.Name), func(b Backend) error { return b.Delete(Service, entry(p.Name)) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
