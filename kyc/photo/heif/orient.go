package heif

import "image"

// dihedral is one of the 8 orientations: first mirror left-right if flip, then turn k quarter
// turns clockwise. It maps to and from EXIF orientation codes.
type dihedral struct {
	k    int
	flip bool
}

var exifDihedral = [9]dihedral{
	1: {0, false}, 2: {0, true}, 3: {2, false}, 4: {2, true},
	5: {3, true}, 6: {1, false}, 7: {1, true}, 8: {3, false},
}

// then returns the transform "d, then e".
func (d dihedral) then(e dihedral) dihedral {
	k := d.k
	if e.flip {
		k = -k
	}
	return dihedral{k: ((e.k+k)%4 + 4) % 4, flip: d.flip != e.flip}
}

func (d dihedral) exif() int {
	for o := 1; o <= 8; o++ {
		if exifDihedral[o] == d {
			return o
		}
	}
	return 1
}

// unmapRect takes r, a rectangle in the picture as transformed by d, where the untransformed
// picture is the region `in` of the stored picture, and returns it in stored coordinates.
func (d dihedral) unmapRect(r, in image.Rectangle) image.Rectangle {
	w, h := in.Dx(), in.Dy()
	x0, y0 := d.unmapPoint(r.Min.X, r.Min.Y, w, h)
	x1, y1 := d.unmapPoint(r.Max.X-1, r.Max.Y-1, w, h)
	return image.Rect(min(x0, x1), min(y0, y1), max(x0, x1)+1, max(y0, y1)+1).Add(in.Min)
}

// unmapPoint maps pixel (x, y) of the transformed picture back to the w×h untransformed one.
func (d dihedral) unmapPoint(x, y, w, h int) (int, int) {
	tw, th := w, h // size of the picture as transformed so far, unwound turn by turn
	if d.k%2 == 1 {
		tw, th = h, w
	}
	for i := 0; i < d.k; i++ {
		// Before a clockwise turn the picture was th×tw and (x, y) came from (y, tw−1−x).
		x, y = y, tw-1-x
		tw, th = th, tw
	}
	if d.flip {
		x = w - 1 - x
	}
	return x, y
}
