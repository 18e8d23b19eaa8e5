package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/camera/cameratest"
	"kycdesk/kyc/history"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/proxy"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/resources"
	"kycdesk/widgets"
)

func TestSingleProductScreens(t *testing.T) {
	e := newEnv(t, i18n.EN)
	defer i18n.Set(i18n.ID)
	e.u.prefs.SetBool(prefAutoStart, false)
	live, ocr, val := e.u.productScreen(tabLiveness), e.u.productScreen(tabOCR), e.u.productScreen(tabValidation)
	live.live.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleSelfie, photo.KindSelfie)
	})
	e.waitFor("selfie", func() bool { return live.live.in.ready() })
	e.u.tabs.SelectIndex(tabLiveness)
	e.u.runCurrent()
	e.waitFor("liveness", func() bool { return len(e.gw.Calls()) == 1 && !live.live.r.busy() })
	if live.live.card.Word() != "PASSED" {
		t.Errorf("liveness word %q", live.live.card.Word())
	}
	ocr.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) {
		return photo.Prepare(ctx, resources.SampleCard, photo.KindID)
	})
	e.waitFor("card", func() bool { return ocr.ocr.in.ready() })
	e.u.tabs.SelectIndex(tabOCR)
	e.u.runCurrent()
	e.waitFor("ocr", func() bool { return len(e.gw.Calls()) == 2 && !ocr.ocr.r.busy() })
	if ocr.ocr.form.Value("nik") != specimen.NIK || ocr.ocr.in.zone.Zoom() == nil {
		t.Error("OCR form not filled, or the card not zoomable")
	}

	// Validation: an invalid NIK is refused locally, a valid one is sent.
	e.u.tabs.SelectIndex(tabValidation)
	val.form.SetValue("nik", "1234")
	e.u.runCurrent()
	e.settle()
	if n := len(e.gw.Calls()); n != 2 {
		t.Fatalf("invalid NIK sent (%d calls)", n)
	}
	val.form.SetValue("nik", specimen.NIK)
	val.form.SetValue("nama", specimen.Name)
	val.val.refresh()
	e.u.runCurrent()
	e.waitFor("validation", func() bool { return len(e.gw.Calls()) == 3 && !val.val.r.busy() })
	refs := e.gw.Calls()
	if !strings.HasPrefix(refs[0], "passive-liveness REF-") || !strings.HasPrefix(refs[2], "id-validation REF-") || refs[0][len(refs[0])-3:] == refs[2][len(refs[2])-3:] {
		t.Errorf("each screen has its own reference: %v", refs)
	}
	// Next customer from a single screen clears all of them.
	old := val.cust.ref.Text
	e.u.nextCustomer()
	if val.form.Value("nik") != "" || ocr.ocr.form.Value("nik") != "" || live.live.res != nil || val.cust.ref.Text == old {
		t.Error("a screen kept the previous customer")
	}
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
	// Use the profile: the header follows, the customer on screen stays.
	e.u.flow.cust.ref.SetText("KEEP-ME")
	s.doUse()
	e.waitFor("reconnected", func() bool { return e.u.profile.Name == "Outlet 12" })
	if e.u.header.sandbox.Visible() {
		t.Error("SANDBOX badge on a production profile")
	}
	if e.u.flow.cust.ref.Text != "KEEP-ME" {
		t.Error("switching the profile dropped the customer")
	}
	if s.pick.Selected != "Outlet 12" {
		t.Errorf("the profile list shows %q", s.pick.Selected)
	}
}

func TestUnencryptedProfileIsBadged(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetBool(prefWelcomed, true)
	gw := newFakeGateway()
	u := New(a, Deps{Profiles: newFakeProfiles(), History: &fakeHistory{},
		Connect: func(p vault.Profile) (*Connection, error) {
			return &Connection{Gateway: gw, Server: "http://10.0.0.5:8080", Unencrypted: true}, nil
		}})
	e := &env{t: t, u: u, gw: gw}
	u.started()
	e.waitFor("connected", func() bool { return u.conn != nil })
	if !u.header.unencrypted.Visible() || !strings.Contains(u.header.unencrypted.Text, "TIDAK TERENKRIPSI") {
		t.Fatalf("no unencrypted badge: %q", u.header.unencrypted.Text)
	}
}

