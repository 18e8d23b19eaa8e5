// The words and marks History (and the head office screen) shows for a call's
// product, outcome and error kind: never a raw code.

package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
)

// historyError says why the history could not be read, in the clerk's language.
func historyError(err error) string {
	if errors.Is(err, history.ErrKeyUnavailable) {
		return i18n.T("hist.error_key")
	}
	return i18n.T("hist.error")
}

// kindWord names an error kind in the clerk's language (History shows no raw codes).
func kindWord(kind string) string {
	if w := i18n.T("kind." + kind); w != "kind."+kind {
		return w
	}
	return kind
}

func productWord(p string) string {
	switch kyc.Product(p) {
	case kyc.ProductLiveness:
		return i18n.T("tab.liveness")
	case kyc.ProductIDRecognize:
		return i18n.T("tab.ocr")
	case kyc.ProductIDValidation:
		return i18n.T("tab.validation")
	}
	return p
}

func outcomeWord(o string) string { return i18n.T("outcome." + o) }

func outcomeIcon(o string) fyne.Resource {
	switch o {
	case history.OutcomeSuccess:
		return theme.ConfirmIcon()
	case history.OutcomeRejected, history.OutcomeFailed:
		return theme.ErrorIcon()
	case history.OutcomeUnknown, history.OutcomePending:
		return theme.WarningIcon()
	}
	return theme.QuestionIcon()
}

func outcomeImportance(o string) widget.Importance {
	switch o {
	case history.OutcomeSuccess:
		return widget.SuccessImportance
	case history.OutcomeRejected, history.OutcomeFailed:
		return widget.DangerImportance
	case history.OutcomeUnknown, history.OutcomePending:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// productChoices are the product filter's options (History, Kantor pusat): all, then each
// product in the order of the tabs.
func productChoices() []string {
	return []string{i18n.T("hist.all_products"), i18n.T("tab.liveness"), i18n.T("tab.ocr"), i18n.T("tab.validation")}
}
