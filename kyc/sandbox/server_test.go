package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRoutesAndMethods(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/", 404},
		{"POST", "/api/", 404},
		{"POST", "/api/passive-liveness/", 404},
		{"POST", "/api/passport-recognize", 404},
		{"POST", "/API/ID-RECOGNIZE", 404},
		{"GET", "/api/passive-liveness", 405},
		{"PUT", "/api/id-recognize", 405},
		{"GET", "/api/id-validation", 405},
		{"GET", "/nothing", 404},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader("{}"))
		req.Header.Set("token", DefaultToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
		if !json.Valid(body) {
			t.Errorf("%s %s: body not JSON: %s", tc.method, tc.path, body)
		}
		if tc.want == 405 && resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s %s: Allow %q", tc.method, tc.path, resp.Header.Get("Allow"))
		}
	}
}

func TestUnauthorized(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	body := map[string]string{"cust_ref_no": "1", "selfie_image": goodPhoto(t, 1)}
	for _, token := range []string{"", "wrong-token", strings.ToUpper(DefaultToken), "sandbox"} {
		r := post(t, ts.URL, Liveness, token, body)
		if r.status != http.StatusUnauthorized {
			t.Errorf("token %q: status %d, want 401", token, r.status)
		}
		if !json.Valid(r.body) || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("token %q: 401 body %q is not small JSON", token, r.body)
		}
		if token != "" && bytes.Contains(r.body, []byte(token)) {
			t.Errorf("401 body echoes the token")
		}
	}
}

func TestRequestTooLarge(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	big := append([]byte(`{"cust_ref_no":"1","selfie_image":"`), bytes.Repeat([]byte("A"), MaxRequestBytes)...)
	big = append(big, `"}`...)

	// With a Content-Length: refused before reading.
	if r := post(t, ts.URL, Liveness, DefaultToken, big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("sized body: status %d, want 413", r.status)
	}
	// Chunked, no Content-Length: refused while reading.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+Liveness.Path(), io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("token", DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body: status %d, want 413", resp.StatusCode)
	}
	// Just under the limit is fine (and an implausible image).
	under := append([]byte(`{"cust_ref_no":"1","selfie_image":"`), bytes.Repeat([]byte("A"), MaxRequestBytes-64)...)
	under = append(under, `"}`...)
	if got := result(t, post(t, ts.URL, Liveness, DefaultToken, under))["result"]; got != "False" {
		t.Errorf("just under the limit: result %v, want False", got)
	}
}

func TestContentType(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	body, _ := json.Marshal(map[string]string{"cust_ref_no": "1", "selfie_image": goodPhoto(t, 1)})
	for ct, ok := range map[string]bool{
		"application/json":                  true,
		"application/json; charset=utf-8":   true,
		"Application/JSON":                  true,
		"":                                  false,
		"text/plain":                        false,
		"application/x-www-form-urlencoded": false,
	} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+Liveness.Path(), bytes.NewReader(body))
		req.Header.Set("token", DefaultToken)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r := reply{resp.StatusCode, resp.Header, rb}
		if ok {
			result(t, r)
		} else if d := errorDesc(t, r); d != DescBadContentType {
			t.Errorf("Content-Type %q: %q", ct, d)
		}
	}
}

