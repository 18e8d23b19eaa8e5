package history

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTrackWritesPendingBeforeSending(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), newClock())
	ctx := context.Background()
	var seen Record
	id := track(t, s, validationCall("REF-1"), func(ctx context.Context) Completion {
		// While "sending", the row is already committed as pending, visible
		// to another connection.
		other, err := Open(ctx, Options{Dir: s.dir, Keys: s.opts.Keys})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		recs, err := other.ByRef(ctx, "REF-1", false)
		if err != nil || len(recs) != 1 {
			t.Fatalf("pending row not visible: %v %v", recs, err)
		}
		seen = recs[0]
		return okCompletion("TRX-1")(ctx)
	})
	if seen.Outcome != OutcomePending || seen.NIKMasked != "3671********0004" {
		t.Fatalf("during send: %+v", seen)
	}
	r, err := s.Get(ctx, id, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != OutcomeSuccess || r.TrxID != "TRX-1" || r.RefID != "R-TRX-1" || r.HTTPStatus != 200 ||
		r.Attempts != 1 || r.GatewayTimestamp != 1680060646134 || r.Profile != "Prod" || r.CompletedAt.IsZero() ||
		r.Duration <= 0 || r.KeyGeneration != 1 {
		t.Fatalf("record = %+v", r)
	}
	p := r.Personal
	if p == nil || p.NIK != testNIK || p.Input["name"] != testName || p.Result["selfie_photo"] != "10" || len(p.Unreadable) != 0 {
		t.Fatalf("personal = %+v", p)
	}
	if r2, _ := s.Get(ctx, id, false); r2.Personal != nil {
		t.Fatal("personal opened without asking")
	}
	if _, err := s.Get(ctx, 999, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(999) = %v", err)
	}
}

