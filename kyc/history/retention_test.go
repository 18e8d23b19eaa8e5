package history

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRetentionDeletesAndLeavesTheDisk(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	s := openTest(t, dir, newMemKeys(), c, func(o *Options) { o.Retention = 30 * 24 * time.Hour })
	ctx := context.Background()
	old := validationCall("OLD")
	old.NIK = "3201010101010001"
	old.Personal = map[string]string{"name": "OLD PERSON NAME"}
	for i := 0; i < 5; i++ {
		track(t, s, old, okCompletion("T"))
	}
	// An old call still in flight (this process) is never purged.
	pendingID, err := s.begin(ctx, Call{Product: "id-recognize", CustRefNo: "INFLIGHT"})
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(31 * 24 * time.Hour)
	track(t, s, validationCall("NEW"), okCompletion("T"))

	n, err := s.Purge(ctx)
	if err != nil || n != 5 {
		t.Fatalf("Purge = %d, %v", n, err)
	}
	p, _ := s.List(ctx, Filter{})
	if len(p.Records) != 2 {
		t.Fatalf("left %d rows", len(p.Records))
	}
	if r, _ := s.Get(ctx, pendingID, false); r.Outcome != OutcomePending {
		t.Fatal("pending row purged")
	}
	// The WAL was checkpointed and truncated.
	if st, err := os.Stat(filepath.Join(dir, FileName+"-wal")); err != nil || st.Size() != 0 {
		t.Fatalf("WAL after purge: %v, %v", st.Size(), err)
	}
	// Nothing of the deleted rows is left in any file (secure_delete). The
	// clear reference "OLD" is short, so look for the masked NIK instead.
	scanDir(t, dir, "3201********0001")
	if n, _ := s.Purge(ctx); n != 0 {
		t.Fatalf("second purge = %d", n)
	}
}

func TestRetentionAtOpenAndMaintenanceLoop(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	keys := newMemKeys()
	s := openTest(t, dir, keys, c)
	track(t, s, validationCall("A"), okCompletion("T"))
	s.Close()
	c.Advance(DefaultRetention + time.Hour)
	s = openTest(t, dir, keys, c)
	if p, _ := s.List(context.Background(), Filter{}); len(p.Records) != 0 {
		t.Fatal("Open did not purge")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.RunMaintenance(ctx, time.Millisecond, func(err error) { t.Error(err) }); close(done) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	<-done
}

func TestEraseNIK(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		track(t, s, validationCall("V"), okCompletion("T"))
	}
	other := validationCall("W")
	other.NIK = "3671012501900005"
	track(t, s, other, okCompletion("T"))
	track(t, s, Call{Product: "passive-liveness", CustRefNo: "L"}, okCompletion("T"))
	n, err := s.EraseNIK(ctx, testNIK)
	if err != nil || n != 3 {
		t.Fatalf("EraseNIK = %d, %v", n, err)
	}
	if n, _ := s.EraseNIK(ctx, testNIK); n != 0 {
		t.Fatalf("again = %d", n)
	}
	p, _ := s.List(ctx, Filter{})
	if len(p.Records) != 2 {
		t.Fatalf("left %d", len(p.Records))
	}
	scanDir(t, s.dir, testNIK, testName)
}

func TestExportCSVAndJSON(t *testing.T) {
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c)
	ctx := context.Background()
	v := validationCall("=HYPERLINK(\"x\")")
	track(t, s, v, okCompletion("TRX-1"))
	track(t, s, Call{Product: "passive-liveness", CustRefNo: "L-1", Profile: "Prod"}, func(context.Context) Completion {
		return Completion{Outcome: OutcomeRejected, ErrorKind: "invalid_input", ErrorMessage: "bad image", HTTPStatus: 200, Attempts: 1}
	})
	utc := time.UTC

	var buf bytes.Buffer
	n, err := s.Export(ctx, &buf, ExportOptions{Format: FormatCSV, Location: utc})
	if err != nil || n != 2 {
		t.Fatalf("csv = %d, %v", n, err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("csv rows = %q", rows)
	}
	if rows[1][4] != "L-1" || rows[1][6] != OutcomeRejected || rows[2][4] != "'=HYPERLINK(\"x\")" || rows[2][14] != "3671********0004" {
		t.Fatalf("csv body = %q", rows)
	}
	if !strings.HasPrefix(rows[1][1], "2026-03-01T09:00:00") || !strings.HasSuffix(rows[1][1], "Z") {
		t.Fatalf("time = %q", rows[1][1])
	}
	if strings.Contains(buf.String(), testNIK) || strings.Contains(buf.String(), testName) {
		t.Fatal("personal data exported without asking")
	}

	buf.Reset()
	if _, err := s.Export(ctx, &buf, ExportOptions{Format: FormatCSV, IncludePersonal: true, Filter: Filter{Product: "id-validation"}}); err != nil {
		t.Fatal(err)
	}
	rows, _ = csv.NewReader(&buf).ReadAll()
	if len(rows) != 2 || len(rows[0]) != len(csvHeader)+len(csvPersonalHeader) || rows[1][len(csvHeader)] != testNIK || !strings.Contains(rows[1][len(csvHeader)+2], testName) {
		t.Fatalf("personal csv = %q", rows)
	}

	buf.Reset()
	n, err = s.Export(ctx, &buf, ExportOptions{Format: FormatJSON, IncludePersonal: true})
	if err != nil || n != 2 {
		t.Fatalf("json = %d, %v", n, err)
	}
	var out []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, buf.String())
	}
	if out[0]["cust_ref_no"] != "L-1" || out[0]["error_message"] != "bad image" || out[1]["nik"] != testNIK || out[1]["trx_id"] != "TRX-1" {
		t.Fatalf("json = %v", out)
	}
	buf.Reset()
	if n, err := s.Export(ctx, &buf, ExportOptions{Format: FormatJSON, Filter: Filter{Ref: "none"}}); err != nil || n != 0 || strings.TrimSpace(buf.String()) != "[\n]" {
		t.Fatalf("empty json = %q, %v", buf.String(), err)
	}
	if _, err := s.Export(ctx, &buf, ExportOptions{Format: "xml"}); err == nil {
		t.Fatal("xml accepted")
	}
	if _, err := s.Export(ctx, &buf, ExportOptions{Format: FormatCSV, Filter: Filter{After: "!"}}); err == nil {
		// After is ignored by Export: a bad cursor must not matter.
	} else {
		t.Fatal(err)
	}
}
