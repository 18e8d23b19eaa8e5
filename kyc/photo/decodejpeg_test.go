package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/jpegscale"
)

// jpegscaleFixture reads one of the decoder's committed fixtures (see jpegscale/testdata/gen.sh):
// 379×501 photos in every layout it supports, plus restart-marker and progressive variants.
func jpegscaleFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("jpegscale", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stdlibReference maps fixtures image/jpeg cannot read ("missing 0xff00 sequence" on progressive
// restart intervals) to the fixture jpegtran made them from, which holds the same coefficients.
var stdlibReference = map[string]string{
	"progressive_restart_422.jpg":      "baseline_422.jpg",
	"tiny_progressive_restart_420.jpg": "tiny_420.jpg",
}

// pipelineRGBA runs what Prepare does before encoding — header, (scaled) decode, downscale to
// fit target, orientation — and returns the upright image and the decode scale used. It also
// holds decodeDownscale (the decode with the resize overlapped, as Prepare runs it) to the
// same result, bit for bit.
func pipelineRGBA(t testing.TB, data []byte, target int) (*image.RGBA, int) {
	t.Helper()
	h, err := readHeader(data, target)
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeScaled(data, h)
	if err != nil {
		t.Fatal(err)
	}
	// Fit the source's size, and map the source's extent at the decoded scale.
	dw, dh := fitSize(h.width, h.height, target)
	s := float64(max(h.scale, 1))
	small := downscaleExt(img, float64(h.width)/s, float64(h.height)/s, dw, dh)
	// Prepare's own path (decodeDownscale, resize overlapped with the decode, chroma straight to
	// 4:2:0) must give the same picture, and the same bits with or without the overlap.
	streamed, err := decodeDownscale(context.Background(), data, h, target)
	if err != nil {
		t.Fatal(err)
	}
	overlapResize = false
	unstreamed, err := decodeDownscale(context.Background(), data, h, target)
	overlapResize = true
	if err != nil {
		t.Fatal(err)
	}
	a, b := asRGBA(streamed), asRGBA(unstreamed)
	if a.Rect != small.Rect || !bytes.Equal(a.Pix, b.Pix) {
		t.Errorf("target %d: decodeDownscale differs with and without the overlap", target)
	}
	if m, ok := streamed.(*image.YCbCr); ok {
		// Against downscaleExt's full-resolution chroma as the JPEG encoder will see it: averaged
		// 2×2 down to 4:2:0.
		if py, pc := planePSNR(m, small); py < 50 || pc < 38 {
			t.Errorf("target %d: decodeDownscale vs decode + downscaleExt: PSNR Y %.2f, CbCr %.2f dB", target, py, pc)
		}
	} else if p := psnrRGB(t, a, small); p < 50 {
		t.Errorf("target %d: decodeDownscale vs decode + downscaleExt: PSNR %.2f dB", target, p)
	}
	return orient(small, h.orientation), h.scale
}

// planePSNR compares a 4:2:0 YCbCr image with an RGBA one converted to YCbCr and its chroma
// averaged 2×2: the luma PSNR and the chroma PSNR.
func planePSNR(m *image.YCbCr, ref *image.RGBA) (luma, chroma float64) {
	w, h := ref.Rect.Dx(), ref.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	cb, cr, n := make([]float64, cw*ch), make([]float64, cw*ch), make([]float64, cw*ch)
	var sey, sec float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := ref.Pix[y*ref.Stride+4*x:]
			yy, b, r := color.RGBToYCbCr(p[0], p[1], p[2])
			d := float64(yy) - float64(m.Y[y*m.YStride+x])
			sey += d * d
			i := (y/2)*cw + x/2
			cb[i] += float64(b)
			cr[i] += float64(r)
			n[i]++
		}
	}
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			i := y*cw + x
			d1 := cb[i]/n[i] - float64(m.Cb[y*m.CStride+x])
			d2 := cr[i]/n[i] - float64(m.Cr[y*m.CStride+x])
			sec += d1*d1 + d2*d2
		}
	}
	db := func(se float64, k int) float64 {
		if se == 0 {
			return math.Inf(1)
		}
		return 10 * math.Log10(255*255/(se/float64(k)))
	}
	return db(sey, w*h), db(sec, 2*cw*ch)
}

