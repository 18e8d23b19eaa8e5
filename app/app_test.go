package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/camera/cameratest"
	"kycdesk/kyc/history"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/resources"
	"kycdesk/widgets"
)

// fakeGateway answers like a healthy gateway unless told otherwise, and records calls.
type fakeGateway struct {
	mu      sync.Mutex
	calls   []string // "product ref"
	fail    map[kyc.Product][]error
	block   bool // wait for cancellation
	started chan struct{}
}

func newFakeGateway() *fakeGateway {
	return &fakeGateway{fail: map[kyc.Product][]error{}, started: make(chan struct{}, 10)}
}

// next returns the scripted error for p (consumed), recording the call.
func (g *fakeGateway) next(ctx context.Context, p kyc.Product, ref string) error {
	g.mu.Lock()
	g.calls = append(g.calls, string(p)+" "+ref)
	var err error
	if q := g.fail[p]; len(q) > 0 {
		err, g.fail[p] = q[0], q[1:]
	}
	block := g.block
	g.mu.Unlock()
	select {
	case g.started <- struct{}{}:
	default:
	}
	if block {
		<-ctx.Done()
		return &kyc.Error{Kind: kyc.KindCanceled, Outcome: kyc.OutcomeUnknown, Message: "cancelled"}
	}
	return err
}

func (g *fakeGateway) Calls() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.calls...)
}

func meta(p kyc.Product, ref string, err error) kyc.Meta {
	m := kyc.Meta{Product: p, CustRefNo: ref, Outcome: kyc.OutcomeOf(err), TrxID: "202611250000000001"}
	return m
}

var specimen = sandbox.Specimens()[0]

func (g *fakeGateway) Liveness(ctx context.Context, r kyc.LivenessRequest) (*kyc.LivenessResult, error) {
	err := g.next(ctx, kyc.ProductLiveness, r.CustRefNo)
	return &kyc.LivenessResult{Meta: meta(kyc.ProductLiveness, r.CustRefNo, err), Live: err == nil}, err
}

func (g *fakeGateway) Recognize(ctx context.Context, r kyc.RecognizeRequest) (*kyc.RecognizeResult, error) {
	err := g.next(ctx, kyc.ProductIDRecognize, r.CustRefNo)
	res := &kyc.RecognizeResult{Meta: meta(kyc.ProductIDRecognize, r.CustRefNo, err)}
	if err == nil {
		res.Recognized, res.Identity = true, kyc.Identity(specimen.Fields())
	}
	return res, err
}

func (g *fakeGateway) Validate(ctx context.Context, r kyc.ValidationRequest) (*kyc.ValidationResult, error) {
	err := g.next(ctx, kyc.ProductIDValidation, r.CustRefNo)
	res := &kyc.ValidationResult{Meta: meta(kyc.ProductIDValidation, r.CustRefNo, err)}
	if err == nil {
		yes, score := r.NIK == specimen.NIK, 91.0
		res.Match = kyc.Match{NIK: &yes, FullName: &yes, SelfiePhoto: &score}
	}
	return res, err
}

// fakeProfiles is an in-memory vault.
type fakeProfiles struct {
	mu      sync.Mutex
	users   []vault.Profile
	active  string
	tokens  map[string]string
	setErr  error
	setCall int
}

func newFakeProfiles() *fakeProfiles {
	return &fakeProfiles{active: vault.SandboxName, tokens: map[string]string{}}
}

