package photo

import (
	"image"
	"math"

	"kycdesk/kyc/photo/face"
)

// Face detection on a prepared selfie runs in two passes (issue 13).
//
// The coarse pass is the detector on the 512 px analysis image, as it always was: its 45 px
// window finds faces from about 112 px on a 1280 px selfie — the customer's own face — for
// little work, and its box is what MinFaceSide was calibrated on.
//
// The fine pass looks only for the smaller faces the coarse one cannot see, FaceFineMin to
// FaceFineMax pixels on the prepared image itself: someone standing behind the customer, a face
// on a phone screen or a printed photo held up. Small windows are many (half a million on a
// 1280×960 selfie), so a window is only given to the cascade when enough of its middle is
// skin-coloured (skinGate); on a grey photo, which has no colour to go by, every window is.
// Faces it finds that overlap a coarse one are the same face.

// detectFaces returns the faces of a prepared selfie in its pixels: img is the prepared image,
// luma its luma at full size, g the analysis image (luma fitted to AnalysisLongEdge).
func detectFaces(img image.Image, luma, g *image.Gray) []image.Rectangle {
	c, err := face.Default()
	if err != nil { // the embedded model is tested; this cannot happen in a released build
		return nil
	}
	// The fine pass's skin mask is made while the coarse pass runs (the pass does not use
	// both cores all the time: its small levels are scanned by one goroutine).
	skinc := make(chan *face.Mask, 1)
	go func() { skinc <- skinMaskOf(img) }()
	faces := coarseFaces(c, g, float64(luma.Rect.Dx())/float64(g.Rect.Dx()))
	skin := <-skinc
	if len(faces) >= 2 { // already several: the answer does not change
		return faces
	}
	return fineFaces(c, luma, skin, faces)
}

// coarseFaces runs the detector on the analysis image g and returns its faces in prepared-image
// pixels (scale: prepared pixels per analysis pixel).
func coarseFaces(c *face.Cascade, g *image.Gray, scale float64) []image.Rectangle {
	var faces []image.Rectangle
	for _, f := range c.Detect(g, face.Options{ScaleFactor: FaceScaleFactor, MinNeighbors: FaceMinNeighbors}) {
		r := f.Rect
		faces = append(faces, image.Rect(
			int(math.Round(float64(r.Min.X)*scale)), int(math.Round(float64(r.Min.Y)*scale)),
			int(math.Round(float64(r.Max.X)*scale)), int(math.Round(float64(r.Max.Y)*scale))))
	}
	return faces
}

// fineFaces adds to faces (the coarse pass's) the smaller ones the fine pass finds on the
// prepared image's luma, where skin (nil: a grey photo) allows.
func fineFaces(c *face.Cascade, luma *image.Gray, skin *face.Mask, faces []image.Rectangle) []image.Rectangle {
	// A smaller face cannot sit inside one already found: windows centred in a found face (or
	// just around it: its forehead and chin) are skipped. They are also the costliest windows, as
	// pieces of a face go deep into the cascade.
	var around []image.Rectangle
	for _, f := range faces {
		m := f.Dx() / 4
		around = append(around, f.Inset(-m))
	}
	gate := &face.Gate{Mask: skin, Share: FaceSkinShare, Skip: around}
	opts := face.Options{ScaleFactor: FaceFineScaleFactor, MinNeighbors: FaceFineMinNeighbors,
		MinSize: FaceFineMin, MaxSize: FaceFineMax, Step: FaceFineStep, Gate: gate}
	for _, f := range c.Detect(luma, opts) {
		if !overlapsAny(f.Rect, faces) {
			faces = append(faces, f.Rect)
		}
	}
	return faces
}

// overlapsAny reports whether r covers more than a third of, or is more than a third covered
// by, one of faces.
func overlapsAny(r image.Rectangle, faces []image.Rectangle) bool {
	for _, f := range faces {
		in := r.Intersect(f)
		if in.Empty() {
			continue
		}
		a := in.Dx() * in.Dy()
		if 3*a > min(r.Dx()*r.Dy(), f.Dx()*f.Dy()) {
			return true
		}
	}
	return false
}

