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
