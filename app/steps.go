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

// imageStep is a step that sends one prepared image (ID recognize, liveness).
type imageStep struct {
	step
	in *intake
	// send calls the gateway (off the UI goroutine) and returns what to show on success.
	send func(ctx context.Context, gw Gateway, ref, b64 string) (show func(), err error)
}

// init wires an image step: its zone, its button and its idle state.
func (s *imageStep) init(u *UI, cust *customer, key string, kind photo.Kind) {
	s.step = newStep(u, cust, key)
	s.in = newIntake(u, kind, key+".zone", s.refresh)
	s.run.OnTapped = func() { s.start(false) }
	s.r.onIdle = s.refresh
	s.refresh()
}

// clearImage forgets the customer's image and result (next customer).
func (s *imageStep) clearImage() {
	s.reset()
	s.in.clear()
	s.refresh()
}

func (s *imageStep) canRun() bool { return s.in.ready() && !s.r.busy() }

func (s *imageStep) refresh() {
	if s.canRun() {
		s.run.Enable()
	} else {
		s.run.Disable()
	}
}

// start sends the image. retrySame is the deliberate "retry with the same reference"
// after an unknown outcome. The customer's consent comes first (once per customer),
// then the clerk confirms warnings; the image is read again after each dialog, since it
// may have been replaced or removed meanwhile.
func (s *imageStep) start(retrySame bool) {
	if s.r.busy() || s.pendingUnknown(retrySame) || !s.canRun() {
		return
	}
	s.cust.ensureConsent(func() {
		if !s.canRun() {
			return
		}
		ref := s.cust.reference()
		s.confirmWarnings(s.in.warnings(), func() {
			if !s.canRun() || s.r.busy() {
				return
			}
			gw := s.u.gateway()
			if gw == nil {
				s.u.showNotConnected()
				return
			}
			b64 := s.in.prepared.Base64()
			s.launch(ref, func(ctx context.Context) (func(), error) { return s.send(ctx, gw, ref, b64) })
			s.refresh()
		})
	})
}

// ---- ID recognize ----

type ocrStep struct {
	imageStep
	form *widgets.FieldForm
	res  *kyc.RecognizeResult // the last successful read
}

// ocrLayout lists the 16 eKTP fields in the order the card prints them (so the clerk
// reads the card and the form top to bottom together); Wide fields take a row of their
// own when the form has two columns.
var ocrLayout = []struct {
	key  string
	wide bool
}{
	{"provinsi", true}, {"kota", true},
	{"nik", false}, {"jenis_kelamin", false},
	{"nama", true},
	{"tempat_lahir", false}, {"tanggal_lahir", false},
	{"gol_darah", false}, {"agama", false},
	{"alamat", true},
	{"rt/rw", false}, {"kelurahan/desa", false},
	{"kecamatan", false}, {"status_perkawinan", false},
	{"pekerjaan", false}, {"kewarganegaraan", false},
}

func ocrFields() []widgets.Field {
	fs := make([]widgets.Field, 0, len(ocrLayout))
	for _, f := range ocrLayout {
		fs = append(fs, widgets.Field{Key: f.key, Label: i18n.T("field." + f.key), Wide: f.wide,
			Multiline: f.key == "alamat", NIK: f.key == "nik"})
	}
	return fs
}

// retranslateForm re-labels a form's fields.
func retranslateForm(f *widgets.FieldForm, keys []string) {
	for _, k := range keys {
		f.SetLabel(k, i18n.T("field."+k))
	}
	if e := f.Entry("tanggal_lahir"); e != nil {
		e.SetPlaceHolder(i18n.T("date.placeholder"))
	}
}

func newOCRStep(u *UI, cust *customer) *ocrStep {
	s := &ocrStep{}
	s.send = func(ctx context.Context, gw Gateway, ref, b64 string) (func(), error) {
		res, err := gw.Recognize(ctx, kyc.RecognizeRequest{CustRefNo: ref, IDImage: b64})
		return func() { s.show(res) }, err
	}
	s.init(u, cust, "ocr", photo.KindID)
	s.form = widgets.NewFieldForm(ocrFields())
	s.render = s.renderCard
	s.form.OnChanged = func(key, _ string) {
		switch key {
		case "nik", "provinsi", "kota", "kecamatan", "tanggal_lahir", "jenis_kelamin":
			s.checkNIK()
		}
	}
	return s
}

// show fills the form from a successful read (on the UI goroutine).
func (s *ocrStep) show(res *kyc.RecognizeResult) {
	s.res = res
	for k, v := range res.Identity {
		s.form.SetValue(k, v)
	}
	s.checkNIK()
	s.renderCard()
}

