package camera

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

func TestPreviewSize(t *testing.T) {
	for _, tt := range []struct{ w, h, mw, mh, ew, eh int }{
		{1920, 1080, 640, 480, 640, 360},
		{1080, 1920, 640, 480, 270, 480},
		{320, 240, 640, 480, 320, 240}, // never enlarged
		{640, 480, 640, 480, 640, 480},
		{0, 10, 640, 480, 0, 0},
	} {
		if w, h := PreviewSize(tt.w, tt.h, tt.mw, tt.mh); w != tt.ew || h != tt.eh {
			t.Errorf("PreviewSize(%d,%d,%d,%d) = %d×%d, want %d×%d", tt.w, tt.h, tt.mw, tt.mh, w, h, tt.ew, tt.eh)
		}
	}
}

// testFrame: left half red, right half blue, a white bar on the top quarter.
func testFrame(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 30, 30, 255}
			if x >= w/2 {
				c = color.RGBA{30, 30, 200, 255}
			}
			if y < h/4 {
				c = color.RGBA{255, 255, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// Every source type must give the same picture, mirrored when asked.
func TestToPreviewMatchesSource(t *testing.T) {
	src := testFrame(320, 240)
	yuyv, w, h := EncodeYUYV(src)
	y422, err := DecodeYUYV(nil, yuyv, w, h)
	if err != nil {
		t.Fatal(err)
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	y420, err := jpeg.Decode(&jb) // 4:2:0, as an MJPEG camera delivers
	if err != nil {
		t.Fatal(err)
	}
	nrgba := image.NewNRGBA(src.Rect)
	copy(nrgba.Pix, src.Pix)
	gray := image.NewGray(src.Rect) // generic path
	for i := range gray.Pix {
		gray.Pix[i] = 128
	}
	sources := map[string]image.Image{"rgba": src, "nrgba": nrgba, "yuyv422": y422, "jpeg420": y420}
	red, blue, white := color.RGBA{200, 30, 30, 255}, color.RGBA{30, 30, 200, 255}, color.RGBA{255, 255, 255, 255}
	for name, img := range sources {
		for _, mirror := range []bool{false, true} {
			p := ToPreview(nil, img, 160, 120, mirror)
			if p.Rect.Dx() != 160 || p.Rect.Dy() != 120 {
				t.Fatalf("%s: size %v", name, p.Rect)
			}
			left, right := red, blue
			if mirror {
				left, right = blue, red
			}
			for _, c := range []struct {
				x, y int
				want color.RGBA
			}{{20, 80, left}, {140, 80, right}, {80, 10, white}} {
				if got := p.RGBAAt(c.x, c.y); !near(got, c.want, 12) {
					t.Errorf("%s mirror=%t: pixel (%d,%d) = %v, want ≈ %v", name, mirror, c.x, c.y, got, c.want)
				}
			}
		}
	}
	if got := ToPreview(nil, gray, 16, 12, false).RGBAAt(5, 5); got != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("generic path: %v", got)
	}
}

func TestToPreviewReusesBufferAndHandlesSubImages(t *testing.T) {
	src := testFrame(320, 240)
	yuyv, w, h := EncodeYUYV(src)
	y422, _ := DecodeYUYV(nil, yuyv, w, h)
	dst := ToPreview(nil, y422, 80, 60, false)
	if again := ToPreview(dst, y422, 80, 60, false); again != dst {
		t.Error("a buffer of the right size was not reused")
	}
	// The right half of the frame is all blue (below the white bar).
	sub := y422.SubImage(image.Rect(161, 61, 319, 239)).(*image.YCbCr)
	p := ToPreview(nil, sub, 40, 40, false)
	for _, pt := range []image.Point{{0, 0}, {39, 39}, {20, 20}} {
		if got := p.RGBAAt(pt.X, pt.Y); !near(got, color.RGBA{30, 30, 200, 255}, 12) {
			t.Errorf("sub-image pixel %v = %v", pt, got)
		}
	}
	// Degenerate sizes must not panic.
	one := image.NewYCbCr(image.Rect(0, 0, 1, 1), image.YCbCrSubsampleRatio420)
	ToPreview(nil, one, 1, 1, true)
	ToPreview(nil, image.NewRGBA(image.Rect(0, 0, 1, 1)), 1, 1, false)
}

func TestYUYVRoundTripAndErrors(t *testing.T) {
	src := testFrame(64, 32)
	buf, w, h := EncodeYUYV(src)
	if len(buf) != 64*32*2 {
		t.Fatalf("encoded %d bytes", len(buf))
	}
	img, err := DecodeYUYV(nil, buf, w, h)
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := img.At(5, 20).RGBA()
	if got := (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}); !near(got, color.RGBA{200, 30, 30, 255}, 4) {
		t.Errorf("round trip: %v", got)
	}
	if again, _ := DecodeYUYV(img, buf, w, h); again != img {
		t.Error("dst not reused")
	}
	if _, err := DecodeYUYV(nil, buf[:100], w, h); err == nil {
		t.Error("short buffer accepted")
	}
	if _, err := DecodeYUYV(nil, buf, 63, 32); err == nil {
		t.Error("odd width accepted")
	}
}

// The capture must survive the stream reusing its frame buffer.
func TestCloneIsIndependent(t *testing.T) {
	buf, w, h := EncodeYUYV(testFrame(64, 32))
	frame, _ := DecodeYUYV(nil, buf, w, h)
	still := Clone(frame)
	before := still.At(10, 20)
	for i := range frame.Y {
		frame.Y[i] = 0
	}
	if still.At(10, 20) != before {
		t.Error("clone shares memory with the frame")
	}
	sub := Clone(frame.SubImage(image.Rect(10, 10, 20, 20)))
	if sub.Bounds() != image.Rect(0, 0, 10, 10) {
		t.Errorf("sub-image clone bounds %v", sub.Bounds())
	}
	rgba := Clone(testFrame(8, 8))
	if _, ok := rgba.(*image.RGBA); !ok || rgba.Bounds().Dx() != 8 {
		t.Errorf("RGBA clone: %T %v", rgba, rgba.Bounds())
	}
}

// A 1920×1080 webcam frame of camera-like content (noise, so nothing is trivially cached).
func benchFrame(b *testing.B) ([]byte, int, int) {
	b.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	return EncodeYUYV(img)
}

// BenchmarkYUYVToPreview: the whole per-frame path of the preview for a 1080p YUYV camera:
// unpack the packed frame (what the driver does inside its read) and scale it to 640×360 RGBA.
func BenchmarkYUYVToPreview(b *testing.B) {
	buf, w, h := benchFrame(b)
	pw, ph := PreviewSize(w, h, 640, 480)
	var ycc *image.YCbCr
	var dst *image.RGBA
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		ycc, _ = DecodeYUYV(ycc, buf, w, h)
		dst = ToPreview(dst, ycc, pw, ph, false)
	}
}

