package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/photo"
	"kycdesk/widgets"
)

// productKind names a single-product screen.
type productKind int

const (
	productLiveness productKind = iota
	productOCR
	productValidation
)

var productKinds = [3]productKind{productLiveness, productOCR, productValidation}

// productScreen is a one-product screen for outlets that buy only one product: its own
// customer (reference, consent), one step, the input on the left and the run button and
// result on the right, both in view at the counter's size.
type productScreen struct {
	u       *UI
	kind    productKind
	cust    *customer
	refLbl  *widget.Label
	newBtn  *widgets.Button
	title   *widget.Label
	tip     *widget.Label
	consent *consentLine
	root    fyne.CanvasObject

	live *livenessStep
	ocr  *ocrStep
	val  *validationStep
	form *widgets.FieldForm // validation's inputs
	vsel *intake            // validation's optional selfie
}

func newProductScreen(u *UI, kind productKind) *productScreen {
	s := &productScreen{u: u, kind: kind, cust: newCustomer(u), refLbl: widget.NewLabel(""), title: heading(), tip: wrapLabel()}
	s.consent = newConsentLine(s.cust)
	s.cust.onConsent = s.consent.update
	s.newBtn = widgets.NewButton("", theme.ContentAddIcon(), u.nextCustomer)
	var left, right fyne.CanvasObject
	switch kind {
	case productLiveness:
		s.live = newLivenessStep(u, s.cust)
		s.live.in.onReady = func() {
			if u.autoStart() {
				s.live.start(false)
			}
		}
		s.live.onDone = s.focus
		left = s.live.in.view
		right = vscroll(container.NewVBox(s.title, s.tip, s.consent.box, s.live.slot, s.live.card))
	case productOCR:
		s.ocr = newOCRStep(u, s.cust)
		s.ocr.in.zone.SetZoomable(true)
		s.ocr.in.onReady = func() {
			if u.autoStart() {
				s.ocr.start(false)
			}
		}
		s.ocr.onDone = s.focus
		left = s.ocr.in.view
		top := container.NewVBox(s.title, s.consent.box, s.ocr.slot, s.ocr.card)
		right = container.NewBorder(top, nil, nil, nil, s.ocr.form)
	case productValidation:
		s.form = widgets.NewFieldForm(validationFields())
		s.vsel = newIntake(u, photo.KindSelfie, "val.selfie_zone", nil)
		s.val = newValidationStep(u, s.cust, s.form.Values, s.vsel)
		s.vsel.onChange = s.val.refresh
		s.form.OnChanged = func(key, _ string) {
			if key == "nik" || key == "tanggal_lahir" {
				checkNIK(s.form)
			}
			s.val.markStale()
			s.val.refresh()
		}
		s.val.onDone = s.focus
		s.val.refresh()
		left = container.NewBorder(container.NewVBox(s.title, s.tip), nil, nil, nil,
			container.New(&rowsLayout{frac: 0.5}, s.form, s.vsel.view))
		right = vscroll(container.NewVBox(s.consent.box, s.val.slot, s.val.card))
	}
	top := container.NewBorder(nil, nil, s.refLbl, s.newBtn, s.cust.ref)
	s.root = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, columns(0.5, left, right))
	s.retranslate()
	return s
}

// validationFields are the inputs of ID validation, under the OCR keys.
func validationFields() []widgets.Field {
	var fs []widgets.Field
	for _, k := range validateKeys {
		fs = append(fs, widgets.Field{Key: k, Label: i18n.T("field." + k), Wide: k == "nama" || k == "alamat",
			Multiline: k == "alamat", NIK: k == "nik"})
	}
	return fs
}

func (s *productScreen) content() fyne.CanvasObject { return s.root }

func (s *productScreen) retranslate() {
	s.refLbl.SetText(i18n.T("new.ref"))
	s.newBtn.SetText(i18n.T("single.new"))
	switch s.kind {
	case productLiveness:
		s.title.SetText(i18n.T("single.live_title"))
		s.tip.SetText(i18n.T("flow.selfie_tip"))
		s.live.retranslateStep()
	case productOCR:
		s.title.SetText(i18n.T("single.ocr_title"))
		s.ocr.retranslateStep()
		retranslateForm(s.ocr.form, ocrKeys())
		s.ocr.checkNIK()
	case productValidation:
		s.title.SetText(i18n.T("single.val_title"))
		s.tip.SetText(i18n.T("val.selfie_optional"))
		s.val.retranslateStep()
		retranslateForm(s.form, validateKeys)
		checkNIK(s.form)
	}
	s.consent.update()
}

// step returns the screen's step.
func (s *productScreen) step() *step {
	switch s.kind {
	case productLiveness:
		return &s.live.step
	case productOCR:
		return &s.ocr.step
	}
	return &s.val.step
}

func (s *productScreen) focus() {
	if s.u.tabs.SelectedIndex() != tabLiveness+int(s.kind) {
		return
	}
	c := s.u.win.Canvas()
	switch s.kind {
	case productLiveness:
		if s.live.in.prepared == nil || s.live.res != nil {
			c.Focus(s.live.in.zone.OpenButton())
			return
		}
		c.Focus(s.live.run)
	case productOCR:
		if s.ocr.in.prepared == nil {
			c.Focus(s.ocr.in.zone.OpenButton())
			return
		}
		if s.ocr.res != nil {
			s.ocr.form.FocusFirst(c)
			return
		}
		c.Focus(s.ocr.run)
	case productValidation:
		if s.val.res != nil && !s.val.stale {
			c.Focus(s.newBtn)
			return
		}
		if s.form.Value("nik") == "" {
			s.form.FocusFirst(c)
			return
		}
		c.Focus(s.val.run)
	}
}

func (s *productScreen) runNext() {
	switch s.kind {
	case productLiveness:
		s.live.start(false)
	case productOCR:
		s.ocr.start(false)
	case productValidation:
		s.val.start(false)
	}
}

// next clears the screen for the next customer and takes a new reference.
func (s *productScreen) next() {
	switch s.kind {
	case productLiveness:
		s.live.clear()
	case productOCR:
		s.ocr.clear()
	case productValidation:
		s.val.clear()
		s.form.Clear()
		s.vsel.clear()
		s.val.refresh()
	}
	s.cust.renew()
}

func (s *productScreen) cancel() { s.step().r.cancelWork() }

func (s *productScreen) activeZone() *intake {
	switch s.kind {
	case productLiveness:
		return s.live.in
	case productOCR:
		return s.ocr.in
	}
	return s.vsel
}

func (s *productScreen) zones() []*intake { return []*intake{s.activeZone()} }
