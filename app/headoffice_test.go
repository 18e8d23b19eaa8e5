package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/history"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// fakeHeadOffice is head office's database as the screen sees it: two outlets, a
// month of calls, two unknown outcomes, a silent counter.
type fakeHeadOffice struct {
	mu       sync.Mutex
	opens    int
	openErr  error
	filters  []hq.Filter
	resolved []string // "callID resolution note"
	denied   bool     // Resolve answers as a read-only login
	unknowns []hq.Call
	closed   int
}

func newFakeHeadOffice() *fakeHeadOffice {
	started := time.Date(2026, 3, 14, 10, 5, 0, 0, time.Local)
	return &fakeHeadOffice{unknowns: []hq.Call{
		{CallKey: hq.CallKey{CallID: "c-1", StartedAt: started}, Day: "2026-03-14", Outlet: "TEBET-01", Counter: "1",
			Product: "passive-liveness", CustRefNo: "SBX-504-0001", Outcome: "unknown", ErrorKind: "gateway_timeout", OSUser: "kasir1", Started: started},
		{CallKey: hq.CallKey{CallID: "c-2", StartedAt: started}, Day: "2026-03-14", Outlet: "DEPOK-02", Counter: "2",
			Product: "id-validation", CustRefNo: "REF-0002", Outcome: "pending", Started: started},
	}}
}

func (f *fakeHeadOffice) Settings(context.Context) (hq.Settings, error) {
	return hq.Settings{Location: time.Local, DailyQuota: 500, SchemaVersion: 1}, nil
}

func (f *fakeHeadOffice) Summary(_ context.Context, flt hq.Filter, by ...hq.Dimension) ([]hq.SummaryRow, error) {
	f.mu.Lock()
	f.filters = append(f.filters, flt)
	f.mu.Unlock()
	c := hq.Counts{Total: 120, Success: 100, Rejected: 8, Failed: 10, Unknown: 2, Billable: 100, UnknownOpen: 2}
	if len(by) == 0 {
		return []hq.SummaryRow{{Counts: c}}, nil
	}
	switch by[0] {
	case hq.ByCounter:
		return []hq.SummaryRow{{Outlet: "TEBET-01", Counter: "1", Counts: c}, {Outlet: "DEPOK-02", Counter: "2", Counts: c}}, nil
	case hq.ByProduct:
		return []hq.SummaryRow{{Product: "id-validation", Counts: c}, {Product: "passive-liveness", Counts: c}}, nil
	case hq.ByDay:
		return []hq.SummaryRow{{Day: "2026-03-14", Counts: c}}, nil
	}
	return []hq.SummaryRow{{Outlet: "TEBET-01", Counts: c}, {Outlet: "DEPOK-02", Counts: c}}, nil
}

func (f *fakeHeadOffice) CallsPerDay(context.Context, hq.Filter) ([]hq.SummaryRow, error) {
	var out []hq.SummaryRow
	for d := 1; d <= 14; d++ {
		out = append(out, hq.SummaryRow{Day: fmt.Sprintf("2026-03-%02d", d), Counts: hq.Counts{Total: int64(d + 5), Success: int64(d), Rejected: 3, Failed: 1, Unknown: 1}})
	}
	return out, nil
}

func (f *fakeHeadOffice) QuotaUse(context.Context, hq.Filter) ([]hq.QuotaDay, error) {
	var out []hq.QuotaDay
	for d := 1; d <= 14; d++ {
		out = append(out, hq.QuotaDay{Day: fmt.Sprintf("2026-03-%02d", d), Billable: int64(20 * d), MaybeBilled: 2, Quota: 300})
	}
	return out, nil
}

