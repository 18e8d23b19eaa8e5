package jpegscale

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// sofOffset returns the offset of the SOFn marker's 0xFF in data.
func sofOffset(t *testing.T, data []byte) int {
	t.Helper()
	for i := 2; i+1 < len(data); i++ {
		if data[i] == 0xFF && data[i+1] >= 0xC0 && data[i+1] <= 0xC2 {
			return i
		}
	}
	t.Fatal("no SOF marker")
	return 0
}

// patch returns a copy of the fixture with f applied at its SOF offset.
func patch(t *testing.T, name string, f func(b []byte, sof int)) []byte {
	data := bytes.Clone(readFile(t, "testdata/"+name))
	f(data, sofOffset(t, data))
	return data
}

// TestUnsupportedIsDistinct checks that every unsupported feature is
// reported with ErrUnsupported (callers fall back to image/jpeg on it), by
// Decode, DecodeConfig and Supported alike.
func TestUnsupportedIsDistinct(t *testing.T) {
	// SOF layout: FF Cn Lh Ll P Yh Yl Xh Xl Nf (C Hv Tq)*Nf
	cases := map[string][]byte{
		"lossless": patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+1] = 0xC3 }),
		"hierarchical": patch(t, "baseline_420.jpg", func(b []byte, o int) {
			b[o+1] = 0xC5
		}),
		"arithmetic":     patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+1] = 0xC9 }),
		"arithmetic-prg": patch(t, "progressive_420.jpg", func(b []byte, o int) { b[o+1] = 0xCA }),
		"12-bit":         patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+4] = 12 }),
		"cmyk":           patch(t, "baseline_444.jpg", func(b []byte, o int) { b[o+9] = 4 }),
		"dnl":            patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+5], b[o+6] = 0, 0 }),
		"3x1 luma":       patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+11] = 0x31 }),
		"chroma > luma": patch(t, "baseline_444.jpg", func(b []byte, o int) {
			b[o+14], b[o+17] = 0x22, 0x22
		}),
		"cb != cr": patch(t, "baseline_420.jpg", func(b []byte, o int) { b[o+17] = 0x21 }),
		"4:1 vertical": patch(t, "baseline_444.jpg", func(b []byte, o int) {
			b[o+11] = 0x14
		}),
		"2-component": patch(t, "baseline_444.jpg", func(b []byte, o int) { b[o+9] = 2 }),
		"dac":         append([]byte{0xFF, 0xD8, 0xFF, 0xCC, 0, 4, 0, 0}, readFile(t, "testdata/baseline_420.jpg")[2:]...),
	}
	for name, data := range cases {
		if _, err := DecodeBytes(data, Options{Scale: 2}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Decode error %v, want ErrUnsupported", name, err)
		}
		if err := Supported(data); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Supported error %v, want ErrUnsupported", name, err)
		}
		if _, err := DecodeConfig(bytes.NewReader(data)); name != "dac" && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: DecodeConfig error %v, want ErrUnsupported", name, err)
		}
	}
}