func TestHistoryFiltersAndSearch(t *testing.T) {
	e := newEnv(t, i18n.ID)
	now := time.Now()
	e.hist.rows = []history.Record{
		{ID: 1, CreatedAt: now, Product: "passive-liveness", CustRefNo: "A1", Outcome: "success", TrxID: "T1"},
		{ID: 2, CreatedAt: now, Product: "id-validation", CustRefNo: "A2", Outcome: "unknown", ErrorKind: "gateway_timeout", NIKMasked: "3174********0001"},
	}
	for i := 0; i < 2000; i++ { // more unknown outcomes than a page: the note counts them all
		e.hist.rows = append(e.hist.rows, history.Record{ID: int64(10 + i), CreatedAt: now, Product: "passive-liveness",
			CustRefNo: fmt.Sprintf("sbx-504-%04d", i), Outcome: "unknown", ErrorKind: "gateway_timeout"})
	}
	e.u.tabs.SelectIndex(tabHistory)
	h := e.u.history
	e.waitFor("rows", func() bool { return len(h.rows) == len(e.hist.rows) })
	if !h.unknownNote.Visible() || !strings.Contains(h.unknownNote.Text, "2.001 transaksi") {
		t.Errorf("unknown note %q", h.unknownNote.Text)
	}
	if !strings.Contains(h.status.Text, "2.002 transaksi") {
		t.Errorf("status %q", h.status.Text)
	}
	h.outcome.SetSelectedIndex(4) // unknown
	e.waitFor("filtered", func() bool { return len(h.rows) == 2001 })
	if !e.hist.asked(func(f history.Filter) bool { return f.Outcome == "unknown" && f.Limit == historyPage && f.Personal }) {
		t.Fatal("no query by outcome")
	}
	h.show(0)
	if !strings.Contains(h.detail.Text, i18n.T("hist.d.unknown", "A2")) || strings.Contains(h.detail.Text, "3174015") {
		t.Errorf("detail %q", h.detail.Text)
	}
	if !strings.Contains(h.detail.Text, i18n.T("kind.gateway_timeout")) || strings.Contains(h.detail.Text, "gateway_timeout") {
		t.Errorf("raw error kind in the details: %q", h.detail.Text)
	}
	h.outcome.SetSelectedIndex(0)
	h.search.SetText(specimen.NIK)
	h.reload()
	e.waitFor("nik search", func() bool { return e.hist.asked(func(f history.Filter) bool { return f.NIK == specimen.NIK }) })
	// Any part of a reference or trx_id.
	h.search.SetText("sbx-504")
	h.reload()
	e.waitFor("prefix search", func() bool { return len(h.rows) == 2000 && h.total == 2000 })
	h.search.SetText("T1")
	h.reload()
	e.waitFor("trx search", func() bool {
		return e.hist.asked(func(f history.Filter) bool { return f.Search == "T1" }) && len(h.rows) == 1 && h.rows[0].TrxID == "T1"
	})
	h.from.SetText("2026-13-45")
	h.reload()
	if !strings.Contains(h.status.Text, "DD-MM-YYYY") {
		t.Errorf("bad date: %q", h.status.Text)
	}
}

