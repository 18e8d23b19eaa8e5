package app

import (
	"errors"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// next is what the clerk can do about a failed call.
type next int

const (
	nextNone       next = iota
	nextSettings        // fix the token or the server in Settings
	nextRetrySame       // outcome unknown: retry deliberately with the same reference
	nextRetryLater      // the gateway is unavailable: try again in a minute
	nextNewKeys         // the history's key is gone: start new keys (old rows stay sealed)
)

// problem is a failed call explained for the clerk: a short headline (≤ 50 characters
// or so), a detail line, and the next step.
type problem struct {
	Severity widgets.Severity
	Text     string
	Detail   string
	Next     next
}

// explain turns a call's error into the clerk's language with the next step. ref is
// the call's reference, quoted where the clerk needs it. Inner error texts (English,
// from the vault, the history or the network) are never shown raw.
func explain(err error, ref string) problem {
	var pe *photo.Error
	if errors.As(err, &pe) {
		if i18n.Current() == i18n.EN || pe.MessageID == "" {
			return problem{widgets.Error, pe.MessageEN, "", nextNone}
		}
		return problem{widgets.Error, pe.MessageID, "", nextNone}
	}
	var pe2 *kyc.ProxyError
	if errors.As(err, &pe2) && (pe2.Status == 407 || pe2.Status == 403) {
		if pe2.Status == 407 {
			return problem{widgets.Error, i18n.T("err.proxy_auth"), i18n.T("err.proxy_auth_detail", pe2.Proxy), nextSettings}
		}
		return problem{widgets.Error, i18n.T("err.proxy_refused"), i18n.T("err.proxy_refused_detail", pe2.Proxy), nextSettings}
	}
	var ke *kyc.Error
	if !errors.As(err, &ke) {
		return problem{widgets.Error, i18n.T("err.generic"), "", nextNone}
	}
	refLine := ""
	if ref != "" {
		refLine = i18n.T("err.ref", ref)
	}
	if ke.Outcome == kyc.OutcomeUnknown {
		return problem{widgets.Unknown, i18n.T("err.unknown"), i18n.T("err.unknown_detail", ref), nextRetrySame}
	}
	switch ke.Kind {
	case kyc.KindQuotaExceeded:
		return problem{widgets.Error, i18n.T("err.quota"), i18n.T("err.not_charged"), nextNone}
	case kyc.KindProductNotActivated:
		return problem{widgets.Error, i18n.T("err.not_activated"), i18n.T("err.not_activated_detail"), nextNone}
	case kyc.KindProductNotApproved:
		return problem{widgets.Error, i18n.T("err.not_approved"), i18n.T("err.not_approved_detail"), nextNone}
	case kyc.KindUnauthorized:
		return problem{widgets.Error, i18n.T("err.unauthorized"), i18n.T("err.unauthorized_detail"), nextSettings}
	case kyc.KindNotFound:
		return problem{widgets.Error, i18n.T("err.not_found"), i18n.T("err.not_found_detail"), nextSettings}
	case kyc.KindUnavailable:
		return problem{widgets.Warning, i18n.T("err.unavailable"), i18n.T("err.unavailable_detail"), nextRetryLater}
	case kyc.KindConnection, kyc.KindTimeout:
		if errors.As(err, &pe2) && pe2.Proxy != "" {
			return problem{widgets.Error, i18n.T("err.proxy"), i18n.T("err.proxy_detail", pe2.Proxy), nextRetryLater}
		}
		return problem{widgets.Error, i18n.T("err.connection"), i18n.T("err.connection_detail"), nextRetryLater}
	case kyc.KindCanceled:
		return problem{widgets.Warning, i18n.T("err.canceled"), "", nextNone}
	case kyc.KindInvalidInput:
		if ke.Outcome == kyc.OutcomeRejected {
			return problem{widgets.Error, i18n.T("err.gateway_invalid"), refLine, nextNone}
		}
		return problem{widgets.Error, i18n.T("err.invalid_input"), ke.Message, nextNone}
	case service.KindConsentRequired:
		return problem{widgets.Error, i18n.T("err.consent_required"), i18n.T("err.consent_required_detail"), nextNone}
	case service.KindSettings:
		return problem{widgets.Error, i18n.T("err.settings"), i18n.T("err.settings_detail"), nextSettings}
	case service.KindHistory:
		if errors.Is(err, history.ErrDiskFull) {
			return problem{widgets.Error, i18n.T("err.disk_full"), i18n.T("err.disk_full_detail"), nextNone}
		}
		if errors.Is(err, history.ErrKeyUnavailable) && errors.Is(err, vault.ErrNotFound) {
			return problem{widgets.Error, i18n.T("err.history_key_lost"), i18n.T("err.history_key_lost_detail"), nextNewKeys}
		}
		return problem{widgets.Error, i18n.T("err.history"), i18n.T("err.history_detail"), nextNone}
	case kyc.KindGatewayError:
		return problem{widgets.Error, i18n.T("err.gateway_error"), ke.Description, nextNone}
	}
	return problem{widgets.Error, i18n.T("err.generic"), refLine, nextNone}
}
