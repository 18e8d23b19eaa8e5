package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/service"
	"kycdesk/resources"
	"kycdesk/widgets"
)

// The whole customer from the keyboard: Ctrl+Enter on each page runs its step or moves
// on, the flow moves itself on after each answer, and Next customer leaves nothing.
func TestFlowWalksTheStepsAndNextCustomerClearsEverything(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	if !f.pages[pageCard].(*cardPage).samples.Visible() {
		t.Fatal("no samples button on the Sandbox profile")
	}
	e.loadSamples()
	if f.page != pageCard || f.ocr.in.zone.State() != widgets.ZoneReady {
		t.Fatalf("page %d, zone %v", f.page, f.ocr.in.zone.State())
	}
	e.u.runCurrent() // read the card
	e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
	if f.page != pageCheck {
		t.Fatalf("after the read the flow is on page %d, not the check", f.page)
	}
	if v := f.ocr.form.Values(); v["nik"] != specimen.NIK || v["nama"] != specimen.Name {
		t.Fatalf("form %v", v)
	}
	if !f.pages[pageCheck].(*checkPage).zoom.HasImage() {
		t.Fatal("the card is not shown next to the form")
	}
	e.u.runCurrent() // the data matches the card
	if f.page != pageSelfie || !f.confirmed {
		t.Fatalf("page %d confirmed %v", f.page, f.confirmed)
	}
	e.u.runCurrent() // liveness
	e.waitFor("liveness", func() bool { return f.live.res != nil && !f.live.r.busy() })
	if f.page != pageValidate {
		t.Fatalf("a live selfie leads to validation, page %d", f.page)
	}
	e.u.runCurrent() // validation
	e.waitFor("validation", func() bool { return f.val.res != nil && !f.val.r.busy() })
	if f.page != pageDone {
		t.Fatalf("page %d", f.page)
	}
	want := []string{"id-recognize REF-001", "passive-liveness REF-001", "id-validation REF-001"}
	if got := e.gw.Calls(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("calls %v", got)
	}
	for i := 0; i < pageDone; i++ {
		if st := f.stepper.Status(i); st != widgets.StepDone {
			t.Errorf("step %d status %v", i, st)
		}
	}
	sum := f.summary()
	for _, w := range []string{specimen.Name, "REF-001", "91", "COCOK", "LOLOS"} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary %q lacks %q", sum, w)
		}
	}
	if strings.Contains(sum, specimen.NIK) {
		t.Error("the summary shows the full NIK")
	}
	if e.u.win.Canvas().Focused() != f.pages[pageDone].(*donePage).next {
		t.Error("the focus is not on Next customer")
	}
	// Ctrl+Enter with everything done sends nothing more.
	e.u.runCurrent()
	e.settle()
	if n := len(e.gw.Calls()); n != 3 {
		t.Fatalf("%d calls", n)
	}

	// A single-product screen holds a customer too: Next customer clears it as well.
	e.u.tabs.SelectIndex(tabLiveness)
	live := e.u.productScreen(tabLiveness)
	live.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
	e.waitFor("selfie", func() bool { return live.live.in.ready() })
	e.u.tabs.SelectIndex(tabNew)

	f.ocr.form.Scroll().Offset = fyne.NewPos(0, 40)
	e.u.nextCustomer()
	for k, v := range f.ocr.form.Values() {
		if v != "" {
			t.Errorf("field %s still %q", k, v)
		}
	}
	for _, in := range []*intake{f.ocr.in, f.live.in, live.live.in} {
		if in.prepared != nil || in.zone.Image() != nil {
			t.Error("an image is kept for the next customer")
		}
	}
	if f.pages[pageCheck].(*checkPage).zoom.HasImage() {
		t.Error("the card stays in the viewer")
	}
	if f.cust.ref.Text == "REF-001" || f.val.res != nil || f.live.res != nil || f.ocr.res != nil {
		t.Errorf("ref %q, results kept", f.cust.ref.Text)
	}
	if f.page != pageCard || f.ocr.form.Scroll().Offset.Y != 0 {
		t.Errorf("page %d, form scrolled to %v", f.page, f.ocr.form.Scroll().Offset)
	}
	if e.u.win.Canvas().Focused() != f.ocr.in.zone.OpenButton() {
		t.Errorf("focus on %T, not the card's Open button", e.u.win.Canvas().Focused())
	}
	for i := 0; i < pageCount; i++ {
		if st := f.stepper.Status(i); st != widgets.StepTodo {
			t.Errorf("step %d still %v", i, st)
		}
	}
}

