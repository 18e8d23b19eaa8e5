package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/photo"
	"kycdesk/widgets"
)

// singleScreen is a one-product screen for outlets that buy only one product. Each has
// its own reference (generated, editable) and a "New" button that clears it.
type singleScreen struct {
	ref     *widget.Entry
	renew   func() // New: clear the screen and take a new reference
	content fyne.CanvasObject
	zone    func() *intake
	runNow  func()
	cancel  func()
	clear   func()
}

func newSingle(u *UI, body func(ref func() string) (fyne.CanvasObject, func() *intake, func(), func(), func())) *singleScreen {
	s := &singleScreen{ref: widget.NewEntry()}
	s.ref.SetText(u.newRef())
	ref := func() string {
		if r := strings.TrimSpace(s.ref.Text); r != "" {
			return r
		}
		r := u.newRef()
		s.ref.SetText(r)
		return r
	}
	var content fyne.CanvasObject
	content, s.zone, s.runNow, s.cancel, s.clear = body(ref)
	s.renew = func() {
		s.clear()
		s.ref.SetText(u.newRef())
		u.banner.Hide()
	}
	newBtn := widget.NewButtonWithIcon(i18n.T("new.next"), theme.ContentAddIcon(), s.renew)
	top := container.NewPadded(container.NewBorder(nil, nil, widget.NewLabel(i18n.T("new.ref")), newBtn, s.ref))
	s.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(content)))
	return s
}

func newLivenessScreen(u *UI) *singleScreen {
	return newSingle(u, func(ref func() string) (fyne.CanvasObject, func() *intake, func(), func(), func()) {
		st := newLivenessStep(u, ref, nil)
		body := container.NewVBox(st.in.view, container.NewHBox(st.run), st.r.progress, st.card)
		return body, func() *intake { return st.in }, func() { st.start(false) }, st.r.cancelWork, st.clear
	})
}

func newOCRScreen(u *UI) *singleScreen {
	return newSingle(u, func(ref func() string) (fyne.CanvasObject, func() *intake, func(), func(), func()) {
		st := newOCRStep(u, ref, nil)
		body := container.NewVBox(st.in.view, container.NewHBox(st.run), st.r.progress, st.card, st.form)
		return body, func() *intake { return st.in }, func() { st.start(false) }, st.r.cancelWork, st.clear
	})
}

// validationFields are the inputs of ID validation, under the OCR keys.
func validationFields() []widgets.Field {
	var fs []widgets.Field
	for _, k := range []string{"nik", "nama", "tanggal_lahir", "tempat_lahir", "alamat"} {
		fs = append(fs, widgets.Field{Key: k, Label: i18n.T("field." + k), Multiline: k == "alamat", NIK: k == "nik"})
	}
	return fs
}

func newValidationScreen(u *UI) *singleScreen {
	return newSingle(u, func(ref func() string) (fyne.CanvasObject, func() *intake, func(), func(), func()) {
		form := widgets.NewFieldForm(validationFields())
		datePlaceholder(form)
		selfie := newIntake(u, photo.KindSelfie, i18n.T("val.selfie_zone"), nil)
		var st *validationStep
		selfie.onChange = func() {
			if st != nil {
				st.refresh()
			}
		}
		st = newValidationStep(u, ref, form.Values, selfie, nil)
		form.OnChanged = func(string, string) { st.refresh() }
		st.refresh()
		body := container.NewVBox(form, widget.NewLabel(i18n.T("val.selfie_optional")), selfie.view,
			container.NewHBox(st.run), st.r.progress, st.card)
		clear := func() {
			st.clear()
			form.Clear()
			selfie.clear()
			st.refresh()
		}
		return body, func() *intake { return selfie }, func() { st.start(false) }, st.r.cancelWork, clear
	})
}
