package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/photo"
	"kycdesk/widgets"
)

// step is what the three product steps share: a run button, a progress line with
// Cancel, a result card, and the last failure (for "retry with the same reference").
type step struct {
	u    *UI
	ref  func() string
	run  *widget.Button
	card *widgets.ResultCard
	r    *runner
	// retryRef and resend are set after an "outcome unknown": the next run must be a
	// deliberate retry of exactly that call (same reference, same payload).
	retryRef string
	resend   func()
	// gen counts customers: clear bumps it, and the result of a call started for an
	// earlier customer is dropped (it is on record in the history) instead of being
	// shown over the next customer's screen.
	gen    int
	onDone func()
}

func newStep(u *UI, ref func() string, title, runLabel string, onDone func()) step {
	s := step{u: u, ref: ref, card: widgets.NewResultCard(title), onDone: onDone, r: newRunner(nil)}
	s.run = widget.NewButtonWithIcon(runLabel, theme.MediaPlayIcon(), nil)
	s.run.Importance = widget.HighImportance
	return s
}

// launch sends one call on the runner. call runs off the UI goroutine and returns what
// to show on success; the result is applied only if the screen still shows the customer
// the call was made for. The exact call is kept for a deliberate "retry with the same
// reference".
func (s *step) launch(busy, ref string, call func(ctx context.Context) (show func(), err error)) {
	gen := s.gen
	var again func()
	again = func() {
		if gen != s.gen || s.r.busy() {
			return
		}
		s.card.SetState(widgets.Busy, "", busy, "")
		s.u.win.Canvas().Unfocus() // so Esc reaches the window and cancels
		s.r.start(busy, func(ctx context.Context) func() {
			show, err := call(ctx)
			return func() {
				if gen != s.gen {
					return
				}
				if err == nil && show != nil {
					show()
				}
				s.finish(err, ref, again)
			}
		})
	}
	again()
}

// finish shows a failure (or clears the banner on success) and tells the screen.
func (s *step) finish(err error, ref string, again func()) {
	s.retryRef, s.resend = "", nil
	if err != nil {
		p := explain(err, ref)
		s.card.SetState(p.Severity, stateWord(p.Severity), p.Text, "")
		if p.Next == nextRetrySame {
			s.retryRef, s.resend = ref, again
		}
		s.u.showProblem(p, again)
	} else {
		s.u.banner.Hide()
	}
	if s.onDone != nil {
		s.onDone()
	}
}

// pendingUnknown handles a run while the last call's outcome is unknown: nothing is
// sent unless the clerk confirms a retry of that same call. It reports whether it took
// over the run.
func (s *step) pendingUnknown(retrySame bool) bool {
	if s.resend == nil {
		return false
	}
	if retrySame {
		s.resend()
		return true
	}
	d := dialog.NewConfirm(i18n.T("resend.title"), i18n.T("resend.body", s.retryRef), func(ok bool) {
		if ok && s.resend != nil {
			s.resend()
		}
	}, s.u.win)
	d.SetConfirmText(i18n.T("action.retry_same"))
	d.SetDismissText(i18n.T("action.cancel"))
	d.Show()
	return true
}

// reset forgets the customer: a call still in flight is cancelled and its result dropped.
func (s *step) reset() {
	s.gen++
	s.r.stop()
	s.retryRef, s.resend = "", nil
}

func stateWord(sev widgets.Severity) string {
	switch sev {
	case widgets.OK:
		return i18n.T("state.ok")
	case widgets.Warning:
		return i18n.T("state.warning")
	case widgets.Unknown:
		return i18n.T("state.unknown")
	}
	return i18n.T("state.failed")
}

// confirmWarnings asks before sending an image with warnings; the clerk may override a
// warning, never an error (intake.ready refuses those).
func (s *step) confirmWarnings(warnings []string, send func()) {
	if len(warnings) == 0 {
		send()
		return
	}
	d := dialog.NewConfirm(i18n.T("warn.title"), i18n.T("warn.body", joinLines(warnings)), func(ok bool) {
		if ok {
			send()
		}
	}, s.u.win)
	d.SetConfirmText(i18n.T("warn.send"))
	d.SetDismissText(i18n.T("action.cancel"))
	d.Show()
}

// imageStep is a step that sends one prepared image (ID recognize, liveness).
type imageStep struct {
	step
	in *intake
	// send calls the gateway (off the UI goroutine) and returns what to show on success.
	send func(ctx context.Context, gw Gateway, ref, b64 string) (show func(), err error)
	busy string // progress label
	idle string // what the card says before the first call
}