// A successful call whose answer was "no" says so in the list, and its details show each
// field's match and the face score against the pass mark.
func TestHistoryShowsTheVerdict(t *testing.T) {
	e := newEnv(t, i18n.ID)
	now := time.Now()
	e.hist.rows = []history.Record{
		{ID: 1, CreatedAt: now, Product: "id-validation", CustRefNo: "V-NO", Outcome: "success", TrxID: "T1",
			Personal: &history.Personal{Result: map[string]string{"match_nik": "true", "match_full_name": "false", "selfie_photo": "91"}}},
		{ID: 2, CreatedAt: now, Product: "id-validation", CustRefNo: "V-FACE", Outcome: "success", TrxID: "T2",
			Personal: &history.Personal{Result: map[string]string{"match_nik": "true", "match_full_name": "true", "selfie_photo": "61.5"}}},
		{ID: 3, CreatedAt: now, Product: "passive-liveness", CustRefNo: "L-NO", Outcome: "success", TrxID: "T3",
			Personal: &history.Personal{Result: map[string]string{"live": "false"}}},
		{ID: 4, CreatedAt: now, Product: "id-validation", CustRefNo: "V-OK", Outcome: "success", TrxID: "T4",
			Personal: &history.Personal{Result: map[string]string{"match_nik": "true", "selfie_photo": "88"}}},
		{ID: 5, CreatedAt: now, Product: "id-validation", CustRefNo: "Q", Outcome: "rejected", ErrorKind: "quota_exceeded"},
	}
	e.u.tabs.SelectIndex(tabHistory)
	h := e.u.history
	e.waitFor("rows", func() bool { return len(h.rows) == 5 })
	want := []string{"BERHASIL · TIDAK COCOK", "BERHASIL · TIDAK COCOK", "BERHASIL · TIDAK LOLOS", "BERHASIL · COCOK", "DITOLAK"}
	for i, w := range want {
		if got := cellText(h, i, 4); got != w {
			t.Errorf("row %d: %q, want %q", i, got, w)
		}
	}
	if got := cellText(h, 4, 5); got != i18n.T("kind.quota_exceeded") {
		t.Errorf("error column %q", got)
	}
	h.show(0)
	for _, w := range []string{"Jawaban: TIDAK COCOK", "✗ Nama: tidak cocok", "✓ NIK: cocok", "91 (batas minimal 75)"} {
		if !strings.Contains(h.detail.Text, w) {
			t.Errorf("details lack %q: %q", w, h.detail.Text)
		}
	}
	h.show(1)
	if !strings.Contains(h.detail.Text, "✗ Skor kemiripan wajah: 61,5 (batas minimal 75)") {
		t.Errorf("face score: %q", h.detail.Text)
	}
}

// cellText renders one History cell's text.
func cellText(h *historyScreen, row, col int) string {
	o := h.createCell()
	h.updateCell(widget.TableCellID{Row: row, Col: col}, o)
	return o.(*fyne.Container).Objects[1].(*widget.Label).Text
}

func TestExplainMapsEveryKind(t *testing.T) {
	i18n.Set(i18n.ID)
	for _, k := range []kyc.ErrorKind{kyc.KindInvalidInput, kyc.KindTimeout, kyc.KindCanceled, kyc.KindServerError} {
		p := explain(&kyc.Error{Kind: k, Outcome: kyc.OutcomeFailed, Message: "m"}, "R")
		if p.Text == "" || strings.HasPrefix(p.Text, "err.") {
			t.Errorf("%s: %q", k, p.Text)
		}
	}
	if p := explain(&kyc.Error{Kind: kyc.KindTimeout, Outcome: kyc.OutcomeUnknown}, "R9"); p.Next != nextRetrySame || !strings.Contains(p.Detail, "R9") {
		t.Errorf("%+v", p)
	}
	if p := explain(&kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeRejected}, ""); p.Next != nextSettings {
		t.Error("unauthorized must lead to settings")
	}
	if p := explain(photo.ErrTruncated, ""); p.Severity != widgets.Error || p.Text == "" {
		t.Errorf("%+v", p)
	}
	// An inner error's English never reaches the clerk.
	if p := explain(errors.New("history: vault: the keyring is locked"), ""); strings.Contains(p.Text, "keyring is locked") {
		t.Error(p.Text)
	}
}

func TestCameraCaptureTakesThePhotoPath(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetBool(prefWelcomed, true)
	a.Preferences().SetBool(prefAutoStart, false)
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
	u.nextCustomer()
	e.waitFor("released again", func() bool { return src.Active() == 0 })
}

