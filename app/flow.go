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
	"kycdesk/widgets"
)

// The New customer flow's steps, in order; each has a page.
const (
	pageCard     = iota // bring in the eKTP, read it
	pageCheck           // the clerk checks the form against the card
	pageSelfie          // bring in the selfie, liveness
	pageValidate        // validation against the civil registry
	pageDone            // the summary, next customer
	pageCount
)

var pageKeys = [pageCount]string{"flow.card", "flow.check", "flow.selfie", "flow.validate", "flow.done"}

// flow is the New customer screen: a step indicator over one page per step, so the
// current step and its result are always on screen at the counter's size and nothing
// the clerk needs is below the fold. The calls move the flow on: a read fills the form
// and shows it next to the card, a live selfie leads to validation, an answer to the
// summary; a paid call only ever starts from the clerk's action (bringing a photo in,
// a button or Ctrl+Enter).
type flow struct {
	u    *UI
	cust *customer
	ocr  *ocrStep
	live *livenessStep
	val  *validationStep
	// confirmed is set when the clerk confirmed the form against the card.
	confirmed bool
	page      int

	stepper *widgets.Stepper
	body    *fyne.Container // the current page
	pages   [pageCount]flowPage
	nextBtn *widgets.Button
	refLbl  *widget.Label
	root    fyne.CanvasObject
}

// flowPage is one step's page.
type flowPage interface {
	content() fyne.CanvasObject
	retranslate()
	// focus puts the focus on the page's next thing to do.
	focus()
	// update shows the flow's state (after any change).
	update()
}

func newFlow(u *UI) *flow {
	f := &flow{u: u, cust: newCustomer(u)}
	f.ocr = newOCRStep(u, f.cust)
	f.live = newLivenessStep(u, f.cust)
	f.val = newValidationStep(u, f.cust, f.ocr.form.Values, f.live.in)
	f.ocr.in.zone.SetZoomable(true)

	f.ocr.onDone = f.ocrDone
	f.live.onDone = f.liveDone
	f.val.onDone = f.valDone
	f.ocr.in.onChange = func() { f.ocr.refresh(); f.update() }
	f.ocr.in.onReady = func() {
		f.pages[pageCheck].(*checkPage).setCard(f.ocr.in.zone.Image())
		if f.u.autoStart() && f.page == pageCard {
			f.ocr.start(false)
		}
	}
	f.live.in.onChange = func() {
		f.live.refresh()
		f.val.refresh() // validation waits for a selfie being prepared
		f.update()
	}
	f.live.in.onReady = func() {
		if f.u.autoStart() && f.page == pageSelfie {
			f.live.start(false)
		}
	}
	f.ocr.form.OnChanged = func(key, _ string) {
		switch key {
		case "nik", "provinsi", "kota", "kecamatan", "tanggal_lahir", "jenis_kelamin":
			f.ocr.checkNIK()
		}
		f.val.markStale()
		f.val.refresh()
		f.update()
	}
	f.cust.onConsent = f.update

	f.stepper = widgets.NewStepper(make([]string, pageCount)...)
	f.stepper.OnSelect = f.show
	f.refLbl = widget.NewLabel("")
	f.nextBtn = widgets.NewButton("", theme.ContentAddIcon(), f.u.nextCustomer)
	f.cust.ref.OnChanged = func(string) { f.update() }
	right := container.NewHBox(f.refLbl, fixedWidth(f.cust.ref, 210), f.nextBtn)
	top := widgets.NewWrapRow(f.stepper, right)

	f.pages = [pageCount]flowPage{newCardPage(f), newCheckPage(f), newSelfiePage(f), newValidatePage(f), newDonePage(f)}
	f.body = container.NewStack(f.pages[0].content())
	f.root = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, f.body)
	f.retranslate()
	f.update()
	return f
}

func (f *flow) content() fyne.CanvasObject { return f.root }

func (f *flow) retranslate() {
	for i, k := range pageKeys {
		f.stepper.SetTitle(i, i18n.T(k))
	}
	f.refLbl.SetText(i18n.T("new.ref"))
	f.nextBtn.SetText(i18n.T("new.next"))
	f.ocr.retranslateStep()
	f.live.retranslateStep()
	f.val.retranslateStep()
	retranslateForm(f.ocr.form, ocrKeys())
	f.ocr.checkNIK()
	for _, p := range f.pages {
		p.retranslate()
	}
	f.update()
}

func ocrKeys() []string {
	keys := make([]string, len(ocrLayout))
	for i, l := range ocrLayout {
		keys[i] = l.key
	}
	return keys
}

// show makes page i current (clamped) and gives it the focus.
func (f *flow) show(i int) {
	if i < 0 {
		i = 0
	}
	if i >= pageCount {
		i = pageCount - 1
	}
	f.page = i
	f.body.Objects = []fyne.CanvasObject{f.pages[i].content()}
	f.body.Refresh()
	f.update()
	f.focus()
}

func (f *flow) focus() {
	if f.u.tabs.SelectedIndex() == tabNew {
		f.pages[f.page].focus()
	}
}

