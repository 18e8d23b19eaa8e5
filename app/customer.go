package app

import (
	"context"
	"strings"

	"kycdesk/app/i18n"
	"kycdesk/kyc/service"
	"kycdesk/widgets"
)

// customer is the one customer a screen serves: the reference every call for them
// carries (generated, editable) and their consent. The New customer flow has one, each
// single-product screen its own.
type customer struct {
	u       *UI
	ref     *widgets.Entry
	consent *service.Consent
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
	if c.consent == nil {
		return func(ctx context.Context) context.Context { return ctx }
	}
	consent := *c.consent
	return func(ctx context.Context) context.Context { return service.WithConsent(ctx, consent) }
}

// ensureConsent runs then once the customer's consent is on record: at once when it is
// already, or when the merchant does not ask for it; otherwise after the clerk confirms
// in the consent dialog (Enter: the customer agreed; Esc: nothing is sent). While the
// settings are in doubt nothing is sent: the banner says why and offers Settings.
func (c *customer) ensureConsent(then func()) {
	if !c.u.consent.loaded && c.u.deps.Consent != nil {
		// The setting is read at start, in a second or so: until then the text's version
		// to record is not known, so nothing goes out.
		c.u.showBanner(func() { c.u.banner.ShowMessage(widgets.Neutral, i18n.T("conn.pending"), c.u.dismissAction()) })
		return
	}
	pol, err := c.u.consentPolicy()
	if err != nil {
		// The settings may have been repaired meanwhile (by a command, say): look again.
		c.u.showSettingsProblem()
		c.u.checkProblems()
		return
	}
	if !pol.Required || c.consent != nil {
		then()
		return
	}
	body := pol.Text + "\n\n" + i18n.T("consent.ask")
	widgets.ShowConfirm(c.u.win, i18n.T("consent.title"), body, i18n.T("consent.agree"), i18n.T("action.cancel"), func(ok bool) {
		if !ok {
			return
		}
		consent := pol.Confirm()
		c.consent = &consent
		if c.onConsent != nil {
			c.onConsent()
		}
		then()
	})
}

// consentStatus is the one-line consent state for the screen.
func (c *customer) consentStatus() (string, widgets.Severity) {
	pol, err := c.u.consentPolicy()
	switch {
	case err == nil && !pol.Required:
		return "", widgets.Neutral
	case c.consent != nil:
		return i18n.T("consent.given", c.consent.At.Local().Format("15:04")), widgets.OK
	}
	return i18n.T("consent.needed"), widgets.Warning
}

// consentState is the merchant's consent setting as last read (settings live on disk:
// they are read off the UI goroutine, at start and after every save).
type consentState struct {
	loaded bool
	pol    service.ConsentPolicy
	err    error
}

// consentPolicy is the consent setting in force. Until it has been read it is the safe
// default: required, with the default text.
func (u *UI) consentPolicy() (service.ConsentPolicy, error) {
	pol, err := u.consent.pol, u.consent.err
	if !u.consent.loaded || u.deps.Consent == nil {
		pol, err = service.ConsentPolicy{Required: true}, nil
	}
	if strings.TrimSpace(pol.Text) == "" {
		pol.Text = i18n.T("consent.text")
	}
	return pol, err
}

// loadConsent reads the consent setting off the UI goroutine.
func (u *UI) loadConsent() {
	src := u.deps.Consent
	if src == nil {
		return
	}
	go func() {
		pol, err := src.ConsentPolicy()
		uiDo(func() {
			u.consent = consentState{loaded: true, pol: pol, err: err}
			for _, s := range u.customerScreens() {
				s.retranslate() // the consent lines follow
			}
		})
	}()
}
