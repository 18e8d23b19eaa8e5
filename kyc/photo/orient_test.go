package photo

import (
	"image"
	"testing"
)

// TestOrientPlaneMatchesOrient: the planar rotation (4:4:4 YCbCr and grey prepared images) must
// move samples exactly as the RGBA one, for all 8 orientations, on a non-square image with a
// padded stride.
func TestOrientPlaneMatchesOrient(t *testing.T) {
	const w, h, stride = 7, 5, 9
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	plane := make([]byte, stride*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(y*w + x)
			plane[y*stride+x] = v
			copy(rgba.Pix[y*rgba.Stride+4*x:], []byte{v, v, v, 255})
		}
	}
	for o := 1; o <= 8; o++ {
		want := orient(rgba, o) // rgba itself for 1
		got, dw, dh := orientPlane(plane, stride, w, h, o)
		if dw != want.Rect.Dx() || dh != want.Rect.Dy() {
			t.Fatalf("o=%d: %dx%d, want %v", o, dw, dh, want.Rect.Size())
		}
		for y := 0; y < dh; y++ {
			for x := 0; x < dw; x++ {
				if got[y*dw+x] != want.Pix[y*want.Stride+4*x] {
					t.Fatalf("o=%d at (%d,%d): %d, want %d", o, x, y, got[y*dw+x], want.Pix[y*want.Stride+4*x])
				}
			}
		}
	}
}
