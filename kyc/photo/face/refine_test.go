package face

import (
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The refined scan of coarse levels (stride 2, then stride 1 around every hit) finds the faces a
// plain stride-1 scan finds, with the same boxes: the astronaut at several sizes and
// places, and the real faceless photos (no face either way).
func TestRefinedScanMatchesStrideOne(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var cases []*image.Gray
	astro := astronautGray(t)
	for _, side := range []int{300, 420, 512} {
		for _, at := range []image.Point{{0, 0}, {37, 11}, {101, 63}} {
			g := image.NewGray(image.Rect(0, 0, 512+at.X, 512+at.Y))
			draw.Draw(g, g.Rect, image.NewUniform(color.Gray{Y: 128}), image.Point{}, draw.Src)
			small := image.NewGray(image.Rect(0, 0, side, side))
			nearest(small, astro)
			draw.Draw(g, small.Rect.Add(at), small, image.Point{}, draw.Src)
			cases = append(cases, g)
		}
	}
	files, _ := filepath.Glob("../testdata/faceless/*.jpg")
	if len(files) == 0 {
		t.Fatal("no faceless photos")
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(name, err)
		}
		b := img.Bounds()
		s := 512 / math.Max(float64(b.Dx()), float64(b.Dy()))
		src := image.NewGray(b)
		draw.Draw(src, b, img, b.Min, draw.Src)
		g := image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*s), int(float64(b.Dy())*s)))
		nearest(g, src)
		cases = append(cases, g)
	}
	faces := 0
	for i, g := range cases {
		o := Options{ScaleFactor: 1.2, MinNeighbors: 3}
		got := c.Detect(g, o)
		plainStrideOne = true
		want := c.Detect(g, o)
		plainStrideOne = false
		if len(got) != len(want) {
			t.Errorf("case %d: refined scan found %d faces, stride 1 %d", i, len(got), len(want))
			continue
		}
		for j := range got {
			faces++
			a, b := got[j].Rect, want[j].Rect
			if a != b || got[j].Neighbors != want[j].Neighbors {
				t.Errorf("case %d: refined %v, stride 1 %v", i, a, b)
			}
		}
	}
	if faces < 9 {
		t.Errorf("only %d faces compared; the astronaut should be found in every placed case", faces)
	}
}

func nearest(dst, src *image.Gray) {
	sb, db := src.Rect, dst.Rect
	for y := 0; y < db.Dy(); y++ {
		sy := sb.Min.Y + y*sb.Dy()/db.Dy()
		for x := 0; x < db.Dx(); x++ {
			dst.Pix[y*dst.Stride+x] = src.Pix[(sy-sb.Min.Y)*src.Stride+x*sb.Dx()/db.Dx()]
		}
	}
}