// init wires an image step: its zone, its button and its idle state. key names the
// step's strings (key.title, key.run, key.busy, key.zone, key.idle).
func (s *imageStep) init(u *UI, ref func() string, key string, kind photo.Kind, onDone func()) {
	s.step = newStep(u, ref, i18n.T(key+".title"), i18n.T(key+".run"), onDone)
	s.busy, s.idle = i18n.T(key+".busy"), i18n.T(key+".idle")
	s.in = newIntake(u, kind, i18n.T(key+".zone"), s.refresh)
	s.run.OnTapped = func() { s.start(false) }
	s.r.onIdle = s.refresh
	s.card.SetState(widgets.Neutral, "", s.idle, "")
	s.refresh()
}

// clearImage forgets the customer's image and result (next customer).
func (s *imageStep) clearImage() {
	s.reset()
	s.in.clear()
	s.card.SetState(widgets.Neutral, "", s.idle, "")
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
// after an unknown outcome. The clerk confirms warnings first; the image is read again
// after the confirmation, since it may have been replaced or removed meanwhile.
func (s *imageStep) start(retrySame bool) {
	if s.r.busy() || s.pendingUnknown(retrySame) || !s.canRun() {
		return
	}
	ref := s.ref()
	s.confirmWarnings(s.in.warnings(), func() {
		if !s.canRun() {
			return
		}
		gw := s.u.gateway()
		if gw == nil {
			s.u.showNotConnected()
			return
		}
		b64 := s.in.prepared.Base64()
		s.launch(s.busy, ref, func(ctx context.Context) (func(), error) { return s.send(ctx, gw, ref, b64) })
		s.refresh()
	})
}

// ---- ID recognize ----

type ocrStep struct {
	imageStep
	form *widgets.FieldForm
	// result of the last successful read, for the summary
	read bool
}

// ocrLabels are the 16 eKTP fields as the card prints them.
func ocrFields() []widgets.Field {
	fs := make([]widgets.Field, 0, len(kyc.IdentityKeys))
	for _, k := range kyc.IdentityKeys {
		fs = append(fs, widgets.Field{Key: k, Label: i18n.T("field." + k), Multiline: k == "alamat", NIK: k == "nik"})
	}
	return fs
}

// datePlaceholder shows the expected date format in a form's birth-date entry.
func datePlaceholder(f *widgets.FieldForm) {
	if e := f.Entry("tanggal_lahir"); e != nil {
		e.SetPlaceHolder("DD-MM-YYYY")
	}
}

func newOCRStep(u *UI, ref func() string, onDone func()) *ocrStep {
	s := &ocrStep{}
	s.send = func(ctx context.Context, gw Gateway, ref, b64 string) (func(), error) {
		res, err := gw.Recognize(ctx, kyc.RecognizeRequest{CustRefNo: ref, IDImage: b64})
		return func() { s.show(res) }, err
	}
	s.init(u, ref, "ocr", photo.KindID, onDone)
	s.form = widgets.NewFieldForm(ocrFields())
	datePlaceholder(s.form)
	s.form.OnChanged = func(key, _ string) {
		if key == "nik" || key == "provinsi" || key == "kota" || key == "kecamatan" || key == "tanggal_lahir" || key == "jenis_kelamin" {
			s.checkNIK()
		}
		if s.onDone != nil {
			s.onDone() // the summary and the validation step follow the form
		}
	}
	return s
}

// show fills the form from a successful read (on the UI goroutine).
func (s *ocrStep) show(res *kyc.RecognizeResult) {
	s.read = true
	for k, v := range res.Identity {
		s.form.SetValue(k, v)
	}
	word, sev := i18n.T("ocr.read"), widgets.OK
	if !res.Recognized {
		word, sev = i18n.T("ocr.not_read"), widgets.Warning
	}
	s.card.SetState(sev, word, i18n.T("ocr.done", res.TrxID), "")
	s.checkNIK()
}

// checkNIK runs the local NIK checks against the form (pure, cheap: fine on the UI
// goroutine) and shows each finding next to the field it concerns.
func (s *ocrStep) checkNIK() {
	vals := s.form.Values()
	for _, k := range []string{"nik", "provinsi", "kota", "kecamatan", "tanggal_lahir", "jenis_kelamin"} {
		s.form.SetHint(k, "", widgets.Neutral)
	}
	n := strings.TrimSpace(vals["nik"])
	if n == "" {
		return
	}
	for _, f := range nik.Consistency(n, vals) {
		sev := widgets.Warning
		if f.Severity == nik.SeverityError {
			sev = widgets.Error
		}
		s.form.SetHint(f.Field, f.Message(string(i18n.Current())), sev)
	}
	if p, err := nik.Parse(n); err == nil {
		if hint := p.Region.String(); hint != "" && len(nik.Consistency(n, vals)) == 0 {
			s.form.SetHint("nik", hint, widgets.OK)
		}
	}
}

func (s *ocrStep) clear() {
	s.clearImage()
	s.form.Clear()
	s.read = false
}

// ---- passive liveness ----

type livenessStep struct {
	imageStep
	live *bool
}

func newLivenessStep(u *UI, ref func() string, onDone func()) *livenessStep {
	s := &livenessStep{}
	s.send = func(ctx context.Context, gw Gateway, ref, b64 string) (func(), error) {
		res, err := gw.Liveness(ctx, kyc.LivenessRequest{CustRefNo: ref, SelfieImage: b64})
		return func() { s.show(res) }, err
	}
	s.init(u, ref, "live", photo.KindSelfie, onDone)
	return s
}

// show reports a successful liveness check (on the UI goroutine).
func (s *livenessStep) show(res *kyc.LivenessResult) {
	live := res.Live
	s.live = &live
	if live {
		s.card.SetState(widgets.OK, i18n.T("live.live"), i18n.T("live.live_detail", res.TrxID), "")
	} else {
		s.card.SetState(widgets.Error, i18n.T("live.not_live"), i18n.T("live.not_live_detail", res.TrxID), "")
	}
}

func (s *livenessStep) clear() {
	s.clearImage()
	s.live = nil
}

// ---- ID validation ----

type validationStep struct {
	step
	fields func() map[string]string // OCR keys: nik, nama, tanggal_lahir, tempat_lahir, alamat
	selfie *intake                  // optional selfie to compare with the registry photo
	match  *kyc.Match
}

func newValidationStep(u *UI, ref func() string, fields func() map[string]string, selfie *intake, onDone func()) *validationStep {
	s := &validationStep{step: newStep(u, ref, i18n.T("val.title"), i18n.T("val.run"), onDone), fields: fields, selfie: selfie}
	s.run.OnTapped = func() { s.start(false) }
	s.r.onIdle = s.refresh
	s.card.SetState(widgets.Neutral, "", i18n.T("val.idle"), "")
	return s
}

// request maps the form to the gateway's request (tested as a plain function).
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

func (s *validationStep) start(retrySame bool) {
	if s.r.busy() || s.pendingUnknown(retrySame) || !s.canRun() {
		return
	}
	ref := s.ref()
	var selfie *photo.Prepared
	if s.selfie.ready() {
		selfie = s.selfie.prepared
	}
	req := validationRequest(ref, s.fields(), selfie)
	// Refuse locally what the gateway would certainly reject: nothing is sent, nothing billed.
	if err := kyc.CheckValidation(req); err != nil {
		s.card.SetState(widgets.Error, i18n.T("state.failed"), i18n.T("val.invalid", err.Message), "")
		return
	}
	s.confirmWarnings(s.selfie.warnings(), func() {
		if !s.canRun() {
			return
		}
		gw := s.u.gateway()
		if gw == nil {
			s.u.showNotConnected()
			return
		}
		s.card.SetRows(nil)
		s.launch(i18n.T("val.busy"), ref, func(ctx context.Context) (func(), error) {
			res, err := gw.Validate(ctx, req)
			return func() { s.show(res) }, err
		})
	})
}

// show reports a validation answer (on the UI goroutine).
func (s *validationStep) show(res *kyc.ValidationResult) {
	{
		m := res.Match
		s.match = &m
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
			rows = append(rows, widgets.Row{Label: i18n.T("val.face"), Value: i18n.T("val.face_score", *m.SelfiePhoto, th), Tick: &ok})
		}
		s.card.SetRows(rows)
		if m.Passed(th) {
			s.card.SetState(widgets.OK, i18n.T("val.passed"), i18n.T("val.passed_detail", res.TrxID), "")
		} else {
			s.card.SetState(widgets.Error, i18n.T("val.failed"), i18n.T("val.failed_detail", res.TrxID), "")
		}
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
	s.match = nil
	s.card.SetRows(nil)
	s.card.SetState(widgets.Neutral, "", i18n.T("val.idle"), "")
}

// section frames a step: a heading, its content and its progress line.
func section(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(append([]fyne.CanvasObject{h}, objs...)...)
}