// Bringing a photo in starts its step (the clerk's action), once the consent is given;
// the consent is asked once per customer and travels with every call.
func TestPhotoStartsItsStepAfterConsent(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.requireConsent()
	f := e.u.flow
	e.u.prefs.SetBool(prefAutoStart, true)
	f.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	e.waitFor("consent asked", func() bool { return widgets.TopModal(e.u.win) != nil })
	if len(e.gw.Calls()) != 0 {
		t.Fatal("a call went out before the consent")
	}
	e.consent()
	e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
	f.confirmData()
	f.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
	e.waitFor("liveness", func() bool { return f.live.res != nil && !f.live.r.busy() })
	if widgets.TopModal(e.u.win) != nil {
		t.Fatal("the consent was asked twice for one customer")
	}
	e.gw.mu.Lock()
	n := len(e.gw.consents)
	c := e.gw.consents[0]
	e.gw.mu.Unlock()
	if n != 2 || c.Version != 3 || c.Text != "Nasabah setuju (uji)." || c.User != service.OSUser() || c.At.IsZero() {
		t.Fatalf("%d consents, %+v", n, c)
	}
	// Esc on the consent dialog of the next customer sends nothing.
	e.u.nextCustomer()
	f.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	e.waitFor("consent asked again", func() bool { return widgets.TopModal(e.u.win) != nil })
	widgets.TopModal(e.u.win).Escape()
	e.settle()
	if len(e.gw.Calls()) != 2 {
		t.Fatalf("calls %v", e.gw.Calls())
	}
}

// Editing a field after validation marks the verdict outdated: the card, the step and
// the summary say so, and Ctrl+Enter runs validation again.
func TestEditAfterValidationMarksItStale(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	e.loadSamples()
	f.ocr.start(false)
	e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
	f.show(pageValidate)
	e.u.runCurrent()
	e.waitFor("validation", func() bool { return f.val.res != nil && !f.val.r.busy() })
	f.show(pageCheck)
	test.Type(f.ocr.form.Entry("nama"), "X")
	if !f.val.stale || f.val.card.Word() != i18n.T("val.stale") || f.stepper.Status(pageValidate) != widgets.StepWarning {
		t.Fatalf("stale %v, card %q, step %v", f.val.stale, f.val.card.Word(), f.stepper.Status(pageValidate))
	}
	if !strings.Contains(f.summary(), i18n.T("sum.val_stale")) || strings.Contains(f.summary(), i18n.T("sum.val_passed")) {
		t.Errorf("summary %q", f.summary())
	}
	f.show(pageValidate)
	e.u.runCurrent()
	e.waitFor("validation again", func() bool { return len(e.gw.Calls()) == 3 && !f.val.r.busy() })
	if f.val.stale || f.val.card.Severity() == widgets.Warning {
		t.Fatal("the new verdict is still marked outdated")
	}
}

// A new call clears the previous call's banner (a quota banner must not stay up while
// the next call runs).
func TestNewCallClearsTheBanner(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	e.loadSamples()
	e.gw.fail[kyc.ProductLiveness] = []error{&kyc.Error{Kind: kyc.KindQuotaExceeded, Outcome: kyc.OutcomeRejected}}
	f.live.start(false)
	e.waitFor("quota", func() bool { return len(e.gw.Calls()) == 1 && !f.live.r.busy() })
	if !e.u.banner.Visible() || e.u.banner.Text() != i18n.T("err.quota") {
		t.Fatalf("banner %q", e.u.banner.Text())
	}
	if f.live.card.Word() != i18n.T("outcome.rejected") {
		t.Errorf("a refusal reads %q, not the History's word", f.live.card.Word())
	}
	e.gw.block = true
	f.live.start(false)
	<-e.gw.started
	if e.u.banner.Visible() {
		t.Fatal("the quota banner stays up during the next call")
	}
	e.gw.mu.Lock()
	e.gw.block = false
	e.gw.mu.Unlock()
	e.u.cancelAll()
	e.waitFor("cancelled", func() bool { return !f.live.r.busy() })
}

