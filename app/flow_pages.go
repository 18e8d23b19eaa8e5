package app

import (
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/widgets"
)

// consentLine shows the customer's consent state, and a button to record it before the
// first call (it is asked for then anyway).
type consentLine struct {
	cust  *customer
	icon  *widget.Icon
	label *widget.Label
	btn   *widgets.Button
	box   *fyne.Container
}

func newConsentLine(cust *customer) *consentLine {
	c := &consentLine{cust: cust, icon: widget.NewIcon(nil), label: wrapLabel()}
	c.btn = widgets.NewButton("", theme.ConfirmIcon(), func() { cust.ensureConsent(func() {}) })
	c.box = container.NewBorder(nil, nil, c.icon, c.btn, c.label)
	return c
}

func (c *consentLine) update() {
	text, sev := c.cust.consentStatus()
	c.label.SetText(text)
	c.icon.SetResource(sev.Icon())
	showIf(c.box, text != "")
	showIf(c.btn, sev == widgets.Warning)
	c.btn.SetText(i18n.T("consent.record"))
}

// ---- 1 · eKTP ----

type cardPage struct {
	f       *flow
	tip     *widget.Label
	consent *consentLine
	samples *widgets.Button
	manual  *widgets.Button
	root    fyne.CanvasObject
}

func newCardPage(f *flow) *cardPage {
	p := &cardPage{f: f, tip: wrapLabel(), consent: newConsentLine(f.cust)}
	p.samples = widgets.NewButton("", theme.FileImageIcon(), f.loadSamples)
	p.samples.Hide()
	p.manual = widgets.NewButton("", theme.DocumentCreateIcon(), func() { f.show(pageCheck) })
	panel := container.NewVBox(p.tip, p.consent.box, f.ocr.slot, f.ocr.card,
		container.NewHBox(p.manual, p.samples))
	p.root = columns(0.55, f.ocr.in.view, vscroll(panel))
	return p
}

func (p *cardPage) content() fyne.CanvasObject { return p.root }

func (p *cardPage) retranslate() {
	p.samples.SetText(i18n.T("new.samples"))
	p.manual.SetText(i18n.T("flow.manual"))
	p.update()
}

func (p *cardPage) update() {
	tip := i18n.T("flow.card_tip")
	if p.f.u.autoStart() {
		tip += " " + i18n.T("flow.card_auto")
	}
	p.tip.SetText(tip)
	p.consent.update()
}

func (p *cardPage) focus() {
	c := p.f.u.win.Canvas()
	if p.f.ocr.in.prepared == nil {
		c.Focus(p.f.ocr.in.zone.OpenButton())
		return
	}
	if !p.f.ocr.run.Disabled() && p.f.ocr.run.Visible() {
		c.Focus(p.f.ocr.run)
	}
}

func (p *cardPage) showSamples(on bool) { showIf(p.samples, on) }

// ---- 2 · Check the data ----

type checkPage struct {
	f        *flow
	tip      *widget.Label
	zoom     *widgets.ZoomImage
	zoomIn   *widgets.Button
	zoomOut  *widgets.Button
	zoomFit  *widgets.Button
	percent  *widget.Label
	zoomHint *widget.Label
	findings *widget.Label
	confirm  *widgets.Button
	root     fyne.CanvasObject
}

func newCheckPage(f *flow) *checkPage {
	p := &checkPage{f: f, tip: wrapLabel(), zoom: widgets.NewZoomImage()}
	p.zoomOut = widgets.NewButton("", theme.ZoomOutIcon(), p.zoom.ZoomOut)
	p.zoomIn = widgets.NewButton("", theme.ZoomInIcon(), p.zoom.ZoomIn)
	p.zoomFit = widgets.NewButton("", theme.ZoomFitIcon(), p.zoom.Fit)
	p.percent = widget.NewLabel("100%")
	p.zoom.OnZoom = func(pc int) { p.percent.SetText(pctText(pc)) }
	p.zoomHint = widget.NewLabel("")
	p.zoomHint.Truncation = fyne.TextTruncateEllipsis
	p.findings = wrapLabel()
	p.confirm = widgets.NewButton("", theme.NavigateNextIcon(), f.confirmData)
	p.confirm.Importance = widget.HighImportance
	tools := container.NewBorder(nil, nil, container.NewHBox(p.zoomOut, p.percent, p.zoomIn, p.zoomFit), nil, p.zoomHint)
	left := container.NewBorder(tools, nil, nil, nil, p.zoom)
	// The findings have a fixed height (two lines): a finding appearing while the
	// clerk types never moves the form or the button.
	findings := container.New(&fixedHeight{lines: 2}, container.NewVScroll(p.findings))
	bottom := container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), p.confirm), findings)
	right := container.NewBorder(p.tip, bottom, nil, nil, f.ocr.form)
	p.root = columns(0.5, left, right)
	f.ocr.form.OnHints = p.showFindings
	return p
}

