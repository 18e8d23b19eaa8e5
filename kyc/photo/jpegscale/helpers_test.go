package jpegscale

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fixtures lists the committed test images (see testdata/gen.sh).
func fixtures(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob("testdata/*.jpg")
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return names
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toRGBA converts with image/draw, which upsamples chroma by replication
// exactly as image/jpeg's own output would be read.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// boxDown averages s×s boxes (partial boxes at the edges average what they
// have), giving ceil(w/s) × ceil(h/s).
func boxDown(src *image.RGBA, s int) *image.RGBA {
	w, h := ScaledSize(src.Rect.Dx(), src.Rect.Dy(), s)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [4]int
			n := 0
			for yy := y * s; yy < min((y+1)*s, src.Rect.Dy()); yy++ {
				for xx := x * s; xx < min((x+1)*s, src.Rect.Dx()); xx++ {
					p := src.Pix[yy*src.Stride+4*xx:]
					for c := 0; c < 4; c++ {
						sum[c] += int(p[c])
					}
					n++
				}
			}
			q := out.Pix[y*out.Stride+4*x:]
			for c := 0; c < 4; c++ {
				q[c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

// psnr compares the RGB channels of two images of the same size.
func psnr(t testing.TB, a, b *image.RGBA) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("size %v != %v", a.Rect.Size(), b.Rect.Size())
	}
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p, q := a.Pix[y*a.Stride+4*x:], b.Pix[y*b.Stride+4*x:]
			for c := 0; c < 3; c++ {
				d := float64(p[c]) - float64(q[c])
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

func stdDecode(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg: %v", err)
	}
	return img
}
