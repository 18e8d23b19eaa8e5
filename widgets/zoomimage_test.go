package widgets

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// card is a 1600×1000 test picture with a bright square in its top-left tenth.
func card() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1000))
	for y := 0; y < 1000; y++ {
		for x := 0; x < 1600; x++ {
			c := color.RGBA{40, 60, 90, 255}
			if x < 160 && y < 100 {
				c = color.RGBA{250, 250, 250, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func TestZoomImageWheelKeysAndPan(t *testing.T) {
	test.NewTempApp(t)
	z := NewZoomImage()
	z.SetImage(card())
	w := window(t, z, fyne.NewSize(640, 400))
	if z.Zoom() != 100 || !image.Rect(0, 0, 1600, 1000).In(z.View()) {
		t.Fatalf("fitted: %d%% %v", z.Zoom(), z.View())
	}
	// The wheel zooms at the pointer: the point under it stays put.
	at := fyne.NewPos(32, 20) // over the bright square's centre, (80, 50) in the picture
	for i := 0; i < 10; i++ {
		z.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: at}, Scrolled: fyne.Delta{DY: 1}})
	}
	if z.Zoom() != 400 {
		t.Fatalf("zoom %d%%, want the 400%% cap", z.Zoom())
	}
	v := z.View()
	if v.Dx() < 380 || v.Dx() > 420 || !image.Pt(75, 50).In(v) {
		t.Fatalf("view %v at 400%%: the point under the pointer left it", v)
	}
	// A drag pans; the view never leaves the picture.
	z.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: -10000, DY: -10000}})
	if v := z.View(); v.Max.X != 1600 || v.Max.Y != 1000 {
		t.Fatalf("panned off the picture: %v", v)
	}
	// Keys, with the focus: 0 fits, + zooms, arrows pan.
	w.Canvas().Focus(z)
	test.Type(z, "0")
	if z.Zoom() != 100 {
		t.Fatalf("0: %d%%", z.Zoom())
	}
	test.Type(z, "++")
	if z.Zoom() != 156 {
		t.Fatalf("++: %d%%", z.Zoom())
	}
	before := z.View()
	z.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if z.View().Min.X <= before.Min.X {
		t.Fatalf("right arrow did not pan: %v → %v", before, z.View())
	}
	// A double click toggles 200 % and back.
	z.Fit()
	z.DoubleTapped(&fyne.PointEvent{Position: at})
	if z.Zoom() != 200 {
		t.Fatalf("double click: %d%%", z.Zoom())
	}
	z.DoubleTapped(&fyne.PointEvent{Position: at})
	if z.Zoom() != 100 {
		t.Fatalf("second double click: %d%%", z.Zoom())
	}
	// The raster is the widget's size and shows the picture.
	out := z.draw(320, 200)
	if r, _, _, _ := out.At(5, 5).RGBA(); r>>8 < 200 {
		t.Errorf("the bright corner is not drawn: %v", out.At(5, 5))
	}
	z.SetImage(nil)
	if z.HasImage() {
		t.Error("SetImage(nil) kept the picture")
	}
}
