package photo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/face"
	"kycdesk/kyc/photo/heif/heifdec"
)

// Benchmarks compare Prepare with the pipeline a newcomer would write (imaging.Open with
// auto-orientation → imaging.Fit Lanczos → jpeg.Encode q85) on 12 MP and 48 MP phone-like JPEGs
// made from the sample selfie, with EXIF orientation 6; Prepare alone on a 200 MP one. Run:
//
//	go test -run '^$' -bench 'Prepare|Plain' -benchmem ./kyc/photo/
//	PHOTO_RSS=1 go test -run TestPeakRSS -v ./kyc/photo/     (peak RSS per pipeline, child processes)
//	make bench-compare                                       (against libvips; .ci/bench-compare.sh)
//
// On a shared machine wall time mostly measures the neighbours: BenchmarkPrepare and
// BenchmarkPlain also report cpu-ms/op.

// bigJPEG returns the path of a cached w×h phone-like JPEG (q90, 4:2:0, EXIF orientation 6) in
// the temp directory: the sample selfie upscaled bilinearly with deterministic luma grain, so the
// file has the entropy of a real photo (12 MP ≈ 3 MB, 48 MP ≈ 11 MB) rather than of a smooth
// upscale. A 200 MP file gets less grain to stay a realistic 20–30 MB, under MaxFileBytes. It is
// generated in a child process (TestGenerateBenchPhoto), so the memory that takes never counts
// in this process's peak RSS.
func bigJPEG(tb testing.TB, w, h int) string {
	tb.Helper()
	grain := 8
	if w*h > 100_000_000 {
		grain = 3
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kycdesk-photo-bench-%dx%d-g%d-o6-v2.jpg", w, h, grain))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGenerateBenchPhoto$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("PHOTO_BENCH_GEN=%s:%d:%d:%d", path, w, h, grain))
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("generating %s: %v\n%s", path, err, out)
	}
	return path
}

