package jpegscale

import (
	"bytes"
	"image"
	"testing"
)

// TestOnRows: rows are reported in order, up to the full height for baseline files, never for
// progressive ones, and every reported row already holds its final samples.
func TestOnRows(t *testing.T) {
	for _, c := range []struct {
		name  string
		calls bool
	}{
		{"baseline_420.jpg", true}, {"baseline_444.jpg", true}, {"baseline_grey.jpg", true},
		{"restart_420.jpg", true}, {"progressive_420.jpg", false}, {"noninterleaved_422.jpg", false},
		{"adobe_rgb.jpg", false},
	} {
		data := readFile(t, "testdata/"+c.name)
		for _, s := range []int{1, 2, 8} {
			for _, keep := range []bool{false, true} {
				var (
					last   int
					snaps  = map[int][]byte{} // luma row → its samples when first reported
					lumaOf = func(img image.Image) ([]byte, int) {
						switch m := img.(type) {
						case *image.YCbCr:
							return m.Y, m.YStride
						case *image.Gray:
							return m.Pix, m.Stride
						}
						t.Fatalf("%s: %T", c.name, img)
						return nil, 0
					}
				)
				img, err := DecodeBytes(data, Options{Scale: s, KeepSubsampling: keep, OnRows: func(img image.Image, rows int) {
					if rows <= last || rows > img.Bounds().Dy() {
						t.Errorf("%s 1/%d: rows %d after %d", c.name, s, rows, last)
					}
					pix, stride := lumaOf(img)
					snaps[rows-1] = bytes.Clone(pix[(rows-1)*stride : (rows-1)*stride+img.Bounds().Dx()])
					last = rows
				}})
				if err != nil {
					t.Fatal(err)
				}
				if !c.calls {
					if last != 0 {
						t.Errorf("%s 1/%d: OnRows called", c.name, s)
					}
					continue
				}
				if last != img.Bounds().Dy() {
					t.Errorf("%s 1/%d: last report %d rows of %d", c.name, s, last, img.Bounds().Dy())
				}
				pix, stride := lumaOf(img)
				for y, snap := range snaps {
					if !bytes.Equal(snap, pix[y*stride:y*stride+len(snap)]) {
						t.Errorf("%s 1/%d: row %d changed after it was reported", c.name, s, y)
					}
				}
			}
		}
	}
}
