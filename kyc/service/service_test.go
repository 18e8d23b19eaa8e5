package service

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/zalando/go-keyring"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// noKeys is a key source whose keyring is locked.
type noKeys struct{}

func (noKeys) Key(context.Context, string, bool) ([]byte, error) { return nil, vault.ErrLocked }

func setup(t *testing.T, keys history.KeySource) (*Service, *history.Store, *atomic.Int32) {
	t.Helper()
	keyring.MockInit()
	dir := t.TempDir()
	if keys == nil {
		v, err := vault.New(vault.Options{Dir: dir, Backend: vault.GoKeyringBackend(), SystemFile: dir + "/none.json"})
		if err != nil {
			t.Fatal(err)
		}
		keys = v
	}
	store, err := history.Open(context.Background(), history.Options{Dir: dir, Keys: keys, StoreImages: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var hits atomic.Int32
	sb := sandbox.New(sandbox.Config{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := kyc.NewClient(srv.URL, kyc.WithTokenSource(kyc.StaticToken(sandbox.DefaultToken)))
	if err != nil {
		t.Fatal(err)
	}
	return &Service{Client: c, History: store, Profile: "Test", KeepImages: true}, store, &hits
}

func photoB64(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 400, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 400; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestCallsAreRecordedWithSealedPersonalData(t *testing.T) {
	s, store, _ := setup(t, nil)
	ctx := context.Background()
	img := photoB64(t)
	rec, err := s.Recognize(ctx, kyc.RecognizeRequest{CustRefNo: "r-1", IDImage: img})
	if err != nil {
		t.Fatal(err)
	}
	nikValue := rec.Identity["nik"]
	if _, err := s.Validate(ctx, kyc.ValidationRequest{CustRefNo: "r-1", NIK: nikValue, Name: rec.Identity["nama"], SelfieImage: img}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Liveness(ctx, kyc.LivenessRequest{CustRefNo: "r-1", SelfieImage: img}); err != nil {
		t.Fatal(err)
	}
	rows, err := store.ByRef(ctx, "r-1", true)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	byProduct := map[string]history.Record{}
	for _, r := range rows {
		byProduct[r.Product] = r
		if r.Outcome != history.OutcomeSuccess || r.Profile != "Test" || r.TrxID == "" {
			t.Errorf("%+v", r)
		}
	}
	if got := byProduct[string(kyc.ProductIDRecognize)].Personal.Result["nik"]; got != nikValue {
		t.Errorf("OCR result not kept: %q", got)
	}
	v := byProduct[string(kyc.ProductIDValidation)]
	if v.Personal.NIK != nikValue || v.NIKMasked != history.MaskNIK(nikValue) || v.Personal.Result["match_nik"] != "true" || v.Personal.Input["selfie"] != "sent" {
		t.Errorf("validation record %+v %+v", v, v.Personal)
	}
	if b, err := store.Image(ctx, v.ID, "selfie"); err != nil || len(b) == 0 {
		t.Errorf("image not kept: %v", err)
	}
}

func TestNoRecordNoCall(t *testing.T) {
	s, _, hits := setup(t, noKeys{})
	_, err := s.Recognize(context.Background(), kyc.RecognizeRequest{IDImage: photoB64(t)})
	var ke *kyc.Error
	if !errors.As(err, &ke) || ke.Kind != KindHistory || ke.Outcome != kyc.OutcomeFailed {
		t.Fatalf("%v", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests sent without a record", hits.Load())
	}
}

func TestInvalidValidationIsNeitherSentNorRecorded(t *testing.T) {
	s, store, hits := setup(t, nil)
	res, err := s.Validate(context.Background(), kyc.ValidationRequest{CustRefNo: "bad", NIK: "123"})
	if kyc.KindOf(err) != kyc.KindInvalidInput || res.Outcome != kyc.OutcomeFailed || hits.Load() != 0 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	if rows, _ := store.ByRef(context.Background(), "bad", false); len(rows) != 0 {
		t.Fatal("recorded")
	}
}

func TestFailuresAreRecordedWithTheirOutcome(t *testing.T) {
	s, store, _ := setup(t, nil)
	_, err := s.Liveness(context.Background(), kyc.LivenessRequest{CustRefNo: "sbx-504-x", SelfieImage: photoB64(t)})
	if kyc.OutcomeOf(err) != kyc.OutcomeUnknown {
		t.Fatal(err)
	}
	rows, _ := store.ByRef(context.Background(), "sbx-504-x", false)
	if len(rows) != 1 || rows[0].Outcome != history.OutcomeUnknown || rows[0].ErrorKind != string(kyc.KindGatewayTimeout) || rows[0].HTTPStatus != 504 {
		t.Fatalf("%+v", rows)
	}
}

func TestCancelledBeforeTheRecordIsCanceledNotHistory(t *testing.T) {
	s, _, hits := setup(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Liveness(ctx, kyc.LivenessRequest{SelfieImage: photoB64(t)})
	if kyc.KindOf(err) != kyc.KindCanceled || kyc.OutcomeOf(err) != kyc.OutcomeFailed || hits.Load() != 0 {
		t.Fatal(err)
	}
}