// A profile's proxy travels through the Settings form (saving a profile never drops a
// proxy set from the command line), and a proxy's password goes to the keyring.
func TestSettingsKeepsAndEditsTheProxy(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.prof.users = []vault.Profile{{Name: "Cabang", ServerURL: "https://kyc.example.co.id", Proxy: "http://10.1.1.1:3128", Source: vault.SourceUser}}
	e.u.deps.CheckProxy = func(_ context.Context, p vault.Profile) (service.ProxyStatus, error) {
		u, _ := url.Parse(p.Proxy)
		return service.ProxyStatus{Profile: p.Name, Route: proxy.Route{Proxy: u, Via: "profile"}, Key: u.Host, User: "kasir"}, nil
	}
	e.u.openSettings()
	s := e.u.settings
	e.waitFor("profiles", func() bool { return len(s.pick.Options) == 3 })
	s.pick.SetSelected("Cabang")
	if s.proxyMode.SelectedIndex() != 2 || s.proxyURL.Text != "http://10.1.1.1:3128" {
		t.Fatalf("proxy shown as %d %q", s.proxyMode.SelectedIndex(), s.proxyURL.Text)
	}
	e.waitFor("proxy status", func() bool { return s.proxyCreds.Visible() })
	if s.proxyUser.Text != "kasir" || !strings.Contains(s.proxyStatus.Text, "10.1.1.1:3128") {
		t.Errorf("user %q status %q", s.proxyUser.Text, s.proxyStatus.Text)
	}
	test.Type(s.proxyPass, "rahasia")
	s.doSaveProxyCreds()
	e.waitFor("saved", func() bool { return s.message.Text == i18n.T("set.proxy_saved") })
	if e.prof.tokens["proxy 10.1.1.1:3128"] != "kasir:rahasia" || s.proxyPass.Text != "" {
		t.Errorf("credentials %q, field %q", e.prof.tokens["proxy 10.1.1.1:3128"], s.proxyPass.Text)
	}
	// Saving the profile keeps its proxy.
	s.note.SetText("lantai 2")
	s.doSaveProfile()
	e.waitFor("profile saved", func() bool { return len(e.prof.users) == 2 })
	if got := e.prof.users[1]; got.Proxy != "http://10.1.1.1:3128" || got.Note != "lantai 2" {
		t.Fatalf("%+v", got)
	}
	// Direct, then a bad proxy address.
	s.proxyMode.SetSelectedIndex(1)
	if p, err := s.readProfile(); err != nil || p.Proxy != "direct" {
		t.Errorf("%+v %v", p, err)
	}
	s.proxyMode.SetSelectedIndex(2)
	s.proxyURL.SetText("ftp://x")
	if _, err := s.readProfile(); err == nil {
		t.Error("a bad proxy address was accepted")
	}
}