func (f *fakeProfiles) Snapshot() (vault.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := vault.Snapshot{Profiles: append([]vault.Profile{vault.Sandbox()}, f.users...), Active: f.active}
	return s, nil
}
func (f *fakeProfiles) SetActive(n string) error {
	f.mu.Lock()
	f.active = n
	f.mu.Unlock()
	return nil
}
func (f *fakeProfiles) SaveProfile(p vault.Profile) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	p.Source = vault.SourceUser
	f.users = append(f.users, p)
	return nil
}
func (f *fakeProfiles) RemoveProfile(string) error { return nil }
func (f *fakeProfiles) SetToken(_ context.Context, p, raw string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setCall++
	if f.setErr != nil {
		return f.setErr
	}
	f.tokens[p] = strings.TrimSpace(raw)
	return nil
}
func (f *fakeProfiles) ClearToken(_ context.Context, p string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.tokens[p]
	delete(f.tokens, p)
	return ok, nil
}
func (f *fakeProfiles) TokenStatus(_ context.Context, p string) (vault.TokenStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tokens[p]
	st := vault.TokenStatus{Profile: p, Stored: ok, Where: "Secret Service"}
	if ok {
		st.Last4 = t[len(t)-4:]
	}
	return st, nil
}

// fakeHistory records the filters it is asked for.
type fakeHistory struct {
	mu      sync.Mutex
	filters []history.Filter
	rows    []history.Record
}

func (h *fakeHistory) List(_ context.Context, f history.Filter) (history.Page, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.filters = append(h.filters, f)
	var out []history.Record
	for _, r := range h.rows {
		if (f.Outcome == "" || r.Outcome == f.Outcome) && (f.Ref == "" || r.CustRefNo == f.Ref) && (f.TrxID == "" || r.TrxID == f.TrxID) {
			out = append(out, r)
		}
	}
	return history.Page{Records: out}, nil
}
func (h *fakeHistory) Get(context.Context, int64, bool) (history.Record, error) {
	return history.Record{}, history.ErrNotFound
}
func (h *fakeHistory) Export(_ context.Context, w io.Writer, _ history.ExportOptions) (int, error) {
	_, err := io.WriteString(w, "id\n")
	return 0, err
}

// asked reports whether any query matched cond (queries run concurrently, so their
// order is not fixed).
func (h *fakeHistory) asked(cond func(history.Filter) bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.filters {
		if cond(f) {
			return true
		}
	}
	return false
}

// uiQueue plays the UI goroutine: goroutines enqueue what fyne.Do would run, the test
// goroutine runs it while it waits.
type uiQueue struct {
	mu sync.Mutex
	fs []func()
}

func (q *uiQueue) do(f func()) {
	q.mu.Lock()
	q.fs = append(q.fs, f)
	q.mu.Unlock()
}

func (q *uiQueue) pump() {
	for {
		q.mu.Lock()
		if len(q.fs) == 0 {
			q.mu.Unlock()
			return
		}
		f := q.fs[0]
		q.fs = q.fs[1:]
		q.mu.Unlock()
		f()
	}
}

var queue = &uiQueue{}

func init() { uiDo, widgets.Do = queue.do, queue.do }

type env struct {
	t    *testing.T
	u    *UI
	gw   *fakeGateway
	prof *fakeProfiles
	hist *fakeHistory
}

func newEnv(t *testing.T, lang i18n.Lang) *env {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, string(lang))
	a.Preferences().SetBool(prefWelcomed, true)
	e := &env{t: t, gw: newFakeGateway(), prof: newFakeProfiles(), hist: &fakeHistory{}}
	n := 0
	e.u = New(a, Deps{
		Profiles: e.prof, History: e.hist, Version: "test",
		NewRef: func() string { n++; return fmt.Sprintf("REF-%03d", n) },
		Connect: func(p vault.Profile) (*Connection, error) {
			return &Connection{Gateway: e.gw, Server: "sandbox", Sandbox: p.IsSandbox()}, nil
		},
	})
	e.u.started() // the test app has no lifecycle: do what starting does
	e.u.win.Resize(fyne.NewSize(1180, 780))
	e.waitFor("connected", func() bool { return e.u.conn != nil })
	return e
}

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for queue.pump(); !cond(); queue.pump() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// loadSamples brings the specimen card and the sample selfie into the onboarding.
func (e *env) loadSamples() {
	e.u.onboarding.loadSamples()
	e.waitFor("images prepared", func() bool { return e.u.onboarding.ocr.in.ready() && e.u.onboarding.live.in.ready() })
}

