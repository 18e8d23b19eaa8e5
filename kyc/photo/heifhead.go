package photo

import "errors"

// heifHead is what a walk over the HEIF boxes learns without starting the decoder (which is a
// WebAssembly libheif instance: costly to start and able to grow its memory to gigabytes).
type heifHead struct {
	width, height int // largest image-spatial-extents ('ispe') found: the primary image or grid
	orientation   int // EXIF-equivalent of the irot/imir properties (informational: libheif applies them)
}

const (
	maxBoxDepth = 8
	maxBoxes    = 4096
)

var errNoExtents = errors.New("no image size (ispe) in the HEIF header")

// scanHEIF walks ftyp/meta/iprp/ipco looking for 'ispe', 'irot' and 'imir'. It is bounded in depth
// and box count, and never trusts a size beyond the buffer.
func scanHEIF(b []byte) (heifHead, error) {
	h := heifHead{orientation: 1}
	w := heifWalker{h: &h, rot: 0}
	if err := w.walk(b, 0); err != nil {
		return h, err
	}
	if h.width == 0 || h.height == 0 {
		if w.truncated {
			return h, errTruncated(errNoExtents)
		}
		return h, errCorrupt(errNoExtents)
	}
	h.orientation = dihedral{k: w.rot, flip: false}.then(w.mirror).exif()
	return h, nil
}

type heifWalker struct {
	h         *heifHead
	boxes     int
	truncated bool
	rot       int      // clockwise quarter turns from 'irot'
	mirror    dihedral // from 'imir' (identity when absent)
}

func (w *heifWalker) walk(b []byte, depth int) error {
	if depth > maxBoxDepth {
		return errCorrupt(errors.New("HEIF boxes nested too deep"))
	}
	for len(b) >= 8 {
		w.boxes++
		if w.boxes > maxBoxes {
			return errCorrupt(errors.New("too many HEIF boxes"))
		}
		size, hdr := uint64(be32(b)), 8
		typ := string(b[4:8])
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				w.truncated = true
				return nil
			}
			size, hdr = uint64(be32(b[8:]))<<32|uint64(be32(b[12:])), 16
		}
		if size < uint64(hdr) {
			return errCorrupt(errors.New("bad HEIF box size"))
		}
		if size > uint64(len(b)) {
			w.truncated = true
			size = uint64(len(b)) // look inside what we have; the header usually precedes mdat
		}
		body := b[hdr:size]
		switch typ {
		case "meta": // full box: version+flags before the children
			if len(body) >= 4 {
				if err := w.walk(body[4:], depth+1); err != nil {
					return err
				}
			}
		case "iprp", "ipco":
			if err := w.walk(body, depth+1); err != nil {
				return err
			}
		case "ispe":
			if len(body) >= 12 {
				wd, ht := int(be32(body[4:])), int(be32(body[8:]))
				if int64(wd)*int64(ht) > int64(w.h.width)*int64(w.h.height) {
					w.h.width, w.h.height = wd, ht
				}
			}
		case "irot":
			if len(body) >= 1 {
				w.rot = (4 - int(body[0]&3)) % 4 // irot counts anticlockwise turns
			}
		case "imir":
			if len(body) >= 1 {
				if body[0]&1 == 0 {
					w.mirror = dihedral{flip: true} // vertical axis: left-right mirror
				} else {
					w.mirror = dihedral{k: 2, flip: true} // horizontal axis: top-bottom mirror
				}
			}
		}
		b = b[size:]
	}
	return nil
}

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