func (f *fakeHeadOffice) Unknowns(_ context.Context, _ hq.Filter, opt hq.UnknownOptions) ([]hq.Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []hq.Call
	for _, c := range f.unknowns {
		if (c.Resolution != "") == opt.Resolved {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeHeadOffice) Resolve(_ context.Context, k hq.CallKey, resolution, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.denied {
		return hqdb.NewError(hqdb.CodeDenied, "resolve", errors.New("permission denied for function resolve"))
	}
	f.resolved = append(f.resolved, k.CallID+" "+resolution+" "+note)
	for i := range f.unknowns {
		if f.unknowns[i].CallID == k.CallID {
			now := time.Now()
			f.unknowns[i].Resolution, f.unknowns[i].Note, f.unknowns[i].ResolvedBy, f.unknowns[i].ResolvedAt = resolution, note, "finance1", &now
		}
	}
	return nil
}

func (f *fakeHeadOffice) Counters(context.Context) ([]hq.Counter, error) {
	return []hq.Counter{{Outlet: "DEPOK-02", Counter: "2"}, {Outlet: "TEBET-01", Counter: "1"}, {Outlet: "TEBET-01", Counter: "2"}}, nil
}

func (f *fakeHeadOffice) SilentCounters(context.Context, time.Duration) ([]hq.Counter, error) {
	seen := time.Now().Add(-50 * time.Hour)
	return []hq.Counter{{Outlet: "TEBET-01", Counter: "2", LastSeen: &seen, AppVersion: "1.4.0"}}, nil
}

func (f *fakeHeadOffice) ExportCSV(_ context.Context, w io.Writer, _ hq.Filter) (int, error) {
	_, err := io.WriteString(w, strings.Join(hq.ExportHeader, ",")+"\n2026-03-14,TEBET-01,1\n")
	return 1, err
}

func (f *fakeHeadOffice) Close() {
	f.mu.Lock()
	f.closed++
	f.mu.Unlock()
}

// fakeSync is the counter's sync as the Desk reports it.
type fakeSync struct {
	mu       sync.Mutex
	st       service.SyncState
	watchers []func(service.SyncState)
}

func (f *fakeSync) SyncState() service.SyncState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakeSync) OnSyncChange(fn func(service.SyncState)) {
	f.mu.Lock()
	f.watchers = append(f.watchers, fn)
	f.mu.Unlock()
}

func (f *fakeSync) set(st service.SyncState) {
	f.mu.Lock()
	f.st = st
	ws := append([]func(service.SyncState){}, f.watchers...)
	f.mu.Unlock()
	for _, w := range ws {
		go w(st) // from another goroutine, as the sender does
	}
}

// useHeadOffice makes the active profile one with a head_office and a sync section.
func (e *env) useHeadOffice() {
	e.t.Helper()
	_ = e.prof.SaveProfile(vault.Profile{Name: "Kantor", ServerURL: "https://gw.example",
		HeadOffice: &vault.HeadOfficeSection{Server: "hq-db:5432", Database: "kycdesk", User: "finance1"},
		Sync:       &vault.SyncSection{Server: "hq-db:5432", Database: "kycdesk", User: "kyc_c_1", Outlet: "TEBET-01", Counter: "1"}})
	_ = e.prof.SetActive("Kantor")
	e.u.loadProfile("Kantor")
	e.waitFor("the Kantor pusat tab", func() bool { return e.u.hoItem != nil && e.u.profile.Name == "Kantor" })
}

// showHeadOffice opens the Kantor pusat tab and waits for its figures.
func (e *env) showHeadOffice() *headOfficeScreen {
	e.t.Helper()
	e.u.tabs.SelectIndex(tabHeadOffice)
	e.waitFor("head office figures", func() bool {
		s := e.u.headOffice
		return s != nil && s.ho != nil && !s.busy && len(s.figures.rows) > 0
	})
	return e.u.headOffice
}

// The tab is there only while the profile has a head_office section.
func TestHeadOfficeTabFollowsTheProfile(t *testing.T) {
	e := newEnv(t, i18n.ID)
	if e.u.hoItem != nil || len(e.u.tabs.Items) != tabCount {
		t.Fatal("a Kantor pusat tab without a head_office section")
	}
	e.useHeadOffice()
	if len(e.u.tabs.Items) != tabCount+1 || e.u.tabs.Items[tabHeadOffice].Text != "Kantor pusat" {
		t.Fatalf("tabs %d", len(e.u.tabs.Items))
	}
	e.showHeadOffice()
	e.u.loadProfile(vault.SandboxName)
	e.waitFor("the tab gone", func() bool { return e.u.hoItem == nil })
	if len(e.u.tabs.Items) != tabCount || e.u.tabs.SelectedIndex() != tabNew || e.u.headOffice != nil {
		t.Fatalf("after switching away: %d tabs, selected %d", len(e.u.tabs.Items), e.u.tabs.SelectedIndex())
	}
	e.settle()
	e.ho.mu.Lock()
	defer e.ho.mu.Unlock()
	if e.ho.closed != 1 {
		t.Fatalf("connection closed %d times", e.ho.closed)
	}
}

// The figures, charts, unknown outcomes and silent counters; filters reach the query;
// an unknown outcome is resolved with a note; a read-only login is told clearly;
// the finance export is written.
func TestHeadOfficeScreen(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.useHeadOffice()
	s := e.showHeadOffice()
	if !strings.Contains(s.figures.totals.Text, "120 transaksi") || !strings.Contains(s.figures.totals.Text, "kuota harian 500") {
		t.Errorf("totals %q", s.figures.totals.Text)
	}
	if s.charts.calls.Image == nil || s.charts.quota.Image == nil || s.charts.callsNote.Visible() {
		t.Error("charts not drawn")
	}
	if len(s.outlet.Options) != 3 || len(s.counter.Options) != 3 {
		t.Errorf("outlets %v counters %v", s.outlet.Options, s.counter.Options)
	}
	if !strings.Contains(s.views.Items[2].Text, "(2)") || !strings.Contains(s.views.Items[3].Text, "(1)") {
		t.Errorf("view titles %q %q", s.views.Items[2].Text, s.views.Items[3].Text)
	}

	// Filters: DD-MM-YYYY dates, an outlet, its counters only.
	s.from.SetText("01-03-2026")
	s.to.SetText("14-03-2026")
	s.outlet.SetSelectedIndex(2) // TEBET-01 (sorted as head office lists them)
	e.waitFor("reload", func() bool { return !s.busy })
	if len(s.counter.Options) != 3 || s.counter.Options[1] != "1" || s.counter.Options[2] != "2" {
		t.Errorf("counters of TEBET-01: %v", s.counter.Options)
	}
	s.figures.by.SetSelectedIndex(1) // per counter
	e.waitFor("reload", func() bool { return !s.busy && s.figures.shownBy == hq.ByCounter })
	if !e.ho.asked(func(f hq.Filter) bool {
		return f.From.Day() == 1 && f.To.Day() == 14 && len(f.Outlets) == 1 && f.Outlets[0] == "TEBET-01"
	}) {
		t.Error("the filter did not reach head office")
	}
	s.to.SetText("28-02-2026")
	s.reload()
	if !strings.Contains(s.status.Text, "sebelum") {
		t.Errorf("bad range: %q", s.status.Text)
	}
	s.to.SetText("")
	s.from.SetText("")

	// Resolve: billed... wait, read-only first: denied says so.
	s.views.SelectIndex(2)
	s.unknowns.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if s.unknowns.billed.Disabled() || !strings.Contains(s.unknowns.detail.Text, "SBX-504-0001") {
		t.Fatalf("details %q", s.unknowns.detail.Text)
	}
	e.ho.mu.Lock()
	e.ho.denied = true
	e.ho.mu.Unlock()
	s.unknowns.resolve(hq.ResolutionNotBilled)
	m := widgets.TopModal(e.u.win)
	if m == nil || !strings.Contains(dialogText(e.u.win), "TIDAK DIKENAI BIAYA") {
		t.Fatalf("resolve dialog: %s", dialogText(e.u.win))
	}
	m.Enter()
	e.waitFor("denied message", func() bool { return strings.Contains(dialogText(e.u.win), "hanya boleh membaca") })
	widgets.TopModal(e.u.win).Escape()
	e.ho.mu.Lock()
	e.ho.denied = false
	e.ho.mu.Unlock()
	s.unknowns.table.Select(widget.TableCellID{Row: 0, Col: 0})
	s.unknowns.resolve(hq.ResolutionNotBilled)
	note := e.u.win.Canvas().Focused().(*widgets.Entry)
	note.SetText("tidak ada di tagihan vendor")
	widgets.TopModal(e.u.win).Enter()
	e.waitFor("resolved", func() bool {
		e.ho.mu.Lock()
		defer e.ho.mu.Unlock()
		return len(e.ho.resolved) == 1
	})
	if e.ho.resolved[0] != "c-1 not_billed tidak ada di tagihan vendor" {
		t.Errorf("resolution %q", e.ho.resolved[0])
	}
	e.waitFor("reloaded", func() bool { return !s.busy && len(s.unknowns.rows) == 1 })
	if !strings.Contains(dialogText(e.u.win), "ditandai tidak dikenai biaya") {
		t.Errorf("no confirmation: %s", dialogText(e.u.win))
	}
	widgets.TopModal(e.u.win).Escape()
	s.unknowns.resolved.SetChecked(true)
	e.waitFor("resolved list", func() bool { return !s.busy && len(s.unknowns.rows) == 1 && s.unknowns.rows[0].CallID == "c-1" })

	// Silent counters.
	if len(s.silent.rows) != 1 || !strings.Contains(s.silent.info.Text, "1 kasir") {
		t.Errorf("silent %q", s.silent.info.Text)
	}

	// The finance export, crash-safe.
	path := filepath.Join(t.TempDir(), "keuangan.csv")
	s.export()
	e.settle()
	fd := widgets.TopModal(e.u.win)
	if fd == nil {
		t.Fatal("no save dialog")
	}
	chooseFile(t, e, path)
	e.waitFor("export written", func() bool { b, _ := os.ReadFile(path); return strings.HasPrefix(string(b), "day,outlet") })
	e.waitFor("export message", func() bool { return strings.Contains(dialogText(e.u.win), path) })
}

// The header's sync line: hidden without a reporting profile; the last sync, what
// waits, and what stops it, in the clerk's words.
func TestSyncStatusLine(t *testing.T) {
	e := newEnv(t, i18n.ID)
	if e.u.header.sync.Visible() {
		t.Fatal("sync line without a reporting profile")
	}
	e.useHeadOffice()
	last := time.Now().Add(-3 * time.Minute)
	e.sync.set(service.SyncState{Profile: "Kantor", Outlet: "TEBET-01", Counter: "1", Status: hqsync.Status{State: hqsync.StateOK, LastSync: last}})
	e.waitFor("ok line", func() bool {
		return e.u.header.sync.Visible() && strings.Contains(e.u.header.sync.Text, last.Format("15:04"))
	})
	e.sync.set(service.SyncState{Profile: "Kantor", Status: hqsync.Status{State: hqsync.StateOffline, Waiting: 4, LastSync: last}})
	e.waitFor("offline line", func() bool { return e.u.header.sync.Text == "Kantor pusat: tidak terhubung, 4 data menunggu" })
	if e.u.header.sync.Importance != widget.WarningImportance {
		t.Error("offline is not a warning")
	}
	e.sync.set(service.SyncState{Profile: "Kantor", Status: hqsync.Status{State: hqsync.StateError,
		Err: hqdb.NewError(hqdb.CodeAuth, "connect", errors.New("password authentication failed"))}})
	e.waitFor("error line", func() bool { return e.u.header.sync.Text == "Kantor pusat: kata sandi ditolak" })
	// The password not in the keyring at all (a new PC, a reset keyring): said so, not
	// "settings incomplete".
	e.sync.set(service.SyncState{Profile: "Kantor", Status: hqsync.Status{State: hqsync.StateError,
		Err: hqdb.NewError(hqdb.CodeConfig, "connect", fmt.Errorf("sync password: %w", &vault.Error{Code: vault.CodeSyncPasswordMissing}))}})
	e.waitFor("missing password line", func() bool { return e.u.header.sync.Text == "Kantor pusat: kata sandi belum disimpan" })
	e.sync.set(service.SyncState{})
	e.waitFor("hidden", func() bool { return !e.u.header.sync.Visible() })
}

// A head office resolution of an unknown outcome shows in the counter's History: the
// list says TIDAK PASTI · DISELESAIKAN, the details who decided what, when, and why;
// the warning about unknown outcomes counts only the unresolved ones.
func TestHistoryShowsHeadOfficeResolution(t *testing.T) {
	e := newEnv(t, i18n.ID)
	at := time.Date(2026, 3, 15, 9, 30, 0, 0, time.Local)
	e.hist.rows = []history.Record{{ID: 1, CreatedAt: at.Add(-time.Hour), Product: "passive-liveness", CustRefNo: "SBX-504-0001",
		Outcome: history.OutcomeUnknown, ErrorKind: "gateway_timeout",
		Resolution: history.Resolution{Value: history.ResolutionNotBilled, Note: "tidak ada di tagihan vendor", By: "finance1", At: at, Source: history.ResolvedAtHeadOffice}}}
	e.u.tabs.SelectIndex(tabHistory)
	e.waitFor("rows", func() bool { return len(e.u.history.rows) == 1 })
	texts := strings.Join(visibleTexts(e.u.win.Canvas()), "\n")
	if !strings.Contains(texts, "TIDAK PASTI · DISELESAIKAN") {
		t.Errorf("list:\n%s", texts)
	}
	e.u.history.show(0)
	want := "Diselesaikan kantor pusat: tidak dikenai biaya. Oleh finance1, 15-03-2026 09:30."
	if d := e.u.history.detail.Text; !strings.Contains(d, want) || !strings.Contains(d, "Catatan: tidak ada di tagihan vendor") || strings.Contains(d, "mungkin dikenai biaya") {
		t.Errorf("details:\n%s", d)
	}
	if !e.hist.asked(func(f history.Filter) bool { return f.Outcome == history.OutcomeUnknown && f.Unresolved }) {
		t.Error("the unknown-outcome warning counts resolved calls")
	}
}

// Saving a profile in Settings keeps the head office sections IT set.
func TestSettingsKeepHeadOfficeSections(t *testing.T) {
	e := newEnv(t, i18n.ID)
	e.useHeadOffice()
	e.u.tabs.SelectIndex(tabSettings)
	e.waitFor("profiles", func() bool { return len(e.u.settings.pick.Options) == 3 }) // and "new profile"
	e.u.settings.pick.SetSelected("Kantor")
	e.u.settings.note.SetText("catatan baru")
	e.u.settings.doSaveProfile()
	e.waitFor("saved", func() bool {
		e.prof.mu.Lock()
		defer e.prof.mu.Unlock()
		return len(e.prof.users) == 2
	})
	e.prof.mu.Lock()
	p := e.prof.users[1]
	e.prof.mu.Unlock()
	if p.Note != "catatan baru" || p.HeadOffice == nil || p.Sync == nil || p.Sync.Outlet != "TEBET-01" {
		t.Fatalf("saved %+v", p)
	}
}

// asked reports whether any summary was asked for with a filter matching cond.
func (f *fakeHeadOffice) asked(cond func(hq.Filter) bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.filters {
		if cond(x) {
			return true
		}
	}
	return false
}

// chooseFile answers the app's file dialog (its path entry has the focus) with path.
func chooseFile(t *testing.T, e *env, path string) {
	t.Helper()
	ent, ok := e.u.win.Canvas().Focused().(*widgets.Entry)
	if !ok {
		t.Fatalf("the file dialog's path does not have the focus: %T", e.u.win.Canvas().Focused())
	}
	ent.SetText(path)
	ent.OnSubmitted(path)
}