// The resend of an unknown outcome names the reference it reuses, Esc sends nothing,
// Enter resends with that reference (not the one typed since).
func TestResendDialogKeys(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	e.loadSamples()
	e.gw.fail[kyc.ProductIDRecognize] = []error{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}}
	e.u.runCurrent()
	e.waitFor("unknown", func() bool { return len(e.gw.Calls()) == 1 && !f.ocr.r.busy() })
	if f.ocr.card.Severity() != widgets.Unknown || f.ocr.card.Word() != i18n.T("outcome.unknown") || f.stepper.Status(pageCard) != widgets.StepUnknown {
		t.Fatalf("card %v %q", f.ocr.card.Severity(), f.ocr.card.Word())
	}
	f.cust.ref.SetText("REF-NEW")
	e.u.runCurrent()
	m := widgets.TopModal(e.u.win)
	if m == nil {
		t.Fatal("no dialog")
	}
	body := dialogText(e.u.win)
	if !strings.Contains(body, "REF-001") || !strings.Contains(body, "REF-NEW") {
		t.Errorf("the dialog does not name the references: %q", body)
	}
	// Esc: no.
	e.u.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	e.settle()
	if widgets.TopModal(e.u.win) != nil || len(e.gw.Calls()) != 1 {
		t.Fatalf("Esc: dialog %v, calls %v", widgets.TopModal(e.u.win) != nil, e.gw.Calls())
	}
	// Enter: the default, a resend with the same reference.
	e.u.runCurrent()
	e.u.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	e.waitFor("resent", func() bool { return len(e.gw.Calls()) == 2 && !f.ocr.r.busy() })
	if got := e.gw.Calls()[1]; got != "id-recognize REF-001" {
		t.Fatalf("resend %q", got)
	}
}

// Switching the language keeps the customer: the form, the images, the results, the
// page and the unknown-outcome banner (translated).
func TestLanguageSwitchKeepsTheCustomer(t *testing.T) {
	e := newEnv(t, i18n.ID)
	defer i18n.Set(i18n.ID)
	f := e.u.flow
	e.loadSamples()
	f.ocr.start(false)
	e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
	e.gw.fail[kyc.ProductLiveness] = []error{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}}
	f.confirmData()
	f.live.start(false)
	e.waitFor("unknown", func() bool { return len(e.gw.Calls()) == 2 && !f.live.r.busy() })
	ref := f.cust.ref.Text
	vals := f.ocr.form.Values()

	e.u.openSettings()
	s := e.u.settings
	s.language.SetSelected(i18n.EN.Name())
	s.doSavePrefs()
	e.u.tabs.SelectIndex(tabNew)

	if e.u.tabs.Items[tabNew].Text != "New customer" || f.stepper.Title(pageCheck) != "Check data" {
		t.Fatalf("not switched: %q", e.u.tabs.Items[tabNew].Text)
	}
	if f.cust.ref.Text != ref || f.page != pageSelfie || f.ocr.in.prepared == nil || f.live.in.prepared == nil {
		t.Fatal("the customer was lost")
	}
	for k, v := range vals {
		if f.ocr.form.Value(k) != v {
			t.Errorf("%s: %q → %q", k, v, f.ocr.form.Value(k))
		}
	}
	if !e.u.banner.Visible() || !strings.Contains(e.u.banner.Text(), "may have been charged") {
		t.Fatalf("banner %v %q", e.u.banner.Visible(), e.u.banner.Text())
	}
	if f.live.card.Word() != "UNKNOWN" || f.live.resend == nil {
		t.Errorf("card %q, resend kept %v", f.live.card.Word(), f.live.resend != nil)
	}
	if f.ocr.card.Word() != "READ" || f.ocr.form.Label("kota") != "Regency/City" {
		t.Errorf("ocr card %q, label %q", f.ocr.card.Word(), f.ocr.form.Label("kota"))
	}
	if e.u.app.Preferences().String(prefLang) != "en" {
		t.Error("the language is not saved")
	}
}

