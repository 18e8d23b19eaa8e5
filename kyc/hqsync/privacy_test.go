package hqsync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kycdesk/kyc/history"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/internal/hqtest"
)

// The customer's personal data, as a counter's history holds it.
var personal = map[string]string{
	"nik":           "3174015408900001",
	"nama":          "SITI CONTOH RAHAYU",
	"tempat_lahir":  "SURABAYA",
	"tanggal_lahir": "14-08-1990",
	"alamat":        "JL. MAWAR SAMPEL NO. 12",
	"rt/rw":         "004/011",
	"kelurahan":     "KEBON KACANG PERAGA",
	"kecamatan":     "TANAHABANGCONTOH",
	"pekerjaan":     "WIRASWASTA PERAGA",
}

// Everything that reaches the central database is scanned for every
// personal value the counter had: the NIK, the validation inputs, the OCR
// result, the gateway's error text, a NIK typed into the reference.
func TestNoPersonalDataReachesHeadOffice(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	c := hqtest.NewCounter("OUT-PRIV", "1")
	s := newSender(t, c, db.AddCounter(t, c.Outlet, c.ID))

	now := time.Now()
	inputs := map[string]string{"name": personal["nama"], "birth_date": personal["tanggal_lahir"],
		"birth_place": personal["tempat_lahir"], "address": personal["alamat"]}
	ocr := map[string]string{}
	for k, v := range personal {
		ocr[k] = v
	}
	recs := []hqsync.CallRecord{
		{CallID: hqtest.NewUUID(), Seq: 2, StartedAt: now, EndedAt: now, Product: "id-recognize",
			CustRefNo: "REF-OCR-1", Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000001", RefID: "1111111111",
			NIK: personal["nik"], Result: ocr},
		{CallID: hqtest.NewUUID(), Seq: 2, StartedAt: now, EndedAt: now, Product: "id-validation",
			CustRefNo: "KTP " + personal["nik"], Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000002",
			NIK: personal["nik"], Inputs: inputs,
			Result: map[string]string{"match_nik": "true", "match_full_name": "false", "match_address": personal["alamat"],
				"selfie_photo": "87.5", "nama": personal["nama"]}},
		{CallID: hqtest.NewUUID(), Seq: 2, StartedAt: now, EndedAt: now, Product: "id-validation",
			CustRefNo: "REF-ERR", Outcome: "rejected", ErrorKind: "NIK " + personal["nik"] + " not found",
			ErrorMessage: "NIK " + personal["nik"] + " atas nama " + personal["nama"] + " tidak ditemukan",
			NIK:          personal["nik"], Inputs: inputs},
		{CallID: hqtest.NewUUID(), Seq: 3, StartedAt: now, EndedAt: now, Product: "passive-liveness",
			CustRefNo: "REF-LIVE", Outcome: "unknown", ErrorKind: "timeout",
			Result:     map[string]string{"live": "true", "result": personal["nama"]},
			Resolution: "not_billed", ResolutionNote: "ibu " + personal["nama"] + " datang lagi", ResolvedAt: now},
	}
	for _, r := range recs {
		c.Record(r)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	dump := db.Dump(t)
	if !strings.Contains(dump, "REF-OCR-1") || !strings.Contains(dump, "202603011000000002") {
		t.Fatalf("the scan did not see the calls (dump of %d bytes)", len(dump))
	}
	for k, v := range personal {
		if strings.Contains(strings.ToUpper(dump), strings.ToUpper(v)) {
			t.Errorf("personal value %s (%q) reached head office", k, v)
		}
	}
	// The verdict did arrive, as booleans and a score.
	for _, want := range []string{"87.5", "not_billed"} {
		if !strings.Contains(dump, want) {
			t.Errorf("%q missing from head office", want)
		}
	}
	_ = context.Background
}

// memKeys is the history's key source in memory.
type memKeys map[string][]byte

func (m memKeys) Key(_ context.Context, name string, create bool) ([]byte, error) {
	if k, ok := m[name]; ok {
		return k, nil
	}
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(len(m)*31 + i)
	}
	m[name] = k
	return k, nil
}

// The same scan over what a real history queues: calls recorded by kyc/history
// with the customer's NIK, inputs, OCR data, photo, the gateway's error text and
// the clerk's note, delivered from its outbox by the sender.
func TestNoPersonalDataFromTheHistory(t *testing.T) {
	ctx := ctxT(t)
	db := hqtest.NewDB(t)
	store, err := history.Open(ctx, history.Options{Dir: t.TempDir(), Keys: memKeys{}, StoreImages: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	call := func(c history.Call, comp history.Completion) int64 {
		c.Profile, c.Sync, c.OSUser, c.AppVersion = "Produksi", true, "kasir1", "1.5.0"
		id, err := store.Track(ctx, c, func(context.Context) history.Completion { return comp })
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	inputs := map[string]string{"name": personal["nama"], "birth_date": personal["tanggal_lahir"],
		"birth_place": personal["tempat_lahir"], "address": personal["alamat"]}
	ocr := map[string]string{}
	for k, v := range personal {
		ocr[k] = v
	}
	call(history.Call{Product: "id-recognize", CustRefNo: "HIST-OCR", Sealed: true, Images: map[string][]byte{"id": []byte("KTP " + personal["nama"])}},
		history.Completion{Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000101", Personal: ocr})
	call(history.Call{Product: "id-validation", CustRefNo: "HIST-VAL", NIK: personal["nik"], Personal: inputs},
		history.Completion{Outcome: "success", HTTPStatus: 200, TrxID: "202603011000000102",
			Personal: map[string]string{"match_nik": "true", "match_address": "false", "selfie_photo": "77.5"}})
	call(history.Call{Product: "id-validation", CustRefNo: "NIK " + personal["nik"], NIK: personal["nik"], Personal: inputs},
		history.Completion{Outcome: "rejected", ErrorKind: "not_found", HTTPStatus: 404,
			ErrorMessage: "NIK " + personal["nik"] + " atas nama " + personal["nama"] + " tidak ditemukan"})
	unk := call(history.Call{Product: "passive-liveness", CustRefNo: "HIST-LIVE"},
		history.Completion{Outcome: "unknown", ErrorKind: "gateway_timeout", HTTPStatus: 504})
	if err := store.Resolve(ctx, unk, history.ResolutionBilled, "ibu "+personal["nama"]+" sudah dikenai biaya", "kasir1"); err != nil {
		t.Fatal(err)
	}
	s, err := hqsync.New(store.Outbox("Produksi"), hqsync.Config{Target: db.AddCounter(t, "OUT-HIST", "1"), Outlet: "OUT-HIST", Counter: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.SyncOnce(ctx); err != nil || res.Sent+res.Ignored != 9 || res.Rejected != 0 {
		t.Fatalf("sync: %+v %v", res, err)
	}
	dump := db.Dump(t)
	for _, want := range []string{"HIST-OCR", "202603011000000102", "77.5", "billed", "kasir1", hqsync.Redacted} {
		if !strings.Contains(dump, want) {
			t.Errorf("%q missing from head office", want)
		}
	}
	for k, v := range personal {
		if strings.Contains(strings.ToUpper(dump), strings.ToUpper(v)) {
			t.Errorf("personal value %s (%q) reached head office", k, v)
		}
	}
	if strings.Contains(dump, "dikenai biaya") || strings.Contains(dump, "tidak ditemukan") {
		t.Error("a note or the gateway's message reached head office")
	}
}
