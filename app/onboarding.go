package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/photo"
	"kycdesk/resources"
)

// onboarding is the guided "New customer" screen: eKTP → OCR form, selfie →
// liveness, then validation with the (possibly corrected) form, a summary, and Next
// customer. One customer is one cust_ref_no.
type onboarding struct {
	u       *UI
	ref     *widget.Entry
	ocr     *ocrStep
	live    *livenessStep
	val     *validationStep
	summary *widget.Label
	nextBtn *widget.Button
	samples *widget.Button // Sandbox only: load the specimen card and the sample selfie
	content fyne.CanvasObject
}

func newOnboarding(u *UI) *onboarding {
	o := &onboarding{u: u}
	o.ref = widget.NewEntry()
	o.ref.SetText(u.newRef())
	ref := func() string {
		if r := strings.TrimSpace(o.ref.Text); r != "" {
			return r
		}
		r := o.u.newRef()
		o.ref.SetText(r)
		return r
	}
	o.ocr = newOCRStep(u, ref, o.updateSummary)
	o.live = newLivenessStep(u, ref, o.updateSummary)
	o.val = newValidationStep(u, ref, func() map[string]string { return o.ocr.form.Values() }, o.live.in, o.updateSummary)
	o.live.in.onChange = func() {
		o.live.refresh()
		o.val.refresh() // validation waits for a selfie being prepared
	}
	o.summary = widget.NewLabel("")
	o.summary.Wrapping = fyne.TextWrapWord
	o.nextBtn = widget.NewButtonWithIcon(i18n.T("new.next"), theme.ContentAddIcon(), o.next)

	o.samples = widget.NewButtonWithIcon(i18n.T("new.samples"), theme.FileImageIcon(), o.loadSamples)
	o.samples.Hide()
	refRow := container.NewBorder(nil, nil, widget.NewLabel(i18n.T("new.ref")), container.NewHBox(o.samples, o.nextBtn), o.ref)
	left := section(i18n.T("new.step1"), o.ocr.in.view, container.NewHBox(o.ocr.run), o.ocr.r.progress, o.ocr.card, o.ocr.form)
	right := container.NewVBox(
		section(i18n.T("new.step2"), o.live.in.view, container.NewHBox(o.live.run), o.live.r.progress, o.live.card),
		widget.NewSeparator(),
		section(i18n.T("new.step3"), widget.NewLabel(i18n.T("new.step3_hint")), container.NewHBox(o.val.run), o.val.r.progress, o.val.card),
		widget.NewSeparator(),
		section(i18n.T("new.summary"), o.summary),
	)
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.Offset = 0.55
	o.content = container.NewBorder(container.NewPadded(refRow), nil, nil, nil, split)
	o.updateSummary()
	return o
}

// loadSamples brings in the specimen eKTP and the sample selfie (Sandbox profile only:
// demos and training).
func (o *onboarding) loadSamples() {
	o.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	o.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
}

// showSamples shows the samples button on the Sandbox profile only.
func (o *onboarding) showSamples(sandbox bool) {
	if sandbox {
		o.samples.Show()
	} else {
		o.samples.Hide()
	}
}

// next clears every field and image (personal data must not linger for the next
// customer) and starts a new reference.
func (o *onboarding) next() {
	o.clear()
	o.ref.SetText(o.u.newRef())
	o.u.banner.Hide()
	o.u.win.Canvas().Focus(nil)
}

func (o *onboarding) clear() {
	o.ocr.clear()
	o.live.clear()
	o.val.clear()
	o.updateSummary()
}

func (o *onboarding) cancel() {
	o.ocr.r.cancelWork()
	o.live.r.cancelWork()
	o.val.r.cancelWork()
}

// activeZone: the first zone still without an image, else the card's.
func (o *onboarding) activeZone() *intake {
	if o.ocr.in.prepared != nil && o.live.in.prepared == nil {
		return o.live.in
	}
	return o.ocr.in
}

// runNext runs the first step whose inputs are ready and whose result is missing, in
// the order OCR → liveness → validation (Ctrl+Enter).
func (o *onboarding) runNext() {
	switch {
	case o.ocr.canRun() && !o.ocr.read:
		o.ocr.start(false)
	case o.live.canRun() && o.live.live == nil:
		o.live.start(false)
	case o.val.canRun() && o.val.match == nil:
		o.val.start(false)
	}
	o.val.refresh()
}

// updateSummary writes a summary the clerk can read out to the customer.
func (o *onboarding) updateSummary() {
	o.val.refresh()
	vals := o.ocr.form.Values()
	var parts []string
	if name := strings.TrimSpace(vals["nama"]); name != "" {
		parts = append(parts, i18n.T("sum.customer", name, nik.Mask(strings.TrimSpace(vals["nik"]))))
	}
	if o.ocr.read {
		parts = append(parts, i18n.T("sum.ocr_done"))
	}
	switch {
	case o.live.live == nil:
	case *o.live.live:
		parts = append(parts, i18n.T("sum.live"))
	default:
		parts = append(parts, i18n.T("sum.not_live"))
	}
	if m := o.val.match; m != nil {
		th := o.u.threshold()
		if m.Passed(th) {
			parts = append(parts, i18n.T("sum.val_passed"))
		} else {
			parts = append(parts, i18n.T("sum.val_failed"))
		}
		if m.SelfiePhoto != nil {
			parts = append(parts, i18n.T("sum.face", *m.SelfiePhoto, th))
		}
	}
	if len(parts) == 0 {
		o.summary.SetText(i18n.T("sum.empty"))
		return
	}
	o.summary.SetText(strings.Join(parts, " ") + " " + i18n.T("sum.ref", o.ref.Text))
}

// refresh enables Validate when a NIK is present.
func (s *validationStep) refresh() {
	if s.canRun() {
		s.run.Enable()
	} else {
		s.run.Disable()
	}
}
