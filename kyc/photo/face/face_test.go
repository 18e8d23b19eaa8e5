package face

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strings"
	"testing"
)

func astronautGray(t *testing.T) *image.Gray {
	f, err := os.Open("../testdata/sample-selfie-astronaut.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, image.Point{}, draw.Src)
	return g
}

func TestDetectsTheAstronaut(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if w, h := c.WindowSize(); w != 45 || h != 45 {
		t.Errorf("window %dx%d", w, h)
	}
	faces := c.Detect(astronautGray(t), Options{})
	if len(faces) != 1 {
		t.Fatalf("faces = %v, want 1", faces)
	}
	// The face is around (190..260, 85..160) in the 512 px portrait.
	if r := faces[0].Rect; !r.Overlaps(image.Rect(190, 85, 260, 160)) || r.Dx() < 50 || r.Dx() > 120 {
		t.Errorf("face at %v", r)
	}
	if faces[0].Neighbors <= 3 {
		t.Errorf("neighbors %d", faces[0].Neighbors)
	}
	// MaxSize below the face, MinSize above it: nothing.
	if f := c.Detect(astronautGray(t), Options{MaxSize: 50}); len(f) != 0 {
		t.Errorf("MaxSize ignored: %v", f)
	}
	if f := c.Detect(astronautGray(t), Options{MinSize: 200}); len(f) != 0 {
		t.Errorf("MinSize ignored: %v", f)
	}
}

func TestNoFaceInFlatOrTinyImages(t *testing.T) {
	c, _ := Default()
	flat := image.NewGray(image.Rect(0, 0, 200, 150))
	draw.Draw(flat, flat.Rect, image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
	if f := c.Detect(flat, Options{}); len(f) != 0 {
		t.Errorf("flat: %v", f)
	}
	if f := c.Detect(image.NewGray(image.Rect(0, 0, 20, 20)), Options{}); len(f) != 0 {
		t.Errorf("tiny: %v", f)
	}
}

func TestGroupMergesAndFilters(t *testing.T) {
	var raw []image.Rectangle
	for i := 0; i < 5; i++ { // one strong cluster
		raw = append(raw, image.Rect(100+i, 100, 200+i, 200))
	}
	raw = append(raw, image.Rect(400, 400, 450, 450), image.Rect(401, 400, 451, 450)) // weak: 2 hits
	for i := 0; i < 4; i++ {                                                          // small cluster inside the strong one
		raw = append(raw, image.Rect(120, 120, 150, 150))
	}
	got := group(raw, 3, 0.2)
	if len(got) != 1 || got[0].Neighbors != 5 || got[0].Rect != image.Rect(102, 100, 202, 200) {
		t.Errorf("group = %+v", got)
	}
}

func TestParseRejectsBadCascades(t *testing.T) {
	good := string(modelXML)
	cases := map[string]string{
		"not xml":     "<<<",
		"haar":        strings.Replace(good, "<featureType>LBP", "<featureType>HAAR", 1),
		"no window":   strings.Replace(good, "<height>45</height>", "<height>0</height>", 1),
		"bad rect":    strings.Replace(good, "42 29 1 2</rect>", "42 29 9 2</rect>", 1),
		"short rect":  strings.Replace(good, "42 29 1 2</rect>", "42 29 1</rect>", 1),
		"bad node":    strings.Replace(good, "0 -1 26 -1 -1 -17409", "1 -1 26 -1 -1 -17409", 1),
		"bad feature": strings.Replace(good, "0 -1 26 -1 -1 -17409", "0 -1 9999 -1 -1 -17409", 1),
		"bad leaf":    strings.Replace(good, "-9.9726462364196777e-001 -3.8938775658607483e-001", "x y", 1),
		"one leaf":    strings.Replace(good, "-9.9726462364196777e-001 -3.8938775658607483e-001", "1", 1),
		"bad int":     strings.Replace(good, "0 -1 26 -1 -1 -17409", "0 -1 2x -1 -1 -17409", 1),
	}
	for name, x := range cases {
		if _, err := Parse([]byte(x)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// BenchmarkDetect512: a full search of the 512 px sample selfie, on one goroutine's worth of
// work per level (cpu-ms/op is the CPU time; wall time on a shared machine measures the neighbours).
func BenchmarkDetect512(b *testing.B) {
	t := &testing.T{}
	g := astronautGray(t)
	c, _ := Default()
	c0, n := cpuTime(), 0
	for b.Loop() {
		n++
		c.Detect(g, Options{ScaleFactor: 1.15})
	}
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(n), "cpu-ms/op")
}
