package history

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kycdesk/kyc/hqsync"
)

// outboxEvents returns every queued event, oldest first, and the raw JSON.
func outboxEvents(t *testing.T, s *Store) ([]hqsync.Event, string) {
	t.Helper()
	rows, err := s.db.Query(`SELECT event FROM hq_outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var evs []hqsync.Event
	var raw strings.Builder
	for rows.Next() {
		var js string
		if err := rows.Scan(&js); err != nil {
			t.Fatal(err)
		}
		raw.WriteString(js + "\n")
		var e hqsync.Event
		if err := json.Unmarshal([]byte(js), &e); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	return evs, raw.String()
}

func syncCall(c Call) Call {
	c.Sync, c.OSUser, c.AppVersion = true, "kasir1", "1.5.0"
	return c
}

// Every state change of a reported call is queued with it, in order, with the
// row's uid as its id, the verdict without personal fields; an unreported call
// queues nothing.
func TestReportedCallQueuesEveryChange(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), newMemKeys(), newClock())
	id := track(t, s, syncCall(validationCall("REF-HQ-1")), func(context.Context) Completion {
		return Completion{Outcome: OutcomeSuccess, HTTPStatus: 200, Attempts: 1, TrxID: "202603010900000001", RefID: "1234567890",
			Personal: map[string]string{"match_nik": "true", "match_full_name": "false", "selfie_photo": "88.5"}}
	})
	track(t, s, validationCall("REF-LOCAL"), okCompletion("T2")) // profile without sync
	evs, _ := outboxEvents(t, s)
	r, err := s.Get(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Seq != 1 || evs[1].Seq != 2 || evs[0].CallID != r.CallID() || evs[1].CallID != r.CallID() {
		t.Fatalf("events %+v (call %s)", evs, r.CallID())
	}
	if len(r.CallID()) != 36 || !r.Reported || r.OSUser != "kasir1" || r.AppVersion != "1.5.0" {
		t.Fatalf("record %+v", r)
	}
	p, f := evs[1], evs[0]
	if f.Outcome != OutcomePending || f.EndedAt != nil || p.Outcome != OutcomeSuccess || p.EndedAt == nil ||
		!p.StartedAt.Equal(f.StartedAt) || !p.StartedAt.Equal(r.CreatedAt) {
		t.Fatalf("states %+v / %+v", f, p)
	}
	if p.TrxID != "202603010900000001" || p.OSUser != "kasir1" || p.AppVersion != "1.5.0" || p.Profile != "Prod" ||
		p.InstallID == "" || p.InstallID != s.installID || p.MatchNIK == nil || !*p.MatchNIK || p.MatchFullName == nil ||
		*p.MatchFullName || p.FaceScore == nil || *p.FaceScore != 88.5 {
		t.Fatalf("final event %+v", p)
	}
}

// A change whose event cannot be queued is not recorded either: with the outbox
// refusing, Track records nothing and sends nothing.
func TestEventAndChangeCommitTogether(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	if _, err := s.db.Exec(`CREATE TRIGGER no_events BEFORE INSERT ON hq_outbox BEGIN SELECT RAISE(ABORT, 'outbox says no'); END`); err != nil {
		t.Fatal(err)
	}
	sent := false
	_, err := s.Track(ctx, syncCall(Call{Product: "passive-liveness", CustRefNo: "R"}), func(context.Context) Completion {
		sent = true
		return Completion{Outcome: OutcomeSuccess}
	})
	if err == nil || sent {
		t.Fatalf("err %v, sent %v", err, sent)
	}
	if n, _ := s.Count(ctx, Filter{}); n != 0 {
		t.Fatalf("%d rows recorded without their event", n)
	}
	// The completion's event refused: the row stays pending (unknown at the next
	// start), never completed without its event.
	if _, err := s.db.Exec(`DROP TRIGGER no_events`); err != nil {
		t.Fatal(err)
	}
	id, err := s.Track(ctx, syncCall(Call{Product: "passive-liveness", CustRefNo: "R2"}), func(context.Context) Completion {
		if _, err := s.db.Exec(`CREATE TRIGGER no_events BEFORE INSERT ON hq_outbox BEGIN SELECT RAISE(ABORT, 'outbox says no'); END`); err != nil {
			t.Error(err)
		}
		return Completion{Outcome: OutcomeSuccess}
	})
	if err == nil {
		t.Fatal("completion without its event reported no error")
	}
	r, _ := s.Get(ctx, id, false)
	evs, _ := outboxEvents(t, s)
	if r.Outcome != OutcomePending || len(evs) != 1 || evs[0].Seq != 1 {
		t.Fatalf("outcome %q, events %+v", r.Outcome, evs)
	}
}

// A call interrupted by a crash becomes unknown at the next start, and head
// office hears it; the counter's resolution follows, without its note.
func TestRecoveryAndCounterResolutionQueued(t *testing.T) {
	ctx := context.Background()
	dir, keys := t.TempDir(), newMemKeys()
	a := openTest(t, dir, keys, nil)
	id, err := a.begin(ctx, syncCall(validationCall("CRASH")))
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	b := openTest(t, dir, keys, nil) // Open recovers
	evs, _ := outboxEvents(t, b)
	if len(evs) != 2 || evs[1].Seq != 2 || evs[1].Outcome != OutcomeUnknown || evs[1].ErrorKind != KindInterrupted {
		t.Fatalf("events after recovery %+v", evs)
	}
	if err := b.Resolve(ctx, id, ResolutionBilled, "ibu "+testName+" sudah ditagih di portal", "kasir1"); err != nil {
		t.Fatal(err)
	}
	r, _ := b.Get(ctx, id, false)
	if res := r.Resolution; !res.Billed() || res.Source != ResolvedAtCounter || res.By != "kasir1" || res.At.IsZero() ||
		!strings.Contains(res.Note, "sudah ditagih") {
		t.Fatalf("resolution %+v", r.Resolution)
	}
	evs, raw := outboxEvents(t, b)
	if len(evs) != 3 || evs[2].Seq != 3 || evs[2].Resolution != ResolutionBilled || evs[2].ResolvedAt == nil {
		t.Fatalf("events after resolution %+v", evs)
	}
	if strings.Contains(raw, "ditagih") || strings.Contains(raw, testName) {
		t.Fatalf("the note left the PC: %s", raw)
	}
	// Only unknown outcomes are resolved; bad values are refused.
	ok := track(t, b, syncCall(validationCall("OK")), okCompletion("T9"))
	if err := b.Resolve(ctx, ok, ResolutionBilled, "", "kasir1"); err != ErrNotUnknown {
		t.Fatalf("resolving a success: %v", err)
	}
	if err := b.Resolve(ctx, id, "maybe", "", "kasir1"); err != ErrBadResolution {
		t.Fatalf("bad resolution: %v", err)
	}
	if err := b.Resolve(ctx, 9999, ResolutionBilled, "", "kasir1"); err != ErrNotFound {
		t.Fatalf("missing row: %v", err)
	}
}

// Head office's resolution, pulled by the sender, lands on the row (History shows
// it) with the cursor, queues nothing, and is applied once.
func TestHeadOfficeResolutionApplied(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), newMemKeys(), newClock())
	id := track(t, s, syncCall(Call{Product: "passive-liveness", CustRefNo: "SBX-504-1", Profile: "Prod"}), func(context.Context) Completion {
		return Completion{Outcome: OutcomeUnknown, ErrorKind: "gateway_timeout", HTTPStatus: 504, Attempts: 1}
	})
	r, _ := s.Get(ctx, id, false)
	ob := s.Outbox("Prod")
	if n, err := ob.Waiting(ctx); err != nil || n != 2 {
		t.Fatalf("waiting %d %v", n, err)
	}
	if n, _ := s.Outbox("Other").Waiting(ctx); n != 0 {
		t.Fatalf("another profile's outbox sees %d events", n)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	res := hqsync.Resolution{ID: 7, CallID: r.CallID(), Resolution: ResolutionNotBilled, Note: "tidak ada di tagihan", ResolvedBy: "finance1", ResolvedAt: at}
	if err := ob.ApplyResolution(ctx, res); err != nil {
		t.Fatal(err)
	}
	r, _ = s.Get(ctx, id, false)
	want := Resolution{Value: ResolutionNotBilled, Note: "tidak ada di tagihan", By: "finance1", At: at, Source: ResolvedAtHeadOffice}
	if !r.Resolution.At.Equal(at) || r.Resolution.Value != want.Value || r.Resolution.Note != want.Note ||
		r.Resolution.By != want.By || r.Resolution.Source != want.Source {
		t.Fatalf("resolution %+v", r.Resolution)
	}
	if cur, _ := ob.ResolutionCursor(ctx); cur != 7 {
		t.Fatalf("cursor %d", cur)
	}
	if n, _ := ob.Waiting(ctx); n != 2 {
		t.Fatalf("head office's resolution queued an event (%d waiting)", n)
	}
	// Applied once: the same resolution again (a re-pull) changes nothing.
	res.Note = "changed"
	if err := ob.ApplyResolution(ctx, res); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Get(ctx, id, false); r.Resolution.Note != "tidak ada di tagihan" {
		t.Fatalf("re-applied: %+v", r.Resolution)
	}
	// A call this history does not have only moves the cursor.
	if err := ob.ApplyResolution(ctx, hqsync.Resolution{ID: 8, CallID: "6f1c2e0a-0000-4000-8000-000000000001", Resolution: ResolutionBilled}); err != nil {
		t.Fatal(err)
	}
	if cur, _ := ob.ResolutionCursor(ctx); cur != 8 {
		t.Fatalf("cursor %d", cur)
	}
	n, err := s.Count(ctx, Filter{Outcome: OutcomeUnknown, Unresolved: true})
	if err != nil || n != 0 {
		t.Fatalf("unresolved unknown %d %v", n, err)
	}
}

// Nothing personal is queued: every event of calls carrying a NIK, validation
// inputs, OCR data, the gateway's error text and a NIK typed as the reference is
// scanned for those values.
func TestOutboxHoldsNoPersonalData(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), newMemKeys(), newClock())
	ocr := map[string]string{"nik": testNIK, "nama": testName, "tempat_lahir": "TANGERANG", "alamat": "JL MELATI NO 7",
		"pekerjaan": "WIRASWASTA", "kel_desa": "KARAWACI"}
	track(t, s, syncCall(Call{Product: "id-recognize", CustRefNo: "OCR-1", Profile: "Prod", Sealed: true}), func(context.Context) Completion {
		return Completion{Outcome: OutcomeSuccess, HTTPStatus: 200, TrxID: "T1", Personal: ocr}
	})
	track(t, s, syncCall(validationCall(testNIK)), func(context.Context) Completion {
		return Completion{Outcome: OutcomeRejected, ErrorKind: "not_found", HTTPStatus: 404,
			ErrorMessage: "NIK " + testNIK + " atas nama " + testName + " tidak ditemukan"}
	})
	track(t, s, syncCall(validationCall("VAL-1")), func(context.Context) Completion {
		return Completion{Outcome: OutcomeSuccess, HTTPStatus: 200, Personal: map[string]string{"match_nik": "true",
			"match_address": "JL MELATI NO 7", "nama": testName, "selfie_photo": "91"}}
	})
	id := track(t, s, syncCall(Call{Product: "passive-liveness", CustRefNo: "LIVE-1", Profile: "Prod", Images: map[string][]byte{"selfie": []byte("JPEG-BYTES-OF-" + testName)}}),
		func(context.Context) Completion {
			return Completion{Outcome: OutcomeUnknown, ErrorKind: "timeout", Personal: map[string]string{"live": "true", "result": testName}}
		})
	if err := s.Resolve(ctx, id, ResolutionNotBilled, "nasabah "+testName, "kasir1"); err != nil {
		t.Fatal(err)
	}
	evs, raw := outboxEvents(t, s)
	if len(evs) != 9 || !strings.Contains(raw, "OCR-1") || !strings.Contains(raw, `"face_score":91`) {
		t.Fatalf("%d events: %s", len(evs), raw)
	}
	for _, v := range []string{testNIK, testName, "TANGERANG", "MELATI", "WIRASWASTA", "KARAWACI", "JPEG-BYTES", "tidak ditemukan", "nasabah"} {
		if strings.Contains(strings.ToUpper(raw), strings.ToUpper(v)) {
			t.Errorf("%q reached the outbox", v)
		}
	}
	if !strings.Contains(raw, hqsync.Redacted) {
		t.Error("a NIK as the reference was not redacted")
	}
}
