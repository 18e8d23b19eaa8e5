package vault

import (
	"context"
	"errors"
	"strings"
	"unicode"
)

// EnvToken overrides the keyring for scripts and CI.
const EnvToken = "KYCDESK_TOKEN"

// MaxTokenBytes is the longest token accepted. It is the Windows Credential
// Manager's limit for a credential blob, enforced on every OS so that a
// token that works on one counter PC works on all of them.
const MaxTokenBytes = 2560

// MinTokenBytes is the shortest token accepted. Merchant tokens from the WideKYC
// portal are far longer; a token this short cannot be told apart from ordinary
// words, so it could neither be scrubbed from error messages safely nor be a real
// credential. Refusing it where it is set says so at once, instead of every later
// message being either unscrubbed or unreadable.
const MinTokenBytes = 12

// SourceEnv is TokenStatus.Where when the token comes from KYCDESK_TOKEN.
const SourceEnv = "environment " + EnvToken

// NormalizeToken trims surrounding whitespace (a pasted token or `echo` adds
// a newline) and validates what is left: not empty, no control characters or
// inner whitespace, MinTokenBytes to MaxTokenBytes. The error never contains the
// token.
func NormalizeToken(raw string) (string, error) {
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", newErr(CodeTokenEmpty, "validate", "", "", nil)
	}
	if len(t) > MaxTokenBytes {
		return "", newErr(CodeTokenTooLong, "validate", "", "", nil)
	}
	for _, r := range t {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			return "", newErr(CodeTokenInvalid, "validate", "", "", nil)
		}
	}
	if len(t) < MinTokenBytes {
		return "", newErr(CodeTokenTooShort, "validate", "", "", nil)
	}
	return t, nil
}

// Token returns the token for profile: KYCDESK_TOKEN if set (it wins over
// the keyring, for every profile), else the profile's token from the keyring.
// The Sandbox profile has no keyring token: without KYCDESK_TOKEN it returns
// an error matching ErrSandbox and the caller uses the sandbox's demo token.
// It has the shape of the client's token source once the profile is bound.
func (v *Vault) Token(ctx context.Context, profile string) (string, error) {
	if env := v.getenv(EnvToken); strings.TrimSpace(env) != "" {
		tok, err := NormalizeToken(env)
		if err != nil {
			err.(*Error).Subject = EnvToken
		}
		return tok, err
	}
	p, err := v.Profile(profile)
	if err != nil {
		return "", err
	}
	if p.IsSandbox() {
		return "", newErr(CodeSandbox, "token", p.Name, "", nil)
	}
	var tok string
	err = v.kr.do(ctx, "get", p.Name, func(b Backend) error {
		var err error
		tok, err = b.Get(Service, p.Name)
		return err
	})
	if err != nil {
		return "", err
	}
	// A token stored before the length rule (or by another program) is checked
	// like a new one: the same clear message, instead of a cryptic refusal later.
	tok, err = NormalizeToken(tok)
	if err != nil {
		err.(*Error).Subject = p.Name
	}
	return tok, err
}

// TokenSource binds Token to one profile, for kyc.NewClient's token option.
func (v *Vault) TokenSource(profile string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) { return v.Token(ctx, profile) }
}

// SetToken validates raw (see NormalizeToken) and stores it for profile.
func (v *Vault) SetToken(ctx context.Context, profile, raw string) error {
	tok, err := NormalizeToken(raw)
	if err != nil {
		return err
	}
	p, err := v.Profile(profile)
	if err != nil {
		return err
	}
	if p.IsSandbox() {
		return newErr(CodeSandbox, "set", p.Name, "", nil)
	}
	return v.kr.do(ctx, "set", p.Name, func(b Backend) error { return b.Set(Service, p.Name, tok) })
}

// ClearToken removes the profile's token from the keyring. It reports
// whether there was one; "nothing stored" is not an error.
func (v *Vault) ClearToken(ctx context.Context, profile string) (removed bool, err error) {
	p, err := v.Profile(profile)
	if err != nil {
		return false, err
	}
	if p.IsSandbox() {
		return false, newErr(CodeSandbox, "clear", p.Name, "", nil)
	}
	err = v.kr.do(ctx, "delete", p.Name, func(b Backend) error { return b.Delete(Service, p.Name) })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// TokenStatus describes the token a call would use, without revealing it.
type TokenStatus struct {
	Profile string
	Stored  bool   // a token is available
	Where   string // SourceEnv, or the keyring's name ("Secret Service", …); "" if none
	Last4   string // last four characters only; "" if none
	// Sandbox is true for the built-in profile: it needs no token (unless
	// KYCDESK_TOKEN is set, which wins everywhere).
	Sandbox bool
}

// TokenStatus reports whether a token is available for profile, where from,
// and its last four characters. "Not stored" is a status, not an error; a
// keyring that cannot be read is an error.
func (v *Vault) TokenStatus(ctx context.Context, profile string) (TokenStatus, error) {
	p, err := v.Profile(profile)
	if err != nil {
		return TokenStatus{}, err
	}
	st := TokenStatus{Profile: p.Name, Sandbox: p.IsSandbox()}
	tok, err := v.Token(ctx, p.Name)
	switch {
	case err == nil:
		st.Stored, st.Last4 = true, last4(tok)
		st.Where = v.KeyringName()
		if strings.TrimSpace(v.getenv(EnvToken)) != "" {
			st.Where = SourceEnv
		}
		return st, nil
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrSandbox):
		return st, nil
	}
	return st, err
}

func last4(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		// A token this short is not real; show nothing rather than all of it.
		return ""
	}
	return string(r[len(r)-4:])
}