func pctText(pc int) string { return strings.TrimSpace(count(pc)) + "%" }

// setCard shows the card's picture next to the form (nil: none).
func (p *checkPage) setCard(img image.Image) { p.zoom.SetImage(img) }

func (p *checkPage) content() fyne.CanvasObject { return p.root }

func (p *checkPage) retranslate() {
	p.tip.SetText(i18n.T("flow.check_tip"))
	p.zoomHint.SetText(i18n.T("zoom.hint"))
	p.zoom.SetEmptyText(i18n.T("zoom.empty"))
	p.confirm.SetText(i18n.T("flow.confirm"))
	p.showFindings()
}

func (p *checkPage) update() {}

// showFindings lists the NIK checks' findings under the form, each naming its field.
func (p *checkPage) showFindings() {
	var lines []string
	for _, h := range p.f.ocr.form.Hints() {
		mark := "✓"
		switch h.Severity {
		case widgets.Error:
			mark = "✗"
		case widgets.Warning:
			mark = "⚠"
		}
		lines = append(lines, mark+" "+h.Label+": "+h.Text)
	}
	if len(lines) == 0 {
		lines = []string{i18n.T("flow.no_findings")}
	}
	p.findings.SetText(strings.Join(lines, "\n"))
}

func (p *checkPage) focus() {
	c := p.f.u.win.Canvas()
	for _, h := range p.f.ocr.form.Hints() {
		if h.Severity == widgets.Error || h.Severity == widgets.Warning {
			p.f.ocr.form.Focus(c, h.Key)
			return
		}
	}
	if p.f.ocr.res == nil && strings.TrimSpace(p.f.ocr.form.Value("nik")) == "" {
		p.f.ocr.form.FocusFirst(c) // manual entry
		return
	}
	c.Focus(p.confirm)
}

// ---- 3 · Selfie ----

type selfiePage struct {
	f       *flow
	tip     *widget.Label
	consent *consentLine
	compare *widget.Label
	card    *canvas.Image
	root    fyne.CanvasObject
}

func newSelfiePage(f *flow) *selfiePage {
	p := &selfiePage{f: f, tip: wrapLabel(), consent: newConsentLine(f.cust), compare: widget.NewLabel("")}
	p.card = canvas.NewImageFromImage(nil)
	p.card.FillMode = canvas.ImageFillContain
	p.card.ScaleMode = canvas.ImageScaleSmooth
	p.card.SetMinSize(fyne.NewSize(240, 150))
	panel := container.NewBorder(container.NewVBox(p.tip, p.consent.box, f.live.slot, f.live.card, p.compare), nil, nil, nil, p.card)
	p.root = columns(0.55, f.live.in.view, panel)
	return p
}

func (p *selfiePage) content() fyne.CanvasObject { return p.root }

func (p *selfiePage) retranslate() {
	p.update()
}

func (p *selfiePage) update() {
	tip := i18n.T("flow.selfie_tip")
	if p.f.u.autoStart() {
		tip += " " + i18n.T("flow.selfie_auto")
	}
	p.tip.SetText(tip)
	p.consent.update()
	img := p.f.ocr.in.zone.Image()
	if p.card.Image != img {
		p.card.Image = img
		p.card.Refresh()
	}
	p.compare.SetText(i18n.T("flow.compare"))
	showIf(p.compare, img != nil)
	showIf(p.card, img != nil)
}

func (p *selfiePage) focus() {
	c := p.f.u.win.Canvas()
	if p.f.live.in.prepared == nil || (p.f.live.res != nil && !p.f.live.res.Live) {
		c.Focus(p.f.live.in.zone.OpenButton())
		return
	}
	if !p.f.live.run.Disabled() && p.f.live.run.Visible() {
		c.Focus(p.f.live.run)
	}
}

// ---- 4 · Validation ----

type validatePage struct {
	f      *flow
	tip    *widget.Label
	data   *widget.Form
	values map[string]*widget.Label
	selfie *widget.Label
	edit   *widgets.Button
	root   fyne.CanvasObject
}

var validateKeys = []string{"nik", "nama", "tempat_lahir", "tanggal_lahir", "alamat"}