// asRGBA converts decodeDownscale's result (RGBA, or planar YCbCr/grey) to RGBA.
func asRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok {
		return m
	}
	return boxShrink(img, 1)
}

// referenceRGBA is the same with image/jpeg's full-size decode.
func referenceRGBA(t testing.TB, data []byte, orientation, target int) *image.RGBA {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	dw, dh := fitSize(b.Dx(), b.Dy(), target)
	return orient(downscale(img, dw, dh), orientation)
}

func psnrRGB(t testing.TB, a, b *image.RGBA) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("size %v != %v", a.Rect.Size(), b.Rect.Size())
	}
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		p, q := a.Pix[y*a.Stride:], b.Pix[y*b.Stride:]
		for x := 0; x < a.Rect.Dx(); x++ {
			for c := 0; c < 3; c++ {
				d := float64(p[4*x+c]) - float64(q[4*x+c])
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// TestScaledPipelineMatchesStdlib is issue 8's correctness bar: the prepared pixels through the
// DCT-scaled decoder against the standard library's full decode followed by the same resize and
// rotation, PSNR ≥ 38 dB, on every layout (baseline, progressive, 4:4:4, 4:2:0, 4:2:2, 4:4:0,
// 4:1:1, grey, Adobe RGB, restart markers, non-interleaved scans), at every scale, with EXIF
// orientations. The targets are the worst case scaleFor allows: the decoded size exactly
// scaleGap × the target.
func TestScaledPipelineMatchesStdlib(t *testing.T) {
	names, err := filepath.Glob("jpegscale/testdata/*.jpg")
	if err != nil || len(names) < 10 {
		t.Fatalf("fixtures: %v %v", names, err)
	}
	var table strings.Builder
	for _, path := range names {
		name := filepath.Base(path)
		data := jpegscaleFixture(t, name)
		ref := data
		if r, ok := stdlibReference[name]; ok {
			ref = jpegscaleFixture(t, r)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(ref))
		if err != nil {
			t.Fatal(err)
		}
		long := max(cfg.Width, cfg.Height)
		fmt.Fprintf(&table, "\n%-34s", name)
		for _, s := range []int{1, 2, 4, 8} {
			target := long + 1 // over the source: no resize at all
			if s > 1 {
				target = int(float64((long+s-1)/s) / scaleGap[s])
			}
			for _, o := range []int{1, 6} {
				got, scale := pipelineRGBA(t, withOrientation(data, o, binary.BigEndian), target)
				if long > 100 && scale != s {
					t.Errorf("%s target %d: scale %d, want %d", name, target, scale, s)
				}
				p := psnrRGB(t, got, referenceRGBA(t, ref, o, target))
				if o == 1 {
					fmt.Fprintf(&table, " 1/%d:%6.2f", scale, p)
				}
				if p < 38 {
					t.Errorf("%s target %d (1/%d) orientation %d: PSNR %.2f dB < 38", name, target, scale, o, p)
				}
			}
		}
	}
	t.Log("PSNR (dB) of the prepared pixels against image/jpeg + the same resize:" + table.String())
}

// countDecoders replaces both JPEG decoders with counting wrappers for the duration of the test.
func countDecoders(t *testing.T) (scaled, full *int) {
	scaled, full = new(int), new(int)
	origScaled, origFull := scaledJPEG, decoders[FormatJPEG]
	t.Cleanup(func() { scaledJPEG, decoders[FormatJPEG] = origScaled, origFull })
	scaledJPEG = func(data []byte, o jpegscale.Options) (image.Image, error) {
		*scaled++
		return origScaled(data, o)
	}
	decoders[FormatJPEG] = func(r io.Reader) (image.Image, error) {
		*full++
		return origFull(r)
	}
	return scaled, full
}

func TestScaledDecoderIsUsed(t *testing.T) {
	scaled, full := countDecoders(t)
	// 2600×1950: each scale is chosen for the largest target it can serve (scaleGap).
	big := encJPEG(t, imaging.Resize(astronaut(t), 2600, 1950, imaging.Linear), 85)
	for _, c := range []struct {
		target, scale, w, h int
	}{{1280, 1, 2600, 1950}, {1040, 2, 1300, 975}, {520, 4, 650, 488}, {216, 8, 325, 244}} {
		h, err := readHeader(big, c.target)
		if err != nil {
			t.Fatal(err)
		}
		if h.scale != c.scale {
			t.Errorf("target %d: scale %d, want %d", c.target, h.scale, c.scale)
		}
		img, err := decodeScaled(big, h)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("target %d: decoded %v, want %dx%d", c.target, b.Size(), c.w, c.h)
		}
	}
	p, err := Prepare(context.Background(), withOrientation(big, 6, binary.LittleEndian), KindSelfie)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 960 || p.Height != 1280 {
		t.Errorf("prepared %dx%d, want 960x1280 (upright)", p.Width, p.Height)
	}
	assertOutput(t, p, KindSelfie)
	if *scaled != 5 || *full != 0 {
		t.Errorf("decoders used: scaled %d, full %d; want 5, 0", *scaled, *full)
	}
}

// TestFallbackToStdlib: what jpegscale does not read goes to image/jpeg, within image/jpeg's
// caps; what neither reads is refused clearly.
func TestFallbackToStdlib(t *testing.T) {
	ctx := context.Background()
	small := encJPEG(t, imaging.Resize(astronaut(t), 64, 64, imaging.Box), 85)

	t.Run("cmyk", func(t *testing.T) {
		scaled, full := countDecoders(t)
		p, err := Prepare(ctx, readFile(t, "video-001.cmyk.jpeg"), KindSelfie)
		if err != nil {
			t.Fatal(err)
		}
		assertOutput(t, p, KindSelfie)
		if *scaled != 0 || *full != 1 {
			t.Errorf("decoders used: scaled %d, full %d; want 0, 1", *scaled, *full)
		}
	})

	// Errors jpegscale only meets inside the data (a DNL marker, a late Adobe segment, data it
	// finds malformed): injected, since no committed fixture triggers them.
	injected := map[string]error{
		"unsupported mid-stream": fmt.Errorf("%w: DNL marker", jpegscale.ErrUnsupported),
		"malformed":              &jpegscale.FormatError{Msg: "bad Huffman code"},
	}
	for name, injErr := range injected {
		t.Run(name, func(t *testing.T) {
			scaled, full := countDecoders(t)
			scaledJPEG = func([]byte, jpegscale.Options) (image.Image, error) { *scaled++; return nil, injErr }
			p, err := Prepare(ctx, small, KindSelfie)
			if err != nil {
				t.Fatal(err)
			}
			assertOutput(t, p, KindSelfie)
			if *scaled != 1 || *full != 1 {
				t.Errorf("decoders used: scaled %d, full %d; want 1, 1", *scaled, *full)
			}
			// 81 MP passes the JPEG header caps but not image/jpeg's: refused, never decoded.
			*scaled, *full = 0, 0
			_, err = Prepare(ctx, jpegSOF(9000, 9000, false), KindSelfie)
			var pe *Error
			switch {
			case !errors.As(err, &pe):
				t.Fatalf("81 MP: %v", err)
			case errors.Is(injErr, jpegscale.ErrUnsupported) && (pe.Code != CodeTooManyPixels || !strings.Contains(pe.MessageEN, "50 MP for this kind of JPEG")):
				t.Errorf("81 MP unsupported: %v", err)
			case !errors.Is(injErr, jpegscale.ErrUnsupported) && pe.Code != CodeCorrupt:
				t.Errorf("81 MP malformed: %v", err)
			}
			if *scaled != 1 || *full != 0 {
				t.Errorf("81 MP: decoders used: scaled %d, full %d; want 1, 0", *scaled, *full)
			}
		})
	}

	t.Run("truncated is not retried", func(t *testing.T) {
		scaled, full := countDecoders(t)
		_, err := Prepare(ctx, small[:len(small)*2/3], KindSelfie)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("err = %v, want truncated", err)
		}
		if *scaled != 1 || *full != 0 {
			t.Errorf("decoders used: scaled %d, full %d; want 1, 0", *scaled, *full)
		}
	})

	t.Run("wrong size from the scaled decoder", func(t *testing.T) {
		scaled, _ := countDecoders(t)
		scaledJPEG = func([]byte, jpegscale.Options) (image.Image, error) {
			*scaled++
			return image.NewGray(image.Rect(0, 0, 3, 3)), nil
		}
		if _, err := Prepare(ctx, small, KindSelfie); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want corrupt", err)
		}
	})

	// Arithmetic coding (SOF9), lossless (SOF3) and 12-bit: image/jpeg reads none of them either,
	// so the header walk refuses them up front, naming the feature, and no decoder runs.
	for name, c := range map[string]struct {
		patch func(b []byte, sof int)
		say   string
	}{
		"arithmetic SOF9": {func(b []byte, sof int) { b[sof+1] = 0xC9 }, "arithmetic"},
		"lossless SOF3":   {func(b []byte, sof int) { b[sof+1] = 0xC3 }, "lossless"},
		"12-bit":          {func(b []byte, sof int) { b[sof+4] = 12 }, "12-bit"},
	} {
		t.Run(name, func(t *testing.T) {
			scaled, full := countDecoders(t)
			data := bytes.Clone(jpegscaleFixture(t, "baseline_420.jpg"))
			c.patch(data, sofAt(t, data))
			_, err := Prepare(ctx, data, KindSelfie)
			var pe *Error
			if !errors.Is(err, ErrUnsupportedFormat) || !errors.As(err, &pe) || !strings.Contains(pe.MessageEN, c.say) {
				t.Fatalf("err = %v, want unsupported naming %q", err, c.say)
			}
			if *scaled != 0 || *full != 0 {
				t.Errorf("decoders used: scaled %d, full %d; want 0, 0", *scaled, *full)
			}
		})
	}
}