// A result that arrives after Next customer is dropped (it is on record in the history).
func TestLateResultAfterNextCustomerIsDropped(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	e.loadSamples()
	e.gw.block = true
	f.ocr.start(false)
	<-e.gw.started
	e.u.nextCustomer() // the clerk moves on while the call is still out
	if f.ocr.r.busy() || f.ocr.r.progress.Running() {
		t.Fatal("the next customer's step is blocked by the previous call")
	}
	e.gw.mu.Lock()
	e.gw.block = false
	e.gw.mu.Unlock()
	time.Sleep(100 * time.Millisecond)
	queue.pump()
	for k, v := range f.ocr.form.Values() {
		if v != "" {
			t.Fatalf("the previous customer's %s came back: %q", k, v)
		}
	}
	if e.u.banner.Visible() || f.ocr.resend != nil || strings.Contains(f.summary(), specimen.Name) {
		t.Fatalf("stale state: banner %v %q", e.u.banner.Visible(), e.u.banner.Text())
	}
}

func TestValidationWaitsForTheSelfie(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	f.ocr.form.SetValue("nik", specimen.NIK)
	f.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		<-ctx.Done() // still preparing
		return nil, ctx.Err()
	})
	if f.val.canRun() {
		t.Fatal("validation may go out without the selfie being prepared")
	}
	f.live.in.clear()
	if !f.val.canRun() {
		t.Fatal("validation without a selfie is allowed")
	}
}

// An invalid NIK is refused on the screen, in the clerk's language, before anything is
// sent.
func TestValidationRefusesAnInvalidNIKLocally(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	f.ocr.form.SetValue("nik", "3174015408900000")
	f.show(pageValidate)
	e.u.runCurrent()
	e.settle()
	if len(e.gw.Calls()) != 0 {
		t.Fatal("sent")
	}
	if f.val.card.Word() != i18n.T("val.not_sent") || !strings.Contains(f.val.card.Headline(), "NIK") || f.stepper.Status(pageValidate) != widgets.StepFailed {
		t.Fatalf("%q %q", f.val.card.Word(), f.val.card.Headline())
	}
}

func TestSlowCallShowsProgressAndCancels(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	e.loadSamples()
	e.gw.block = true
	f.live.start(false)
	<-e.gw.started
	if !f.live.r.progress.Running() || f.live.run.Visible() {
		t.Fatal("no progress in the run button's place while the call runs")
	}
	f.live.start(false) // a double click sends nothing twice
	// The clock ticks (however loaded the machine), in the clerk's format.
	e.waitFor("the clock", func() bool { el := f.live.r.progress.Elapsed(); return el != "" && el != "0,0 dtk" })
	if el := f.live.r.progress.Elapsed(); !strings.HasSuffix(el, " dtk") || !strings.Contains(el, ",") {
		t.Errorf("elapsed %q", el)
	}
	e.u.cancelAll() // Esc
	e.waitFor("cancelled", func() bool { return !f.live.r.busy() })
	if n := len(e.gw.Calls()); n != 1 {
		t.Fatalf("%d calls", n)
	}
	if f.live.r.progress.Running() || !f.live.run.Visible() || f.live.card.Severity() != widgets.Unknown {
		t.Fatalf("after cancel: running %v, card %v", f.live.r.progress.Running(), f.live.card.Severity())
	}
}

