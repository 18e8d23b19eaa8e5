package vault

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kycdesk/kyc/proxy"
)

// The built-in profile.
const (
	SandboxName = "Sandbox"
	// SandboxURL is the ServerURL of the built-in profile: the caller starts
	// the in-process sandbox gateway instead of dialling anything.
	SandboxURL = "sandbox:"
)

// Limits on profile fields.
const (
	MaxProfileNameLen = 64
	MaxNoteLen        = 500
	MinTimeout        = time.Second
	MaxTimeout        = 10 * time.Minute
)

// Source says where a profile comes from, which decides whether it can be edited.
type Source string

// Profile sources.
const (
	SourceBuiltin Source = "builtin" // Sandbox
	SourceSystem  Source = "system"  // the fleet file managed by IT; read-only
	SourceUser    Source = "user"    // profiles.json; editable
)

// Profile is one gateway the merchant can talk to. It never holds a token.
type Profile struct {
	Name      string
	ServerURL string        // http(s) base URL, or SandboxURL
	Timeout   time.Duration // whole-call timeout; 0 means the client's default
	Note      string        // free text for the outlet's IT ("production, outlet 12")
	Source    Source
	// Proxy is how the gateway is reached: "" or "system" (the PC's proxy settings),
	// "direct", or a proxy URL (http://host:port, https://…, socks5://…) without
	// credentials; those live in the keyring (SetProxyCredentials). See kyc/proxy.
	Proxy string
	// Sync sends this profile's call metadata to head office (nil: not sent).
	Sync *SyncSection
	// HeadOffice is a head office PC's connection (nil: no Kantor pusat screen).
	HeadOffice *HeadOfficeSection
}

// ProxySetting returns the parsed Proxy field (system when empty or invalid: Validate
// refuses an invalid one before it is ever stored).
func (p Profile) ProxySetting() proxy.Setting {
	s, err := proxy.Parse(p.Proxy)
	if err != nil {
		return proxy.System()
	}
	return s
}

// IsSandbox reports whether the profile uses the in-process sandbox.
func (p Profile) IsSandbox() bool { return p.ServerURL == SandboxURL }

// ReadOnly reports whether the profile cannot be changed by the user.
func (p Profile) ReadOnly() bool { return p.Source != SourceUser }

// Sandbox returns the built-in profile.
func Sandbox() Profile {
	return Profile{Name: SandboxName, ServerURL: SandboxURL, Source: SourceBuiltin,
		Note: "Built-in offline gateway for demonstration and training"}
}

// sameName compares profile names the way the clerk reads them: ignoring
// case, so "sandbox" cannot pose as "Sandbox".
func sameName(a, b string) bool { return strings.EqualFold(a, b) }

// validateName checks a profile name, which is also the keyring user name.
// Names ending in "-key" are reserved for the history's keys (see Key), which
// share the keyring service.
func validateName(name string) error {
	bad := func(why string) error {
		return newErr(CodeProfileInvalid, "profile", "", "", fmt.Errorf("name %s", why))
	}
	switch {
	case name == "":
		return bad("is empty")
	case name != strings.TrimSpace(name):
		return bad("has leading or trailing spaces")
	case !utf8.ValidString(name):
		return bad("is not valid UTF-8")
	case utf8.RuneCountInString(name) > MaxProfileNameLen:
		return bad(fmt.Sprintf("is longer than %d characters", MaxProfileNameLen))
	case strings.HasSuffix(strings.ToLower(name), "-key"):
		return bad(`ends in "-key", which is reserved`)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return bad("contains control characters")
		}
	}
	return nil
}

// Validate checks a user or system profile (not the built-in one).
func (p Profile) Validate() error {
	if err := validateName(p.Name); err != nil {
		return err
	}
	bad := func(err error) error { return newErr(CodeProfileInvalid, "profile", p.Name, "", err) }
	u, err := url.Parse(p.ServerURL)
	if err != nil {
		return bad(fmt.Errorf("server URL: %w", err))
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bad(fmt.Errorf("server URL must be http(s)://host[/path], got scheme %q", u.Scheme))
	}
	if u.User != nil {
		// Credentials in a URL would end up in a file; tokens belong in the keyring.
		return bad(fmt.Errorf("server URL must not contain user information"))
	}
	if p.Timeout != 0 && (p.Timeout < MinTimeout || p.Timeout > MaxTimeout) {
		return bad(fmt.Errorf("timeout must be between %s and %s", MinTimeout, MaxTimeout))
	}
	if utf8.RuneCountInString(p.Note) > MaxNoteLen {
		return bad(fmt.Errorf("note is longer than %d characters", MaxNoteLen))
	}
	if _, err := proxy.Parse(p.Proxy); err != nil {
		return bad(err)
	}
	return p.validateSections()
}