// sofAt returns the offset of the frame header's 0xFF.
func sofAt(t *testing.T, b []byte) int {
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatal("lost in the markers")
		}
		m := b[i+1]
		if m == 0xC0 || m == 0xC1 || m == 0xC2 {
			return i
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	t.Fatal("no SOF")
	return 0
}

// TestBigJPEGHeaders: the pixel cap for JPEG is raised to MaxPixelsJPEG because memory is bounded
// by the reduced size — a 200 MP photo passes the header with a small estimate, at 1/8.
func TestBigJPEGHeaders(t *testing.T) {
	for _, c := range []struct {
		w, h        int
		progressive bool
		target      int
		scale       int
		maxBytes    int64
	}{
		{16320, 12240, false, 1280, 8, 16 << 20},
		{16320, 12240, true, 1280, 8, 64 << 20},  // one int16 + a 64-bit mask per block
		{16320, 12240, false, 1600, 4, 48 << 20}, // 2040 px at 1/8 is under 1.5 × 1600
		{8000, 6000, false, 1280, 4, 16 << 20},
		{8000, 6000, true, 1280, 4, 64 << 20},
		{4000, 3000, false, 1280, 2, 16 << 20},
		{1000, 800, false, 1280, 1, 4 << 20},
	} {
		h, err := readHeader(jpegSOF(c.w, c.h, c.progressive), c.target)
		if err != nil {
			t.Errorf("%dx%d progressive=%v: %v", c.w, c.h, c.progressive, err)
			continue
		}
		if h.scale != c.scale || h.decodeBytes > c.maxBytes || h.decodeBytes <= 0 {
			t.Errorf("%dx%d progressive=%v target %d: scale %d, %d bytes; want %d, ≤ %d",
				c.w, c.h, c.progressive, c.target, h.scale, h.decodeBytes, c.scale, c.maxBytes)
		}
	}
}

// TestDecodeIsRGBAReady: what the scaled decoder returns feeds the resize fast paths (no
// per-pixel At calls): YCbCr for colour, Gray for grey, RGBA for Adobe RGB.
func TestDecodeIsRGBAReady(t *testing.T) {
	for name, want := range map[string]string{
		"baseline_420.jpg": "*image.YCbCr", "baseline_grey.jpg": "*image.Gray", "adobe_rgb.jpg": "*image.RGBA",
	} {
		data := jpegscaleFixture(t, name)
		h, err := readHeader(data, 120)
		if err != nil {
			t.Fatal(err)
		}
		img, err := decodeScaled(data, h)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%T", img); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
