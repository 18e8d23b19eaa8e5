package hq_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
	"kycdesk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	stopBench()
	os.Exit(code)
}

var jakarta = func() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return time.FixedZone("WIB", 7*3600)
	}
	return l
}()

// fixture: two outlets, three counters, calls on three days.
type fixture struct {
	db       *hqtest.DB
	ctx      context.Context
	counters []*hqtest.Counter
	days     []time.Time // Jakarta midnight of each day with calls, oldest first
	unknown  string      // call id of the one unknown outcome
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	f := &fixture{db: hqtest.NewDB(t), ctx: ctx}
	today := time.Now().In(jakarta)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, jakarta)
	f.days = []time.Time{today.AddDate(0, 0, -2), today.AddDate(0, 0, -1), today}
	for _, oc := range [][2]string{{"OUT-A", "1"}, {"OUT-A", "2"}, {"OUT-B", "1"}} {
		c := hqtest.NewCounter(oc[0], oc[1])
		f.counters = append(f.counters, c)
		tg := f.db.AddCounter(t, c.Outlet, c.ID)
		pw := tg.Password
		s, err := hqsync.New(c, hqsync.Config{Target: tg, Outlet: c.Outlet, Counter: c.ID,
			Password: func(context.Context) (string, error) { return pw, nil }})
		if err != nil {
			t.Fatal(err)
		}
		// Day d: (d+1) liveness successes; day 1 also a rejected validation;
		// today on OUT-B an unknown validation.
		n := 0
		for d, day := range f.days {
			for i := 0; i <= d; i++ {
				n++
				c.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: fmt.Sprintf("%s-%s-%d", c.Outlet, c.ID, n),
					Outcome: "success", TrxID: fmt.Sprintf("T-%s-%s-%d", c.Outlet, c.ID, n), At: day.Add(10 * time.Hour)})
			}
			if d == 1 {
				c.Call(hqtest.CallSpec{Product: "id-validation", Ref: "R" + c.ID, Outcome: "rejected", ErrorKind: "quota_exceeded", At: day.Add(11 * time.Hour)})
			}
		}
		if c.Outlet == "OUT-B" {
			f.unknown = c.Call(hqtest.CallSpec{Product: "id-validation", Ref: "=HYPERLINK(\"x\")", Outcome: "unknown", ErrorKind: "timeout",
				At: today.Add(9 * time.Hour)})
		}
		if _, err := s.SyncOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) all() hq.Filter { return hq.Filter{From: f.days[0], To: f.days[2]} }

func TestSummaries(t *testing.T) {
	f := newFixture(t)
	c := f.db.Office(t, false)

	total, err := c.Summary(f.ctx, f.all())
	if err != nil {
		t.Fatal(err)
	}
	// Per counter: 1+2+3 successes + 1 rejected; OUT-B's one unknown.
	if len(total) != 1 || total[0].Total != 22 || total[0].Success != 18 || total[0].Rejected != 3 || total[0].Unknown != 1 ||
		total[0].Billable != 18 || total[0].UnknownOpen != 1 {
		t.Fatalf("total: %+v", total)
	}
	byOutlet, err := c.Summary(f.ctx, f.all(), hq.ByOutlet)
	if err != nil {
		t.Fatal(err)
	}
	if len(byOutlet) != 2 || byOutlet[0].Outlet != "OUT-A" || byOutlet[0].Total != 14 || byOutlet[1].Total != 8 {
		t.Fatalf("by outlet: %+v", byOutlet)
	}
	byDayCounter, err := c.Summary(f.ctx, f.all(), hq.ByDay, hq.ByCounter)
	if err != nil {
		t.Fatal(err)
	}
	if len(byDayCounter) != 9 || byDayCounter[0].Day != f.days[0].Format(hq.DateLayout) || byDayCounter[0].Outlet != "OUT-A" ||
		byDayCounter[0].Counter != "1" || byDayCounter[0].Total != 1 {
		t.Fatalf("by day and counter: %+v", byDayCounter)
	}
	one, err := c.Summary(f.ctx, hq.Filter{From: f.days[1], To: f.days[1], Outlets: []string{"OUT-B"}, Products: []string{"id-validation"}}, hq.ByProduct)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].Product != "id-validation" || one[0].Rejected != 1 || one[0].FailureShare() != 1 {
		t.Fatalf("one outlet, day, product: %+v", one)
	}
	perDay, err := c.CallsPerDay(f.ctx, hq.Filter{From: f.days[0].AddDate(0, 0, -2), To: f.days[2]})
	if err != nil || len(perDay) != 5 || perDay[0].Total != 0 || perDay[1].Day != f.days[0].AddDate(0, 0, -1).Format(hq.DateLayout) ||
		perDay[2].Total != 3 || perDay[4].Total != 10 {
		t.Fatalf("calls per day: %+v %v", perDay, err)
	}
	none, err := c.Summary(f.ctx, hq.Filter{From: f.days[0].AddDate(-1, 0, 0), To: f.days[0].AddDate(-1, 0, 0)})
	if err != nil || len(none) != 0 {
		t.Fatalf("empty range: %+v %v", none, err)
	}
	if _, err := c.Summary(f.ctx, hq.Filter{From: f.days[2], To: f.days[0]}); !errors.Is(err, hqdb.ErrInvalid) {
		t.Fatalf("reversed range: %v", err)
	}
	if _, err := hq.ParseDimensions("outlet,week"); !errors.Is(err, hqdb.ErrInvalid) {
		t.Fatalf("bad dimension: %v", err)
	}
}

