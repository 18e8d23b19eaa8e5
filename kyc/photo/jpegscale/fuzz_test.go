package jpegscale

import (
	"bytes"
	"image"
	"image/jpeg"
	"runtime"
	"strings"
	"testing"
)

// fuzzMaxPixels caps the source size while fuzzing; fuzzMaxAlloc is the
// most one decode may allocate under that cap (the worst case, a 4:4:4
// progressive image at 1/1, needs about 10 bytes per pixel).
const (
	fuzzMaxPixels = 1 << 18
	fuzzMaxAlloc  = 16 << 20
)

// FuzzDecode feeds arbitrary bytes to Decode at every scale: it must never
// panic, never allocate beyond the bound the pixel cap implies, and any image
// it returns must have the size ScaledSize promises.
func FuzzDecode(f *testing.F) {
	names := fixtures(f)
	for _, name := range names {
		if testing.Short() && !strings.Contains(name, "tiny") {
			continue
		}
		data := readFile(f, name)
		f.Add(data, uint8(0))
		f.Add(data, uint8(3))
	}
	tiny := image.NewYCbCr(image.Rect(0, 0, 19, 13), image.YCbCrSubsampleRatio420)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, tiny, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes(), uint8(1))
	f.Add(buf.Bytes(), uint8(6)) // bit 2: KeepSubsampling and OnRows
	f.Fuzz(func(t *testing.T, data []byte, s uint8) {
		scale := 1 << (s & 3)
		opts := Options{Scale: scale, MaxPixels: fuzzMaxPixels}
		reported := 0
		if s&4 != 0 {
			opts.KeepSubsampling = true
			opts.OnRows = func(img image.Image, rows int) {
				if rows <= reported || rows > img.Bounds().Dy() {
					t.Fatalf("OnRows %d after %d, height %d", rows, reported, img.Bounds().Dy())
				}
				reported = rows
			}
		}
		cfg, cfgErr := DecodeConfig(bytes.NewReader(data))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, err := DecodeBytes(data, opts)
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > fuzzMaxAlloc {
			t.Fatalf("allocated %d bytes", a)
		}
		if err != nil {
			if img != nil {
				t.Fatal("image with error")
			}
			return
		}
		if cfgErr != nil {
			t.Fatalf("Decode succeeded but DecodeConfig failed: %v", cfgErr)
		}
		w, h := ScaledSize(cfg.Width, cfg.Height, scale)
		if img.Bounds() != image.Rect(0, 0, w, h) {
			t.Fatalf("bounds %v, want %dx%d", img.Bounds(), w, h)
		}
		// Every pixel must be readable (planes cover the bounds).
		_ = toRGBA(img)
	})
}
