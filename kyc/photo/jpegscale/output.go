package jpegscale

import (
	"image"
)

// finish runs at EOI: progressive coefficients become pixels.
func (d *decoder) finish() error {
	if d.comps[0].plane == nil {
		return formatErr("no scan data")
	}
	if d.progressive {
		d.finishProgressive()
	}
	return nil
}

// image wraps the planes in an image.Image of the reduced size, without
// copying YCbCr and grey data.
func (d *decoder) image() (image.Image, error) {
	w, h := ScaledSize(d.width, d.height, d.scale)
	rect := image.Rect(0, 0, w, h)
	y := &d.comps[0]
	if d.ncomp == 1 {
		return &image.Gray{Pix: y.plane, Stride: y.stride, Rect: rect}, nil
	}
	cb, cr := &d.comps[1], &d.comps[2]
	if d.isRGB() {
		// checkSampling ran at the frame header; an Adobe segment after
		// it could still have turned a subsampled file into RGB.
		if cb.h != y.h || cb.v != y.v {
			return nil, unsupported("subsampled RGB")
		}
		return d.rgba(rect), nil
	}
	var ratio image.YCbCrSubsampleRatio
	// Chroma was decoded at a larger block size where that closed the gap
	// to luma; what remains is the output's subsampling.
	switch [2]int{d.hmax * d.n / (cb.h * cb.nh), d.vmax * d.n / (cb.v * cb.nv)} {
	case [2]int{1, 1}:
		ratio = image.YCbCrSubsampleRatio444
	case [2]int{2, 1}:
		ratio = image.YCbCrSubsampleRatio422
	case [2]int{2, 2}:
		ratio = image.YCbCrSubsampleRatio420
	case [2]int{1, 2}:
		ratio = image.YCbCrSubsampleRatio440
	case [2]int{4, 1}:
		ratio = image.YCbCrSubsampleRatio411
	case [2]int{4, 2}:
		ratio = image.YCbCrSubsampleRatio410
	default: // checkSampling rejected every other layout
		return nil, unsupported("sampling ratio")
	}
	return &image.YCbCr{
		Y: y.plane, Cb: cb.plane, Cr: cr.plane,
		YStride: y.stride, CStride: cb.stride,
		SubsampleRatio: ratio,
		Rect:           rect,
	}, nil
}

// rgba interleaves the three planes of an Adobe RGB file (always 4:4:4; see
// checkSampling).
func (d *decoder) rgba(rect image.Rectangle) *image.RGBA {
	img := image.NewRGBA(rect)
	r, g, b := &d.comps[0], &d.comps[1], &d.comps[2]
	w := rect.Dx()
	for y := 0; y < rect.Dy(); y++ {
		dst := img.Pix[y*img.Stride : y*img.Stride+4*w]
		rr := r.plane[y*r.stride : y*r.stride+w]
		gg := g.plane[y*g.stride : y*g.stride+w]
		bb := b.plane[y*b.stride : y*b.stride+w]
		for x := 0; x < w; x++ {
			dst[4*x] = rr[x]
			dst[4*x+1] = gg[x]
			dst[4*x+2] = bb[x]
			dst[4*x+3] = 0xFF
		}
	}
	return img
}