func TestOnboardingFlowAndNextCustomer(t *testing.T) {
	e := newEnv(t, i18n.ID)
	o := e.u.onboarding
	if !o.samples.Visible() {
		t.Fatal("no samples button on the Sandbox profile")
	}
	e.loadSamples()
	if o.ocr.in.zone.State() != widgets.ZoneReady {
		t.Fatal("preview not shown")
	}
	// Ctrl+Enter runs OCR, then liveness, then validation.
	for i, want := range []string{"id-recognize REF-001", "passive-liveness REF-001", "id-validation REF-001"} {
		e.u.runCurrent()
		e.waitFor(want, func() bool { return len(e.gw.Calls()) == i+1 && !o.ocr.r.busy() && !o.live.r.busy() && !o.val.r.busy() })
		if got := e.gw.Calls()[i]; got != want {
			t.Fatalf("call %d: %q, want %q", i, got, want)
		}
	}
	if v := o.ocr.form.Values(); v["nik"] != specimen.NIK || v["nama"] != specimen.Name || v["rt/rw"] != specimen.RTRW {
		t.Fatalf("form %v", v)
	}
	if o.live.card.Severity() != widgets.OK || o.val.card.Severity() != widgets.OK || o.val.card.Word() != i18n.T("val.passed") {
		t.Fatalf("cards: %v %v %q", o.live.card.Severity(), o.val.card.Severity(), o.val.card.Word())
	}
	sum := o.summary.Text
	for _, want := range []string{specimen.Name, "3", "REF-001", "91"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary %q lacks %q", sum, want)
		}
	}
	if strings.Contains(sum, specimen.NIK) {
		t.Error("the summary shows the full NIK")
	}
	// Ctrl+Enter with everything done sends nothing more.
	e.u.runCurrent()
	time.Sleep(50 * time.Millisecond)
	queue.pump()
	if n := len(e.gw.Calls()); n != 3 {
		t.Fatalf("%d calls", n)
	}

	// Next customer: nothing personal stays on screen.
	o.next()
	for k, v := range o.ocr.form.Values() {
		if v != "" {
			t.Errorf("field %s still %q", k, v)
		}
	}
	if o.ocr.in.prepared != nil || o.live.in.prepared != nil || o.ocr.in.zone.Image() != nil || o.live.in.zone.Image() != nil {
		t.Error("images kept")
	}
	if o.ref.Text == "REF-001" || strings.Contains(o.summary.Text, specimen.Name) || o.val.match != nil {
		t.Errorf("ref %q summary %q", o.ref.Text, o.summary.Text)
	}
}