// TestGenerateBenchPhoto writes one benchmark photo when PHOTO_BENCH_GEN=path:w:h:grain is set
// (bigJPEG runs it as a child process; .ci/bench-compare.sh uses it too). Otherwise it is skipped.
func TestGenerateBenchPhoto(t *testing.T) {
	spec := os.Getenv("PHOTO_BENCH_GEN")
	if spec == "" {
		t.Skip("set PHOTO_BENCH_GEN=path:w:h:grain to write a benchmark photo")
	}
	var (
		path        string
		w, h, grain int
	)
	parts := strings.Split(spec, ":")
	if len(parts) != 4 {
		t.Fatalf("PHOTO_BENCH_GEN=%q: want path:w:h:grain", spec)
	}
	path = parts[0]
	if _, err := fmt.Sscanf(parts[1]+" "+parts[2]+" "+parts[3], "%d %d %d", &w, &h, &grain); err != nil {
		t.Fatal(err)
	}
	img := phoneLike(toNRGBA(astronaut(t)), w, h, grain)
	f, err := os.CreateTemp(filepath.Dir(path), ".bench-*.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(f.Name())
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := jpeg.Encode(bw, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	data = withOrientation(data, 6, binary.BigEndian)
	if err := os.WriteFile(f.Name(), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d×%d, %d bytes", path, w, h, len(data))
}

func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// phoneLike makes the w×h stored frame of a portrait phone photo with EXIF orientation 6: the
// sample selfie (centre-cropped to 3:4) upscaled bilinearly and turned 90° anticlockwise, so that
// the orientation turns it upright. It goes straight into a 4:2:0 YCbCr image (the encoder's fast
// path, and half the memory of RGBA: 300 MB for 200 MP), with ±grain levels of hashed luma noise.
func phoneLike(src *image.NRGBA, w, h, grain int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	sh := src.Rect.Dy()
	sw := sh * 3 / 4
	src = src.SubImage(image.Rect(0, 0, sw, sh).Add(image.Pt((src.Rect.Dx()-sw)/2, 0))).(*image.NRGBA)
	sample := func(x, y int) (r, g, b float64) {
		// Upright (portrait, h×w) coordinates of stored pixel (x, y) under orientation 6.
		u, v := h-1-y, x
		fx := (float64(u)+0.5)*float64(sw)/float64(h) - 0.5
		fy := (float64(v)+0.5)*float64(sh)/float64(w) - 0.5
		x0, y0 := max(0, min(sw-2, int(fx))), max(0, min(sh-2, int(fy)))
		tx, ty := min(1, max(0, fx-float64(x0))), min(1, max(0, fy-float64(y0)))
		var c [3]float64
		for i := range c {
			p := func(xx, yy int) float64 {
				return float64(src.Pix[src.PixOffset(src.Rect.Min.X+xx, src.Rect.Min.Y+yy)+i])
			}
			c[i] = (1-ty)*((1-tx)*p(x0, y0)+tx*p(x0+1, y0)) + ty*((1-tx)*p(x0, y0+1)+tx*p(x0+1, y0+1))
		}
		return c[0], c[1], c[2]
	}
	parallel(h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			for x := 0; x < w; x++ {
				r, g, b := sample(x, y)
				yy := 0.299*r + 0.587*g + 0.114*b
				if grain > 0 {
					yy += float64(int(uint32(x*73856093^y*19349663)*2654435761>>24)%(2*grain+1) - grain)
				}
				img.Y[y*img.YStride+x] = uint8(max(0, min(255, yy+0.5)))
				if x%2 == 0 && y%2 == 0 {
					ci := (y/2)*img.CStride + x/2
					img.Cb[ci] = uint8(max(0, min(255, 128-0.168736*r-0.331264*g+0.5*b+0.5)))
					img.Cr[ci] = uint8(max(0, min(255, 128+0.5*r-0.418688*g-0.081312*b+0.5)))
				}
			}
		}
	})
	return img
}

var sizes = []struct {
	name string
	w, h int
}{{"12MP", 4000, 3000}, {"48MP", 8000, 6000}}

// size200MP is a 200 MP sensor's frame (Samsung ISOCELL HP-series: 16320×12240). Only our
// pipeline is run on it: the plain one would need well over a gigabyte.
var size200MP = struct {
	name string
	w, h int
}{"200MP", 16320, 12240}

func BenchmarkPrepare(b *testing.B) {
	for _, s := range append(sizes, size200MP) {
		path := bigJPEG(b, s.w, s.h)
		b.Run(s.name, func(b *testing.B) {
			c0, n := cpuTime(), 0
			for b.Loop() {
				n++
				if _, err := runOurs(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
		})
	}
}

func BenchmarkPlain(b *testing.B) {
	for _, s := range sizes {
		path := bigJPEG(b, s.w, s.h)
		b.Run(s.name, func(b *testing.B) {
			c0, n := cpuTime(), 0
			for b.Loop() {
				n++
				if _, err := runPlain(path); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
		})
	}
}

func runOurs(path string) (int, error) {
	p, err := PrepareFile(context.Background(), path, KindSelfie)
	if err != nil {
		return 0, err
	}
	return len(p.JPEG), nil
}

func runPlain(path string) (int, error) {
	img, err := imaging.Open(path, imaging.AutoOrientation(true))
	if err != nil {
		return 0, err
	}
	img2 := imaging.Fit(img, 1280, 1280, imaging.Lanczos)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img2, &jpeg.Options{Quality: 85}); err != nil {
		return 0, err
	}
	return b.Len(), nil
}

// BenchmarkChecksSelfie: the pre-flight checks (grey, stats, Laplacian, face detection) on a
// prepared 1280 px selfie. Budget: ≤ 30 ms.
func BenchmarkChecksSelfie(b *testing.B) {
	img := cleanSelfie(b)
	small := downscale(img, 1280, 1280)
	for b.Loop() {
		check(small, KindSelfie, 1280)
	}
}

// BenchmarkChecksID: the same on a prepared 1600 px card (no face detection).
func BenchmarkChecksID(b *testing.B) {
	img := cleanCard(b)
	small := downscale(img, 1600, 1100)
	for b.Loop() {
		check(small, KindID, 1600)
	}
}

// BenchmarkPrepareHEIC: Prepare on the phone-like HEICs (heicgen_test.go) with each tile decoder:
//
//	go test -run '^$' -bench PrepareHEIC -benchtime 5x ./kyc/photo/
//
// The WASM module is compiled before timing (a process pays that once: ~1 s of CPU the first
// time, then a few tens of ms from the on-disk cache).
func BenchmarkPrepareHEIC(b *testing.B) {
	for _, s := range heicSizes {
		path := bigHEIC(b, s.w, s.h)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, be := range []struct {
			name string
			dec  func() (heifdec.Decoder, error)
		}{{"native", heifdec.Native}, {"wasm", func() (heifdec.Decoder, error) { return heifdec.WASM(), nil }}} {
			d, err := be.dec()
			if err != nil {
				b.Logf("%s: %v", be.name, err)
				continue
			}
			b.Run(s.name+"/"+be.name, func(b *testing.B) {
				orig := heicDecoder
				heicDecoder = func() heifdec.Decoder { return d }
				defer func() { heicDecoder = orig }()
				if _, err := Prepare(context.Background(), data[:len(data):len(data)], KindSelfie); err != nil {
					b.Fatal(err) // warm-up: compiles the WASM module
				}
				c0, n := cpuTime(), 0
				for b.Loop() {
					n++
					if _, err := Prepare(context.Background(), data, KindSelfie); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
			})
		}
	}
}

// BenchmarkFaces: both face passes on the prepared 1280 px selfie (part of BenchmarkChecksSelfie).
func BenchmarkFaces(b *testing.B) {
	small := downscale(cleanSelfie(b), 1280, 1280)
	luma := lumaOf(small)
	g := fitGrey(luma)
	c0, n := cpuTime(), 0
	for b.Loop() {
		n++
		detectFaces(small, luma, g)
	}
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
}

// BenchmarkImagingPath: what the imaging path (imagingpath.go) costs on what takes it — a 1080p
// camera still (4:2:2, as webcams deliver) through PrepareImage, and a 12 MP PNG through Prepare
// (decode included) — and, for the 12 MP picture, the resize alone against the box + Lanczos
// resampler the JPEG path uses:
//
//	go test -run '^$' -bench ImagingPath -benchtime 10x ./kyc/photo/
func BenchmarkImagingPath(b *testing.B) {
	still := ycbcr422(imaging.Fill(astronaut(b), 1920, 1080, imaging.Center, imaging.Linear))
	big := toNRGBA(phoneLike(toNRGBA(astronaut(b)), 4000, 3000, 8)) // 8-bit RGB, as screenshots are
	pngData := encPNG(b, big)
	decoded, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			c0, n := cpuTime(), 0
			for b.Loop() {
				n++
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
		})
	}
	run("1080p-still", func() error { _, err := PrepareImage(context.Background(), still, KindSelfie); return err })
	run("12MP-PNG", func() error { _, err := Prepare(context.Background(), pngData, KindSelfie); return err })
	run("12MP-resize-imaging", func() error { fitImaging(decoded, 1280); return nil })
	run("12MP-resize-box-lanczos", func() error {
		w, h := fitSize(4000, 3000, 1280)
		putRGBA(downscale(decoded, w, h))
		return nil
	})
}

// ycbcr422 converts to the 4:2:2 layout a webcam's YUYV frames decode to.
func ycbcr422(src image.Image) *image.YCbCr {
	b := src.Bounds()
	out := image.NewYCbCr(image.Rect(0, 0, b.Dx(), b.Dy()), image.YCbCrSubsampleRatio422)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			out.Y[out.YOffset(x, y)] = yy
			if x%2 == 0 {
				out.Cb[out.COffset(x, y)], out.Cr[out.COffset(x, y)] = cb, cr
			}
		}
	}
	return out
}