// update shows the state of every step in the indicator and on the pages.
func (f *flow) update() {
	if f.stepper == nil || f.pages[pageCount-1] == nil {
		return
	}
	f.stepper.SetCurrent(f.page)
	ocr := f.ocr.status(f.ocr.res != nil, f.ocr.res != nil && f.ocr.res.Recognized)
	if f.ocr.res != nil && !f.ocr.res.Recognized && f.ocr.lastErr == nil {
		ocr = widgets.StepWarning
	}
	f.stepper.SetStatus(pageCard, ocr)
	check := widgets.StepTodo
	if f.confirmed {
		check = widgets.StepDone
	}
	for _, h := range f.ocr.form.Hints() {
		if h.Severity == widgets.Error || h.Severity == widgets.Warning {
			check = widgets.StepWarning
		}
	}
	f.stepper.SetStatus(pageCheck, check)
	live := f.live.live()
	f.stepper.SetStatus(pageSelfie, f.live.status(live != nil, live != nil && *live))
	val := f.val.status(f.val.res != nil, f.val.res != nil && f.val.res.Match.Passed(f.u.threshold()))
	if f.val.stale && !f.val.r.busy() {
		val = widgets.StepWarning
	}
	if f.val.local != "" {
		val = widgets.StepFailed
	}
	f.stepper.SetStatus(pageValidate, val)
	done := widgets.StepTodo
	if val == widgets.StepDone {
		done = widgets.StepDone
	}
	f.stepper.SetStatus(pageDone, done)
	for _, p := range f.pages {
		p.update()
	}
}

// ocrDone moves on after a read: to the form next to the card.
func (f *flow) ocrDone() {
	f.ocr.refresh()
	if f.ocr.lastErr == nil && f.ocr.res != nil && f.page == pageCard {
		f.show(pageCheck)
		return
	}
	f.update()
	f.focus()
}

// liveDone moves on after a liveness answer: a live selfie leads to validation (which
// runs by itself when the merchant chose so); a failed one stays for another photo.
func (f *flow) liveDone() {
	f.val.refresh()
	live := f.live.live()
	if f.live.lastErr == nil && live != nil && *live && f.page == pageSelfie {
		f.show(pageValidate)
		if f.u.autoValidate() && f.val.needsRun() {
			f.val.start(false)
		}
		return
	}
	f.update()
	f.focus()
}

// valDone moves on after a validation answer, to the summary.
func (f *flow) valDone() {
	if f.val.lastErr == nil && f.val.res != nil && f.page == pageValidate {
		f.show(pageDone)
		return
	}
	f.update()
	f.focus()
}

// confirmData is the check page's action: the data matches the card; on to the selfie.
func (f *flow) confirmData() {
	f.confirmed = true
	f.show(pageSelfie)
}

// runNext does the current page's action (Ctrl+Enter): run its call when it has none
// yet (or it failed, or is outdated), else move on to the next page.
func (f *flow) runNext() {
	switch f.page {
	case pageCard:
		if f.ocr.res == nil || f.ocr.lastErr != nil {
			f.ocr.start(false)
			return
		}
		f.show(pageCheck)
	case pageCheck:
		f.confirmData()
	case pageSelfie:
		if f.live.res == nil || f.live.lastErr != nil {
			f.live.start(false)
			return
		}
		f.show(pageValidate)
	case pageValidate:
		if f.val.needsRun() {
			f.val.start(false)
			return
		}
		f.show(pageDone)
	}
}

// next clears every field and image (personal data must not linger for the next
// customer), starts a new reference and goes back to the first step.
func (f *flow) next() {
	f.ocr.clear()
	f.live.clear()
	f.val.clear()
	f.confirmed = false
	f.cust.renew()
	f.pages[pageCheck].(*checkPage).setCard(nil)
	f.show(pageCard)
}

func (f *flow) cancel() {
	f.ocr.r.cancelWork()
	f.live.r.cancelWork()
	f.val.r.cancelWork()
}

// activeZone: the zone of the page on screen; on the other pages the first zone still
// without an image.
func (f *flow) activeZone() *intake {
	switch f.page {
	case pageCard, pageCheck:
		return f.ocr.in
	case pageSelfie, pageValidate:
		return f.live.in
	}
	if f.ocr.in.prepared != nil && f.live.in.prepared == nil {
		return f.live.in
	}
	return f.ocr.in
}

func (f *flow) zones() []*intake { return []*intake{f.ocr.in, f.live.in} }

// loadSamples brings in the specimen eKTP and the sample selfie (Sandbox profile only:
// demos and training), as if the clerk had brought them in.
func (f *flow) loadSamples() {
	f.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	f.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
}

// showSamples shows the samples button on the Sandbox profile only.
func (f *flow) showSamples(sandbox bool) {
	f.pages[pageCard].(*cardPage).showSamples(sandbox)
}

// summary is what the clerk reads out to the customer.
func (f *flow) summary() string {
	vals := f.ocr.form.Values()
	var parts []string
	if name := strings.TrimSpace(vals["nama"]); name != "" {
		parts = append(parts, i18n.T("sum.customer", name, nik.Mask(strings.TrimSpace(vals["nik"]))))
	}
	if f.ocr.res != nil {
		parts = append(parts, i18n.T("sum.ocr_done"))
	}
	if live := f.live.live(); live != nil {
		if *live {
			parts = append(parts, i18n.T("sum.live"))
		} else {
			parts = append(parts, i18n.T("sum.not_live"))
		}
	}
	if v := f.val.res; v != nil {
		th := f.u.threshold()
		switch {
		case f.val.stale:
			parts = append(parts, i18n.T("sum.val_stale"))
		case v.Match.Passed(th):
			parts = append(parts, i18n.T("sum.val_passed"))
		default:
			parts = append(parts, i18n.T("sum.val_failed"))
		}
		if m := v.Match; m.SelfiePhoto != nil && !f.val.stale {
			parts = append(parts, i18n.T("sum.face", number(*m.SelfiePhoto), number(th)))
		}
	}
	if len(parts) == 0 {
		return i18n.T("sum.empty")
	}
	return strings.Join(parts, " ") + " " + i18n.T("sum.ref", strings.TrimSpace(f.cust.ref.Text))
}