func TestEveryErrorKindShowsItsMessage(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.loadSamples()
	o := e.u.onboarding
	cases := []struct {
		err  error
		want string
	}{
		{&kyc.Error{Kind: kyc.KindQuotaExceeded, Outcome: kyc.OutcomeRejected}, "Kuota habis — hubungi admin merchant."},
		{&kyc.Error{Kind: kyc.KindProductNotActivated, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_activated")},
		{&kyc.Error{Kind: kyc.KindProductNotApproved, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_approved")},
		{&kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeRejected}, i18n.T("err.unauthorized")},
		{&kyc.Error{Kind: kyc.KindNotFound, Outcome: kyc.OutcomeRejected}, i18n.T("err.not_found")},
		{&kyc.Error{Kind: kyc.KindUnavailable, Outcome: kyc.OutcomeFailed}, i18n.T("err.unavailable")},
		{&kyc.Error{Kind: kyc.KindConnection, Outcome: kyc.OutcomeFailed}, i18n.T("err.connection")},
		{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}, i18n.T("err.unknown", "REF-001")},
		{&kyc.Error{Kind: kyc.KindMalformedResponse, Outcome: kyc.OutcomeUnknown}, i18n.T("err.unknown", "REF-001")},
		{&kyc.Error{Kind: service.KindHistory, Outcome: kyc.OutcomeFailed}, i18n.T("err.history")},
		{&kyc.Error{Kind: kyc.KindGatewayError, Outcome: kyc.OutcomeRejected, Description: "Image unreadable"}, i18n.T("err.gateway_error", "Image unreadable")},
	}
	for i, c := range cases {
		e.gw.fail[kyc.ProductLiveness] = []error{c.err}
		o.live.start(false)
		e.waitFor("answer", func() bool { return len(e.gw.Calls()) == i+1 && !o.live.r.busy() })
		if got := e.u.banner.Text(); got != c.want {
			t.Errorf("%s: banner %q, want %q", kyc.KindOf(c.err), got, c.want)
		}
		o.live.retryRef, o.live.resend = "", nil
	}
}

func TestUnknownOutcomeRetriesOnlyDeliberatelyWithTheSameReference(t *testing.T) {
	e := newEnv(t, i18n.EN)
	e.loadSamples()
	o := e.u.onboarding
	e.gw.fail[kyc.ProductIDRecognize] = []error{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}}
	o.ocr.start(false)
	e.waitFor("unknown", func() bool { return len(e.gw.Calls()) == 1 && !o.ocr.r.busy() })
	if o.ocr.card.Severity() != widgets.Unknown || !strings.Contains(e.u.banner.Text(), "may have been charged") {
		t.Fatalf("%v %q", o.ocr.card.Severity(), e.u.banner.Text())
	}
	// The clerk changes the reference field, then deliberately retries with the old one.
	o.ref.SetText("REF-NEW")
	var retry func()
	for _, b := range e.u.banner.Buttons() {
		if b.Text == i18n.T("action.retry_same") {
			retry = b.OnTapped
		}
	}
	if retry == nil {
		t.Fatal("no retry-with-the-same-reference action")
	}
	retry()
	e.waitFor("retry", func() bool { return len(e.gw.Calls()) == 2 && !o.ocr.r.busy() })
	if got := e.gw.Calls()[1]; got != "id-recognize REF-001" {
		t.Fatalf("retry sent %q", got)
	}
	if o.ocr.card.Severity() != widgets.OK {
		t.Fatal("retry result not shown")
	}
}

func TestRunAfterUnknownOutcomeAsksBeforeResending(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.loadSamples()
	o := e.u.onboarding
	e.gw.fail[kyc.ProductIDRecognize] = []error{&kyc.Error{Kind: kyc.KindGatewayTimeout, Outcome: kyc.OutcomeUnknown}}
	e.u.runCurrent()
	e.waitFor("unknown", func() bool { return len(e.gw.Calls()) == 1 && !o.ocr.r.busy() })
	// Ctrl+Enter again (or the Run button): a dialog asks, nothing is sent.
	e.u.runCurrent()
	o.ocr.start(false)
	time.Sleep(50 * time.Millisecond)
	queue.pump()
	if n := len(e.gw.Calls()); n != 1 {
		t.Fatalf("a possibly billed call was sent again without asking (%d calls)", n)
	}
	if len(e.u.win.Canvas().Overlays().List()) == 0 {
		t.Fatal("no confirmation dialog")
	}
}

func TestLateResultAfterNextCustomerIsDropped(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.loadSamples()
	o := e.u.onboarding
	e.gw.block = true
	o.ocr.start(false)
	<-e.gw.started
	o.next() // the clerk moves on while the call is still out
	if o.ocr.r.busy() || o.ocr.r.progress.Running() {
		t.Fatal("the next customer's step is blocked by the previous call")
	}
	e.gw.mu.Lock()
	e.gw.block = false
	e.gw.mu.Unlock()
	time.Sleep(100 * time.Millisecond)
	queue.pump()
	for k, v := range o.ocr.form.Values() {
		if v != "" {
			t.Fatalf("the previous customer's %s came back: %q", k, v)
		}
	}
	if e.u.banner.Visible() || o.ocr.resend != nil || strings.Contains(o.summary.Text, specimen.Name) {
		t.Fatalf("stale state: banner %v %q", e.u.banner.Visible(), e.u.banner.Text())
	}
}

func TestValidationWaitsForTheSelfie(t *testing.T) {
	e := newEnv(t, i18n.ID)
	o := e.u.onboarding
	o.ocr.form.SetValue("nik", specimen.NIK)
	o.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		<-ctx.Done() // still preparing
		return nil, ctx.Err()
	})
	if o.val.canRun() {
		t.Fatal("validation may go out without the selfie being prepared")
	}
	o.live.in.clear()
	if !o.val.canRun() {
		t.Fatal("validation without a selfie is allowed")
	}
}

