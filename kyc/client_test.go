package kyc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "tok-SECRET-4242"

// The documented samples (spec), verbatim where the spec gives them.
const (
	sampleLiveness  = `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","result":"True","trx_id":"202303291030019483","ref_id":"1234567890","timestamp":1680060646134}}}`
	sampleRecognize = `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","result":"True","data":{
		"nik":"3671121401010004","nama":"Yu Andi Chen","tempat_lahir":"Fujian","tanggal_lahir":"25-03-1977",
		"jenis_kelamin":"LAKI-LAKI","gol_darah":"-","alamat":"JL. S*L*M*T, P*R*M*H*N R*NC*B*L* N*. 41",
		"rt/rw":"001/009","kelurahan/desa":"KARANG TENGAH","kecamatan":"KARANG TENGAH","agama":"KRISTEN",
		"status_perkawinan":"BELUM KAWIN","pekerjaan":"PELAJAR / MAHASISWA","kewarganegaraan":"WNI",
		"provinsi":"BANTEN","kota":"KOTA TANGERANG"},"trx_id":"202303291031019484","ref_id":"1234567890","timestamp":1680060716281}}}`
	sampleValidationBare = `{
  "statusCode": "SUCCESSFUL",
  "content": {
    "result": {
      "status": success,
      "data": {
        "nik": true,
        "full_name": true,
        "birth_date": true,
        "birth_place": true,
        "address": true,
        "selfie_photo": 10
      },
      "trx_id": "202303291031019484",
      "ref_id": "1234567890",
      "timestamp": 1680060716281
    }
  }
}`
	sampleQuota        = `{"statusCode":"ERROR","responseStatusDetails":[{"description":"Quota Exceeded","type":"Exception"}]}`
	sampleNotActivated = `{"statusCode":"ERROR","responseStatusDetails":[{"description":"Product is not activated. Please Check Available Products in Manage Product Menu","type":"Exception"}]}`
	sampleNotApproved  = `{"statusCode":"ERROR","responseStatusDetails":[{"description":"Product is not activated yet by Admin","type":"Exception"}]}`
	validNIK           = "3203012503770011"
)

// gateway is a scripted test server that counts requests and records the last one.
type gateway struct {
	t       *testing.T
	srv     *httptest.Server
	count   atomic.Int32
	mu      sync.Mutex
	last    *http.Request
	lastRaw []byte
	handle  func(w http.ResponseWriter, r *http.Request, n int)
}

