package app

import (
	"context"
	"errors"
	"fmt"
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