func TestQuotaUse(t *testing.T) {
	f := newFixture(t)
	reader, writer := f.db.Office(t, false), f.db.Office(t, true)
	if err := reader.SetDailyQuota(f.ctx, 10); !errors.Is(err, hqdb.ErrDenied) {
		t.Fatalf("reader set the quota: %v", err)
	}
	if err := writer.SetDailyQuota(f.ctx, 12); err != nil {
		t.Fatal(err)
	}
	days, err := reader.QuotaUse(f.ctx, hq.Filter{From: f.days[0].AddDate(0, 0, -1), To: f.days[2]})
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 4 || days[0].Billable != 0 || days[1].Billable != 3 || days[3].Billable != 9 || days[3].MaybeBilled != 1 ||
		days[3].Quota != 12 || days[3].UsedPercent != 75 {
		t.Fatalf("quota: %+v", days)
	}
}

func TestUnknownsAndResolve(t *testing.T) {
	f := newFixture(t)
	reader, writer := f.db.Office(t, false), f.db.Office(t, true)
	// A call still pending: listed only once it is stale.
	c := f.counters[0]
	c.Start(hqtest.CallSpec{Product: "passive-liveness", Ref: "FRESH"})
	stale := c.Start(hqtest.CallSpec{Product: "passive-liveness", Ref: "STALE", At: time.Now().Add(-time.Hour)})
	tg := f.db.AddCounter(t, "OUT-A", "9") // just to prove the list is not per login
	_ = tg
	s := newSender(t, f.db, c)
	if _, err := s.SyncOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
	list, err := reader.Unknowns(f.ctx, f.all(), hq.UnknownOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Oldest first: the unknown at 09:00 today (Jakarta) and the call pending for an
	// hour, in whichever order the clock puts them (before 10:00 in Jakarta the
	// pending one is older).
	if len(list) == 2 && list[0].CallID == stale {
		list[0], list[1] = list[1], list[0]
		if !list[1].Started.Before(list[0].Started) {
			t.Fatalf("not oldest first: %+v", list)
		}
	} else if len(list) == 2 && list[1].Started.Before(list[0].Started) {
		t.Fatalf("not oldest first: %+v", list)
	}
	if len(list) != 2 || list[1].CallID != stale || list[1].Outcome != "pending" || list[0].CallID != f.unknown ||
		list[0].Outlet != "OUT-B" || list[0].CustRefNo != `=HYPERLINK("x")` {
		t.Fatalf("unknowns: %+v", list)
	}
	list[0], list[1] = list[1], list[0]
	if err := writer.Resolve(f.ctx, list[1].CallKey, hq.ResolutionNotBilled, strings.Repeat("x", 501)); !errors.Is(err, hqdb.ErrInvalid) {
		t.Fatalf("long note: %v", err)
	}
	if err := writer.Resolve(f.ctx, hq.CallKey{CallID: hqtest.NewUUID(), StartedAt: time.Now()}, hq.ResolutionBilled, ""); !errors.Is(err, hqdb.ErrNotFound) {
		t.Fatalf("no such call: %v", err)
	}
	// A success cannot be resolved.
	succ := f.firstSuccess(t, writer)
	if err := writer.Resolve(f.ctx, succ, hq.ResolutionNotBilled, ""); !errors.Is(err, hqdb.ErrNotUnknown) {
		t.Fatalf("resolving a success: %v", err)
	}
	if err := writer.Resolve(f.ctx, list[1].CallKey, hq.ResolutionNotBilled, "vendor says no"); err != nil {
		t.Fatal(err)
	}
	// Changing one's mind replaces the decision.
	if err := writer.Resolve(f.ctx, list[1].CallKey, hq.ResolutionBilled, "invoice has it"); err != nil {
		t.Fatal(err)
	}
	done, err := reader.Unknowns(f.ctx, f.all(), hq.UnknownOptions{Resolved: true})
	if err != nil || len(done) != 1 || done[0].Resolution != "billed" || done[0].Note != "invoice has it" || done[0].ResolvedBy == "" {
		t.Fatalf("resolved: %+v %v", done, err)
	}
	sum, _ := reader.Summary(f.ctx, f.all())
	if sum[0].ResolvedBilled != 1 || sum[0].ResolvedNotBilled != 0 || sum[0].UnknownOpen != 2 {
		t.Fatalf("summary after resolving: %+v", sum[0])
	}
	if drift := f.db.RollupDrift(t); len(drift) > 0 {
		t.Fatal(drift)
	}
}

func (f *fixture) firstSuccess(t *testing.T, c *hq.Client) hq.CallKey {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.ExportCSV(f.ctx, &buf, f.all()); err != nil {
		t.Fatal(err)
	}
	for _, call := range f.db.Central(t) {
		if call.Outcome == "success" {
			return hq.CallKey{CallID: call.CallID, StartedAt: call.Started}
		}
	}
	t.Fatal("no success")
	return hq.CallKey{}
}

func newSender(t *testing.T, db *hqtest.DB, c *hqtest.Counter) *hqsync.Sender {
	t.Helper()
	tg := db.AddCounter(t, c.Outlet, c.ID) // resets the password of the existing login
	pw := tg.Password
	s, err := hqsync.New(c, hqsync.Config{Target: tg, Outlet: c.Outlet, Counter: c.ID,
		Password: func(context.Context) (string, error) { return pw, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSilentCounters(t *testing.T) {
	f := newFixture(t)
	c := f.db.Office(t, false)
	f.db.Exec(t, `UPDATE kyc.counters SET last_seen_at = now() - interval '3 days' WHERE outlet_id = 'OUT-A' AND counter_id = '2'`)
	f.db.AddCounter(t, "OUT-C", "1")
	f.db.Exec(t, `UPDATE kyc.counters SET created_at = now() - interval '2 days' WHERE outlet_id = 'OUT-C'`)
	silent, err := c.SilentCounters(f.ctx, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(silent) != 2 || silent[0].Outlet != "OUT-A" || silent[0].Counter != "2" || silent[1].Outlet != "OUT-C" || silent[1].LastSeen != nil {
		t.Fatalf("silent: %+v", silent)
	}
	if d := silent[0].SilentFor(time.Now()); d < 71*time.Hour {
		t.Fatalf("silent for %s", d)
	}
	all, err := c.Counters(f.ctx)
	if err != nil || len(all) != 4 || all[0].AppVersion != "1.4.0" || all[0].LastCall == nil {
		t.Fatalf("counters: %+v %v", all, err)
	}
}

func TestExportCSV(t *testing.T) {
	f := newFixture(t)
	c := f.db.Office(t, false)
	var buf bytes.Buffer
	n, err := c.ExportCSV(f.ctx, &buf, hq.Filter{From: f.days[2], To: f.days[2], Outlets: []string{"OUT-B"}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if n != 4 || len(lines) != 5 || lines[0] != strings.Join(hq.ExportHeader, ",") {
		t.Fatalf("export (%d):\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), `'=HYPERLINK(""x"")`) || !strings.Contains(buf.String(), ",unknown,unknown,") ||
		!strings.Contains(buf.String(), ",success,yes,") {
		t.Fatalf("export cells:\n%s", buf.String())
	}
}

func TestInvoiceReconciliation(t *testing.T) {
	f := newFixture(t)
	reader, writer := f.db.Office(t, false), f.db.Office(t, true)
	m := hq.InvoiceMapping{TrxID: "trx", Date: "date"}
	day := f.days[2].Format(hq.DateLayout)
	csv := "date,trx,amount\n" +
		day + ",T-OUT-A-1-4,1500\n" + // matched
		day + ",T-OUT-A-1-4,1500\n" + // billed twice
		day + ",T-NOBODY,1500\n" // not ours
	if _, err := reader.ImportInvoice(f.ctx, "x", strings.NewReader(csv), m); !errors.Is(err, hqdb.ErrDenied) {
		t.Fatalf("reader imported: %v", err)
	}
	for _, bad := range []struct{ csv, want string }{
		{"when,trx\n" + day + ",X\n", `columns "trx" and "date"`},
		{"date,trx\n" + day + ",X\n31/02/2026,Y\n", "line 3"},
		{"date,trx\n", "no lines"},
	} {
		if _, err := writer.ImportInvoice(f.ctx, "bad", strings.NewReader(bad.csv), m); !errors.Is(err, hqdb.ErrInvalid) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v", bad.csv, err)
		}
	}
	imp, err := writer.ImportInvoice(f.ctx, "March", strings.NewReader(csv), m)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := reader.Reconcile(f.ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Matched != 0 || len(rec.BilledWithoutSuccess) != 3 {
		t.Fatalf("billed without success: %+v", rec.BilledWithoutSuccess)
	}
	if rec.BilledWithoutSuccess[0].Copies != 2 || rec.BilledWithoutSuccess[0].Call == nil || rec.BilledWithoutSuccess[2].Call != nil {
		t.Fatalf("lines: %+v", rec.BilledWithoutSuccess)
	}
	// Today every counter made 3 successes: 9, one of which is invoiced (twice).
	if len(rec.SuccessNotInvoiced) != 8 {
		t.Fatalf("successes not invoiced: %d", len(rec.SuccessNotInvoiced))
	}
	if _, err := reader.Reconcile(f.ctx, 999); !errors.Is(err, hqdb.ErrNotFound) {
		t.Fatalf("no such import: %v", err)
	}
	imps, err := reader.InvoiceImports(f.ctx)
	if err != nil || len(imps) != 1 || imps[0].Lines != 3 || imps[0].FirstDay != day {
		t.Fatalf("imports: %+v %v", imps, err)
	}
}

// A call from a clock years off lands in the default partition; creating
// its month's partition later moves it there, still once.
func TestPartitionsForStrayClocks(t *testing.T) {
	f := newFixture(t)
	c := f.counters[0]
	far := time.Now().AddDate(3, 0, 0)
	id := c.Call(hqtest.CallSpec{Product: "passive-liveness", Ref: "FAR", Outcome: "success", At: far})
	s := newSender(t, f.db, c)
	if _, err := s.SyncOnce(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.db.Exec(t, fmt.Sprintf(`SELECT kyc.ensure_partitions('%s', 1)`, far.Format(hq.DateLayout)))
	n := 0
	for _, call := range f.db.Central(t) {
		if call.CallID == id {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the far call is there %d times", n)
	}
	w := f.db.Office(t, true)
	if _, err := w.Maintain(f.ctx); err != nil {
		t.Fatal(err)
	}
}
