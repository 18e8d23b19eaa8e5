package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fixedClock is an injectable clock tests can move.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

// 10:30:01.134 WIB on 29 March 2023, the day of the documentation's samples.
var sampleTime = time.Date(2023, 3, 29, 10, 30, 1, 134e6, jakarta)

func newTestServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Now == nil {
		clk := &fixedClock{sampleTime}
		cfg.Now = clk.now
	}
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// post sends body (marshalled unless it is already []byte) with the token.
func post(t *testing.T, baseURL string, p Product, token string, body any) reply {
	t.Helper()
	b, ok := body.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, baseURL+p.Path(), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", p, err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, rb}
}

// envelope decodes a 200 body generically, so tests see the JSON types the
// gateway sent (string "True" vs boolean true).
func envelope(t *testing.T, r reply) map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not JSON: %v: %.200s", err, r.body)
	}
	return m
}

// result returns content.result of a SUCCESSFUL envelope.
func result(t *testing.T, r reply) map[string]any {
	t.Helper()
	m := envelope(t, r)
	if m["statusCode"] != "SUCCESSFUL" {
		t.Fatalf("statusCode %v, body %s", m["statusCode"], r.body)
	}
	return m["content"].(map[string]any)["result"].(map[string]any)
}

// errorDesc returns the description of an ERROR envelope.
func errorDesc(t *testing.T, r reply) string {
	t.Helper()
	m := envelope(t, r)
	if m["statusCode"] != "ERROR" {
		t.Fatalf("statusCode %v, want ERROR; body %.300s", m["statusCode"], r.body)
	}
	d := m["responseStatusDetails"].([]any)[0].(map[string]any)
	if d["type"] != "Exception" {
		t.Errorf("type %v, want Exception", d["type"])
	}
	return d["description"].(string)
}

// photo is a plausible test image: a smooth gradient with a seed-dependent
// pattern, so different seeds give different bytes.
func photo(w, h, seed int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x*y + seed*37) % 256), 255})
		}
	}
	return img
}

func flat(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	return img
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// goodPhoto is a base64 plausible JPEG.
func goodPhoto(t testing.TB, seed int) string { return b64(encJPEG(t, photo(240, 320, seed))) }