func newValidatePage(f *flow) *validatePage {
	p := &validatePage{f: f, tip: wrapLabel(), values: map[string]*widget.Label{}, selfie: wrapLabel()}
	p.data = widget.NewForm()
	for _, k := range validateKeys {
		v := wrapLabel()
		p.values[k] = v
		p.data.Append("", v)
	}
	p.edit = widgets.NewButton("", theme.DocumentCreateIcon(), func() { f.show(pageCheck) })
	left := vscroll(container.NewVBox(p.tip, p.data, p.selfie, container.NewHBox(p.edit)))
	right := vscroll(container.NewVBox(f.val.slot, f.val.card))
	p.root = columns(0.5, left, right)
	return p
}

func (p *validatePage) content() fyne.CanvasObject { return p.root }

func (p *validatePage) retranslate() {
	p.tip.SetText(i18n.T("flow.validate_tip"))
	for i, k := range validateKeys {
		p.data.Items[i].Text = i18n.T("field." + k)
	}
	p.data.Refresh()
	p.edit.SetText(i18n.T("flow.edit"))
	p.update()
}

func (p *validatePage) update() {
	vals := p.f.ocr.form.Values()
	for _, k := range validateKeys {
		v := strings.TrimSpace(vals[k])
		if v == "" {
			v = "–"
		}
		p.values[k].SetText(v)
	}
	switch {
	case p.f.live.in.cancel != nil:
		p.selfie.SetText(i18n.T("flow.selfie_preparing"))
	case p.f.live.in.ready():
		p.selfie.SetText(i18n.T("flow.selfie_sent"))
	default:
		p.selfie.SetText(i18n.T("flow.selfie_none"))
	}
}

func (p *validatePage) focus() {
	if !p.f.val.run.Disabled() && p.f.val.run.Visible() {
		p.f.u.win.Canvas().Focus(p.f.val.run)
	}
}

// ---- 5 · Done ----

type donePage struct {
	f       *flow
	title   *widget.Label
	summary *widget.Label
	lines   [3]*widget.Label
	icons   [3]*widget.Icon
	verdict *widgets.ResultCard // the validation's per-field verdict, again
	edit    *widgets.Button
	next    *widgets.Button
	root    fyne.CanvasObject
}

func newDonePage(f *flow) *donePage {
	p := &donePage{f: f, title: heading(), summary: wrapLabel()}
	p.summary.SizeName = theme.SizeNameSubHeadingText
	rows := container.NewVBox()
	for i := range p.lines {
		p.icons[i] = widget.NewIcon(nil)
		p.lines[i] = wrapLabel()
		rows.Add(container.NewBorder(nil, nil, p.icons[i], nil, p.lines[i]))
	}
	p.next = widgets.NewButton("", theme.ContentAddIcon(), f.u.nextCustomer)
	p.next.Importance = widget.HighImportance
	p.edit = widgets.NewButton("", theme.DocumentCreateIcon(), func() { f.show(pageCheck) })
	p.verdict = widgets.NewResultCard("")
	left := container.NewVBox(p.title, p.summary, widget.NewSeparator(), rows, container.NewHBox(p.next, p.edit))
	p.root = columns(0.55, vscroll(container.NewPadded(left)), container.NewVScroll(p.verdict))
	return p
}

func (p *donePage) content() fyne.CanvasObject { return p.root }

func (p *donePage) retranslate() {
	p.title.SetText(i18n.T("flow.done_title"))
	p.next.SetText(i18n.T("new.next"))
	p.edit.SetText(i18n.T("flow.edit"))
	p.verdict.SetTitle(i18n.T("val.title"))
	p.update()
}

func (p *donePage) update() {
	p.summary.SetText(p.f.summary())
	steps := []*step{&p.f.ocr.step, &p.f.live.step, &p.f.val.step}
	for i, s := range steps {
		word := s.card.Word()
		text := i18n.T(s.key + ".title")
		if word != "" {
			text += ": " + word
		} else {
			text += ": " + i18n.T("flow.not_run")
		}
		p.lines[i].SetText(text)
		p.icons[i].SetResource(s.card.Severity().Icon())
	}
	v := p.f.val
	p.verdict.SetRows(v.rows())
	p.verdict.SetState(v.card.Severity(), v.card.Word(), v.card.Headline(), v.card.Detail())
	showIf(p.verdict, v.res != nil)
	showIf(p.edit, v.res != nil && !v.res.Match.Passed(p.f.u.threshold()))
}

func (p *donePage) focus() { p.f.u.win.Canvas().Focus(p.next) }
