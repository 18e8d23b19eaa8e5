package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/specimen"
)

// Fixtures are generated, not committed: only the astronaut and a few tiny format samples live in
// testdata. Each is built once per test binary.

var (
	astroOnce sync.Once
	astro     image.Image
)

func astronaut(t testing.TB) image.Image {
	t.Helper()
	astroOnce.Do(func() {
		f, err := os.Open("testdata/sample-selfie-astronaut.png")
		if err != nil {
			return
		}
		defer f.Close()
		astro, _ = png.Decode(f)
	})
	if astro == nil {
		t.Fatal("cannot load testdata/sample-selfie-astronaut.png")
	}
	return astro
}

var (
	selfieOnce, cardOnce sync.Once
	selfie1280, card1600 *image.NRGBA
)

// cleanSelfie is the astronaut as a 1280 px camera frame (face ≈ 180 px): the "good selfie".
func cleanSelfie(t testing.TB) *image.NRGBA {
	a := astronaut(t)
	selfieOnce.Do(func() { selfie1280 = imaging.Resize(a, 1280, 1280, imaging.Lanczos) })
	return selfie1280
}

// cleanCard is the specimen eKTP at 1600 px, laid on a light desk margin like a real photo.
func cleanCard(t testing.TB) *image.NRGBA {
	cardOnce.Do(func() {
		card := specimen.Render(specimen.Default(), specimen.Options{Width: 1500})
		bg := imaging.New(1600, 1100, color.NRGBA{196, 190, 180, 255})
		card1600 = imaging.Paste(bg, card, image.Pt(50, 50))
	})
	return card1600
}

func blurred(img image.Image, sigma float64) *image.NRGBA { return imaging.Blur(img, sigma) }

// mapLuma applies f to every channel value (a tone curve).
func mapLuma(img image.Image, f func(float64) float64) *image.NRGBA {
	var lut [256]uint8
	for i := range lut {
		lut[i] = uint8(math.Round(min(max(f(float64(i)), 0), 255)))
	}
	return imaging.AdjustFunc(img, func(c color.NRGBA) color.NRGBA {
		return color.NRGBA{lut[c.R], lut[c.G], lut[c.B], c.A}
	})
}

func darkened(img image.Image) *image.NRGBA {
	return mapLuma(img, func(v float64) float64 { return v * 0.3 })
}
func blackened(img image.Image) *image.NRGBA {
	return mapLuma(img, func(v float64) float64 { return v * 0.03 })
}
func overexposed(img image.Image) *image.NRGBA {
	return mapLuma(img, func(v float64) float64 { return v*1.5 + 70 })
}
func lowContrast(img image.Image) *image.NRGBA {
	return mapLuma(img, func(v float64) float64 { return 128 + (v-128)*0.2 })
}

// glared adds a saturated specular ellipse with a soft rim over about a tenth of the card.
func glared(img image.Image) *image.NRGBA {
	out := imaging.Clone(img)
	b := out.Bounds()
	cx, cy := float64(b.Dx())*0.45, float64(b.Dy())*0.45
	rx, ry := float64(b.Dx())*0.2, float64(b.Dy())*0.16
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			d := math.Hypot((float64(x)-cx)/rx, (float64(y)-cy)/ry)
			if d > 1.3 {
				continue
			}
			a := 1.0
			if d > 1 {
				a = (1.3 - d) / 0.3
			}
			i := out.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				out.Pix[i+c] = uint8(float64(out.Pix[i+c])*(1-a) + 255*a)
			}
		}
	}
	return out
}

// twoFaces puts two head-and-shoulders crops of the astronaut side by side in a 1280×800 frame.
func twoFaces(t testing.TB) *image.NRGBA {
	head := imaging.Crop(astronaut(t), image.Rect(130, 20, 330, 300))
	head = imaging.Resize(head, 560, 0, imaging.Lanczos)
	out := imaging.New(1280, 800, color.NRGBA{90, 90, 100, 255})
	out = imaging.Paste(out, head, image.Pt(40, 10))
	return imaging.Paste(out, head, image.Pt(680, 10))
}

// noFace is a faceless 1280 frame: the card's background and text, as if the clerk shot the desk.
func noFace(t testing.TB) *image.NRGBA {
	return imaging.Resize(imaging.Crop(cleanCard(t), image.Rect(0, 250, 1000, 1000)), 1280, 0, imaging.Lanczos)
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF APP1 segment carrying orientation o right after SOI.
func withOrientation(j []byte, o int, order binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	order.PutUint16(tiff[2:], 42)
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1)
	e := tiff[10:]
	order.PutUint16(e[0:], tagOrientation)
	order.PutUint16(e[2:], 3)
	order.PutUint32(e[4:], 1)
	order.PutUint16(e[8:], uint16(o))
	return insertAPP1(j, append([]byte("Exif\x00\x00"), tiff...))
}

func insertAPP1(j, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, j[2:]...)
}

// noise is incompressible content, for the byte-budget fallback.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

func solid(w, h int, c color.Color) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
