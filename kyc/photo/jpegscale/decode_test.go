package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// losslessSource maps fixtures that jpegtran made from another fixture, so
// hold the same coefficients, to that fixture. image/jpeg cannot decode
// progressive_restart_422.jpg ("missing 0xff00 sequence"), so its reference
// is the baseline original.
var losslessSource = map[string]string{
	"progressive_restart_422.jpg":      "baseline_422.jpg",
	"tiny_progressive_restart_420.jpg": "tiny_420.jpg",
}

// TestPSNRAgainstStdlib holds every fixture, at every scale, to the standard
// library's full decode followed by a box downscale by the same factor.
func TestPSNRAgainstStdlib(t *testing.T) {
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-28s %8s %8s %8s %8s\n", "fixture", "1/1", "1/2", "1/4", "1/8")
	for _, name := range fixtures(t) {
		data := readFile(t, name)
		refData := data
		if r, ok := losslessSource[filepath.Base(name)]; ok {
			refData = readFile(t, "testdata/"+r)
		}
		ref := toRGBA(stdDecode(t, refData))
		fmt.Fprintf(&table, "%-28s", filepath.Base(name))
		for _, s := range []int{1, 2, 4, 8} {
			img, err := DecodeBytes(data, Options{Scale: s})
			if err != nil {
				t.Fatalf("%s at 1/%d: %v", name, s, err)
			}
			got := toRGBA(img)
			want := ref
			min := 45.0
			if s > 1 {
				want = boxDown(ref, s)
				min = 38
			}
			p := psnr(t, got, want)
			fmt.Fprintf(&table, " %8.2f", p)
			if p < min {
				t.Errorf("%s at 1/%d: PSNR %.2f dB < %.0f", name, s, p, min)
			}
		}
		table.WriteString("\n")
	}
	t.Log(table.String())
}

func TestOutputTypes(t *testing.T) {
	cases := map[string]func(image.Image) bool{
		"baseline_420.jpg": func(m image.Image) bool {
			y, ok := m.(*image.YCbCr)
			return ok && y.SubsampleRatio == image.YCbCrSubsampleRatio420
		},
		"baseline_422.jpg": func(m image.Image) bool {
			y, ok := m.(*image.YCbCr)
			return ok && y.SubsampleRatio == image.YCbCrSubsampleRatio422
		},
		"baseline_440.jpg": func(m image.Image) bool {
			y, ok := m.(*image.YCbCr)
			return ok && y.SubsampleRatio == image.YCbCrSubsampleRatio440
		},
		"baseline_411.jpg": func(m image.Image) bool {
			y, ok := m.(*image.YCbCr)
			return ok && y.SubsampleRatio == image.YCbCrSubsampleRatio411
		},
		"baseline_grey.jpg": func(m image.Image) bool { _, ok := m.(*image.Gray); return ok },
		"adobe_rgb.jpg":     func(m image.Image) bool { _, ok := m.(*image.RGBA); return ok },
	}
	for name, check := range cases {
		for _, s := range []int{1} {
			img, err := DecodeBytes(readFile(t, "testdata/"+name), Options{Scale: s})
			if err != nil {
				t.Fatal(name, err)
			}
			if !check(img) {
				t.Errorf("%s at 1/%d: unexpected type %T", name, s, img)
			}
			w, h := ScaledSize(501, 379, s)
			if img.Bounds() != image.Rect(0, 0, w, h) {
				t.Errorf("%s at 1/%d: bounds %v", name, s, img.Bounds())
			}
		}
	}
}

// At reduced scales subsampled chroma is decoded at a larger block size, so
// the output is 4:4:4 once the scale reaches the subsampling factor.
func TestReducedChromaRatio(t *testing.T) {
	cases := []struct {
		name  string
		scale int
		want  image.YCbCrSubsampleRatio
	}{
		{"baseline_420.jpg", 2, image.YCbCrSubsampleRatio444},
		{"baseline_422.jpg", 8, image.YCbCrSubsampleRatio444},
		{"baseline_411.jpg", 2, image.YCbCrSubsampleRatio422},
		{"baseline_411.jpg", 4, image.YCbCrSubsampleRatio444},
		{"baseline_440.jpg", 4, image.YCbCrSubsampleRatio444},
	}
	for _, c := range cases {
		img, err := DecodeBytes(readFile(t, "testdata/"+c.name), Options{Scale: c.scale})
		if err != nil {
			t.Fatal(c.name, err)
		}
		y, ok := img.(*image.YCbCr)
		if !ok || y.SubsampleRatio != c.want {
			t.Errorf("%s at 1/%d: got %T %v, want %v", c.name, c.scale, img, y.SubsampleRatio, c.want)
		}
		w, h := ScaledSize(501, 379, c.scale)
		if img.Bounds() != image.Rect(0, 0, w, h) {
			t.Errorf("%s at 1/%d: bounds %v", c.name, c.scale, img.Bounds())
		}
	}
}

func TestDecodeReaderMatchesBytes(t *testing.T) {
	data := readFile(t, "testdata/progressive_420.jpg")
	a, err := Decode(bytes.NewReader(data), Options{Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeBytes(data, Options{Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	if psnr(t, toRGBA(a), toRGBA(b)) != psnr(t, toRGBA(a), toRGBA(a)) {
		t.Error("reader and bytes decodes differ")
	}
}

// TestMemoryNeeded compares the estimate with what a decode allocates.
func TestMemoryNeeded(t *testing.T) {
	for _, name := range []string{"baseline_420.jpg", "progressive_420.jpg", "progressive_444.jpg", "adobe_rgb.jpg"} {
		data := readFile(t, "testdata/"+name)
		for _, s := range []int{1, 2, 8} {
			est, err := MemoryNeeded(data, s)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, err := DecodeBytes(data, Options{Scale: s}); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := int64(after.TotalAlloc - before.TotalAlloc)
			if got > est+16<<10 || got < est/2 {
				t.Errorf("%s 1/%d: estimated %d, allocated %d", name, s, est, got)
			}
		}
	}
	if _, err := MemoryNeeded(nil, 3); err != ErrInvalidScale {
		t.Error(err)
	}
}
