package service

import (
	"context"
	"os"
	"os/user"
	"strings"
	"sync"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
)

// KindConsentRequired is the error kind of a call refused because the customer's
// consent was not confirmed while the settings require it. Nothing was sent or billed.
const KindConsentRequired kyc.ErrorKind = "consent_required"

// KindSettings is the error kind of a call refused because settings.json cannot be
// trusted (damaged, invalid, lost): which consent text is in force is not known, so
// no paid call is made until the settings are repaired. Nothing was sent or billed.
const KindSettings kyc.ErrorKind = "settings_invalid"

// Consent is a customer's consent as the clerk confirmed it: when, to which text
// (and its version), by which OS user. Every paid call carries it (WithConsent) when
// the settings require it, and the history records it with the call.
type Consent = history.Consent

// ConsentPolicy is what asking for consent needs: whether it is required, and the
// text (and version) to show.
type ConsentPolicy struct {
	Required bool
	Text     string
	Version  int
}

// Confirm records the clerk's confirmation, now, that the customer agreed to the
// policy's text, as the current OS user. The window calls it when the clerk confirms
// the consent dialog for a customer and keeps the result until the next customer.
func (p ConsentPolicy) Confirm() Consent { return p.confirmAt(time.Now()) }

func (p ConsentPolicy) confirmAt(t time.Time) Consent {
	return Consent{At: t, Version: p.Version, Text: p.Text, User: OSUser()}
}

type consentKey struct{}

// WithConsent returns a context carrying the customer's consent for the calls made
// with it. The window wraps each call of a customer's session in it; the commands do
// with --consent.
func WithConsent(ctx context.Context, c Consent) context.Context {
	return context.WithValue(ctx, consentKey{}, c)
}

// ConsentFrom returns the consent ctx carries, if any.
func ConsentFrom(ctx context.Context) (Consent, bool) {
	c, ok := ctx.Value(consentKey{}).(Consent)
	return c, ok && c.Given()
}

var (
	osUserOnce sync.Once
	osUserName string
)

// OSUser is the name of the OS account running KYC Desk (the clerk's login), as
// recorded with each consent. It falls back to USER/USERNAME, then "unknown".
func OSUser() string {
	osUserOnce.Do(func() {
		if u, err := user.Current(); err == nil && strings.TrimSpace(u.Username) != "" {
			osUserName = u.Username
			return
		}
		for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
			if v := strings.TrimSpace(os.Getenv(k)); v != "" {
				osUserName = v
				return
			}
		}
		osUserName = "unknown"
	})
	return osUserName
}

func consentMissing() *kyc.Error {
	return &kyc.Error{Kind: KindConsentRequired, Outcome: kyc.OutcomeFailed,
		Message: "the customer's consent to the processing of their data (including the face photo) has not been confirmed, " +
			"so nothing was sent: confirm it first (the window asks for each customer; headless commands take --consent)"}
}