func newGateway(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *gateway {
	g := &gateway{t: t, handle: handle}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(g.count.Add(1))
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.last, g.lastRaw = r, body
		g.mu.Unlock()
		g.handle(w, r, n)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func reply(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// fastClient has instant backoff and records the waits it was asked to make.
func fastClient(t *testing.T, base string, waits *[]time.Duration, opts ...Option) *Client {
	t.Helper()
	var mu sync.Mutex
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		if waits != nil {
			*waits = append(*waits, d)
		}
		mu.Unlock()
		return ctx.Err()
	}
	all := append([]Option{WithTokenSource(StaticToken(testToken)), withClock(time.Now, sleep)}, opts...)
	c, err := NewClient(base, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var img = "aGVsbG8=" // any base64: the client does not look inside

func TestStatusAndBodyToOutcome(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		outcome  Outcome
		kind     ErrorKind
		requests int
	}{
		{"success", 200, sampleLiveness, OutcomeSuccess, "", 1},
		{"quota", 200, sampleQuota, OutcomeRejected, KindQuotaExceeded, 1},
		{"not activated", 200, sampleNotActivated, OutcomeRejected, KindProductNotActivated, 1},
		{"not approved", 200, sampleNotApproved, OutcomeRejected, KindProductNotApproved, 1},
		{"other error envelope", 200, `{"statusCode":"ERROR","responseStatusDetails":[{"description":"Image unreadable","type":"Exception"}]}`, OutcomeRejected, KindGatewayError, 1},
		{"error without details", 200, `{"statusCode":"ERROR"}`, OutcomeRejected, KindGatewayError, 1},
		{"reformatted quota", 200, `{"statusCode":"error","responseStatusDetails":[{"description":"  QUOTA   exceeded ","type":"Exception"}]}`, OutcomeRejected, KindQuotaExceeded, 1},
		{"401", 401, `{"message":"unauthorized"}`, OutcomeRejected, KindUnauthorized, 1},
		{"403", 403, ``, OutcomeRejected, KindUnauthorized, 1},
		{"404", 404, `not found`, OutcomeRejected, KindNotFound, 1},
		{"400", 400, ``, OutcomeRejected, KindInvalidInput, 1},
		{"413", 413, ``, OutcomeRejected, KindInvalidInput, 1},
		{"418", 418, ``, OutcomeRejected, KindGatewayError, 1},
		{"429 not retried", 429, ``, OutcomeFailed, KindUnavailable, 1},
		{"500 not retried", 500, `oops`, OutcomeUnknown, KindServerError, 1},
		{"502 not retried", 502, ``, OutcomeUnknown, KindServerError, 1},
		{"504 not retried", 504, ``, OutcomeUnknown, KindGatewayTimeout, 1},
		{"503 retried to the limit", 503, ``, OutcomeFailed, KindUnavailable, MaxAttempts},
		{"302 not followed", 302, ``, OutcomeFailed, KindNotFound, 1},
		{"204", 204, ``, OutcomeUnknown, KindMalformedResponse, 1},
		{"html", 200, `<html><body>Maintenance</body></html>`, OutcomeUnknown, KindMalformedResponse, 1},
		{"no statusCode", 200, `{"content":{"result":{"result":"True"}}}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"odd statusCode", 200, `{"statusCode":"PENDING"}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"truncated", 200, sampleLiveness[:60], OutcomeUnknown, KindMalformedResponse, 1},
		{"trailing garbage", 200, sampleLiveness + `{"x":1}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"success without result", 200, `{"statusCode":"SUCCESSFUL"}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"success result not object", 200, `{"statusCode":"SUCCESSFUL","content":{"result":"True"}}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"liveness without verdict", 200, `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success"}}}`, OutcomeUnknown, KindMalformedResponse, 1},
		{"empty body", 200, ``, OutcomeUnknown, KindMalformedResponse, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := reply(tc.status, tc.body)
			if tc.status == 302 {
				h = func(w http.ResponseWriter, r *http.Request, _ int) {
					http.Redirect(w, r, "https://elsewhere.example/api/passive-liveness", http.StatusFound)
				}
			}
			g := newGateway(t, h)
			var waits []time.Duration
			c := fastClient(t, g.srv.URL, &waits)
			res, err := c.Liveness(context.Background(), LivenessRequest{CustRefNo: "ref-1", SelfieImage: img})
			if res == nil {
				t.Fatal("nil result")
			}
			if got := OutcomeOf(err); got != tc.outcome {
				t.Errorf("outcome %q, want %q (err %v)", got, tc.outcome, err)
			}
			if res.Outcome != tc.outcome {
				t.Errorf("meta outcome %q, want %q", res.Outcome, tc.outcome)
			}
			if got := KindOf(err); got != tc.kind {
				t.Errorf("kind %q, want %q (err %v)", got, tc.kind, err)
			}
			if n := int(g.count.Load()); n != tc.requests || res.Attempts != tc.requests {
				t.Errorf("requests %d, attempts %d, want %d", n, res.Attempts, tc.requests)
			}
			if res.HTTPStatus != tc.status {
				t.Errorf("status %d, want %d", res.HTTPStatus, tc.status)
			}
			if res.CustRefNo != "ref-1" || res.Product != ProductLiveness {
				t.Errorf("meta %+v", res.Meta)
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Attempts != tc.requests {
					t.Errorf("error attempts: %#v", err)
				}
				if strings.Contains(err.Error(), testToken) {
					t.Error("token in error text")
				}
			}
		})
	}
}

func TestLivenessVerdicts(t *testing.T) {
	for raw, want := range map[string]bool{
		`"True"`: true, `"true"`: true, `true`: true, `"TRUE"`: true,
		`"False"`: false, `false`: false, `"yes"`: false, `1`: false, `""`: false,
	} {
		body := `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","result":` + raw + `,"trx_id":123456789012345678,"ref_id":"r","timestamp":"1680060646134"}}}`
		g := newGateway(t, reply(200, body))
		res, err := fastClient(t, g.srv.URL, nil).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if res.Live != want {
			t.Errorf("result %s: live %v, want %v", raw, res.Live, want)
		}
		if res.TrxID != "123456789012345678" || res.Timestamp != 1680060646134 {
			t.Errorf("%s: meta %+v", raw, res.Meta)
		}
	}
}

func TestRecognizeKeepsEveryField(t *testing.T) {
	body := strings.Replace(sampleRecognize, `"kota":"KOTA TANGERANG"`, `"kota":"KOTA TANGERANG","nomor_kk":"99","berlaku":null,"angka":12`, 1)
	g := newGateway(t, reply(200, body))
	res, err := fastClient(t, g.srv.URL, nil).Recognize(context.Background(), RecognizeRequest{CustRefNo: "r9", IDImage: img})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range IdentityKeys {
		if _, ok := res.Identity[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if res.Identity["rt/rw"] != "001/009" || res.Identity["kelurahan/desa"] != "KARANG TENGAH" || res.Identity["nik"] != "3671121401010004" {
		t.Errorf("identity %v", res.Identity)
	}
	if res.Identity["nomor_kk"] != "99" || res.Identity["angka"] != "12" {
		t.Error("unknown fields dropped")
	}
	if _, ok := res.Identity["berlaku"]; ok {
		t.Error("null kept")
	}
	if !res.Recognized || res.TrxID != "202303291031019484" || res.RefID != "1234567890" || res.Timestamp != 1680060716281 {
		t.Errorf("meta %+v", res.Meta)
	}
	var sent map[string]any
	if err := json.Unmarshal(g.lastRaw, &sent); err != nil {
		t.Fatal(err)
	}
	if sent["cust_ref_no"] != "r9" || sent["id_image"] != img || len(sent) != 2 {
		t.Errorf("request body %v", sent)
	}
}

func TestRecognizeWithoutData(t *testing.T) {
	g := newGateway(t, reply(200, `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","result":"True"}}}`))
	_, err := fastClient(t, g.srv.URL, nil).Recognize(context.Background(), RecognizeRequest{IDImage: img})
	if KindOf(err) != KindMalformedResponse || OutcomeOf(err) != OutcomeUnknown {
		t.Fatal(err)
	}
}

func TestValidationBareSuccessAccepted(t *testing.T) {
	g := newGateway(t, reply(200, sampleValidationBare))
	res, err := fastClient(t, g.srv.URL, nil).Validate(context.Background(), ValidationRequest{NIK: validNIK})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Match
	if m.NIK == nil || !*m.NIK || !*m.FullName || !*m.BirthDate || !*m.BirthPlace || !*m.Address || m.SelfiePhoto == nil || *m.SelfiePhoto != 10 {
		t.Errorf("match %+v", m)
	}
	if res.Status != "success" {
		t.Errorf("status %q", res.Status)
	}
	if m.Passed(75) || !m.Passed(10) {
		t.Error("threshold")
	}
}

func TestValidationOtherInvalidJSONIsMalformed(t *testing.T) {
	for _, body := range []string{
		strings.Replace(sampleValidationBare, "success,", "failure,", 1),
		strings.Replace(sampleValidationBare, `"nik": true`, `"nik": yes`, 1),
		strings.Replace(sampleValidationBare, `"selfie_photo": 10`, `"selfie_photo": "ten"`, 1),
		`{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","data":{"full_name":true}}}}`,
	} {
		g := newGateway(t, reply(200, body))
		_, err := fastClient(t, g.srv.URL, nil).Validate(context.Background(), ValidationRequest{NIK: validNIK})
		if KindOf(err) != KindMalformedResponse || OutcomeOf(err) != OutcomeUnknown {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestValidationMatchForms(t *testing.T) {
	body := `{"statusCode":"SUCCESSFUL","content":{"result":{"status":"success","data":{"nik":"True","full_name":"false","birth_date":"maybe","selfie_photo":"87.5"},"trx_id":"1"}}}`
	g := newGateway(t, reply(200, body))
	res, err := fastClient(t, g.srv.URL, nil).Validate(context.Background(), ValidationRequest{NIK: validNIK, Name: "X"})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Match
	if !*m.NIK || *m.FullName || *m.BirthDate || m.BirthPlace != nil || m.Address != nil || *m.SelfiePhoto != 87.5 {
		t.Errorf("%+v", m)
	}
	if m.Passed(75) {
		t.Error("a mismatch passed")
	}
	if (Match{}).Passed(0) {
		t.Error("empty match passed")
	}
}

func TestValidationBodyOmitsEmptyOptionalFieldsAndSendsNIKAsString(t *testing.T) {
	g := newGateway(t, reply(200, sampleValidationBare))
	c := fastClient(t, g.srv.URL, nil)
	_, err := c.Validate(context.Background(), ValidationRequest{CustRefNo: "v1", NIK: " " + validNIK + " ", Name: "Guo Hui", BirthDate: "25-03-1977", Address: "  "})
	if err != nil {
		t.Fatal(err)
	}
	raw := string(g.lastRaw)
	if !strings.Contains(raw, `"nik":"`+validNIK+`"`) {
		t.Errorf("NIK not a JSON string: %s", raw)
	}
	var sent map[string]any
	_ = json.Unmarshal(g.lastRaw, &sent)
	for _, k := range []string{"birth_place", "address", "selfie_image"} {
		if _, ok := sent[k]; ok {
			t.Errorf("%s sent although empty", k)
		}
	}
	if sent["name"] != "Guo Hui" || sent["birth_date"] != "25-03-1977" || sent["cust_ref_no"] != "v1" {
		t.Errorf("%v", sent)
	}
}

func TestValidationRefusesBadInputWithoutSending(t *testing.T) {
	g := newGateway(t, reply(200, sampleValidationBare))
	c := fastClient(t, g.srv.URL, nil)
	for _, req := range []ValidationRequest{
		{NIK: ""},
		{NIK: "123"},
		{NIK: "3203013202770011"}, // 32 February
		{NIK: "9903012503770011"}, // no province 99
		{NIK: "3203012503770000"}, // serial 0000
		{NIK: validNIK, BirthDate: "31-02-1977"},
		{NIK: validNIK, BirthDate: "1977-03-25"},
	} {
		res, err := c.Validate(context.Background(), req)
		if KindOf(err) != KindInvalidInput || res.Outcome != OutcomeFailed || res.Attempts != 0 {
			t.Errorf("%+v: %v %+v", req, err, res.Meta)
		}
		if res.CustRefNo == "" {
			t.Error("no reference reported")
		}
	}
	if g.count.Load() != 0 {
		t.Fatalf("%d requests sent", g.count.Load())
	}
}

func TestMissingImagesAndTokenSendNothing(t *testing.T) {
	g := newGateway(t, reply(200, sampleLiveness))
	c := fastClient(t, g.srv.URL, nil)
	if _, err := c.Liveness(context.Background(), LivenessRequest{}); KindOf(err) != KindInvalidInput {
		t.Error(err)
	}
	if _, err := c.Recognize(context.Background(), RecognizeRequest{}); KindOf(err) != KindInvalidInput {
		t.Error(err)
	}
	for name, ts := range map[string]TokenSource{
		"nil":     nil,
		"empty":   StaticToken("  "),
		"space":   StaticToken("a b"),
		"control": StaticToken("abc\x01"),
		"error":   func(context.Context) (string, error) { return "", errors.New("keyring is locked") },
	} {
		c, _ := NewClient(g.srv.URL, WithTokenSource(ts))
		res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
		if KindOf(err) != KindUnauthorized || OutcomeOf(err) != OutcomeFailed || res.Outcome != OutcomeFailed {
			t.Errorf("%s: %v", name, err)
		}
	}
	if g.count.Load() != 0 {
		t.Fatalf("%d requests sent", g.count.Load())
	}
}

func TestHeadersAndPathPrefix(t *testing.T) {
	g := newGateway(t, reply(200, sampleLiveness))
	c := fastClient(t, g.srv.URL+"/gw/v1/", nil)
	if c.Unencrypted() {
		t.Error("loopback http reported as unencrypted")
	}
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unencrypted {
		t.Error("meta.Unencrypted on loopback")
	}
	r := g.last
	if r.URL.Path != "/gw/v1/api/passive-liveness" || r.Method != http.MethodPost {
		t.Errorf("%s %s", r.Method, r.URL.Path)
	}
	if r.Header.Get("token") != testToken || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", r.Header)
	}
	if ua := r.Header.Get("User-Agent"); ua != "KYCDesk/"+Version {
		t.Errorf("user agent %q", ua)
	}
	if r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != "" {
		t.Error("an idempotency key lets net/http replay a POST")
	}
	if len(res.CustRefNo) != 20 {
		t.Errorf("generated reference %q", res.CustRefNo)
	}
	for _, p := range []struct {
		f    func() error
		path string
	}{
		{func() error { _, err := c.Recognize(context.Background(), RecognizeRequest{IDImage: img}); return err }, "/gw/v1/api/id-recognize"},
		{func() error { _, err := c.Validate(context.Background(), ValidationRequest{NIK: validNIK}); return err }, "/gw/v1/api/id-validation"},
	} {
		_ = p.f()
		if g.last.URL.Path != p.path {
			t.Errorf("path %s, want %s", g.last.URL.Path, p.path)
		}
	}
}

func TestResponseHeaderTimeoutFollowsALongerCallTimeout(t *testing.T) {
	c, _ := NewClient("https://x", WithTimeout(120*time.Second))
	if c.respTimeout != 120*time.Second {
		t.Fatal(c.respTimeout)
	}
	c, _ = NewClient("https://x", WithTimeout(10*time.Second))
	if c.respTimeout != DefaultResponseTimeout {
		t.Fatal(c.respTimeout)
	}
	c, _ = NewClient("https://x", WithTimeout(120*time.Second), WithPhaseTimeouts(0, 0, 5*time.Second))
	if c.respTimeout != 5*time.Second {
		t.Fatal(c.respTimeout)
	}
}

func TestServerURLs(t *testing.T) {
	for _, bad := range []string{"", "ftp://x", "host:8080", "https://", "https://u:p@host", "https://h/?a=1", "://"} {
		if _, err := NewClient(bad); KindOf(err) != KindInvalidInput {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for raw, want := range map[string]bool{"http://10.1.2.3:8080": true, "http://gw.lan": true, "http://localhost:1": false, "http://[::1]:80": false, "https://10.1.2.3": false} {
		if c, _ := NewClient(raw); c.Unencrypted() != want {
			t.Errorf("%s: unencrypted %v", raw, !want)
		}
	}
	c, err := NewClient(" https://kyc.example.co.id/gw// ", WithUserAgent("x/1"), WithTimeout(time.Second), WithPhaseTimeouts(time.Second, time.Second, time.Second))
	if err != nil || c.BaseURL() != "https://kyc.example.co.id/gw" || c.Unencrypted() {
		t.Fatal(c.BaseURL(), err)
	}
}

func TestRetry503HonoursRetryAfter(t *testing.T) {
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n < 3 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(503)
			return
		}
		reply(200, sampleLiveness)(w, r, n)
	})
	var waits []time.Duration
	res, err := fastClient(t, g.srv.URL, &waits).Liveness(context.Background(), LivenessRequest{CustRefNo: "same", SelfieImage: img})
	if err != nil || !res.Live {
		t.Fatal(err)
	}
	if res.Attempts != 3 || g.count.Load() != 3 {
		t.Errorf("attempts %d", res.Attempts)
	}
	if len(waits) != 2 || waits[0] != 2*time.Second || waits[1] != 2*time.Second {
		t.Errorf("waits %v", waits)
	}
}

func TestRetryAfterBeyondBudgetGivesUp(t *testing.T) {
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(503)
	})
	var waits []time.Duration
	res, err := fastClient(t, g.srv.URL, &waits).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindUnavailable || res.Outcome != OutcomeFailed || g.count.Load() != 1 || len(waits) != 0 {
		t.Fatalf("%v %d %v", err, g.count.Load(), waits)
	}
	if !strings.Contains(err.Error(), "retry budget") {
		t.Error(err)
	}
}

func TestRetryStopsBeforeTheCallTimeout(t *testing.T) {
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(503)
	})
	res, err := fastClient(t, g.srv.URL, nil, WithTimeout(2*time.Second)).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindUnavailable || res.Outcome != OutcomeFailed || g.count.Load() != 1 || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("%v %d", err, g.count.Load())
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	if d := parseRetryAfter(now.Add(5*time.Second).Format(http.TimeFormat), now); d != 5*time.Second {
		t.Error(d)
	}
	for _, v := range []string{"", "-3", "soon", now.Add(-time.Hour).Format(http.TimeFormat)} {
		if d := parseRetryAfter(v, now); d != 0 {
			t.Errorf("%q: %v", v, d)
		}
	}
}

func TestBackoffIsBoundedAndJittered(t *testing.T) {
	c, _ := NewClient("https://x")
	for n := 1; n <= 10; n++ {
		d := c.backoff(n)
		if d < 0 || d > c.backoffCap {
			t.Errorf("attempt %d: %v", n, d)
		}
	}
	seen := map[time.Duration]bool{}
	for i := 0; i < 20; i++ {
		seen[c.backoff(3)] = true
	}
	if len(seen) < 2 {
		t.Error("no jitter")
	}
}

// refusedAddr returns an address where nothing listens.
func refusedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestConnectionRefusedRetriedThenFailed(t *testing.T) {
	var waits []time.Duration
	c := fastClient(t, "http://"+refusedAddr(t), &waits)
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != MaxAttempts || len(waits) != MaxAttempts-1 {
		t.Fatalf("%v %+v %v", err, res.Meta, waits)
	}
}

func TestDNSFailureRetried(t *testing.T) {
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "gw.invalid", IsNotFound: true}}
	}}}
	c := fastClient(t, "https://gw.invalid", nil, WithHTTPClient(hc), WithRetryPolicy(3, time.Minute, time.Millisecond, time.Millisecond))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || dials.Load() != 3 {
		t.Fatalf("%v dials=%d", err, dials.Load())
	}
	if !strings.Contains(err.Error(), "host name") {
		t.Error(err)
	}
}

func TestTLSCertificateErrorNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	c := fastClient(t, srv.URL, nil)
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeFailed || res.Attempts != 1 || n.Load() != 0 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Error(err)
	}
	// With the test server's own roots it works: TLS is not weakened, only configurable.
	c2 := fastClient(t, srv.URL, nil, WithHTTPClient(srv.Client()))
	if _, err := c2.Liveness(context.Background(), LivenessRequest{SelfieImage: img}); KindOf(err) != KindMalformedResponse {
		t.Fatal(err)
	}
}

func TestTimeoutAfterSendingIsUnknownAndNotRetried(t *testing.T) {
	release := make(chan struct{})
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := fastClient(t, g.srv.URL, nil, WithTimeout(150*time.Millisecond))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindTimeout || res.Outcome != OutcomeUnknown || g.count.Load() != 1 {
		t.Fatalf("%v %+v count=%d", err, res.Meta, g.count.Load())
	}
}

func TestResponseHeaderTimeoutIsUnknown(t *testing.T) {
	release := make(chan struct{})
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := fastClient(t, g.srv.URL, nil, WithPhaseTimeouts(0, 0, 100*time.Millisecond))
	res, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindTimeout || res.Outcome != OutcomeUnknown || g.count.Load() != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

func TestCancelAfterSendingIsUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		cancel()
		<-r.Context().Done()
	})
	res, err := fastClient(t, g.srv.URL, nil).Liveness(ctx, LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindCanceled || res.Outcome != OutcomeUnknown || g.count.Load() != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

func TestCancelDuringBackoffIsFailed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(503) })
	sleep := func(ctx context.Context, d time.Duration) error { cancel(); return context.Canceled }
	c, _ := NewClient(g.srv.URL, WithTokenSource(StaticToken(testToken)), withClock(time.Now, sleep))
	res, err := c.Liveness(ctx, LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindCanceled || res.Outcome != OutcomeFailed || g.count.Load() != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

func TestCanceledBeforeSendingIsFailed(t *testing.T) {
	g := newGateway(t, reply(200, sampleLiveness))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := fastClient(t, g.srv.URL, nil).Liveness(ctx, LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindCanceled || res.Outcome != OutcomeFailed || g.count.Load() != 0 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
}

// hijack closes the connection after reading the request: sent, never answered.
func TestDroppedConnectionIsUnknownAndNotRetried(t *testing.T) {
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	res, err := fastClient(t, g.srv.URL, nil).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindConnection || res.Outcome != OutcomeUnknown || g.count.Load() != 1 {
		t.Fatalf("%v %+v count=%d", err, res.Meta, g.count.Load())
	}
}

func TestConnectionLostMidBodyIsUnknown(t *testing.T) {
	g := newGateway(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Length", "5000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, sampleLiveness[:50])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	res, err := fastClient(t, g.srv.URL, nil).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if res.Outcome != OutcomeUnknown || g.count.Load() != 1 {
		t.Fatalf("%v %+v", err, res.Meta)
	}
	if k := KindOf(err); k != KindConnection && k != KindMalformedResponse {
		t.Fatal(err)
	}
}

func TestOversizedAnswerIsMalformed(t *testing.T) {
	big := `{"statusCode":"SUCCESSFUL","content":{"result":{"result":"True","pad":"` + strings.Repeat("x", MaxResponseBytes) + `"}}}`
	g := newGateway(t, reply(200, big))
	res, err := fastClient(t, g.srv.URL, nil).Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if KindOf(err) != KindMalformedResponse || res.Outcome != OutcomeUnknown {
		t.Fatal(err)
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	// A transport whose error text echoes the token must still not leak it.
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("proxy said: bad header token=" + r.Header.Get("token"))
	})}
	c := fastClient(t, "https://gw.example", nil, WithHTTPClient(hc))
	_, err := c.Liveness(context.Background(), LivenessRequest{SelfieImage: img})
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Fatalf("%v", err)
	}
	if !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("not scrubbed visibly: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestErrorsIsAndOutcome(t *testing.T) {
	e := &Error{Kind: KindQuotaExceeded, Outcome: OutcomeRejected, Message: "Quota Exceeded"}
	var wrapped error = errors.Join(errors.New("x"), e)
	if !errors.Is(wrapped, ErrQuotaExceeded) || errors.Is(wrapped, ErrUnauthorized) {
		t.Error("errors.Is")
	}
	if OutcomeOf(nil) != OutcomeSuccess || OutcomeOf(errors.New("x")) != OutcomeUnknown || KindOf(nil) != "" {
		t.Error("OutcomeOf/KindOf")
	}
	if !OutcomeUnknown.Billable() || OutcomeRejected.Billable() || OutcomeFailed.Billable() || !OutcomeSuccess.Billable() {
		t.Error("Billable")
	}
	if ProductLiveness.Valid() != true || Product("x").Valid() {
		t.Error("Valid")
	}
}

func TestNewRefNoUniqueAndSorted(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	for i := 0; i < 5000; i++ {
		r := NewRefNo()
		if len(r) != 20 || strings.Trim(r, "0123456789") != "" {
			t.Fatalf("bad ref %q", r)
		}
		if seen[r] || r <= prev {
			t.Fatalf("ref %q after %q", r, prev)
		}
		seen[r], prev = true, r
	}
}

func TestIsUnencrypted(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://192.168.1.20:8080": true, "http://gw.lan": true, "https://gw.example": false,
		"http://127.0.0.1:8787": false, "http://localhost:1": false, "http://[::1]:9": false, "not a url": false,
	} {
		if got := IsUnencrypted(raw); got != want {
			t.Errorf("IsUnencrypted(%q) = %v", raw, got)
		}
	}
}
