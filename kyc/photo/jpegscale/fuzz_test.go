package jpegscale

import (
	"bytes"
	"image"
	"image/jpeg"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// fuzzMaxPixels caps the source size while fuzzing; fuzzMaxAlloc is the
// most one decode may allocate under that cap (the worst case, a 4:4:4
// progressive image at 1/1, needs about 10 bytes per pixel).
const (
	fuzzMaxPixels = 1 << 18
	fuzzMaxAlloc  = 16 << 20
)

// fuzzMaxInput and fuzzMaxTime bound the decoding time: an input of at most
// fuzzMaxInput bytes must decode (or fail) within fuzzMaxTime under
// fuzzMaxPixels. A correct decode of such an input takes a few
// milliseconds; the budget is loose so that a loaded machine does not fail
// it, and catches loops that do not consume input. Larger inputs are not
// fuzzed: they add nothing the decoder's per-byte logic does not see in
// small ones, and the fuzzer minimises every new interesting input at one
// execution per byte, so a 100 KB input stalls a worker for the whole
// -fuzzminimizetime (60 s by default).
const (
	fuzzMaxInput = 64 << 10
	fuzzMaxTime  = time.Second
)

// fuzzSeeds are the seed inputs: a crop of about a kilobyte of every layout
// (testdata/seeds, made by testdata/gen.sh), the tiny fixtures, and
// progressive files of many end-of-band-run scans. The full-size fixtures
// are deliberately not seeds (see fuzzMaxInput); the other tests decode them.
func fuzzSeeds(f *testing.F) [][]byte {
	names, err := filepath.Glob("testdata/seeds/*.jpg")
	if err != nil || len(names) == 0 {
		f.Fatalf("no fuzz seeds: %v", err)
	}
	tiny, _ := filepath.Glob("testdata/tiny_*.jpg")
	var seeds [][]byte
	for _, name := range append(names, tiny...) {
		seeds = append(seeds, readFile(f, name))
	}
	seeds = append(seeds,
		eobRunFile(512, 512, maxScans, false),
		eobRunFile(512, 512, maxScans, true))
	img := image.NewYCbCr(image.Rect(0, 0, 19, 13), image.YCbCrSubsampleRatio420)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		f.Fatal(err)
	}
	return append(seeds, buf.Bytes())
}

// FuzzDecode feeds arbitrary bytes to Decode at every scale: it must never
// panic, never allocate beyond the bound the pixel cap implies, never take
// longer than fuzzMaxTime, and any image it returns must have the size
// ScaledSize promises.
func FuzzDecode(f *testing.F) {
	for i, data := range fuzzSeeds(f) {
		f.Add(data, uint8(i&3))
		f.Add(data, uint8(i&3|4)) // bit 2: KeepSubsampling and OnRows
	}
	f.Fuzz(fuzzDecodeOne)
}

// fuzzDecodeOne is one FuzzDecode execution: s selects the scale (bits 0-1)
// and KeepSubsampling with OnRows (bit 2).
func fuzzDecodeOne(t *testing.T, data []byte, s uint8) {
	if len(data) > fuzzMaxInput {
		return
	}
	scale := 1 << (s & 3)
	opts := Options{Scale: scale, MaxPixels: fuzzMaxPixels}
	reported := 0
	if s&4 != 0 {
		opts.KeepSubsampling = true
		opts.OnRows = func(img image.Image, rows int) {
			if rows <= reported || rows > img.Bounds().Dy() {
				// Not t.Fatalf: OnRows may run on the decoder's
				// worker goroutine.
				t.Errorf("OnRows %d after %d, height %d", rows, reported, img.Bounds().Dy())
			}
			reported = rows
		}
	}
	cfg, cfgErr := DecodeConfig(bytes.NewReader(data))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	img, err := DecodeBytes(data, opts)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if elapsed > fuzzMaxTime {
		t.Fatalf("decoding %d bytes took %v", len(data), elapsed)
	}
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
}
