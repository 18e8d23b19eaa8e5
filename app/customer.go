package app

import (
	"context"
	"strings"
	"time"

	"kycdesk/app/i18n"
	"kycdesk/widgets"
)

// customer is the one customer a screen serves: the reference every call for them
// carries (generated, editable) and their consent. The New customer flow has one, each
// single-product screen its own.
type customer struct {
	u       *UI
	ref     *widgets.Entry
	consent *Consent
	// onConsent is called after the consent was given or withdrawn (the screen shows it).
	onConsent func()
}

func newCustomer(u *UI) *customer {
	c := &customer{u: u, ref: widgets.NewEntry()}
	c.ref.SetText(u.newRef())
	return c
}

// reference returns the reference typed in the field, generating one when it is empty.
func (c *customer) reference() string {
	if r := strings.TrimSpace(c.ref.Text); r != "" {
		return r
	}
	r := c.u.newRef()
	c.ref.SetText(r)
	return r
}

// renew starts the next customer: a new reference, no consent.
func (c *customer) renew() {
	c.ref.SetText(c.u.newRef())
	c.consent = nil
	if c.onConsent != nil {
		c.onConsent()
	}
}

// callContext returns what attaches the customer's consent, as it is now, to a call's
// context (so the history records it with the call). Called on the UI goroutine; the
// function it returns runs in the call's goroutine.
func (c *customer) callContext() func(context.Context) context.Context {
	with := c.u.deps.WithConsent
	if c.consent == nil || with == nil {
		return func(ctx context.Context) context.Context { return ctx }
	}
	consent := *c.consent
	return func(ctx context.Context) context.Context { return with(ctx, consent) }
}

// ensureConsent runs then once the customer's consent is on record: at once when it is
// already, or when the merchant does not ask for it; otherwise after the clerk confirms
// in the consent dialog (Enter: the customer agreed; Esc: nothing is sent).
func (c *customer) ensureConsent(then func()) {
	pol := c.u.consentPolicy()
	if !pol.Required || c.consent != nil {
		then()
		return
	}
	body := pol.Text + "\n\n" + i18n.T("consent.ask")
	widgets.ShowConfirm(c.u.win, i18n.T("consent.title"), body, i18n.T("consent.agree"), i18n.T("action.cancel"), func(ok bool) {
		if !ok {
			return
		}
		c.consent = &Consent{At: time.Now(), Version: pol.Version, Text: pol.Text, User: c.u.osUser()}
		if c.onConsent != nil {
			c.onConsent()
		}
		then()
	})
}

// consentStatus is the one-line consent state for the screen.
func (c *customer) consentStatus() (string, widgets.Severity) {
	pol := c.u.consentPolicy()
	switch {
	case !pol.Required:
		return "", widgets.Neutral
	case c.consent != nil:
		return i18n.T("consent.given", c.consent.At.Local().Format("15:04")), widgets.OK
	}
	return i18n.T("consent.needed"), widgets.Warning
}

// consentPolicy is the merchant's consent setting (Deps.ConsentPolicy), by default
// required with the default text.
func (u *UI) consentPolicy() ConsentPolicy {
	if u.deps.ConsentPolicy != nil {
		p := u.deps.ConsentPolicy()
		if p.Text == "" {
			p.Text = i18n.T("consent.text")
		}
		return p
	}
	return ConsentPolicy{Required: true, Text: i18n.T("consent.text"), Version: DefaultConsentVersion}
}

// DefaultConsentVersion names the built-in consent text in the records.
const DefaultConsentVersion = "kycdesk-default-1"

// osUser is the person signed in to the PC, recorded with a consent.
func (u *UI) osUser() string {
	if u.deps.OSUser != nil {
		return u.deps.OSUser()
	}
	return currentUser()
}
