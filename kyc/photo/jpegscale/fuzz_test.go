package jpegscale

import (
	"bytes"
	"flag"
	"image"
	"image/jpeg"
	"path/filepath"
	"runtime/metrics"
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
// fuzzMaxPixels. A correct decode of such an input takes well under 10 ms;
// the budget is loose so that a loaded machine does not fail it, and
// catches loops that do not consume input (TestHostileEOBRuns measures the
// subtler amplifications, which need a larger pixel cap to show).
//
// Larger inputs are not fuzzed: they exercise nothing that small ones do
// not, and the fuzzer minimises every new interesting input by running it
// once per byte removed, so a 50 KB input (1–2 ms an execution) held a
// worker for the whole -fuzzminimizetime (60 s by default) and the
// execution count stopped advancing. An 8 KB input minimises in about a
// second. The cap also neutralises large entries left in the fuzz cache.
const (
	fuzzMaxInput = 8 << 10
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

// fuzzMinimizeTime replaces go test's default -fuzzminimizetime of 60 s
// when the flag is not given. The fuzzer minimises every new interesting
// input before going on, by an O(n²) search (it tries removing every range
// of bytes), and its status line counts none of those executions until the
// minimisation ends (golang/go#48820): with kilobyte JPEG inputs each new
// input held a worker for 10 to 60 s and "execs" looked stuck. Inputs are
// at most fuzzMaxInput bytes, so keeping them unminimised costs nothing; a
// crasher still gets a few seconds of minimisation, and an explicit
// -fuzzminimizetime wins.
const fuzzMinimizeTime = "3s"

// FuzzDecode feeds arbitrary bytes to Decode at every scale: it must never
// panic, never allocate beyond the bound the pixel cap implies, never take
// longer than fuzzMaxTime, and any image it returns must have the size
// ScaledSize promises.
func FuzzDecode(f *testing.F) {
	setDefaultFlag(f, "test.fuzzminimizetime", fuzzMinimizeTime)
	for i, data := range fuzzSeeds(f) {
		f.Add(data, uint8(i&3))
		f.Add(data, uint8(i&3|4)) // bit 2: KeepSubsampling and OnRows
	}
	f.Fuzz(fuzzDecodeOne)
}

// setDefaultFlag sets a testing flag that the command line did not set.
func setDefaultFlag(f *testing.F, name, value string) {
	set := false
	flag.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	if fl := flag.Lookup(name); fl != nil && !set {
		if err := fl.Value.Set(value); err != nil {
			f.Fatal(err)
		}
	}
}

// heapAllocs returns the bytes allocated so far. runtime/metrics reads it
// without stopping the world, unlike runtime.ReadMemStats, which took two
// thirds of each fuzz execution.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
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
	before := heapAllocs()
	start := time.Now()
	img, err := DecodeBytes(data, opts)
	elapsed := time.Since(start)
	if a := heapAllocs() - before; a > fuzzMaxAlloc {
		t.Fatalf("allocated %d bytes", a)
	}
	if elapsed > fuzzMaxTime {
		t.Fatalf("decoding %d bytes took %v", len(data), elapsed)
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
