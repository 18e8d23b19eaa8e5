package face

import (
	"image"
	"math/rand/v2"
	"testing"
)

// levelIntegral is the summed-area table of the bilinear scaling OpenCV's detector does, exactly:
// compared with the plain two-step computation (scale, then sum) on random pictures, sub-images,
// levels of several sizes and the input itself.
func TestLevelIntegralMatchesScaleThenSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ W, H, w, h int }{
		{300, 200, 300, 200}, {300, 200, 231, 154}, {1280, 960, 993, 745}, {512, 384, 45, 45},
		{640, 700, 260, 281}, {100, 900, 77, 700},
	} {
		big := image.NewGray(image.Rect(0, 0, c.W+13, c.H+7))
		for i := range big.Pix {
			big.Pix[i] = uint8(rng.IntN(256))
		}
		img := big.SubImage(image.Rect(9, 5, 9+c.W, 5+c.H)).(*image.Gray)
		want := sumTable(scaleRef(img, c.w, c.h), c.w, c.h)
		got := levelIntegral(img, c.w, c.h, make([]int32, 3)) // a short buffer is grown
		if len(got) != len(want) {
			t.Fatalf("%+v: %d entries, want %d", c, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%+v: entry %d (row %d) = %d, want %d", c, i, i/(c.w+1), got[i], want[i])
			}
		}
	}
}

// scaleRef is the bilinear scaling written plainly (OpenCV's INTER_LINEAR with 8-bit weights).
func scaleRef(img *image.Gray, w, h int) []uint8 {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	out := make([]uint8, w*h)
	at := func(x, y int) int32 { return int32(img.GrayAt(img.Rect.Min.X+x, img.Rect.Min.Y+y).Y) }
	fx, fy := float64(W)/float64(w), float64(H)/float64(h)
	for y := 0; y < h; y++ {
		sy := max((float64(y)+0.5)*fy-0.5, 0)
		j := min(int(sy), H-1)
		wy := int32((sy - float64(j)) * 256)
		for x := 0; x < w; x++ {
			sx := max((float64(x)+0.5)*fx-0.5, 0)
			i := min(int(sx), W-1)
			wx := int32((sx - float64(i)) * 256)
			i1, j1 := min(i+1, W-1), min(j+1, H-1)
			top := at(i, j)*(256-wx) + at(i1, j)*wx
			bot := at(i, j1)*(256-wx) + at(i1, j1)*wx
			out[y*w+x] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
		}
	}
	return out
}

func sumTable(g []uint8, w, h int) []int32 {
	s := w + 1
	t := make([]int32, s*(h+1))
	for y := 1; y <= h; y++ {
		for x := 1; x <= w; x++ {
			t[y*s+x] = int32(g[(y-1)*w+x-1]) + t[(y-1)*s+x] + t[y*s+x-1] - t[(y-1)*s+x-1]
		}
	}
	return t
}
