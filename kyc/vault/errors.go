package vault

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Code classifies every error this package returns, so the GUI can pick a
// translated message and the CLI an exit code without parsing text.
type Code string

// Error codes. The keyring codes say what the clerk (or the outlet's IT)
// must do; the others describe bad input or profile misuse.
const (
	CodeUnavailable  Code = "keyring_unavailable"   // no keyring service reachable (Linux: no Secret Service)
	CodeLocked       Code = "keyring_locked"        // keyring locked and could not be unlocked
	CodeAccessDenied Code = "keyring_access_denied" // the OS refused access (cancelled prompt, policy)
	CodeTimeout      Code = "keyring_timeout"       // no answer in time (an unlock prompt may be open)
	CodeNotFound     Code = "not_found"             // no secret stored for this profile or key
	// The head office passwords missing: CodeNotFound's kind (errors.Is ErrNotFound), with a
	// message naming the command that stores them rather than `token set`.
	CodeSyncPasswordMissing       Code = "sync_password_missing"
	CodeHeadOfficePasswordMissing Code = "head_office_password_missing"
	CodeTokenTooLong              Code = "token_too_long"    // longer than the strictest platform allows
	CodeTokenTooShort             Code = "token_too_short"   // shorter than MinTokenBytes: not a real token
	CodeTokenEmpty                Code = "token_empty"       // nothing left after trimming
	CodeTokenInvalid              Code = "token_invalid"     // contains control characters or spaces
	CodeKeyring                   Code = "keyring_error"     // any other keyring failure
	CodeProfileNotFound           Code = "profile_not_found" // no profile by that name
	CodeProfileReadOnly           Code = "profile_read_only" // Sandbox or a system profile: cannot be changed here
	CodeProfileInvalid            Code = "profile_invalid"   // bad name, URL or timeout
	CodeSandbox                   Code = "sandbox_profile"   // the Sandbox profile has no keyring token
)

// Sentinels for errors.Is. An *Error matches the sentinel of its Code.
var (
	ErrUnavailable     = errors.New("vault: keyring unavailable")
	ErrLocked          = errors.New("vault: keyring locked")
	ErrAccessDenied    = errors.New("vault: keyring access denied")
	ErrTimeout         = errors.New("vault: keyring timeout")
	ErrNotFound        = errors.New("vault: not found")
	ErrTokenTooLong    = errors.New("vault: token too long")
	ErrTokenTooShort   = errors.New("vault: token too short")
	ErrTokenEmpty      = errors.New("vault: token empty")
	ErrTokenInvalid    = errors.New("vault: token invalid")
	ErrKeyring         = errors.New("vault: keyring error")
	ErrProfileNotFound = errors.New("vault: profile not found")
	ErrProfileReadOnly = errors.New("vault: profile read-only")
	ErrProfileInvalid  = errors.New("vault: profile invalid")
	ErrSandbox         = errors.New("vault: sandbox profile")
)

var sentinels = map[Code]error{
	CodeUnavailable:               ErrUnavailable,
	CodeLocked:                    ErrLocked,
	CodeAccessDenied:              ErrAccessDenied,
	CodeTimeout:                   ErrTimeout,
	CodeNotFound:                  ErrNotFound,
	CodeSyncPasswordMissing:       ErrNotFound,
	CodeHeadOfficePasswordMissing: ErrNotFound,
	CodeTokenTooLong:              ErrTokenTooLong,
	CodeTokenTooShort:             ErrTokenTooShort,
	CodeTokenEmpty:                ErrTokenEmpty,
	CodeTokenInvalid:              ErrTokenInvalid,
	CodeKeyring:                   ErrKeyring,
	CodeProfileNotFound:           ErrProfileNotFound,
	CodeProfileReadOnly:           ErrProfileReadOnly,
	CodeProfileInvalid:            ErrProfileInvalid,
	CodeSandbox:                   ErrSandbox,
}

// Error is the one error type of this package. It never contains a secret:
// Subject is a profile or key name, Err is the backend's error (go-keyring
// errors carry no secret values).
type Error struct {
	Code    Code
	Op      string // "get", "set", "delete", "profile", …
	Subject string // profile or key name; never a secret
	Backend string // "Secret Service", "Windows Credential Manager", …
	Err     error  // underlying cause, may be nil
}

func (e *Error) Error() string {
	s := "vault: " + e.Message("en")
	if e.Subject != "" {
		s += fmt.Sprintf(" [%s %q]", e.Op, e.Subject)
	} else if e.Op != "" {
		s += " [" + e.Op + "]"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes the backend's error.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrLocked) and friends work.
func (e *Error) Is(target error) bool { return sentinels[e.Code] == target }

// Message returns the actionable message for the clerk in lang ("id" for
// Bahasa Indonesia, anything else for English).
func (e *Error) Message(lang string) string {
	m, ok := messages[e.Code]
	if !ok {
		m = messages[CodeKeyring]
	}
	text := m.en
	if lang == "id" {
		text = m.id
	}
	// A command in a message names the profile it is about: `kycdesk token set`
	// alone would act on the active profile, which may be another one (or the
	// Sandbox, which refuses a token).
	profile := "NAME"
	if e.Subject != "" {
		profile = strconv.Quote(e.Subject)
	}
	return strings.ReplaceAll(text, "{profile}", profile)
}

func newErr(code Code, op, subject, backend string, cause error) *Error {
	return &Error{Code: code, Op: op, Subject: subject, Backend: backend, Err: cause}
}

// CodeOf returns the Code of err if it is (or wraps) an *Error, else "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