func (s *ocrStep) renderCard() {
	switch {
	case s.lastErr != nil:
		s.showFailure()
	case s.res == nil:
		s.card.SetState(widgets.Neutral, "", i18n.T("ocr.idle"), "")
	case s.res.Recognized:
		s.card.SetState(widgets.OK, i18n.T("ocr.read"), i18n.T("ocr.done"), trxLine(s.res.TrxID))
	default:
		s.card.SetState(widgets.Warning, i18n.T("ocr.not_read"), i18n.T("ocr.not_read_detail"), trxLine(s.res.TrxID))
	}
}

func trxLine(trx string) string {
	if trx == "" {
		return ""
	}
	return "trx_id " + trx
}

// checkNIK runs the local NIK checks against the form (pure, cheap: fine on the UI
// goroutine) and marks each finding on the field it concerns.
func (s *ocrStep) checkNIK() { checkNIK(s.form) }

func checkNIK(form *widgets.FieldForm) {
	vals := form.Values()
	for _, k := range []string{"nik", "provinsi", "kota", "kecamatan", "tanggal_lahir", "jenis_kelamin"} {
		if form.Entry(k) != nil {
			form.SetHint(k, "", widgets.Neutral)
		}
	}
	n := strings.TrimSpace(vals["nik"])
	if n == "" {
		return
	}
	fs := nik.Consistency(n, vals)
	for _, f := range fs {
		sev := widgets.Warning
		if f.Severity == nik.SeverityError {
			sev = widgets.Error
		}
		if form.Entry(f.Field) == nil {
			continue // a finding about a field this form does not have
		}
		form.SetHint(f.Field, f.Message(string(i18n.Current())), sev)
	}
	if p, err := nik.Parse(n); err == nil && len(fs) == 0 {
		if hint := p.Region.String(); hint != "" {
			form.SetHint("nik", hint, widgets.OK)
		}
	}
}

func (s *ocrStep) clear() {
	s.clearImage()
	s.form.Clear()
	s.res = nil
	s.renderCard()
}

// ---- passive liveness ----

type livenessStep struct {
	imageStep
	res *kyc.LivenessResult
}

func newLivenessStep(u *UI, cust *customer) *livenessStep {
	s := &livenessStep{}
	s.send = func(ctx context.Context, gw Gateway, ref, b64 string) (func(), error) {
		res, err := gw.Liveness(ctx, kyc.LivenessRequest{CustRefNo: ref, SelfieImage: b64})
		return func() { s.res = res; s.renderCard() }, err
	}
	s.init(u, cust, "live", photo.KindSelfie)
	s.render = s.renderCard
	return s
}

// live reports the last liveness verdict: nil before an answer.
func (s *livenessStep) live() *bool {
	if s.res == nil {
		return nil
	}
	v := s.res.Live
	return &v
}

func (s *livenessStep) renderCard() {
	switch {
	case s.lastErr != nil:
		s.showFailure()
	case s.res == nil:
		s.card.SetState(widgets.Neutral, "", i18n.T("live.idle"), "")
	case s.res.Live:
		s.card.SetState(widgets.OK, i18n.T("live.live"), i18n.T("live.live_detail"), trxLine(s.res.TrxID))
	default:
		s.card.SetState(widgets.Error, i18n.T("live.not_live"), i18n.T("live.not_live_detail"), trxLine(s.res.TrxID))
	}
}

func (s *livenessStep) clear() {
	s.clearImage()
	s.res = nil
	s.renderCard()
}

// ---- ID validation ----

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
	var selfie *photo.Prepared
	if s.selfie.ready() {
		selfie = s.selfie.prepared
	}
	req := validationRequest(s.cust.reference(), s.fields(), selfie)
	// Refuse locally what the gateway would certainly reject: nothing is sent, nothing billed.
	if msg := checkLocally(req); msg != "" {
		s.refuse(msg)
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
			var selfie *photo.Prepared
			if s.selfie.ready() {
				selfie = s.selfie.prepared
			}
			req := validationRequest(s.cust.reference(), s.fields(), selfie)
			if msg := checkLocally(req); msg != "" {
				s.refuse(msg)
				return
			}
			s.launch(req.CustRefNo, func(ctx context.Context) (func(), error) {
				res, err := gw.Validate(ctx, req)
				return func() { s.res, s.stale = res, false; s.renderCard() }, err
			})
		})
	})
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
