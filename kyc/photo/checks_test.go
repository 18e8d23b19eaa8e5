package photo

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

type fixture struct {
	name string
	kind Kind
	img  func(testing.TB) image.Image
	want string // finding code expected; "" = the clean fixture, no findings at all
	sev  Severity
}

func fixtures() []fixture {
	return []fixture{
		{"selfie clean", KindSelfie, func(t testing.TB) image.Image { return cleanSelfie(t) }, "", 0},
		{"selfie blurred", KindSelfie, func(t testing.TB) image.Image { return blurred(cleanSelfie(t), 3) }, FindingBlurred, SeverityWarning},
		{"selfie dark", KindSelfie, func(t testing.TB) image.Image { return darkened(cleanSelfie(t)) }, FindingTooDark, SeverityWarning},
		{"selfie black", KindSelfie, func(t testing.TB) image.Image { return blackened(cleanSelfie(t)) }, FindingTooDark, SeverityError},
		{"selfie overexposed", KindSelfie, func(t testing.TB) image.Image { return overexposed(cleanSelfie(t)) }, FindingOverexposed, SeverityWarning},
		{"selfie low contrast", KindSelfie, func(t testing.TB) image.Image { return lowContrast(cleanSelfie(t)) }, FindingLowContrast, SeverityWarning},
		{"selfie tiny face", KindSelfie, func(t testing.TB) image.Image { return astronaut(t) }, FindingFaceTooSmall, SeverityWarning},
		{"selfie two faces", KindSelfie, func(t testing.TB) image.Image { return twoFaces(t) }, FindingSeveralFaces, SeverityWarning},
		{"selfie no face", KindSelfie, func(t testing.TB) image.Image { return noFace(t) }, FindingNoFace, SeverityWarning},
		{"selfie too small", KindSelfie, func(t testing.TB) image.Image { return shrink(cleanSelfie(t), 400) }, FindingTooSmall, SeverityError},
		{"card clean", KindID, func(t testing.TB) image.Image { return cleanCard(t) }, "", 0},
		{"card blurred", KindID, func(t testing.TB) image.Image { return blurred(cleanCard(t), 2.5) }, FindingBlurred, SeverityWarning},
		{"card dark", KindID, func(t testing.TB) image.Image { return darkened(cleanCard(t)) }, FindingTooDark, SeverityWarning},
		{"card overexposed", KindID, func(t testing.TB) image.Image { return overexposed(cleanCard(t)) }, FindingOverexposed, SeverityWarning},
		{"card glare", KindID, func(t testing.TB) image.Image { return glared(cleanCard(t)) }, FindingGlare, SeverityWarning},
		{"card low contrast", KindID, func(t testing.TB) image.Image { return lowContrast(cleanCard(t)) }, FindingLowContrast, SeverityWarning},
		{"card too small", KindID, func(t testing.TB) image.Image { return shrink(cleanCard(t), 900) }, FindingTooSmall, SeverityError},
		// The card as a phone photographs it (photographedCard): the clean one must raise nothing.
		{"photographed card", KindID, func(t testing.TB) image.Image { return photographedCard(t) }, "", 0},
		{"photographed card blurred", KindID, func(t testing.TB) image.Image { return blurred(photographedCard(t), 2.5) }, FindingBlurred, SeverityWarning},
		{"photographed card dark", KindID, func(t testing.TB) image.Image { return darkened(photographedCard(t)) }, FindingTooDark, SeverityWarning},
		{"photographed card overexposed", KindID, func(t testing.TB) image.Image { return overexposed(photographedCard(t)) }, FindingOverexposed, SeverityWarning},
		{"photographed card glare", KindID, func(t testing.TB) image.Image { return glared(photographedCard(t)) }, FindingGlare, SeverityWarning},
		{"photographed card low contrast", KindID, func(t testing.TB) image.Image { return lowContrast(photographedCard(t)) }, FindingLowContrast, SeverityWarning},
	}
}

func shrink(img image.Image, long int) image.Image {
	b := img.Bounds()
	w, h := fitSize(b.Dx(), b.Dy(), long)
	return downscale(img, w, h)
}

// TestFindings: every finding fires on its fixture, and the clean fixtures raise nothing.
func TestFindings(t *testing.T) {
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			p, err := PrepareImage(context.Background(), fx.img(t), fx.kind)
			if err != nil {
				t.Fatal(err)
			}
			if fx.want == "" {
				if len(p.Findings) != 0 {
					t.Fatalf("clean fixture raised %+v", p.Findings)
				}
				if fx.kind == KindSelfie && len(p.Faces) != 1 {
					t.Fatalf("faces = %v, want exactly one", p.Faces)
				}
				return
			}
			var got *Finding
			for i := range p.Findings {
				if p.Findings[i].Code == fx.want {
					got = &p.Findings[i]
				}
			}
			if got == nil {
				t.Fatalf("want %s, got %+v", fx.want, p.Findings)
			}
			if got.Severity != fx.sev {
				t.Errorf("severity %v, want %v", got.Severity, fx.sev)
			}
			if got.MessageID == "" || got.MessageEN == "" || got.MessageID == got.MessageEN {
				t.Errorf("messages not bilingual: %+v", got)
			}
			if (fx.sev == SeverityError) != (len(p.Blocking()) > 0) {
				t.Errorf("Blocking() = %v", p.Blocking())
			}
		})
	}
}