func TestBadRequests(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	img := goodPhoto(t, 1)
	for _, tc := range []struct {
		name string
		p    Product
		body any
		want string
	}{
		{"not JSON", Liveness, []byte("cust_ref_no=1"), DescBadJSON},
		{"JSON array", Liveness, []byte(`[{"cust_ref_no":"1"}]`), DescBadJSON},
		{"broken JSON", Liveness, []byte(`{"cust_ref_no":"1",`), DescBadJSON},
		{"wrong type", Liveness, []byte(`{"cust_ref_no":"1","selfie_image":5}`), DescBadJSON},
		{"cust_ref_no object", Liveness, []byte(`{"cust_ref_no":{}}`), DescBadJSON},
		{"empty body", Liveness, []byte(``), DescBadJSON},
		{"no cust_ref_no", Liveness, map[string]string{"selfie_image": img}, DescNoCustRef},
		{"blank cust_ref_no", Recognize, map[string]string{"cust_ref_no": "  ", "id_image": img}, DescNoCustRef},
		{"legacy transactionRefNo only", Liveness, map[string]string{"transactionRefNo": "1", "selfie_image": img}, DescNoCustRef},
		{"no selfie", Liveness, map[string]string{"cust_ref_no": "1"}, "selfie_image is required"},
		{"selfie bad base64", Liveness, map[string]string{"cust_ref_no": "1", "selfie_image": "@@not base64@@"}, "selfie_image is not valid base64"},
		{"no id image", Recognize, map[string]string{"cust_ref_no": "1"}, "id_image is required"},
		{"id image bad base64", Recognize, map[string]string{"cust_ref_no": "1", "id_image": "%%%"}, "id_image is not valid base64"},
		{"no nik", Validation, map[string]string{"cust_ref_no": "1"}, DescNoNIK},
		{"short nik", Validation, map[string]string{"cust_ref_no": "1", "nik": "317401170885"}, DescBadNIK},
		{"nik with letters", Validation, map[string]string{"cust_ref_no": "1", "nik": "31740117088500AB"}, DescBadNIK},
		{"validation selfie bad base64", Validation, map[string]string{"cust_ref_no": "1", "nik": specimens[0].NIK, "selfie_image": "!!"}, "selfie_image is not valid base64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorDesc(t, post(t, ts.URL, tc.p, DefaultToken, tc.body)); got != tc.want {
				t.Errorf("description %q, want %q", got, tc.want)
			}
		})
	}
}

var (
	trxIDPattern = regexp.MustCompile(`^\d{18}$`)
	refIDPattern = regexp.MustCompile(`^\d{10}$`)
)

func checkStamp(t *testing.T, res map[string]any) {
	t.Helper()
	trx, _ := res["trx_id"].(string)
	if !trxIDPattern.MatchString(trx) || !strings.HasPrefix(trx, "20230329103001") {
		t.Errorf("trx_id %q: want 18 digits starting with the Jakarta time 20230329103001", trx)
	}
	if ref, _ := res["ref_id"].(string); !refIDPattern.MatchString(ref) {
		t.Errorf("ref_id %q: want 10 digits", ref)
	}
	if ts, _ := res["timestamp"].(float64); int64(ts) != sampleTime.UnixMilli() {
		t.Errorf("timestamp %v, want %d", res["timestamp"], sampleTime.UnixMilli())
	}
	if res["status"] != "success" {
		t.Errorf("status %v", res["status"])
	}
}

func TestLiveness(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, tc := range []struct {
		name  string
		image string
		want  string
	}{
		{"plausible JPEG", goodPhoto(t, 1), "True"},
		{"plausible PNG", b64(encPNG(t, photo(100, 100, 2))), "True"},
		{"unpadded base64 with line breaks", strings.TrimRight(wrap(goodPhoto(t, 3)), "=\n"), "True"},
		{"uniform", b64(encPNG(t, flat(300, 300))), "False"},
		{"too small", b64(encJPEG(t, photo(99, 300, 1))), "False"},
		{"GIF", b64(encGIF(t, photo(200, 200, 1))), "False"},
		{"not an image", b64([]byte("hello, this is not a picture")), "False"},
		{"corrupt JPEG", b64(encJPEG(t, photo(200, 200, 1))[:600]), "False"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := result(t, post(t, ts.URL, Liveness, DefaultToken,
				map[string]any{"cust_ref_no": "3322873", "selfie_image": tc.image, "extra": []int{1, 2}}))
			if res["result"] != tc.want {
				t.Errorf("result %#v, want the string %q", res["result"], tc.want)
			}
			checkStamp(t, res)
		})
	}
}

func wrap(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return b.String() + s
}