func TestSlowCallShowsProgressAndCancels(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.loadSamples()
	o := e.u.onboarding
	e.gw.block = true
	o.live.start(false)
	<-e.gw.started
	if !o.live.r.progress.Running() {
		t.Fatal("no progress while the call runs")
	}
	o.live.start(false) // a double click sends nothing twice
	time.Sleep(120 * time.Millisecond)
	queue.pump()
	if el := o.live.r.progress.Elapsed(); el == "" || el == "0.0 s" {
		t.Errorf("elapsed %q", el)
	}
	e.u.cancelAll() // Esc
	e.waitFor("cancelled", func() bool { return !o.live.r.busy() })
	if n := len(e.gw.Calls()); n != 1 {
		t.Fatalf("%d calls", n)
	}
	if o.live.r.progress.Running() || o.live.card.Severity() != widgets.Unknown {
		t.Fatalf("after cancel: running %v, card %v", o.live.r.progress.Running(), o.live.card.Severity())
	}
}

func TestSingleProductScreens(t *testing.T) {
	e := newEnv(t, i18n.EN)
	live, ocr, val := e.u.singleScreen(tabLiveness), e.u.singleScreen(tabOCR), e.u.singleScreen(tabValidation)
	live.zone().load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
	e.waitFor("selfie", func() bool { return live.zone().ready() })
	live.runNow()
	e.waitFor("liveness", func() bool { return len(e.gw.Calls()) == 1 })
	ocr.zone().load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	e.waitFor("card", func() bool { return ocr.zone().ready() })
	ocr.runNow()
	e.waitFor("ocr", func() bool { return len(e.gw.Calls()) == 2 })

	// Validation: an invalid NIK is refused locally, a valid one is sent.
	form := findForm(val.content)
	form.SetValue("nik", "1234")
	val.runNow()
	time.Sleep(50 * time.Millisecond)
	if n := len(e.gw.Calls()); n != 2 {
		t.Fatalf("invalid NIK sent (%d calls)", n)
	}
	form.SetValue("nik", specimen.NIK)
	form.SetValue("nama", specimen.Name)
	val.runNow()
	e.waitFor("validation", func() bool { return len(e.gw.Calls()) == 3 })
	refs := e.gw.Calls()
	if !strings.HasPrefix(refs[0], "passive-liveness REF-") || !strings.HasPrefix(refs[2], "id-validation REF-") || refs[0][len(refs[0])-3:] == refs[2][len(refs[2])-3:] {
		t.Errorf("each screen has its own reference: %v", refs)
	}
}

func findForm(o fyne.CanvasObject) *widgets.FieldForm {
	for _, x := range test.LaidOutObjects(o) {
		if f, ok := x.(*widgets.FieldForm); ok {
			return f
		}
	}
	return nil
}

