package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Benchmarks decode 12 MP and 48 MP photos made from the sample selfie
// (bilinear upscale plus a little deterministic grain, so that the files
// have the entropy of a real phone photo rather than of a smooth upscale),
// encoded by image/jpeg at quality 90 (4:2:0 baseline), and a progressive
// copy made by jpegtran when it is installed. The files are cached in the
// temporary directory between runs.
//
//	go test -run XXX -bench . -benchmem ./kyc/photo/jpegscale/

var benchSizes = []struct {
	name string
	w, h int
}{
	{"12MP", 4000, 3000},
	{"48MP", 8000, 6000},
}

func BenchmarkDecode(b *testing.B) {
	for _, sz := range benchSizes {
		base := benchFile(b, sz.name, sz.w, sz.h)
		files := map[string]string{"baseline": base}
		if p, ok := progressiveCopy(b, base); ok {
			files["progressive"] = p
		}
		for _, kind := range []string{"baseline", "progressive"} {
			path, ok := files[kind]
			if !ok {
				b.Logf("%s %s: jpegtran not found, skipped", sz.name, kind)
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, s := range []int{8, 4, 2, 1} {
				b.Run(fmt.Sprintf("%s/%s/jpegscale-1_%d", sz.name, kind, s), func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(len(data)))
					for i := 0; i < b.N; i++ {
						if _, err := Decode(bytes.NewReader(data), Options{Scale: s}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run(fmt.Sprintf("%s/%s/image-jpeg", sz.name, kind), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for i := 0; i < b.N; i++ {
					if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// benchFile returns the path of a cached w×h test JPEG, creating it once.
func benchFile(b *testing.B, name string, w, h int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("jpegscale-bench-%s-v1.jpg", name))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Open("../../../../shared/data/sample-selfie-astronaut.png")
	if err != nil {
		f, err = os.Open("/work/shared/data/sample-selfie-astronaut.png")
	}
	if err != nil {
		b.Skip("sample selfie not found")
	}
	src, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	img := upscaleWithGrain(src, w, h)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func progressiveCopy(b *testing.B, base string) (string, bool) {
	tool, err := exec.LookPath("jpegtran")
	if err != nil {
		return "", false
	}
	out := base[:len(base)-len(".jpg")] + "-progressive.jpg"
	if _, err := os.Stat(out); err == nil {
		return out, true
	}
	if err := exec.Command(tool, "-progressive", "-outfile", out, base).Run(); err != nil {
		b.Logf("jpegtran: %v", err)
		return "", false
	}
	return out, true
}

// upscaleWithGrain resizes bilinearly and adds ±8 levels of hashed noise.
func upscaleWithGrain(src image.Image, w, h int) *image.RGBA {
	rgba := toRGBA(src)
	sw, sh := rgba.Rect.Dx(), rgba.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		fy := (float64(y)+0.5)*float64(sh)/float64(h) - 0.5
		y0 := max(0, min(sh-2, int(fy)))
		ty := min(1, max(0, fy-float64(y0)))
		for x := 0; x < w; x++ {
			fx := (float64(x)+0.5)*float64(sw)/float64(w) - 0.5
			x0 := max(0, min(sw-2, int(fx)))
			tx := min(1, max(0, fx-float64(x0)))
			n := int(uint32(x*73856093^y*19349663)*2654435761>>28) - 8
			for c := 0; c < 3; c++ {
				p := func(xx, yy int) float64 { return float64(rgba.Pix[yy*rgba.Stride+4*xx+c]) }
				v := (1-ty)*((1-tx)*p(x0, y0)+tx*p(x0+1, y0)) + ty*((1-tx)*p(x0, y0+1)+tx*p(x0+1, y0+1))
				out.Pix[y*out.Stride+4*x+c] = uint8(max(0, min(255, int(v)+n)))
			}
			out.Pix[y*out.Stride+4*x+3] = 255
		}
	}
	return out
}

// BenchmarkRowWorker measures what the second goroutine (inverse DCTs of one
// MCU row while the next is Huffman decoded) buys on the 12 MP baseline file.
func BenchmarkRowWorker(b *testing.B) {
	data, err := os.ReadFile(benchFile(b, "12MP", 4000, 3000))
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []int{1, 2} {
		for _, on := range []bool{true, false} {
			b.Run(fmt.Sprintf("1_%d/worker=%v", s, on), func(b *testing.B) {
				defer func(old bool) { rowWorkerEnabled = old }(rowWorkerEnabled)
				rowWorkerEnabled = on
				for i := 0; i < b.N; i++ {
					if _, err := DecodeBytes(data, Options{Scale: s}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
