package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hq/hqchart"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/service"
	"kycdesk/resources"
	"kycdesk/widgets"
)

var wordRE = regexp.MustCompile(`[A-Za-z]{3,}`)

// englishWords is every word of the English catalogues (the app's and Fyne's) that the
// Indonesian catalogue does not also use (technical terms such as liveness, token,
// gateway, keyring are shared on purpose).
func englishWords(t *testing.T) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	add := func(s string) {
		for _, w := range wordRE.FindAllString(s, -1) {
			words[strings.ToLower(w)] = true
		}
	}
	for _, v := range i18n.Keys(i18n.EN) {
		add(v)
	}
	b, err := resources.Translations.ReadFile("translations/fyne.en.json")
	if err != nil {
		t.Fatal(err)
	}
	fy := map[string]any{}
	if err := json.Unmarshal(b, &fy); err != nil {
		t.Fatal(err)
	}
	for k, v := range fy {
		add(k)
		switch v := v.(type) {
		case string:
			add(v)
		case map[string]any: // plural forms
			for _, f := range v {
				add(f.(string))
			}
		}
	}
	for _, v := range i18n.Keys(i18n.ID) {
		for _, w := range wordRE.FindAllString(v, -1) {
			delete(words, strings.ToLower(w))
		}
	}
	// Words of the test data (specimen people), which are Indonesian.
	for _, w := range []string{"kota", "jakarta", "selatan"} {
		delete(words, w)
	}
	if len(words) < 200 {
		t.Fatalf("only %d English words: the list is broken", len(words))
	}
	return words
}