func TestSettingsSavesTokenThroughTheVault(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.u.openSettings()
	s := e.u.settings
	e.waitFor("profiles", func() bool { return len(s.pick.Options) == 2 })
	s.pick.SetSelected(i18n.T("set.new_profile"))
	s.name.SetText("Outlet 12")
	s.server.SetText("ftp://nope")
	s.doSaveProfile()
	if s.message.Text != i18n.T("set.bad_server") {
		t.Fatalf("bad URL: %q", s.message.Text)
	}
	s.server.SetText("https://kyc.example.co.id/")
	s.timeout.SetText("45")
	s.doSaveProfile()
	e.waitFor("saved", func() bool { return len(s.pick.Options) == 3 && s.name.Text == "Outlet 12" })
	if p := e.prof.users[0]; p.ServerURL != "https://kyc.example.co.id" || p.Timeout != 45*time.Second {
		t.Fatalf("%+v", p)
	}
	e.waitFor("token form", func() bool { return !s.token.Disabled() })
	test.Type(s.token, "  merchant-token-ABCD \n")
	s.doSaveToken()
	if s.token.Text != "" {
		t.Error("the token stays visible after saving")
	}
	e.waitFor("token saved", func() bool { return strings.Contains(s.tokenStatus.Text, "ABCD") })
	if e.prof.tokens["Outlet 12"] != "merchant-token-ABCD" {
		t.Fatalf("%v", e.prof.tokens)
	}
	if strings.Contains(s.tokenStatus.Text, "merchant-token") {
		t.Error("more than the last four characters shown")
	}
	// A keyring failure is explained, not swallowed.
	e.prof.setErr = &vault.Error{Code: vault.CodeLocked}
	test.Type(s.token, "other-token-9999")
	s.doSaveToken()
	e.waitFor("error", func() bool { return s.message.Text == (&vault.Error{Code: vault.CodeLocked}).Message("id") })
	// Use the profile: the header follows.
	s.doUse()
	e.waitFor("reconnected", func() bool { return e.u.profile.Name == "Outlet 12" })
	if e.u.badge.Visible() {
		t.Error("SANDBOX badge on a production profile")
	}
}

func TestHistoryFiltersAndSearch(t *testing.T) {
	e := newEnv(t, i18n.ID)
	now := time.Now()
	e.hist.rows = []history.Record{
		{ID: 1, CreatedAt: now, Product: "passive-liveness", CustRefNo: "A1", Outcome: "success", TrxID: "T1"},
		{ID: 2, CreatedAt: now, Product: "id-validation", CustRefNo: "A2", Outcome: "unknown", ErrorKind: "gateway_timeout", NIKMasked: "3174********0001"},
	}
	e.u.tabs.SelectIndex(tabHistory)
	h := e.u.history
	e.waitFor("rows", func() bool { return len(h.rows) == 2 })
	if !h.unknownNote.Visible() {
		t.Error("unknown rows not flagged")
	}
	h.outcome.SetSelectedIndex(4) // unknown
	e.waitFor("filtered", func() bool { return len(h.rows) == 1 })
	if !e.hist.asked(func(f history.Filter) bool { return f.Outcome == "unknown" && f.Limit == historyPage }) {
		t.Fatal("no query by outcome")
	}
	h.show(0)
	if !strings.Contains(h.detail.Text, i18n.T("hist.d.unknown", "A2")) || strings.Contains(h.detail.Text, "3174015") {
		t.Errorf("detail %q", h.detail.Text)
	}
	h.outcome.SetSelectedIndex(0)
	h.search.SetText(specimen.NIK)
	h.reload()
	e.waitFor("nik search", func() bool { return e.hist.asked(func(f history.Filter) bool { return f.NIK == specimen.NIK }) })
	h.search.SetText("T1")
	h.reload()
	e.waitFor("trx search", func() bool {
		return e.hist.asked(func(f history.Filter) bool { return f.TrxID == "T1" }) && len(h.rows) == 1 && h.rows[0].TrxID == "T1"
	})
	h.from.SetText("2026-13-45")
	h.reload()
	if !strings.Contains(h.status.Text, i18n.T("hist.bad_date")) {
		t.Errorf("bad date: %q", h.status.Text)
	}
}

func TestLanguageSwitchRebuildsTheScreens(t *testing.T) {
	e := newEnv(t, i18n.ID)
	if e.u.tabs.Items[0].Text != "Nasabah baru" {
		t.Fatal(e.u.tabs.Items[0].Text)
	}
	e.u.openSettings()
	s := e.u.settings
	s.language.SetSelected(i18n.EN.Name())
	s.doSavePrefs()
	if e.u.tabs.Items[0].Text != "New customer" || e.u.app.Preferences().String(prefLang) != "en" {
		t.Fatal(e.u.tabs.Items[0].Text)
	}
	i18n.Set(i18n.ID)
}