// TestCalibration prints the measurements behind thresholds.go (run with -v to recalibrate).
func TestCalibration(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("calibration printout: run with -v")
	}
	for _, fx := range fixtures() {
		img := fx.img(t)
		b := img.Bounds()
		w, h := fitSize(b.Dx(), b.Dy(), TargetFor(fx.kind).LongEdge)
		small := downscale(img, w, h)
		luma := lumaOf(small)
		g := fitGrey(luma)
		s := measure(g)
		var faces []image.Rectangle
		if fx.kind == KindSelfie {
			faces = detectFaces(small, luma, g)
		}
		t.Logf("%-32s mean=%6.1f sd=%5.1f spread=%5.0f clipped=%.4f lapvar=%7.1f sharp=%7.1f faces=%v",
			fx.name, s.Mean, s.StdDev, s.Spread, s.Clipped, s.LaplacianVar, s.Sharpness, faces)
		putRGBA(small)
	}
}

// TestRealPhotosChecks runs the selfie checks over the real photos of testdata/faceless (see its
// README): none may get a face, and none may get a quality warning it does not deserve — only the
// night shots are dark, and only the two small files are too small.
func TestRealPhotosChecks(t *testing.T) {
	deserved := map[string][]string{
		"skimage-hubble_deep_field": {FindingTooDark}, // the night sky
		"skimage-rocket":            {FindingTooDark}, // a launch pad at night
		"skimage-chelsea":           {FindingTooSmall},
		"skimage-page":              {FindingTooSmall},
	}
	files, err := filepath.Glob("testdata/faceless/*.jpg")
	if err != nil || len(files) < 16 {
		t.Fatalf("faceless photos: %v %v", files, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jpg")
		p, err := Prepare(context.Background(), readFile(t, "faceless/"+name+".jpg"), KindSelfie)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Faces) != 0 {
			t.Errorf("%s: faces %v on a photo without one", name, p.Faces)
		}
		var got []string
		for _, fd := range p.Findings {
			if fd.Code != FindingNoFace {
				got = append(got, fd.Code)
			}
		}
		if want := deserved[name]; !slices.Equal(got, want) {
			t.Errorf("%s: findings %v, want %v", name, got, want)
		}
	}
}

// The checks read every kind of prepared image the same: an opaque NRGBA (the imaging path), its
// RGBA, a YCbCr and a grey sub-image give the same luma, and the analysis image of an odd size
// is the exact area average (its pixels compared with a plain computation of it).
func TestLumaAndAnalysisImage(t *testing.T) {
	n := imaging.Resize(cleanSelfie(t), 1001, 751, imaging.Lanczos) // odd sizes: ratios that are not whole
	want := lumaOf(boxShrink(n, 1))
	if got := lumaOf(n); !bytes.Equal(got.Pix, want.Pix) {
		t.Error("NRGBA luma differs from the RGBA one")
	}
	big := image.NewGray(image.Rect(0, 0, 1100, 800))
	sub := big.SubImage(image.Rect(50, 30, 1051, 781)).(*image.Gray)
	draw.Draw(sub, sub.Rect, want, image.Point{}, draw.Src)
	if got := lumaOf(sub); !bytes.Equal(got.Pix, want.Pix) {
		t.Error("grey sub-image luma differs")
	}
	g := fitGrey(want)
	sw, sh := want.Rect.Dx(), want.Rect.Dy()
	w, h := g.Rect.Dx(), g.Rect.Dy()
	sx, sy := float64(sw)/float64(w), float64(sh)/float64(h)
	worst := 0.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum, area float64
			for j := int(float64(y) * sy); j < min(int(math.Ceil(float64(y+1)*sy)), sh); j++ {
				cy := math.Min(float64(y+1)*sy, float64(j+1)) - math.Max(float64(y)*sy, float64(j))
				for i := int(float64(x) * sx); i < min(int(math.Ceil(float64(x+1)*sx)), sw); i++ {
					cx := math.Min(float64(x+1)*sx, float64(i+1)) - math.Max(float64(x)*sx, float64(i))
					sum += cx * cy * float64(want.Pix[j*want.Stride+i])
					area += cx * cy
				}
			}
			worst = max(worst, math.Abs(sum/area-float64(g.Pix[y*g.Stride+x])))
		}
	}
	if worst > 1 { // the integer weights round; more than one level off is a wrong sum
		t.Errorf("analysis image off the exact area average by up to %.2f", worst)
	}
}
