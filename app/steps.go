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