// BenchmarkCheckParts: what each part of the selfie checks costs on one core's worth of CPU
// (cpu-ms/op), to see where BenchmarkChecksSelfie's time goes:
//
//	go test -run '^$' -bench CheckParts -count 5 ./kyc/photo/
func BenchmarkCheckParts(b *testing.B) {
	small := downscale(cleanSelfie(b), 1280, 1280)
	luma := lumaOf(small)
	g := fitGrey(luma)
	skin := skinMaskOf(small)
	c, err := face.Default()
	if err != nil {
		b.Fatal(err)
	}
	scale := float64(luma.Rect.Dx()) / float64(g.Rect.Dx())
	coarse := coarseFaces(c, g, scale)
	for _, p := range []struct {
		name string
		fn   func()
	}{
		{"luma", func() { lumaOf(small) }},
		{"fitGrey", func() { fitGrey(luma) }},
		{"measure", func() { measure(g) }},
		{"skin", func() { skinMaskOf(small) }},
		{"coarse", func() { coarseFaces(c, g, scale) }},
		{"fine", func() { fineFaces(c, luma, skin, coarse) }},
	} {
		b.Run(p.name, func(b *testing.B) {
			c0, n := cpuTime(), 0
			for b.Loop() {
				n++
				p.fn()
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
		})
	}
}
