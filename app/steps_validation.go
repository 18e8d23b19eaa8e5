// The validation step: the data that will be sent, the run, the verdict per field and the
// face score, and the verdict marked outdated when a field changes after it.

package app

import (
	"context"
	"strings"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/photo"
	"kycdesk/widgets"
)

type validationStep struct {
	step
	fields func() map[string]string // OCR keys: nik, nama, tanggal_lahir, tempat_lahir, alamat
	selfie *intake                  // optional selfie to compare with the registry photo
	res    *kyc.ValidationResult
	// stale is set when a field changed after the answer: the verdict no longer
	// describes the data on screen, and the step must run again.
	stale bool
	// local is a local refusal (nothing sent), shown on the card.
	local string
}

func newValidationStep(u *UI, cust *customer, fields func() map[string]string, selfie *intake) *validationStep {
	s := &validationStep{step: newStep(u, cust, "val"), fields: fields, selfie: selfie}
	s.run.OnTapped = func() { s.start(false) }
	s.r.onIdle = s.refresh
	s.render = s.renderCard
	return s
}

// validationRequest maps the form to the gateway's request (tested as a plain function).
func validationRequest(ref string, f map[string]string, selfie *photo.Prepared) kyc.ValidationRequest {
	req := kyc.ValidationRequest{
		CustRefNo: ref, NIK: strings.TrimSpace(f["nik"]), Name: strings.TrimSpace(f["nama"]),
		BirthDate: strings.TrimSpace(f["tanggal_lahir"]), BirthPlace: strings.TrimSpace(f["tempat_lahir"]),
		Address: strings.TrimSpace(f["alamat"]),
	}
	if selfie != nil {
		req.SelfieImage = selfie.Base64()
	}
	return req
}

// checkLocally refuses what the gateway would certainly reject, in the clerk's language:
// nothing is sent, nothing charged. "" means the request may go.
func checkLocally(req kyc.ValidationRequest) string {
	if req.NIK == "" {
		return i18n.T("val.need_nik")
	}
	if _, err := nik.Parse(req.NIK); err != nil {
		var ne *nik.Error
		reason := ""
		if asNIK(err, &ne) {
			reason = ne.Message(string(i18n.Current()))
		}
		return i18n.T("val.bad_nik", reason)
	}
	if req.BirthDate != "" {
		if _, err := nik.ParseBirthDate(req.BirthDate); err != nil {
			return i18n.T("val.bad_date")
		}
	}
	if err := kyc.CheckValidation(req); err != nil {
		return i18n.T("val.bad_input")
	}
	return ""
}

// canRun: a NIK is there, and the selfie zone is either empty or holds a usable photo
// (not one still being prepared, not one with a blocking finding): validation must not
// go out without the face the clerk meant to send.
func (s *validationStep) canRun() bool {
	if s.r.busy() || strings.TrimSpace(s.fields()["nik"]) == "" {
		return false
	}
	in := s.selfie
	return in.cancel == nil && (in.prepared == nil || in.ready())
}

// needsRun reports whether the step has no current verdict: never run, failed, or
// outdated by an edit.
func (s *validationStep) needsRun() bool { return s.res == nil || s.stale || s.lastErr != nil }

func (s *validationStep) start(retrySame bool) {
	if s.r.busy() || s.pendingUnknown(retrySame) || !s.canRun() {
		return
	}
	if _, ok := s.request(); !ok {
		return
	}
	s.local = ""
	s.cust.ensureConsent(func() {
		s.confirmWarnings(s.selfie.warnings(), func() {
			if !s.canRun() {
				return
			}
			gw := s.u.gateway()
			if gw == nil {
				s.u.showNotConnected()
				return
			}
			// The request is built again: the customer's data may have changed while a
			// dialog was open.
			req, ok := s.request()
			if !ok {
				return
			}
			s.launch(req.CustRefNo, func(ctx context.Context) (func(), error) {
				res, err := gw.Validate(ctx, req)
				return func() { s.res, s.stale = res, false; s.renderCard() }, err
			})
		})
	})
}

// request builds the request from the customer's data and the selfie, and refuses locally
// (refuse) what the gateway would certainly reject: nothing is sent, nothing billed.
func (s *validationStep) request() (kyc.ValidationRequest, bool) {
	var selfie *photo.Prepared
	if s.selfie.ready() {
		selfie = s.selfie.prepared
	}
	req := validationRequest(s.cust.reference(), s.fields(), selfie)
	if msg := checkLocally(req); msg != "" {
		s.refuse(msg)
		return req, false
	}
	return req, true
}

// refuse shows a local refusal (nothing sent) and tells the screen.
func (s *validationStep) refuse(msg string) {
	s.local = msg
	s.renderCard()
	if s.onDone != nil {
		s.onDone()
	}
}

// markStale records that the data changed after the verdict.
func (s *validationStep) markStale() {
	if s.res != nil && !s.stale && !s.r.busy() {
		s.stale = true
		s.renderCard()
	}
}

// rows lists the per-field verdicts and the face score.
func (s *validationStep) rows() []widgets.Row {
	if s.res == nil {
		return nil
	}
	m := s.res.Match
	th := s.u.threshold()
	rows := []widgets.Row{
		{Label: i18n.T("field.nik"), Value: tickWord(m.NIK), Tick: m.NIK},
		{Label: i18n.T("field.nama"), Value: tickWord(m.FullName), Tick: m.FullName},
		{Label: i18n.T("field.tanggal_lahir"), Value: tickWord(m.BirthDate), Tick: m.BirthDate},
		{Label: i18n.T("field.tempat_lahir"), Value: tickWord(m.BirthPlace), Tick: m.BirthPlace},
		{Label: i18n.T("field.alamat"), Value: tickWord(m.Address), Tick: m.Address},
	}
	if m.SelfiePhoto != nil {
		ok := *m.SelfiePhoto >= th
		rows = append(rows, widgets.Row{Label: i18n.T("val.face"), Value: i18n.T("val.face_score", number(*m.SelfiePhoto), number(th)), Tick: &ok})
	}
	return rows
}

func (s *validationStep) renderCard() {
	switch {
	case s.local != "":
		s.card.SetRows(nil)
		s.card.SetState(widgets.Error, i18n.T("val.not_sent"), s.local, i18n.T("err.not_charged"))
		return
	case s.lastErr != nil:
		s.card.SetRows(nil)
		s.showFailure()
		return
	case s.res == nil:
		s.card.SetRows(nil)
		s.card.SetState(widgets.Neutral, "", i18n.T("val.idle"), "")
		return
	}
	s.card.SetRows(s.rows())
	switch {
	case s.stale:
		s.card.SetState(widgets.Warning, i18n.T("val.stale"), i18n.T("val.stale_detail"), trxLine(s.res.TrxID))
	case s.res.Match.Passed(s.u.threshold()):
		s.card.SetState(widgets.OK, i18n.T("val.passed"), i18n.T("val.passed_detail"), trxLine(s.res.TrxID))
	default:
		s.card.SetState(widgets.Error, i18n.T("val.failed"), i18n.T("val.failed_detail"), trxLine(s.res.TrxID))
	}
}

func tickWord(b *bool) string {
	switch {
	case b == nil:
		return i18n.T("val.not_checked")
	case *b:
		return i18n.T("val.match")
	}
	return i18n.T("val.no_match")
}

func (s *validationStep) clear() {
	s.reset()
	s.res, s.stale, s.local = nil, false, ""
	s.renderCard()
}

// refresh enables Validate when it can run.
func (s *validationStep) refresh() {
	if s.canRun() {
		s.run.Enable()
	} else {
		s.run.Disable()
	}
}