func TestRecognize(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	ocr := func(img string) map[string]any {
		res := result(t, post(t, ts.URL, Recognize, DefaultToken, map[string]string{"cust_ref_no": "r1", "id_image": img}))
		checkStamp(t, res)
		if res["result"] != "True" {
			t.Fatalf("result %v", res["result"])
		}
		return res["data"].(map[string]any)
	}
	first := ocr(goodPhoto(t, 7))
	if len(first) != len(OCRKeys) {
		t.Errorf("data has %d keys, want %d", len(first), len(OCRKeys))
	}
	for _, k := range OCRKeys {
		if v, ok := first[k].(string); !ok || v == "" {
			t.Errorf("key %q: %#v, want a non-empty string", k, first[k])
		}
	}
	p, ok := LookupNIK(first["nik"].(string))
	if !ok {
		t.Fatalf("OCR'd NIK %v is not a specimen", first["nik"])
	}
	for k, v := range p.Fields() {
		if first[k] != v {
			t.Errorf("%s: %v, registry %v", k, first[k], v)
		}
	}
	// Same image, same person; many images reach many people.
	again := ocr(goodPhoto(t, 7))
	if again["nik"] != first["nik"] {
		t.Errorf("same image gave %v then %v", first["nik"], again["nik"])
	}
	seen := map[any]bool{}
	for seed := 0; seed < 40; seed++ {
		seen[ocr(b64(encPNG(t, photo(120, 120, seed))))["nik"]] = true
	}
	if len(seen) < 10 {
		t.Errorf("40 images reached only %d specimens", len(seen))
	}
	// An implausible image reads as nothing.
	res := result(t, post(t, ts.URL, Recognize, DefaultToken, map[string]string{"cust_ref_no": "r2", "id_image": b64(encPNG(t, flat(800, 500)))}))
	if d, ok := res["data"].(map[string]any); res["result"] != "False" || !ok || len(d) != 0 {
		t.Errorf("blank card: result %v data %v, want False and an empty data object", res["result"], res["data"])
	}
}

