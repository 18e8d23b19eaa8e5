package cli

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// IT's path with the commands: init the schema, register a counter and a
// head office user, store their passwords, then the counter's calls show in
// `kycdesk report`, an unknown one is resolved with `kycdesk hq resolve` and
// the invoice is reconciled.
func TestHeadOfficeCommands(t *testing.T) {
	srv, db := pgtest.Database(t)
	h := newHarness(t)
	admin := srv.AdminDSN(db)

	if code, out, _ := h.run("", "hq", "init", "--print"); code != 0 || !strings.Contains(out, "CREATE OR REPLACE FUNCTION kyc.ingest") {
		t.Fatalf("hq init --print: %d", code)
	}
	if code, _, errOut := h.run("", "hq", "init", "--apply", "--admin", admin); code != 0 {
		t.Fatalf("hq init: %d %s", code, errOut)
	}
	// Twice is fine (upgrades run it again).
	if code, _, errOut := h.run("", "hq", "init", "--apply", "--admin", admin); code != 0 {
		t.Fatalf("hq init again: %d %s", code, errOut)
	}
	suffix := db[len(db)-6:]
	counterLogin, officeLogin := "kyc_c_out7_1_"+suffix, "finance_"+suffix
	code, out, errOut := h.run("", "hq", "add-counter", "--outlet", "OUT7", "--counter", "1", "--login", counterLogin, "--apply", "--admin", admin)
	if code != 0 {
		t.Fatalf("add-counter: %d %s", code, errOut)
	}
	counterPW := lastField(out)
	code, out, errOut = h.run("", "hq", "add-user", "--login", officeLogin, "--write", "--apply", "--admin", admin)
	if code != 0 {
		t.Fatalf("add-user: %d %s", code, errOut)
	}
	officePW := lastField(out)
	// A fleet at once, from a CSV.
	fleet := filepath.Join(h.dir, "fleet.csv")
	os.WriteFile(fleet, []byte("outlet,counter\nOUT8"+suffix+",1\nOUT8"+suffix+",2\n"), 0o600)
	pwFile := filepath.Join(h.dir, "passwords.csv")
	if code, out, errOut := h.run("", "hq", "add-counter", "--csv", fleet, "--passwords", pwFile, "--apply", "--admin", admin); code != 0 || !strings.Contains(out, "2 counters") {
		t.Fatalf("add-counter --csv: %d %s%s", code, out, errOut)
	}
	if b, err := os.ReadFile(pwFile); err != nil || strings.Count(string(b), "\n") != 3 {
		t.Fatalf("passwords file: %q %v", b, err)
	}

	// No head office connection yet: a clear usage error.
	if code, _, errOut := h.run("", "report"); code != ExitUsage || !strings.Contains(errOut, "head_office") {
		t.Fatalf("report without a head_office section: %d %s", code, errOut)
	}
	v, err := vault.New(vault.Options{Dir: h.home, SystemFile: filepath.Join(h.dir, "none.json"), Backend: vault.GoKeyringBackend()})
	if err != nil {
		t.Fatal(err)
	}
	server := "127.0.0.1:" + itoa(srv.Port)
	if err := v.SaveProfile(vault.Profile{Name: "Produksi", ServerURL: "https://gw.example.co.id",
		Sync:       &vault.SyncSection{Server: server, Database: db, User: counterLogin, Outlet: "OUT7", Counter: "1"},
		HeadOffice: &vault.HeadOfficeSection{Server: server, Database: db, User: officeLogin}}); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := h.run("", "profile", "use", "Produksi"); code != 0 {
		t.Fatalf("profile use: %s", errOut)
	}
	if code, st := h.runJSON("sync", "status"); code != ExitUsage || !strings.Contains(st["error"].(string), "sync password") {
		t.Fatalf("sync status without a password: exit %d %v", code, st)
	}
	if code, _, errOut := h.run(counterPW+"\n", "sync", "password"); code != 0 {
		t.Fatalf("sync password: %s", errOut)
	}
	if code, _, errOut := h.run(officePW, "hq", "password"); code != 0 {
		t.Fatalf("hq password: %s", errOut)
	}
	if code, st := h.runJSON("sync", "status"); code != 0 || st["reachable"] != true {
		t.Fatalf("sync status: %d %v", code, st)
	}

	// The counter's calls, through the sender configured from the profile.
	p, _ := v.Profile("Produksi")
	cfg, err := SyncConfig(v, p)
	if err != nil {
		t.Fatal(err)
	}
	c := hqtest.NewCounter("OUT7", "1")
	unk := c.Call(hqtest.CallSpec{Product: "id-validation", Ref: "REF-UNK-1", Outcome: "unknown", ErrorKind: "gateway_timeout", HTTPStatus: 504})
	c.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: "REF-OK-1", Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000001"})
	c.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: "REF-OK-2", Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000002"})
	s, err := hqsync.New(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}

	code, out, errOut = h.run("", "report", "--by", "outlet,product", "--format", "csv")
	if code != 0 || !strings.Contains(out, "OUT7,id-validation,1,0,0,0,1,0,0,1,0,0") || !strings.Contains(out, "OUT7,passive-liveness,2,2,0,0,0,0,2,0,0,0") {
		t.Fatalf("report csv: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = h.run("", "report", "--by", "", "--format", "table"); code != 0 || !strings.Contains(out, "billable") {
		t.Fatalf("report table: %s", out)
	}
	code, out, _ = h.run("", "report", "--unknown", "--format", "json")
	var unknowns []hq.Call
	if err := json.Unmarshal([]byte(out), &unknowns); code != 0 || err != nil || len(unknowns) != 1 || unknowns[0].CallID != unk || unknowns[0].CustRefNo != "REF-UNK-1" {
		t.Fatalf("report --unknown: %d %v %s", code, err, out)
	}
	if code, out, _ = h.run("", "report", "--quota", "--format", "json"); code != 0 || !strings.Contains(out, `"billable": 2`) {
		t.Fatalf("report --quota: %s", out)
	}
	png := filepath.Join(h.dir, "calls.png")
	if code, _, errOut = h.run("", "report", "--by", "day", "--chart", png); code != 0 {
		t.Fatalf("report --chart: %s", errOut)
	}
	if b, err := os.ReadFile(png); err != nil || len(b) < 1000 || string(b[1:4]) != "PNG" {
		t.Fatalf("chart: %d bytes, %v", len(b), err)
	}
	code, _, errOut = h.run("", "hq", "resolve", "--call", unk, "--started", unknowns[0].StartedAt.Format(time.RFC3339Nano), "--billed", "--note", "in the vendor portal")
	if code != 0 {
		t.Fatalf("hq resolve: %d %s", code, errOut)
	}
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r, ok := c.Resolution(unk); !ok || r.Note != "in the vendor portal" {
		t.Fatalf("counter did not get the resolution: %+v", r)
	}

	// Finance: export, then an invoice billing one of our successes and a stranger.
	exp := filepath.Join(h.dir, "calls.csv")
	if code, _, errOut := h.run("", "hq", "export", "--out", exp); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	b, _ := os.ReadFile(exp)
	if n := strings.Count(string(b), "\n"); n != 4 || !strings.Contains(string(b), "REF-UNK-1") {
		t.Fatalf("export:\n%s", b)
	}
	today := time.Now().In(jakartaLoc(t)).Format("02/01/2006")
	inv := filepath.Join(h.dir, "invoice.csv")
	os.WriteFile(inv, []byte("Trx ID;Tanggal;Layanan\n202603011000000001;"+today+";LIVENESS\n999999999999999999;"+today+";LIVENESS\n"), 0o600)
	mapf := filepath.Join(h.dir, "map.json")
	os.WriteFile(mapf, []byte(`{"trx_id": "trx id", "date": "Tanggal", "date_format": "02/01/2006", "product": "Layanan", "delimiter": ";"}`), 0o600)
	if code, out, errOut = h.run("", "hq", "invoice", "import", "--file", inv, "--map", mapf, "--name", "March"); code != 0 || !strings.Contains(out, "2 lines") {
		t.Fatalf("invoice import: %s%s", out, errOut)
	}
	code, out, errOut = h.run("", "hq", "invoice", "reconcile", "--id", "1", "--format", "json")
	var rec hq.Reconciliation
	if err := json.Unmarshal([]byte(out), &rec); code != 0 || err != nil {
		t.Fatalf("reconcile: %d %v %s %s", code, err, out, errOut)
	}
	if rec.Matched != 1 || len(rec.BilledWithoutSuccess) != 1 || rec.BilledWithoutSuccess[0].TrxID != "999999999999999999" ||
		len(rec.SuccessNotInvoiced) != 1 || rec.SuccessNotInvoiced[0].TrxID != "202603011000000002" {
		t.Fatalf("reconciliation: %+v", rec)
	}

	// Real calls from this counter (the sandbox behind a reporting profile): each
	// command delivers its call before it exits; head office's resolution comes back
	// with `sync now` and shows in `history`; the counter's own resolution goes out.
	gw := httptest.NewServer(sandbox.New(sandbox.Config{}))
	defer gw.Close()
	if err := v.SaveProfile(vault.Profile{Name: "Demo", ServerURL: gw.URL,
		Sync: &vault.SyncSection{Server: server, Database: db, User: counterLogin, Outlet: "OUT7", Counter: "1"}}); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := h.run(sandbox.DefaultToken, "token", "set", "--profile", "Demo"); code != 0 {
		t.Fatalf("token set: %s", errOut)
	}
	if code, _, errOut := h.run(counterPW, "sync", "password", "--profile", "Demo"); code != 0 {
		t.Fatalf("sync password: %s", errOut)
	}
	for _, ref := range []string{"CLI-OK-1", "SBX-504-CLI-1", "SBX-504-CLI-2"} {
		if code, _, errOut := h.run("", "liveness", "--profile", "Demo", "--image", h.selfie(), "--ref", ref); code != ExitOK && code != ExitUnknown {
			t.Fatalf("liveness %s: %d %s", ref, code, errOut)
		}
	}
	code, out, _ = h.run("", "report", "--unknown", "--format", "json")
	unknowns = nil
	if err := json.Unmarshal([]byte(out), &unknowns); code != 0 || err != nil || len(unknowns) != 2 {
		t.Fatalf("the commands' unknown calls at head office: %d %v %s", code, err, out)
	}
	var first hq.Call
	for _, u := range unknowns {
		if u.CustRefNo == "SBX-504-CLI-1" {
			first = u
		}
	}
	if code, _, errOut = h.run("", "hq", "resolve", "--call", first.CallID, "--started", first.StartedAt.Format(time.RFC3339Nano), "--not-billed", "--note", "tidak ada di tagihan"); code != 0 {
		t.Fatalf("hq resolve: %d %s", code, errOut)
	}
	if code, st := h.runJSON("sync", "now", "--profile", "Demo"); code != 0 || st["resolutions"].(float64) != 1 || st["waiting"].(float64) != 0 || st["last_sync"] == "" {
		t.Fatalf("sync now: %d %v", code, st)
	}
	code, out, _ = h.run("", "history", "--ref", "SBX-504-CLI-1")
	if code != 0 || !strings.Contains(out, "UNKNOWN · RESOLVED NOT BILLED") {
		t.Fatalf("history after head office's resolution: %d\n%s", code, out)
	}
	_, list := h.runJSON("history", "--ref", "SBX-504-CLI-2")
	id := list["records"].([]any)[0].(map[string]any)["id"].(float64)
	if code, out, errOut := h.run("", "history", "--resolve", strconv.Itoa(int(id)), "--billed", "--note", "ada di portal"); code != 0 || !strings.Contains(out, "billed") {
		t.Fatalf("history --resolve: %d %s %s", code, out, errOut)
	}
	if code, st := h.runJSON("sync", "now", "--profile", "Demo"); code != 0 || st["sent"].(float64) != 1 {
		t.Fatalf("sync now after the counter's resolution: %d %v", code, st)
	}
	code, out, _ = h.run("", "report", "--unknown", "--resolved", "--format", "json")
	unknowns = nil
	if err := json.Unmarshal([]byte(out), &unknowns); code != 0 || err != nil || len(unknowns) != 3 {
		t.Fatalf("resolved unknowns: %d %v %s", code, err, out)
	}
	for _, u := range unknowns {
		if u.CustRefNo == "SBX-504-CLI-2" && (u.Resolution != hq.ResolutionBilled || strings.Contains(u.Note, "portal")) {
			t.Fatalf("the counter's resolution at head office: %+v", u)
		}
	}
	_ = hqdb.ErrAuth
}

// lastField is the password the add commands print last.
func lastField(s string) string {
	f := strings.Fields(s)
	return f[len(f)-1]
}

func itoa(n int) string { return strconv.Itoa(n) }

func jakartaLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Skip("no time zone data")
	}
	return loc
}