// skinStep: the skin mask samples the prepared image every skinStep pixels (the windows it judges
// are at least FaceFineMin px).
const skinStep = 4

// isSkin is the classic chroma box for skin under daylight and indoor light (Chai and Ngan,
// 1999: Cb 77–127, Cr 133–173), widened a little for warm casts, and ignoring pixels too
// dark for their chroma to mean anything.
func isSkin(y, cb, cr uint8) bool {
	return y >= 35 && cb >= 70 && cb <= 127 && cr >= 135 && cr <= 180
}

// skinMaskOf builds the mask of skin-coloured pixels of a prepared image (a 4:2:0 or 4:4:4 YCbCr, an opaque RGBA or NRGBA),
// or returns nil when the picture has (almost) no colour: then there is nothing to gate on.
func skinMaskOf(img image.Image) *face.Mask {
	b := img.Bounds()
	const k = skinStep
	w, h := b.Dx()/k, b.Dy()/k
	if w < 1 || h < 1 {
		return nil
	}
	var sample func(x, y int) (uint8, uint8, uint8) // the pixel at (k·x, k·y)
	switch m := img.(type) {
	case *image.YCbCr:
		sample = func(x, y int) (uint8, uint8, uint8) {
			px, py := b.Min.X+k*x, b.Min.Y+k*y
			ci := m.COffset(px, py)
			return m.Y[m.YOffset(px, py)], m.Cb[ci], m.Cr[ci]
		}
	case *image.RGBA: // opaque: premultiplied or not is the same
		sample = func(x, y int) (uint8, uint8, uint8) {
			i := m.PixOffset(b.Min.X+k*x, b.Min.Y+k*y)
			return rgbToYCbCr(m.Pix[i], m.Pix[i+1], m.Pix[i+2])
		}
	case *image.NRGBA: // the imaging path: opaque
		sample = func(x, y int) (uint8, uint8, uint8) {
			i := m.PixOffset(b.Min.X+k*x, b.Min.Y+k*y)
			return rgbToYCbCr(m.Pix[i], m.Pix[i+1], m.Pix[i+2])
		}
	default:
		return nil
	}
	s := &face.Mask{Cell: k, W: w, H: h, Sums: make([]int32, (w+1)*(h+1))}
	coloured := 0
	for y := 0; y < h; y++ {
		var run int32
		prev, cur := s.Sums[y*(w+1):], s.Sums[(y+1)*(w+1):]
		for x := 0; x < w; x++ {
			yy, cb, cr := sample(x, y)
			if isSkin(yy, cb, cr) {
				run++
			}
			if absDiff(cb, 128)+absDiff(cr, 128) > 10 {
				coloured++
			}
			cur[x+1] = prev[x+1] + run
		}
	}
	if coloured*100 < w*h { // a grey (or nearly grey) photo
		return nil
	}
	return s
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// rgbToYCbCr is JFIF's conversion (image/color's, without the allocation of a Color).
func rgbToYCbCr(r, g, b uint8) (uint8, uint8, uint8) {
	r1, g1, b1 := int32(r), int32(g), int32(b)
	y := (19595*r1 + 38470*g1 + 7471*b1 + 1<<15) >> 16
	cb := -11056*r1 - 21712*g1 + 32768*b1 + 257<<15
	if uint32(cb)&0xff000000 == 0 {
		cb >>= 16
	} else {
		cb = ^(cb >> 31)
	}
	cr := 32768*r1 - 27440*g1 - 5328*b1 + 257<<15
	if uint32(cr)&0xff000000 == 0 {
		cr >>= 16
	} else {
		cr = ^(cr >> 31)
	}
	return uint8(y), uint8(cb), uint8(cr)
}
