package specimen

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestRender(t *testing.T) {
	img := Render(Default(), Options{Width: 800})
	if img.Rect.Dx() != 800 || math.Abs(float64(800)/float64(img.Rect.Dy())-AspectRatio) > 0.01 {
		t.Fatalf("size %v", img.Rect)
	}
	// Dark ink (text) and the red watermark must both be present.
	var ink, red int
	for i := 0; i < len(img.Pix); i += 4 {
		r, g, b := img.Pix[i], img.Pix[i+1], img.Pix[i+2]
		if r < 60 && g < 60 && b < 60 {
			ink++
		}
		if int(r) > int(g)+60 && int(r) > int(b)+60 {
			red++
		}
	}
	if ink < 2000 || red < 5000 {
		t.Errorf("ink=%d red=%d: text or watermark missing", ink, red)
	}
	if def := Render(Default(), Options{}); def.Rect.Dx() != 1600 {
		t.Errorf("default width %d", def.Rect.Dx())
	}
}

func TestRenderIsDeterministicAndUsesPortrait(t *testing.T) {
	a := Render(Default(), Options{Width: 400})
	b := Render(Default(), Options{Width: 400})
	if string(a.Pix) != string(b.Pix) {
		t.Error("not deterministic")
	}
	green := image.NewUniform(color.RGBA{0, 255, 0, 255})
	p := Default()
	p.Name = "BUDI CONTOH"
	c := Render(p, Options{Width: 400, Portrait: &image.Uniform{C: green.C}})
	if string(a.Pix) == string(c.Pix) {
		t.Error("person/portrait ignored")
	}
	// centre of the portrait box is green
	x, y := int(845*0.4), int(200*0.4)
	if r, g, _, _ := c.At(x, y).RGBA(); g>>8 < 150 || r>>8 > 120 {
		t.Errorf("portrait not drawn at %d,%d: %v", x, y, c.At(x, y))
	}
}