// While a large photo is prepared the zone shows how far it is and an early thumbnail,
// its button cancels, and the preparation stops.
func TestPhotoPreparationShowsProgressAndCancels(t *testing.T) {
	e := newEnv(t, i18n.ID)
	in := e.u.flow.ocr.in
	stopped := make(chan error, 1)
	in.load(func(ctx context.Context) (*photo.Prepared, error) {
		report := photo.ProgressFunc(ctx)
		report(photo.Progress{Stage: photo.StageDecode, Done: 3, Total: 12, Preview: image.NewRGBA(image.Rect(0, 0, 32, 24))})
		<-ctx.Done()
		stopped <- ctx.Err()
		return nil, ctx.Err()
	})
	e.waitFor("progress", func() bool { return in.zone.Progress() > 0 })
	if in.zone.Progress() >= 0.5 || !in.zone.HasBusyThumbnail() {
		t.Errorf("progress %v, thumbnail %v", in.zone.Progress(), in.zone.HasBusyThumbnail())
	}
	in.zone.RemoveButton().OnTapped() // "Batal" while busy
	select {
	case err := <-stopped:
		if err == nil {
			t.Fatal("not cancelled")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the preparation did not stop")
	}
	e.settle()
	if in.prepared != nil || in.zone.State() != widgets.ZoneEmpty || in.zone.HasBusyThumbnail() {
		t.Fatalf("after cancel: state %v", in.zone.State())
	}
}

// fakeProblems reports standing problems (service.Desk in production).
type fakeProblems struct{ ps []service.Problem }

func (f fakeProblems) Problems(context.Context) []service.Problem { return f.ps }

// Settings in doubt: the banner says so and leads to Settings, no call goes out, the
// form asks for the retention (suggesting the last one) instead of filling in a default,
// and saving repairs it.
func TestDamagedSettingsAreReportedAndRepaired(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.settings.problem = &service.SettingsError{Reason: "cut short", Damaged: true, LastRetentionDays: 365}
	e.settings.s.RetentionDays = 0
	e.u.deps.Problems = fakeProblems{[]service.Problem{{Code: service.ProblemSettings}}}
	e.u.loadConsent()
	e.u.checkProblems()
	e.waitFor("banner", func() bool { return e.u.banner.Visible() && e.u.banner.Text() == i18n.T("problem.settings") })
	// No paid call while in doubt.
	e.loadSamples()
	e.u.flow.ocr.start(false)
	e.settle()
	if len(e.gw.Calls()) != 0 {
		t.Fatal("a call went out with the settings in doubt")
	}
	e.u.openSettings()
	s := e.u.settings
	e.waitFor("settings shown", func() bool { return strings.Contains(s.retention.PlaceHolder, "365") })
	if s.retention.Text != "" {
		t.Fatalf("the form filled in %q", s.retention.Text)
	}
	s.retention.SetText("365")
	s.doSavePrefs()
	e.u.deps.Problems = fakeProblems{}
	e.waitFor("repaired", func() bool { st := e.settings.Settings(); return st.OK() && st.Settings.RetentionDays == 365 })
	e.waitFor("consent reloaded", func() bool { _, err := e.u.consentPolicy(); return err == nil })
	e.u.flow.ocr.start(false)
	e.waitFor("call", func() bool { return len(e.gw.Calls()) == 1 })
}

// The consent setting and its text are edited in Settings and apply at once.
func TestConsentSettingsApplyAtOnce(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.u.openSettings()
	s := e.u.settings
	e.waitFor("settings shown", func() bool { return s.retention.Text == "90" })
	s.consentReq.SetChecked(true)
	s.consentText.SetText("Teks toko: nasabah setuju.")
	s.doSavePrefs()
	e.waitFor("saved", func() bool { return e.settings.Settings().Settings.ConsentRequired })
	e.waitFor("policy", func() bool { p, _ := e.u.consentPolicy(); return p.Required && p.Text == "Teks toko: nasabah setuju." })
	if v := e.settings.Settings().Settings.ConsentVersion; v != 4 {
		t.Errorf("a new text must get a new version: %d", v)
	}
	e.loadSamples()
	e.u.flow.ocr.start(false)
	if !strings.Contains(dialogText(e.u.win), "Teks toko: nasabah setuju.") {
		t.Fatal("the consent dialog does not show the merchant's text")
	}
	widgets.TopModal(e.u.win).Escape()
}

// fakePhotos serves kept photos.
type fakePhotos struct{ jpeg []byte }

func (f fakePhotos) KeptImages(context.Context, int64) ([]history.KeptImage, error) {
	return []history.KeptImage{{Kind: "selfie", JPEG: f.jpeg}}, nil
}

// History details show the consent recorded with a call and open its kept photos.
func TestHistoryShowsConsentAndKeptPhotos(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.u.deps.Photos = fakePhotos{resources.SampleSelfie}
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.Local)
	e.hist.rows = []history.Record{{ID: 7, CreatedAt: at, Product: "passive-liveness", CustRefNo: "C1", Outcome: "success",
		Images: []string{"selfie"}, Consent: history.Consent{At: at, Version: 2, Text: "t", User: "kasir01"}}}
	e.u.tabs.SelectIndex(tabHistory)
	h := e.u.history
	e.waitFor("rows", func() bool { return len(h.rows) == 1 })
	h.show(0)
	if !strings.Contains(h.detail.Text, "01-12-2026 09:30, teks versi 2, dicatat oleh kasir01") {
		t.Errorf("consent: %q", h.detail.Text)
	}
	if !h.photos.Visible() {
		t.Fatal("no photos button")
	}
	h.photos.OnTapped()
	e.waitFor("photos dialog", func() bool { return widgets.TopModal(e.u.win) != nil })
	widgets.TopModal(e.u.win).Escape()
}
