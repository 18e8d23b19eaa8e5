package photo

import "image"

// orient applies an EXIF orientation (1..8) to src and returns the upright image (src itself for
// 1). It runs after the downscale, so it moves ~2 MP instead of up to 50 MP. A new image comes
// from the pool; the caller releases src and the result separately.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := getRGBA(dw, dh)
	parallel(dh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := dst.Pix[y*dst.Stride:]
			for x := 0; x < dw; x++ {
				var sx, sy int
				switch o {
				case 2: // mirror left-right
					sx, sy = w-1-x, y
				case 3: // rotate 180
					sx, sy = w-1-x, h-1-y
				case 4: // mirror top-bottom
					sx, sy = x, h-1-y
				case 5: // transpose
					sx, sy = y, x
				case 6: // rotate 90° clockwise
					sx, sy = y, h-1-x
				case 7: // transverse
					sx, sy = w-1-y, h-1-x
				case 8: // rotate 90° anticlockwise
					sx, sy = w-1-y, x
				}
				i := sy*src.Stride + 4*sx
				copy(out[4*x:4*x+4], src.Pix[i:i+4])
			}
		}
	})
	return dst
}

// orientImage applies o to a prepared image: *image.RGBA (see orient), or the planar path's
// 4:2:0 or 4:4:4 *image.YCbCr or *image.Gray, plane by plane. The result never aliases src unless o is 1.
func orientImage(src image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return src
	}
	switch m := src.(type) {
	case *image.RGBA:
		return orient(m, o)
	case *image.NRGBA: // the imaging path
		return orientImaging(m, o)
	case *image.Gray:
		pix, w, h := orientPlane(m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), o)
		return &image.Gray{Pix: pix, Stride: w, Rect: image.Rect(0, 0, w, h)}
	case *image.YCbCr:
		// 4:4:4 and 4:2:0 are symmetric under every orientation, so each plane turns on its own.
		// (With an odd side, a mirrored 4:2:0 chroma sample lands half a luma pixel off: invisible.)
		r := m.SubsampleRatio
		if (r == image.YCbCrSubsampleRatio444 || r == image.YCbCrSubsampleRatio420) && m.Rect.Min == (image.Point{}) {
			w, h := m.Rect.Dx(), m.Rect.Dy()
			cw, ch := w, h
			if r == image.YCbCrSubsampleRatio420 {
				cw, ch = (w+1)/2, (h+1)/2
			}
			y, dw, dh := orientPlane(m.Y, m.YStride, w, h, o)
			cb, cdw, _ := orientPlane(m.Cb, m.CStride, cw, ch, o)
			cr, _, _ := orientPlane(m.Cr, m.CStride, cw, ch, o)
			return &image.YCbCr{Y: y, Cb: cb, Cr: cr, YStride: dw, CStride: cdw,
				SubsampleRatio: r, Rect: image.Rect(0, 0, dw, dh)}
		}
	}
	rgba := boxShrink(src, 1) // any other layout: convert, then turn
	defer putRGBA(rgba)
	return orient(rgba, o)
}

// orientPlane is orient for one 8-bit plane of w×h samples; it returns the new plane (stride =
// its width) and its size.
func orientPlane(src []byte, stride, w, h, o int) ([]byte, int, int) {
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := make([]byte, dw*dh)
	// Output row y reads the source along a line: index base(y) + x·step.
	var base func(y int) int
	var step int
	switch o {
	case 2: // mirror left-right
		base, step = func(y int) int { return y*stride + w - 1 }, -1
	case 3: // rotate 180
		base, step = func(y int) int { return (h-1-y)*stride + w - 1 }, -1
	case 4: // mirror top-bottom
		base, step = func(y int) int { return (h - 1 - y) * stride }, 1
	case 5: // transpose
		base, step = func(y int) int { return y }, stride
	case 6: // rotate 90° clockwise
		base, step = func(y int) int { return (h-1)*stride + y }, -stride
	case 7: // transverse
		base, step = func(y int) int { return (h-1)*stride + w - 1 - y }, -stride
	case 8: // rotate 90° anticlockwise
		base, step = func(y int) int { return w - 1 - y }, stride
	default: // 1 (or invalid): a plain copy
		base, step = func(y int) int { return y * stride }, 1
	}
	parallel(dh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			out := dst[y*dw : y*dw+dw]
			i := base(y)
			for x := range out {
				out[x] = src[i]
				i += step
			}
		}
	})
	return dst, dw, dh
}