func TestEveryErrorKindShowsItsMessage(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.loadSamples()
	f := e.u.flow
	cases := []struct {
		err  error
		want string
	}{
		{&kyc.Error{Kind: kyc.KindQuotaExceeded, Outcome: kyc.OutcomeRejected}, "Kuota habis. Hubungi admin merchant."},
		{&kyc.Error{Kind: kyc.KindProductNotActivated, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_activated")},
		{&kyc.Error{Kind: kyc.KindProductNotApproved, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_approved")},
		{&kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeRejected}, i18n.T("err.unauthorized")},
		{&kyc.Error{Kind: kyc.KindNotFound, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_found")},
		{&kyc.Error{Kind: kyc.KindUnavailable, Outcome: kyc.OutcomeFailed}, i18n.T("err.unavailable")},
		{&kyc.Error{Kind: kyc.KindConnection, Outcome: kyc.OutcomeFailed}, i18n.T("err.connection")},
		{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}, i18n.T("err.unknown")},
		{&kyc.Error{Kind: kyc.KindMalformedResponse, Outcome: kyc.OutcomeUnknown}, i18n.T("err.unknown")},
		{&kyc.Error{Kind: "history_unavailable", Outcome: kyc.OutcomeFailed}, i18n.T("err.history")},
		{&kyc.Error{Kind: kyc.KindGatewayError, Outcome: kyc.OutcomeRejected, Description: "Image unreadable"}, i18n.T("err.gateway_error")},
	}
	for i, c := range cases {
		e.gw.fail[kyc.ProductLiveness] = []error{c.err}
		f.live.start(false)
		e.waitFor("answer", func() bool { return len(e.gw.Calls()) == i+1 && !f.live.r.busy() })
		if got := e.u.banner.Text(); got != c.want {
			t.Errorf("%s: banner %q, want %q", kyc.KindOf(c.err), got, c.want)
		}
		if f.live.card.Headline() != c.want {
			t.Errorf("%s: card %q", kyc.KindOf(c.err), f.live.card.Headline())
		}
		f.live.retryRef, f.live.resend = "", nil
	}
}

// The photo-warning dialog speaks of charges on a paying profile only.
func TestWarningDialogOnTheSandboxSaysNothingIsCharged(t *testing.T) {
	e := newEnv(t, i18n.ID)
	f := e.u.flow
	f.live.confirmWarnings([]string{"Foto agak gelap"}, func() {})
	body := dialogText(e.u.win)
	if strings.Contains(body, i18n.T("warn.charged")) || !strings.Contains(body, i18n.T("warn.sandbox")) {
		t.Fatalf("%q", body)
	}
	widgets.TopModal(e.u.win).Escape()
}

// The check page at 1024 px: the form goes to one column inside its own scroll, and a
// field that gets the focus is scrolled into view.
func TestFocusedFieldIsScrolledIntoView(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.u.win.Resize(smallSize)
	f := e.u.flow
	f.show(pageCheck)
	e.settle()
	form := f.ocr.form
	if form.Columns() != 1 {
		t.Fatalf("%d columns at 1024 px", form.Columns())
	}
	if form.Scroll().Offset.Y != 0 {
		t.Fatal("scrolled before any focus")
	}
	form.Focus(e.u.win.Canvas(), "kewarganegaraan")
	e.settle()
	y := form.Scroll().Offset.Y
	entry := form.Focusable("kewarganegaraan").(fyne.CanvasObject)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(entry)
	top := fyne.CurrentApp().Driver().AbsolutePositionForObject(form.Scroll())
	if y <= 0 || pos.Y < top.Y || pos.Y+entry.Size().Height > top.Y+form.Scroll().Size().Height {
		t.Fatalf("offset %v, entry at %v, view %v+%v", y, pos.Y, top.Y, form.Scroll().Size().Height)
	}
	// Tab back to the first field scrolls back up.
	form.Focus(e.u.win.Canvas(), "provinsi")
	e.settle()
	if form.Scroll().Offset.Y != 0 {
		t.Fatalf("offset %v after focusing the first field", form.Scroll().Offset.Y)
	}
	// At the counter's width the form has two columns.
	e.u.win.Resize(counterSize)
	e.settle()
	if form.Columns() != 2 {
		t.Fatalf("%d columns at 1366 px", form.Columns())
	}
	// …and all 16 fields show without scrolling.
	if need, have := form.Scroll().Content.MinSize().Height, form.Scroll().Size().Height; need > have {
		t.Errorf("at 1366 px the form needs %.0f px and shows %.0f: the clerk must scroll", need, have)
	}
}

func TestValidationRequestMapping(t *testing.T) {
	req := validationRequest("R", map[string]string{"nik": " 3171 ", "nama": " Ani ", "tanggal_lahir": "01-02-1990", "tempat_lahir": "", "alamat": "JL X"}, nil)
	if req.CustRefNo != "R" || req.NIK != "3171" || req.Name != "Ani" || req.BirthPlace != "" || req.Address != "JL X" || req.SelfieImage != "" {
		t.Fatalf("%+v", req)
	}
}