// BenchmarkYCbCrToPreview: only our part when the driver hands over planar YCbCr.
func BenchmarkYCbCrToPreview(b *testing.B) {
	buf, w, h := benchFrame(b)
	ycc, _ := DecodeYUYV(nil, buf, w, h)
	pw, ph := PreviewSize(w, h, 640, 480)
	var dst *image.RGBA
	b.ReportAllocs()
	for b.Loop() {
		dst = ToPreview(dst, ycc, pw, ph, true)
	}
}

// BenchmarkMJPEGDecode: what the driver spends per frame on an MJPEG 1080p camera (Go's
// image/jpeg), for comparison; it dominates the preview's cost on such cameras.
func BenchmarkMJPEGDecode(b *testing.B) {
	buf, w, h := benchFrame(b)
	ycc, _ := DecodeYUYV(nil, buf, w, h)
	// Camera-like content compresses; use a smooth image rather than noise.
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i / 7)
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, ycc, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	data := jb.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClone1080p: the cost of taking the full-resolution still.
func BenchmarkClone1080p(b *testing.B) {
	buf, w, h := benchFrame(b)
	ycc, _ := DecodeYUYV(nil, buf, w, h)
	b.ReportAllocs()
	for b.Loop() {
		_ = Clone(ycc)
	}
}