func TestExplainMapsEveryKind(t *testing.T) {
	i18n.Set(i18n.ID)
	for _, k := range []kyc.ErrorKind{kyc.KindInvalidInput, kyc.KindTimeout, kyc.KindCanceled, kyc.KindServerError} {
		p := explain(&kyc.Error{Kind: k, Outcome: kyc.OutcomeFailed, Message: "m"}, "R")
		if p.Text == "" || strings.HasPrefix(p.Text, "err.") {
			t.Errorf("%s: %q", k, p.Text)
		}
	}
	if p := explain(&kyc.Error{Kind: kyc.KindTimeout, Outcome: kyc.OutcomeUnknown}, "R9"); p.Next != nextRetrySame || !strings.Contains(p.Text, "R9") {
		t.Errorf("%+v", p)
	}
	if p := explain(&kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeRejected}, ""); p.Next != nextSettings {
		t.Error("unauthorized must lead to settings")
	}
	if p := explain(photo.ErrTruncated, ""); p.Severity != widgets.Error || p.Text == "" {
		t.Errorf("%+v", p)
	}
	if p := explain(errors.New("boom"), ""); !strings.Contains(p.Text, "boom") {
		t.Error(p.Text)
	}
}

func TestValidationRequestMapping(t *testing.T) {
	req := validationRequest("R", map[string]string{"nik": " 3171 ", "nama": " Ani ", "tanggal_lahir": "01-02-1990", "tempat_lahir": "", "alamat": "JL X"}, nil)
	if req.CustRefNo != "R" || req.NIK != "3171" || req.Name != "Ani" || req.BirthPlace != "" || req.Address != "JL X" || req.SelfieImage != "" {
		t.Fatalf("%+v", req)
	}
}

func TestMainScreensRender(t *testing.T) {
	for _, l := range i18n.Langs {
		e := newEnv(t, l)
		test.AssertRendersToMarkup(t, "main_"+string(l)+".xml", e.u.win.Canvas())
		e.u.tabs.SelectIndex(5)
		e.waitFor("settings", func() bool { return len(e.u.settings.pick.Options) == 2 })
		test.AssertRendersToMarkup(t, "settings_"+string(l)+".xml", e.u.win.Canvas())
		e.u.tabs.SelectIndex(tabHistory)
		e.waitFor("history", func() bool { return e.u.history != nil && !e.u.history.loading })
		test.AssertRendersToMarkup(t, "history_"+string(l)+".xml", e.u.win.Canvas())
	}
	i18n.Set(i18n.ID)
}

func TestCameraCaptureTakesThePhotoPath(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetBool(prefWelcomed, true)
	src := cameratest.New(cameratest.Selfie(), 30)
	gw := newFakeGateway()
	u := New(a, Deps{Profiles: newFakeProfiles(), History: &fakeHistory{}, Camera: src,
		Connect: func(p vault.Profile) (*Connection, error) { return &Connection{Gateway: gw, Sandbox: true}, nil }})
	e := &env{t: t, u: u, gw: gw}
	u.started()
	in := u.firstScreen().live.in
	e.waitFor("camera found", func() bool { return u.cameraOK })
	in.openCamera()
	if in.cam == nil || in.view.Objects[0] != in.cam {
		t.Fatal("camera view not shown in the zone's place")
	}
	e.waitFor("preview", func() bool { return in.cam.State() == widgets.CameraPreview })
	in.cam.Capture()
	e.waitFor("still", func() bool { return in.cam.State() == widgets.CameraReview })
	in.cam.Accept()
	e.waitFor("prepared", func() bool { return in.ready() })
	if in.cam != nil || in.view.Objects[0] != in.zone {
		t.Fatal("camera not closed after accepting")
	}
	e.waitFor("released", func() bool { return src.Active() == 0 })
	// Next customer closes an open camera too.
	in.openCamera()
	e.waitFor("preview again", func() bool { return in.cam != nil && in.cam.State() == widgets.CameraPreview })
	u.onboarding.next()
	e.waitFor("released again", func() bool { return src.Active() == 0 })
}