func TestNoRecordNoCall(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	sent := false
	send := func(context.Context) Completion { sent = true; return Completion{} }
	// Bad call.
	if _, err := s.Track(context.Background(), Call{Product: "x"}, send); err == nil {
		t.Fatal("accepted a call without a reference")
	}
	// Cancelled before recording.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Track(ctx, validationCall("R"), send); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	// The insert fails.
	if _, err := s.db.Exec(`DROP TABLE images; DROP TABLE calls`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Track(context.Background(), validationCall("R"), send); err == nil {
		t.Fatal("no error when the row could not be written")
	}
	if sent {
		t.Fatal("send was called without a record")
	}
}

func TestCompletionFailureLeavesPending(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	id, err := s.Track(context.Background(), Call{Product: "passive-liveness", CustRefNo: "R"}, func(context.Context) Completion {
		if _, err := s.db.Exec(`CREATE TRIGGER no_update BEFORE UPDATE ON calls BEGIN SELECT RAISE(ABORT, 'disk says no'); END`); err != nil {
			t.Fatal(err)
		}
		return Completion{Outcome: OutcomeSuccess}
	})
	if err == nil || id == 0 || !strings.Contains(err.Error(), "disk says no") {
		t.Fatalf("id=%d err=%v", id, err)
	}
	if _, err := s.db.Exec(`DROP TRIGGER no_update`); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(context.Background(), id, false)
	if r.Outcome != OutcomePending {
		t.Fatalf("outcome = %q", r.Outcome)
	}
}

func TestTrackPanicCompletesUnknown(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	defer func() {
		if recover() == nil {
			t.Fatal("panic swallowed")
		}
		recs, _ := s.ByRef(context.Background(), "P", false)
		if len(recs) != 1 || recs[0].Outcome != OutcomeUnknown || recs[0].ErrorKind != KindPanic {
			t.Fatalf("recs = %+v", recs)
		}
	}()
	_, _ = s.Track(context.Background(), Call{Product: "id-recognize", CustRefNo: "P"}, func(context.Context) Completion { panic("boom") })
}

func TestEmptyOutcomeIsUnknownAndMessageSealed(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	id := track(t, s, Call{Product: "id-recognize", CustRefNo: "E"}, func(context.Context) Completion {
		return Completion{ErrorKind: "timeout", ErrorMessage: "no answer after 30s"}
	})
	r, _ := s.Get(context.Background(), id, true)
	if r.Outcome != OutcomeUnknown || r.Personal.ErrorMessage != "no answer after 30s" {
		t.Fatalf("record = %+v personal = %+v", r, r.Personal)
	}
	var raw []byte
	_ = s.db.QueryRow(`SELECT message_enc FROM calls WHERE id = ?`, id).Scan(&raw)
	if strings.Contains(string(raw), "no answer") {
		t.Fatal("error message stored in clear")
	}
}

func TestRecoverRespectsLiveOwners(t *testing.T) {
	dir := t.TempDir()
	keys := newMemKeys()
	a := openTest(t, dir, keys, nil)
	ctx := context.Background()
	id, err := a.begin(ctx, validationCall("LIVE")) // A is "sending" now
	if err != nil {
		t.Fatal(err)
	}
	b := openTest(t, dir, keys, nil)
	if r, _ := b.Get(ctx, id, false); r.Outcome != OutcomePending {
		t.Fatalf("B marked A's live call: %q", r.Outcome)
	}
	if n, err := b.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	a.Close() // A dies without completing
	n, err := b.Recover(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Recover after A closed = %d, %v", n, err)
	}
	r, _ := b.Get(ctx, id, true)
	if r.Outcome != OutcomeUnknown || r.ErrorKind != KindInterrupted || r.Note != NoteInterrupted || r.Personal.NIK != testNIK {
		t.Fatalf("record = %+v", r)
	}
	recs, _ := b.List(ctx, Filter{Outcome: OutcomeUnknown})
	if len(recs.Records) != 1 {
		t.Fatalf("unknown rows = %d", len(recs.Records))
	}
}

func TestOwnerAliveEdgeCases(t *testing.T) {
	dir := t.TempDir()
	if ownerAlive(context.Background(), dir, "not-hex") {
		t.Error("bad id alive")
	}
	if ownerAlive(context.Background(), dir, strings.Repeat("a", 32)) {
		t.Error("missing file alive")
	}
}

func TestListFiltersAndPaging(t *testing.T) {
	c := newClock()
	s := openTest(t, t.TempDir(), newMemKeys(), c)
	ctx := context.Background()
	start := c.Now()
	for i := 0; i < 120; i++ {
		call := Call{Product: "passive-liveness", CustRefNo: "L" + string(rune('A'+i%26)), Profile: "Prod"}
		if i%3 == 0 {
			call = validationCall("V")
		}
		track(t, s, call, okCompletion("T"))
	}
	mid := c.Now()
	track(t, s, Call{Product: "id-recognize", CustRefNo: "LAST"}, func(context.Context) Completion {
		return Completion{Outcome: OutcomeRejected, ErrorKind: "invalid_input", TrxID: "TRX-LAST"}
	})
	var all []int64
	f := Filter{Limit: 50}
	pages := 0
	for {
		p, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range p.Records {
			all = append(all, r.ID)
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	if len(all) != 121 || pages != 3 {
		t.Fatalf("rows=%d pages=%d", len(all), pages)
	}
	for i := 1; i < len(all); i++ {
		if all[i] >= all[i-1] {
			t.Fatal("not newest first")
		}
	}
	count := func(f Filter) int {
		f.Limit = MaxPageSize + 10
		p, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Records)
	}
	cases := map[string]struct {
		f    Filter
		want int
	}{
		"product":    {Filter{Product: "id-validation"}, 40},
		"outcome":    {Filter{Outcome: OutcomeRejected}, 1},
		"ref":        {Filter{Ref: "V"}, 40},
		"trx":        {Filter{TrxID: "TRX-LAST"}, 1},
		"nik":        {Filter{NIK: " " + testNIK + " "}, 40},
		"nik other":  {Filter{NIK: "3671012501900005"}, 0},
		"since":      {Filter{Since: mid}, 1},
		"until":      {Filter{Until: mid}, 120},
		"range":      {Filter{Since: start, Until: mid, Product: "passive-liveness"}, 80},
		"everything": {Filter{}, 121},
	}
	for name, c := range cases {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d rows, want %d", name, got, c.want)
		}
	}
	for _, bad := range []string{"!!", "bm9kb3Q", "YS5i", "MS5i"} {
		if _, err := s.List(ctx, Filter{After: bad}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
}

func TestMaskNIK(t *testing.T) {
	for in, want := range map[string]string{"": "", "3671012501900004": "3671********0004", "123": "***",
		" 367101250190000 ": "3671*******0000", "36710125019000041": "3671*********0041"} {
		if got := MaskNIK(in); got != want {
			t.Errorf("MaskNIK(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImagesOnlyWhenEnabledAndExpire(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	selfie := []byte("\xff\xd8 JPEG selfie bytes")
	call := validationCall("IMG")
	call.Images = map[string][]byte{"selfie": selfie}

	off := openTest(t, t.TempDir(), newMemKeys(), c)
	id := track(t, off, call, okCompletion("T"))
	if _, err := off.Image(ctx, id, "selfie"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("image stored while off: %v", err)
	}

	on := openTest(t, t.TempDir(), newMemKeys(), c, func(o *Options) { o.StoreImages = true })
	id = track(t, on, call, okCompletion("T"))
	got, err := on.Image(ctx, id, "selfie")
	if err != nil || !reflect.DeepEqual(got, selfie) {
		t.Fatalf("image = %q, %v", got, err)
	}
	c.Advance(DefaultImageRetention + time.Hour)
	if _, err := on.Image(ctx, id, "selfie"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired image still served: %v", err)
	}
	if _, err := on.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = on.db.QueryRow(`SELECT count(*) FROM images`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d expired images left", n)
	}
}