func TestValidation(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	budi := specimens[0] // 3174011708850001
	agus := specimens[6] // FaceMismatch
	if !agus.FaceMismatch || budi.FaceMismatch {
		t.Fatal("registry order changed; update the test")
	}
	validate := func(body any) map[string]any {
		t.Helper()
		res := result(t, post(t, ts.URL, Validation, DefaultToken, body))
		checkStamp(t, res)
		return res["data"].(map[string]any)
	}
	wantData := func(t *testing.T, got, want map[string]any) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("data %v, want keys %v", got, want)
		}
		for k, w := range want {
			if w == "score80" {
				if s, ok := got[k].(float64); !ok || s < 80 || s > 99 || s != float64(int(s)) {
					t.Errorf("%s = %#v, want an integer 80-99", k, got[k])
				}
				continue
			}
			if got[k] != w {
				t.Errorf("%s = %#v, want %#v", k, got[k], w)
			}
		}
	}

	t.Run("all fields match, sloppy formatting", func(t *testing.T) {
		wantData(t, validate(map[string]string{
			"cust_ref_no": "5102873", "nik": budi.NIK, "name": "  budi contoh-santoso ",
			"birth_date": "17/8/1985", "birth_place": "Jakarta", "address": "Jalan Contoh Raya nomor 17",
			"selfie_image": goodPhoto(t, 1),
		}), map[string]any{"nik": true, "full_name": true, "birth_date": true, "birth_place": true, "address": true, "selfie_photo": "score80"})
	})
	t.Run("mismatches", func(t *testing.T) {
		wantData(t, validate(map[string]string{
			"cust_ref_no": "1", "nik": budi.NIK, "name": "Budi Santoso", "birth_date": "18-08-1985",
			"birth_place": "Bandung", "address": "Jl. Contoh Raya No. 71",
		}), map[string]any{"nik": true, "full_name": false, "birth_date": false, "birth_place": false, "address": false})
	})
	t.Run("nik only: other fields omitted", func(t *testing.T) {
		wantData(t, validate(map[string]string{"cust_ref_no": "1", "nik": budi.NIK, "name": " "}), map[string]any{"nik": true})
	})
	t.Run("nik as a JSON number", func(t *testing.T) {
		wantData(t, validate([]byte(`{"cust_ref_no":1,"nik":`+budi.NIK+`}`)), map[string]any{"nik": true})
	})
	t.Run("unknown NIK", func(t *testing.T) {
		wantData(t, validate(map[string]string{
			"cust_ref_no": "1", "nik": "3174011708850099", "name": budi.Name, "birth_date": budi.BirthDate,
			"birth_place": budi.BirthPlace, "address": budi.Address, "selfie_image": goodPhoto(t, 1),
		}), map[string]any{"nik": false, "full_name": false, "birth_date": false, "birth_place": false, "address": false, "selfie_photo": 0.0})
	})
	t.Run("face mismatch specimen", func(t *testing.T) {
		for seed := 0; seed < 10; seed++ {
			d := validate(map[string]string{"cust_ref_no": "1", "nik": agus.NIK, "selfie_image": goodPhoto(t, seed)})
			if s := d["selfie_photo"].(float64); s < 40 || s > 69 {
				t.Errorf("seed %d: score %v, want 40-69", seed, s)
			}
		}
	})
	t.Run("implausible selfie", func(t *testing.T) {
		d := validate(map[string]string{"cust_ref_no": "1", "nik": budi.NIK, "selfie_image": b64(encPNG(t, flat(400, 400)))})
		if s := d["selfie_photo"].(float64); s < 0 || s > 29 {
			t.Errorf("score %v, want 0-29", s)
		}
	})
	t.Run("score is deterministic", func(t *testing.T) {
		body := map[string]string{"cust_ref_no": "1", "nik": budi.NIK, "selfie_image": goodPhoto(t, 5)}
		if a, b := validate(body)["selfie_photo"], validate(body)["selfie_photo"]; a != b {
			t.Errorf("same selfie scored %v then %v", a, b)
		}
	})
	t.Run("every specimen validates against itself", func(t *testing.T) {
		for _, p := range specimens {
			d := validate(map[string]string{
				"cust_ref_no": "1", "nik": p.NIK, "name": p.Name, "birth_date": p.BirthDate,
				"birth_place": p.BirthPlace, "address": p.Address + ", RT/RW " + p.RTRW + " " + p.Village,
			})
			for _, k := range []string{"nik", "full_name", "birth_date", "birth_place", "address"} {
				if d[k] != true {
					t.Errorf("%s %s: %s = %v", p.NIK, p.Name, k, d[k])
				}
			}
		}
	})
}

func TestLatencyIsCancellable(t *testing.T) {
	s := New(Config{Latency: time.Hour})
	body, _ := json.Marshal(map[string]string{"cust_ref_no": "1", "selfie_image": goodPhoto(t, 1)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, Liveness.Path(), bytes.NewReader(body))
	req.Header.Set("token", DefaultToken)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	start := time.Now()
	s.ServeHTTP(rec, req)
	if time.Since(start) > 5*time.Second {
		t.Fatal("latency ignored the cancelled context")
	}
	if rec.Body.Len() != 0 || s.Usage(DefaultToken) != 0 {
		t.Errorf("a cancelled call was answered (%q) or billed (%d)", rec.Body.String(), s.Usage(DefaultToken))
	}
}

func TestLatencyApplied(t *testing.T) {
	_, ts := newTestServer(t, Config{Latency: 40 * time.Millisecond})
	start := time.Now()
	result(t, post(t, ts.URL, Liveness, DefaultToken, map[string]string{"cust_ref_no": "1", "selfie_image": goodPhoto(t, 1)}))
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered in %v, want at least Latency/2", d)
	}
	for i := 0; i < 200; i++ {
		s := New(Config{Latency: 100 * time.Millisecond})
		if j := s.jitter(); j < 50*time.Millisecond || j > 150*time.Millisecond {
			t.Fatalf("jitter %v outside [50ms, 150ms]", j)
		}
	}
	if j := New(Config{Latency: -time.Second}).jitter(); j != 0 {
		t.Errorf("negative latency gave %v", j)
	}
}
