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

var (
	photoCardOnce sync.Once
	photoCard     *image.NRGBA
)

// photographedCard is the specimen eKTP as a phone at the counter photographs it: held a little
// off-square (perspective), lit from one side (a brightness gradient and vignetting), a soft
// shadow across one end, a thumb over the lower-left corner, lens softness, sensor noise, and the
// phone's JPEG, 1600 px wide. The portrait box shows the sample selfie, as on a real card.
func photographedCard(t testing.TB) *image.NRGBA {
	photoCardOnce.Do(func() {
		portrait := imaging.Crop(astronaut(t), image.Rect(130, 20, 330, 280))
		card := specimen.Render(specimen.Default(), specimen.Options{Width: 1400, Portrait: portrait})
		const W, H = 1600, 1100
		// Where the card's corners land (clockwise from top-left): about 4 % of keystone.
		quad := [4][2]float64{{118, 96}, {1492, 130}, {1466, 1000}, {92, 968}}
		hom := homography(card.Rect.Dx(), card.Rect.Dy(), quad)
		out := image.NewNRGBA(image.Rect(0, 0, W, H))
		rng := rand.New(rand.NewPCG(7, 13))
		cw, ch := float64(card.Rect.Dx()), float64(card.Rect.Dy())
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				// A desk: warm grey with a faint grain.
				r, g, b := 150.0, 142.0, 130.0
				u, v := hom(float64(x)+0.5, float64(y)+0.5)
				if u >= 0 && v >= 0 && u < cw-1 && v < ch-1 {
					r, g, b = bilinearRGB(card, u, v)
				}
				// Light from the top left, falling to 72 % at the far corner, with vignetting.
				dx, dy := float64(x)/W, float64(y)/H
				light := 1.08 - 0.3*(0.6*dx+0.4*dy) - 0.12*(math.Pow(dx-0.5, 2)+math.Pow(dy-0.5, 2))
				// The soft shadow of the phone across the right end.
				if s := (float64(x) - 1250 - 0.25*float64(y)) / 90; s > -1 {
					light *= 1 - 0.28*min(1, (s+1)/2)
				}
				i := out.PixOffset(x, y)
				for c, val := range [3]float64{r, g, b} {
					n := rng.NormFloat64() * 3.2 // sensor noise
					out.Pix[i+c] = uint8(max(0, min(255, val*light+n)))
				}
				out.Pix[i+3] = 255
			}
		}
		// A thumb over the lower-left corner: skin with a highlight and a darker edge.
		cx, cy, rx, ry := 150.0, 1020.0, 120.0, 170.0
		for y := int(cy - ry); y < H; y++ {
			for x := 0; x < int(cx+rx); x++ {
				ddx, ddy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
				d := math.Hypot(ddx, ddy)
				if d > 1 {
					continue
				}
				shade := 0.75 + 0.3*(1-d) - 0.15*ddx
				i := out.PixOffset(x, y)
				out.Pix[i] = uint8(min(255, 214*shade))
				out.Pix[i+1] = uint8(min(255, 160*shade))
				out.Pix[i+2] = uint8(min(255, 128*shade))
			}
		}
		soft := imaging.Blur(out, 0.7)
		img, err := jpeg.Decode(bytes.NewReader(encJPEG(t, soft, 82)))
		if err != nil {
			t.Fatal(err)
		}
		photoCard = toNRGBA(img)
	})
	return imaging.Clone(photoCard)
}

// homography returns the map from output pixels to card pixels for a card of w×h whose corners
// are drawn at quad (the inverse of the projective map sending the card's corners to quad).
func homography(w, h int, quad [4][2]float64) func(x, y float64) (float64, float64) {
	// Solve for H mapping the unit square to quad (Heckbert's closed form), then invert.
	x0, y0, x1, y1, x2, y2, x3, y3 := quad[0][0], quad[0][1], quad[1][0], quad[1][1], quad[2][0], quad[2][1], quad[3][0], quad[3][1]
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	g := (sx*dy2 - dx2*sy) / den
	hh := (dx1*sy - sx*dy1) / den
	a, b, c := x1-x0+g*x1, x3-x0+hh*x3, x0
	d, e, f := y1-y0+g*y1, y3-y0+hh*y3, y0
	// Inverse of [[a b c] [d e f] [g hh 1]] (adjugate).
	A, B, C := e-f*hh, c*hh-b, b*f-c*e
	D, E, F := f*g-d, a-c*g, c*d-a*f
	G, Hh, I := d*hh-e*g, b*g-a*hh, a*e-b*d
	return func(x, y float64) (float64, float64) {
		z := G*x + Hh*y + I
		return (A*x + B*y + C) / z * float64(w), (D*x + E*y + F) / z * float64(h)
	}
}

func bilinearRGB(img *image.RGBA, u, v float64) (r, g, b float64) {
	x0, y0 := int(u), int(v)
	tx, ty := u-float64(x0), v-float64(y0)
	p := func(x, y, c int) float64 { return float64(img.Pix[img.PixOffset(x, y)+c]) }
	var out [3]float64
	for c := 0; c < 3; c++ {
		out[c] = (1-ty)*((1-tx)*p(x0, y0, c)+tx*p(x0+1, y0, c)) + ty*((1-tx)*p(x0, y0+1, c)+tx*p(x0+1, y0+1, c))
	}
	return out[0], out[1], out[2]
}