func TestSupportedAndConfig(t *testing.T) {
	for _, name := range fixtures(t) {
		data := readFile(t, name)
		if err := Supported(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		want, err2 := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || err2 != nil || cfg.Width != want.Width || cfg.Height != want.Height {
			t.Errorf("%s: %+v %v, want %+v", name, cfg, err, want)
		}
	}
	cfg, _ := DecodeConfig(bytes.NewReader(readFile(t, "testdata/baseline_grey.jpg")))
	if cfg.ColorModel != color.GrayModel {
		t.Error("grey colour model")
	}
	cfg, _ = DecodeConfig(bytes.NewReader(readFile(t, "testdata/adobe_rgb.jpg")))
	if cfg.ColorModel != color.RGBAModel {
		t.Error("rgb colour model")
	}
}

func TestTooLarge(t *testing.T) {
	data := readFile(t, "testdata/baseline_420.jpg")
	_, err := DecodeBytes(data, Options{MaxPixels: 501*379 - 1})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
	// A header declaring 65535×65535 is refused before any allocation.
	big := patch(t, "baseline_420.jpg", func(b []byte, o int) {
		b[o+5], b[o+6], b[o+7], b[o+8] = 0xFF, 0xFF, 0xFF, 0xFF
	})
	allocs := testing.AllocsPerRun(3, func() {
		if _, err := DecodeBytes(big, Options{Scale: 8}); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
	if allocs > 20 {
		t.Errorf("%v allocations for a refused header", allocs)
	}
	if _, err := DecodeBytes(data, Options{Scale: 3}); !errors.Is(err, ErrInvalidScale) {
		t.Errorf("scale 3: %v", err)
	}
}

// TestTruncated cuts every fixture at many points: the result is always an
// error wrapping io.ErrUnexpectedEOF, never an image.
func TestTruncated(t *testing.T) {
	for _, name := range fixtures(t) {
		data := readFile(t, name)
		cuts := []int{0, 1, 2, 3, 20, 100, 300, len(data) - 2, len(data) - 1}
		for i := 1; i < 40; i++ {
			cuts = append(cuts, len(data)*i/40)
		}
		for _, n := range cuts {
			for _, s := range []int{1, 8} {
				img, err := DecodeBytes(data[:n], Options{Scale: s})
				if err == nil || img != nil {
					t.Fatalf("%s cut at %d/%d, 1/%d: no error", name, n, len(data), s)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("%s cut at %d/%d, 1/%d: %v", name, n, len(data), s, err)
				}
			}
			if _, err := Decode(bytes.NewReader(data[:n]), Options{Scale: 4}); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%s cut at %d via reader: %v", name, n, err)
			}
		}
	}
}

func TestCorrupt(t *testing.T) {
	var fe *FormatError
	cases := map[string][]byte{
		"not jpeg":  []byte("\x89PNG\r\n\x1a\n...."),
		"no frame":  {0xFF, 0xD8, 0xFF, 0xD9},
		"sos first": {0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0},
		"bad dqt":   {0xFF, 0xD8, 0xFF, 0xDB, 0, 3, 0x05},
		"bad dht":   {0xFF, 0xD8, 0xFF, 0xC4, 0, 19, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
		"short seg": {0xFF, 0xD8, 0xFF, 0xFE, 0, 1},
	}
	// A restart marker with the wrong number.
	rst := bytes.Clone(readFile(t, "testdata/restart_420.jpg"))
	if i := bytes.Index(rst, []byte{0xFF, 0xD1}); i > 0 {
		rst[i+1] = 0xD3
		cases["wrong rst"] = rst
	}
	for name, data := range cases {
		_, err := DecodeBytes(data, Options{})
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a FormatError", name, err)
		}
	}
}

// TestNoProgressReader checks that a reader returning 0, nil forever is an
// error rather than a hang.
func TestNoProgressReader(t *testing.T) {
	if _, err := Decode(zeroReader{}, Options{}); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("got %v", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

func TestScaleFor(t *testing.T) {
	cases := []struct{ w, h, target, want int }{
		{4000, 3000, 1280, 2},
		{8000, 6000, 1280, 4},
		{16320, 12240, 1280, 8},
		{6000, 8000, 1600, 4},
		{1280, 960, 1280, 1},
		{1000, 800, 1280, 1},
		{2560, 1920, 1280, 2},
		{2561, 100, 1280, 2},
		{10241, 100, 1280, 8},
		{5000, 5000, 0, 1},
	}
	for _, c := range cases {
		if got := ScaleFor(c.w, c.h, c.target); got != c.want {
			t.Errorf("ScaleFor(%d,%d,%d) = %d, want %d", c.w, c.h, c.target, got, c.want)
		}
	}
	if w, h := ScaledSize(501, 379, 8); w != 63 || h != 48 {
		t.Errorf("ScaledSize = %d,%d", w, h)
	}
}

// TestMutations flips random bytes of every fixture: decoding must return an
// image or an error, never panic or hang (a quick, deterministic companion
// to FuzzDecode).
func TestMutations(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rng := rand.New(rand.NewSource(7))
	names := fixtures(t)
	for i := 0; i < 300; i++ {
		data := bytes.Clone(readFile(t, names[i%len(names)]))
		for j := 0; j < 1+rng.Intn(6); j++ {
			data[rng.Intn(len(data))] = byte(rng.Intn(256))
		}
		img, err := DecodeBytes(data, Options{Scale: 1 << rng.Intn(4), MaxPixels: 1 << 20})
		if (img == nil) == (err == nil) {
			t.Fatalf("mutation %d: image %v with error %v", i, img != nil, err)
		}
	}
}

func TestFormatErrorMessage(t *testing.T) {
	_, err := DecodeBytes([]byte("GIF89a"), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "jpegscale: invalid JPEG") {
		t.Fatalf("got %v", err)
	}
}

// insertAfterSOF splices seg in right after the frame header.
func insertAfterSOF(t *testing.T, name string, seg []byte) []byte {
	data := readFile(t, "testdata/"+name)
	o := sofOffset(t, data)
	end := o + 2 + (int(data[o+2])<<8 | int(data[o+3]))
	out := append(bytes.Clone(data[:end]), seg...)
	return append(out, data[end:]...)
}

func TestLateAdobeSegment(t *testing.T) {
	adobe := []byte{0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}
	// Subsampled RGB is refused even when the Adobe segment comes late.
	if _, err := DecodeBytes(insertAfterSOF(t, "baseline_420.jpg", adobe), Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("late Adobe on 4:2:0: %v", err)
	}
	// On 4:4:4 it just means RGB.
	img, err := DecodeBytes(insertAfterSOF(t, "baseline_444.jpg", adobe), Options{Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.RGBA); !ok {
		t.Errorf("got %T", img)
	}
}

func TestStandaloneMarkers(t *testing.T) {
	// TEM and a stray RST between segments carry no length.
	data := insertAfterSOF(t, "baseline_420.jpg", []byte{0xFF, 0x01, 0xFF, 0xD3, 0xFF, 0xFE, 0, 4, 'h', 'i'})
	got, err := DecodeBytes(data, Options{Scale: 4})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := DecodeBytes(readFile(t, "testdata/baseline_420.jpg"), Options{Scale: 4})
	if p := psnr(t, toRGBA(got), toRGBA(want)); p < 99 {
		t.Errorf("PSNR %v", p)
	}
}