// Every string the Indonesian UI can show is Indonesian: every screen, page, dialog,
// banner, menu, History value and Fyne's own strings are visited, and any word of the
// English catalogues found there fails the test.
func TestIndonesianUIShowsNoEnglish(t *testing.T) {
	e := newEnv(t, i18n.ID)
	en := englishWords(t)
	found := map[string][]string{}
	check := func(where string) {
		t.Helper()
		queue.pump()
		for _, s := range visibleTexts(e.u.win.Canvas()) {
			for _, w := range wordRE.FindAllString(s, -1) {
				if en[strings.ToLower(w)] {
					found[w] = append(found[w], where+": "+s)
				}
			}
		}
	}
	checkText := func(where, s string) {
		for _, w := range wordRE.FindAllString(s, -1) {
			if en[strings.ToLower(w)] {
				found[w] = append(found[w], where+": "+s)
			}
		}
	}
	closeModal := func() {
		if m := widgets.TopModal(e.u.win); m != nil {
			m.Escape()
		}
	}
	f := e.u.flow

	// The menu (Fyne would add an English "Quit"), Fyne's own strings.
	for _, m := range e.u.win.MainMenu().Items {
		checkText("menu", m.Label)
		for _, it := range m.Items {
			checkText("menu", it.Label)
		}
	}
	for _, k := range []string{"Cut", "Copy", "Paste", "Select all", "Undo", "Redo", "Cancel", "OK", "Yes", "No", "Error", "Open", "Save", "Quit"} {
		checkText("fyne", lang.L(k))
	}

	// New customer, every page, empty.
	for p := 0; p < pageCount; p++ {
		f.show(p)
		check("flow page")
	}
	f.show(pageCard)
	// Consent, the photo-warning and resend dialogs.
	e.requireConsent()
	e.loadSamples()
	check("card loaded")
	f.ocr.start(false)
	check("consent dialog")
	e.consent()
	e.waitFor("read", func() bool { return f.ocr.res != nil && !f.ocr.r.busy() })
	check("check page")
	f.confirmData()
	check("selfie page")
	f.live.confirmWarnings([]string{findingText(photo.Finding{MessageID: "Foto agak gelap", MessageEN: "A bit dark"})}, func() {})
	check("warning dialog")
	closeModal()
	e.gw.block = true
	f.live.start(false)
	<-e.gw.started
	time.Sleep(120 * time.Millisecond)
	check("call in flight")
	e.gw.mu.Lock()
	e.gw.block = false
	e.gw.mu.Unlock()
	e.u.cancelAll()
	e.waitFor("cancelled", func() bool { return !f.live.r.busy() })
	check("cancelled")
	f.live.start(false)
	check("resend dialog")
	closeModal()
	f.live.retryRef, f.live.resend, f.live.lastErr = "", nil, nil
	f.live.start(false)
	e.waitFor("liveness", func() bool { return f.live.res != nil && !f.live.r.busy() })
	check("validate page")
	f.val.start(false)
	e.waitFor("validation", func() bool { return f.val.res != nil && !f.val.r.busy() })
	check("done page")
	f.show(pageCheck)
	f.ocr.form.SetValue("nama", "LAIN")
	f.ocr.form.OnChanged("nama", "LAIN")
	f.show(pageDone)
	check("done page, outdated")

	// Every failure, on the card and in the banner.
	for _, err := range []error{
		&kyc.Error{Kind: kyc.KindQuotaExceeded, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindProductNotActivated, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindProductNotApproved, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindNotFound, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindUnavailable, Outcome: kyc.OutcomeFailed},
		&kyc.Error{Kind: kyc.KindConnection, Outcome: kyc.OutcomeFailed, Message: "dial tcp: connection refused"},
		&kyc.Error{Kind: kyc.KindTimeout, Outcome: kyc.OutcomeUnknown},
		&kyc.Error{Kind: kyc.KindServerError, Outcome: kyc.OutcomeUnknown},
		&kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: kyc.KindGatewayError, Outcome: kyc.OutcomeRejected},
		&kyc.Error{Kind: "history_unavailable", Outcome: kyc.OutcomeFailed, Message: "history: vault: the keyring is locked"},
	} {
		f.show(pageSelfie)
		e.gw.fail[kyc.ProductLiveness] = []error{err}
		f.live.retryRef, f.live.resend = "", nil
		f.live.start(false)
		e.waitFor("failure", func() bool { return !f.live.r.busy() && f.live.lastErr != nil })
		check("failure " + string(kyc.KindOf(err)))
	}
	f.val.lastErr = nil
	f.ocr.form.SetValue("nik", "3174015408900000")
	f.show(pageValidate)
	f.val.start(false)
	check("local refusal")

	// The file dialogs, About, confirmations.
	e.u.openFileDialog(func(string) {})
	e.settle()
	check("open dialog")
	closeModal()
	e.u.saveFileDialog("x.csv", func(string) {})
	e.settle()
	check("save dialog")
	closeModal()
	e.u.startNewKeys()
	check("new keys dialog")
	closeModal()

	// The single-product screens.
	for _, tab := range []int{tabLiveness, tabOCR, tabValidation} {
		e.u.tabs.SelectIndex(tab)
		check("single screen")
	}
	s := e.u.productScreen(tabOCR)
	s.ocr.in.load(func(ctx context.Context) (*photo.Prepared, error) { return nil, photo.ErrTruncated })
	e.settle()
	check("zone error")

	// History, with every outcome and error kind, and a row's details.
	now := time.Now()
	for i, kind := range []string{"", "quota_exceeded", "unavailable", "gateway_timeout", "canceled", "connection", "malformed_response", "history_unavailable"} {
		outcome := history.OutcomeFailed
		switch kind {
		case "":
			outcome = history.OutcomeSuccess
		case "quota_exceeded":
			outcome = history.OutcomeRejected
		case "gateway_timeout", "malformed_response":
			outcome = history.OutcomeUnknown
		}
		e.hist.rows = append(e.hist.rows, history.Record{ID: int64(i + 1), CreatedAt: now, Product: "id-validation",
			CustRefNo: fmt.Sprintf("R%d", i), Outcome: outcome, ErrorKind: kind, TrxID: "T", Attempts: 1, HTTPStatus: 200, Duration: time.Second})
	}
	e.hist.rows = append(e.hist.rows, history.Record{ID: 99, CreatedAt: now, Product: "passive-liveness", CustRefNo: "P", Outcome: history.OutcomePending})
	e.u.tabs.SelectIndex(tabHistory)
	e.waitFor("rows", func() bool { return len(e.u.history.rows) == len(e.hist.rows) })
	check("history")
	for i := range e.u.history.rows {
		e.u.history.show(i)
		check("history details")
	}
	e.u.history.from.SetText("kemarin")
	e.u.history.reload()
	check("history bad date")

	// Settings, About, the remove-profile confirmation.
	e.u.tabs.SelectIndex(tabSettings)
	e.waitFor("profiles", func() bool { return len(e.u.settings.pick.Options) == 2 })
	check("settings")
	e.u.settings.showAbout()
	check("about")
	closeModal()
	e.u.settings.doRemove()
	check("remove confirmation")
	closeModal()

	// Kantor pusat: every view and breakdown, a call's details, the resolve dialog, a
	// read-only login's refusal, every head office error; the header's sync line in
	// every state; a resolution in History.
	e.useHeadOffice()
	ho := e.showHeadOffice()
	for i := range ho.views.Items {
		ho.views.SelectIndex(i)
		check("kantor pusat view")
	}
	for i := range ho.figures.by.Options {
		ho.figures.by.SetSelectedIndex(i)
		e.waitFor("figures", func() bool { return !ho.busy })
		ho.views.SelectIndex(0)
		check("kantor pusat figures")
	}
	ho.views.SelectIndex(2)
	for row := range ho.unknowns.rows {
		ho.unknowns.table.Select(widget.TableCellID{Row: row})
		check("unknown details")
	}
	ho.unknowns.table.Select(widget.TableCellID{Row: 0})
	ho.unknowns.resolve(hq.ResolutionBilled)
	check("resolve dialog")
	e.ho.mu.Lock()
	e.ho.denied = true
	e.ho.mu.Unlock()
	widgets.TopModal(e.u.win).Enter()
	e.waitFor("refusal", func() bool { m := widgets.TopModal(e.u.win); return m != nil && len(m.Buttons()) == 1 })
	check("read-only refusal")
	closeModal()
	ho.unknowns.resolved.SetChecked(true)
	e.waitFor("resolved list", func() bool { return !ho.busy })
	check("resolved unknowns")
	ho.charts.show(nil, nil, chartSize{}, nil, nil, hqchart.ErrNoData)
	ho.views.SelectIndex(1)
	check("no chart")
	for _, code := range []hqdb.Code{hqdb.CodeConfig, hqdb.CodeUnavailable, hqdb.CodeTLS, hqdb.CodeAuth, hqdb.CodeDenied,
		hqdb.CodeSchemaMissing, hqdb.CodeNotRegistered, hqdb.CodeOutletMismatch, hqdb.CodeInvalid, hqdb.CodeNotFound,
		hqdb.CodeNotUnknown, hqdb.CodeCanceled, hqdb.CodeServer} {
		err := hqdb.NewError(code, "report", errors.New("pq: some English text"))
		checkText("head office error", hoError(err))
		checkText("sync error", syncReason(err))
	}
	checkText("head office error", hoError(errors.New("other")))
	for _, st := range []hqsync.Status{{State: hqsync.StateIdle}, {State: hqsync.StateOK, LastSync: time.Now()},
		{State: hqsync.StateOK, Waiting: 3}, {State: hqsync.StateOffline, Waiting: 2},
		{State: hqsync.StateError, Err: errors.New("x")}} {
		e.sync.set(service.SyncState{Profile: "Kantor", Status: st})
		e.settle()
		check("sync line")
	}
	e.hist.rows = append(e.hist.rows, history.Record{ID: 100, CreatedAt: now, Product: "passive-liveness", CustRefNo: "RES",
		Outcome: history.OutcomeUnknown, ErrorKind: "gateway_timeout", Resolution: history.Resolution{Value: history.ResolutionBilled,
			Note: "ada di tagihan", By: "finance1", At: now, Source: history.ResolvedAtHeadOffice}},
		history.Record{ID: 101, CreatedAt: now, Product: "passive-liveness", CustRefNo: "RES2", Outcome: history.OutcomeUnknown,
			Resolution: history.Resolution{Value: history.ResolutionNotBilled, By: "kasir1", At: now, Source: history.ResolvedAtCounter}})
	e.u.history.from.SetText("")
	e.u.tabs.SelectIndex(tabHistory)
	e.waitFor("rows", func() bool { return len(e.u.history.rows) == len(e.hist.rows) })
	for i := range e.u.history.rows {
		e.u.history.show(i)
		check("history resolution")
	}

	if len(found) > 0 {
		var words []string
		for w := range found {
			words = append(words, w)
		}
		sort.Strings(words)
		for _, w := range words {
			t.Errorf("English %q in the Indonesian UI: %s", w, strings.Join(uniq(found[w]), " | "))
		}
	}
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] && len(out) < 3 {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
