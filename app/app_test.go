package app

import (
	"context"
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
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// fakeGateway answers like a healthy gateway unless told otherwise, and records calls.
type fakeGateway struct {
	mu       sync.Mutex
	calls    []string          // "product ref"
	consents []service.Consent // the consents the calls carried
	fail     map[kyc.Product][]error
	block    bool // wait for cancellation
	started  chan struct{}
}

func newFakeGateway() *fakeGateway {
	return &fakeGateway{fail: map[kyc.Product][]error{}, started: make(chan struct{}, 10)}
}

// next returns the scripted error for p (consumed), recording the call.
func (g *fakeGateway) next(ctx context.Context, p kyc.Product, ref string) error {
	g.mu.Lock()
	g.calls = append(g.calls, string(p)+" "+ref)
	if c, ok := service.ConsentFrom(ctx); ok {
		g.consents = append(g.consents, c)
	}
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

// userList and token read the fake under its lock (the screens write from goroutines).
func (f *fakeProfiles) userList() []vault.Profile {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]vault.Profile(nil), f.users...)
}

func (f *fakeProfiles) token(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[name]
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
func (f *fakeProfiles) SetProxyCredentials(_ context.Context, addr, user, pw string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens["proxy "+addr] = user + ":" + pw
	return nil
}
func (f *fakeProfiles) ClearProxyCredentials(_ context.Context, addr string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.tokens["proxy "+addr]
	delete(f.tokens, "proxy "+addr)
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
	return history.Page{Records: h.match(f)}, nil
}

func (h *fakeHistory) match(f history.Filter) []history.Record {
	var out []history.Record
	for _, r := range h.rows {
		if (f.Outcome == "" || r.Outcome == f.Outcome) && (f.Ref == "" || r.CustRefNo == f.Ref) && (f.TrxID == "" || r.TrxID == f.TrxID) &&
			(f.Search == "" || strings.Contains(r.CustRefNo, f.Search) || strings.Contains(r.TrxID, f.Search)) {
			out = append(out, r)
		}
	}
	return out
}

func (h *fakeHistory) Count(_ context.Context, f history.Filter) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.filters = append(h.filters, f)
	return len(h.match(f)), nil
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
	// settings is the merchant's settings (consent off unless a test turns it on).
	settings *fakeSettings
	// ho is head office as the Kantor pusat screen sees it; sync the counter's sync.
	ho   *fakeHeadOffice
	sync *fakeSync
}

func newEnv(t *testing.T, lang i18n.Lang) *env {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLang, string(lang))
	a.Preferences().SetBool(prefWelcomed, true)
	e := &env{t: t, gw: newFakeGateway(), prof: newFakeProfiles(), hist: &fakeHistory{},
		settings: &fakeSettings{s: service.Settings{RetentionDays: 90, ConsentText: "Nasabah setuju (uji).", ConsentVersion: 3}},
		ho:       newFakeHeadOffice(), sync: &fakeSync{}}
	n := 0
	e.u = New(a, Deps{
		Profiles: e.prof, History: e.hist, Version: "test",
		NewRef: func() string { n++; return fmt.Sprintf("REF-%03d", n) },
		Connect: func(p vault.Profile) (*Connection, error) {
			return &Connection{Gateway: e.gw, Server: "sandbox", Sandbox: p.IsSandbox()}, nil
		},
		Settings: e.settings, Consent: e.settings,
		OpenHeadOffice: func(context.Context, vault.Profile) (HeadOffice, error) {
			e.ho.mu.Lock()
			defer e.ho.mu.Unlock()
			e.ho.opens++
			if e.ho.openErr != nil {
				return nil, e.ho.openErr
			}
			return e.ho, nil
		},
		Sync: e.sync,
	})
	e.u.started() // the test app has no lifecycle: do what starting does
	e.u.win.Resize(counterSize)
	e.waitFor("connected", func() bool { return e.u.conn != nil })
	return e
}

// The window's content at the counter's sizes: a 1366×768 screen less Windows' taskbar
// (40 px), a title bar (31 px), the window's borders and Fyne's menu bar (about 28 px,
// drawn inside the canvas but not by the test driver); and a 1024×768 one.
var (
	counterSize = fyne.NewSize(1350, 665)
	smallSize   = fyne.NewSize(1008, 665)
)

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	// A guard, not a timing: the race detector on a busy machine is slow.
	deadline := time.Now().Add(30 * time.Second)
	for queue.pump(); !cond(); queue.pump() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// loadSamples brings the specimen card and the sample selfie into the flow, without the
// automatic start (tests start each step themselves).
func (e *env) loadSamples() {
	e.u.prefs.SetBool(prefAutoStart, false)
	e.u.flow.loadSamples()
	e.waitFor("images prepared", func() bool { return e.u.flow.ocr.in.ready() && e.u.flow.live.in.ready() })
}

// settle lets queued UI work and goroutines finish.
func (e *env) settle() {
	for i := 0; i < 5; i++ {
		time.Sleep(10 * time.Millisecond)
		queue.pump()
	}
}

// consent answers the consent dialog the first call of a customer opens.
func (e *env) consent() {
	e.t.Helper()
	m := widgets.TopModal(e.u.win)
	if m == nil {
		e.t.Fatal("no consent dialog")
	}
	m.Enter()
}

func (h *fakeHistory) StartNewKeys(context.Context) error { return nil }

// fakeSettings is the merchant's settings in memory (service.Desk in production).
type fakeSettings struct {
	mu      sync.Mutex
	s       service.Settings
	problem *service.SettingsError
	saves   int
}

func (f *fakeSettings) Settings() service.SettingsState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return service.SettingsState{Settings: f.s, Problem: f.problem}
}

func (f *fakeSettings) SaveSettings(_ context.Context, s service.Settings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	// As Desk.SaveSettings: the consent text's version is managed here.
	if s.ConsentText != f.s.ConsentText {
		s.ConsentVersion = f.s.ConsentVersion + 1
	} else {
		s.ConsentVersion = f.s.ConsentVersion
	}
	if err := s.Validate(); err != nil {
		return err
	}
	f.s, f.problem = s, nil
	f.saves++
	return nil
}

func (f *fakeSettings) ConsentPolicy() (service.ConsentPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.problem != nil {
		return service.ConsentPolicy{Required: true}, f.problem
	}
	return service.ConsentPolicy{Required: f.s.ConsentRequired, Text: f.s.ConsentText, Version: f.s.ConsentVersion}, nil
}

// requireConsent turns the consent setting on and lets the app read it.
func (e *env) requireConsent() {
	e.settings.mu.Lock()
	e.settings.s.ConsentRequired = true
	e.settings.mu.Unlock()
	e.u.loadConsent()
	e.waitFor("consent setting", func() bool { p, _ := e.u.consentPolicy(); return p.Required && e.u.consent.loaded })
}
