package camera

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
)

// Frame conversion. Drivers hand frames over as *image.YCbCr (YUYV/UYVY → 4:2:2, NV12/I420 →
// 4:2:0, MJPEG → whatever the JPEG holds). The preview needs a small RGBA image many times a
// second; the capture needs one full-resolution copy. Both are done here without Fyne, with
// plain integer loops: no per-pixel interface calls, no allocation per frame once the caller
// reuses its buffers.

// PreviewSize fits w×h within maxW×maxH keeping the aspect ratio, never enlarging.
func PreviewSize(w, h, maxW, maxH int) (int, int) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	if w <= maxW && h <= maxH {
		return w, h
	}
	// Compare w/maxW with h/maxH without floating point.
	if w*maxH >= h*maxW {
		return maxW, max(1, h*maxW/w)
	}
	return max(1, w*maxH/h), maxH
}

// ToPreview scales src down into a dw×dh RGBA image, reusing dst when it already has that size
// (pass the previous result to avoid an allocation per frame). Each output pixel averages the
// 2×2 source luma around its sample point, which removes most of the shimmer plain nearest-
// neighbour shows on card text, at a fraction of a proper filter's cost. With mirror the image
// is flipped left-right, as people expect of a selfie preview (the capture is never mirrored).
func ToPreview(dst *image.RGBA, src image.Image, dw, dh int, mirror bool) *image.RGBA {
	if dst == nil || dst.Rect.Dx() != dw || dst.Rect.Dy() != dh || dst.Rect.Min != (image.Point{}) {
		dst = image.NewRGBA(image.Rect(0, 0, dw, dh))
	}
	sb := src.Bounds()
	if dw <= 0 || dh <= 0 || sb.Empty() {
		return dst
	}
	xs := sampleIndex(sb.Dx(), dw, mirror)
	ys := sampleIndex(sb.Dy(), dh, false)
	switch s := src.(type) {
	case *image.YCbCr:
		previewYCbCr(dst, s, xs, ys)
	case *image.RGBA:
		previewRGBA(dst, s.Pix, s.Stride, xs, ys)
	case *image.NRGBA: // opaque camera frames: NRGBA and RGBA bytes are the same
		previewRGBA(dst, s.Pix, s.Stride, xs, ys)
	default:
		previewGeneric(dst, src, xs, ys)
	}
	return dst
}

// sampleIndex maps each of n output positions to the source offset (0-based, relative to the
// source's Min) of the first of the two source samples averaged for it.
func sampleIndex(srcN, n int, mirror bool) []int {
	idx := make([]int, n)
	for i := range idx {
		// Centre of output cell i in source coordinates, minus half a pixel for the 2-tap pair.
		c := ((2*i+1)*srcN)/(2*n) - 1
		c = min(max(c, 0), max(srcN-2, 0))
		if mirror {
			idx[n-1-i] = c
		} else {
			idx[i] = c
		}
	}
	return idx
}

func previewYCbCr(dst *image.RGBA, s *image.YCbCr, xs, ys []int) {
	// Chroma subsampling as shifts: 4:4:4 none, 4:2:2 horizontal, 4:2:0 both, 4:4:0 vertical.
	var cxs, cys uint
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		cxs = 1
	case image.YCbCrSubsampleRatio420:
		cxs, cys = 1, 1
	case image.YCbCrSubsampleRatio440:
		cys = 1
	case image.YCbCrSubsampleRatio444:
	default: // 4:1:1, 4:1:0: rare; let the standard library get it right
		previewGeneric(dst, s, xs, ys)
		return
	}
	// Sub-images: the planes start at Rect.Min, but chroma columns follow absolute coordinates.
	x0, y0 := s.Rect.Min.X, s.Rect.Min.Y
	cx0, cy0 := x0>>cxs, y0>>cys
	ySingle := len(ys) > 0 && s.Rect.Dy() < 2
	xSingle := len(xs) > 0 && s.Rect.Dx() < 2
	for dy, sy := range ys {
		yRow := s.Y[sy*s.YStride:]
		yRow2 := yRow
		if !ySingle {
			yRow2 = s.Y[(sy+1)*s.YStride:]
		}
		cRow := ((sy + y0) >> cys) - cy0
		cb := s.Cb[cRow*s.CStride:]
		cr := s.Cr[cRow*s.CStride:]
		out := dst.Pix[dy*dst.Stride : dy*dst.Stride+len(xs)*4]
		for dx, sx := range xs {
			x2 := sx + 1
			if xSingle {
				x2 = sx
			}
			yy := (int32(yRow[sx]) + int32(yRow[x2]) + int32(yRow2[sx]) + int32(yRow2[x2]) + 2) >> 2
			ci := ((sx + x0) >> cxs) - cx0
			r, g, b := ycc(yy, int32(cb[ci]), int32(cr[ci]))
			o := out[dx*4 : dx*4+4 : dx*4+4]
			o[0], o[1], o[2], o[3] = r, g, b, 0xff
		}
	}
}

// ycc converts one BT.601 full-range sample (JFIF, what webcams and image/jpeg use) to RGB,
// with the same fixed-point constants as image/color.YCbCrToRGB.
func ycc(y, cb, cr int32) (uint8, uint8, uint8) {
	yy := y * 0x10101
	cb -= 128
	cr -= 128
	r := yy + 91881*cr
	g := yy - 22554*cb - 46802*cr
	b := yy + 116130*cb
	return clamp8(r), clamp8(g), clamp8(b)
}

func clamp8(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	if v < 0 {
		return 0
	}
	return 0xff
}

// previewRGBA: xs/ys are relative to Rect.Min, which is Pix[0] for RGBA and NRGBA (sub-images too).
func previewRGBA(dst *image.RGBA, pix []byte, stride int, xs, ys []int) {
	for dy, sy := range ys {
		r1 := pix[sy*stride:]
		r2 := r1
		if (sy+1)*stride+4 <= len(pix) {
			r2 = pix[(sy+1)*stride:]
		}
		out := dst.Pix[dy*dst.Stride:]
		for dx, sx := range xs {
			a, b := sx*4, sx*4+4
			if b+4 > len(r1) || b+4 > len(r2) {
				b = a
			}
			o := out[dx*4 : dx*4+4 : dx*4+4]
			for c := range 3 {
				o[c] = uint8((uint16(r1[a+c]) + uint16(r1[b+c]) + uint16(r2[a+c]) + uint16(r2[b+c]) + 2) >> 2)
			}
			o[3] = 0xff
		}
	}
}

func previewGeneric(dst *image.RGBA, src image.Image, xs, ys []int) {
	min := src.Bounds().Min
	for dy, sy := range ys {
		for dx, sx := range xs {
			r, g, b, _ := src.At(min.X+sx, min.Y+sy).RGBA()
			i := dy*dst.Stride + dx*4
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(r>>8), uint8(g>>8), uint8(b>>8), 0xff
		}
	}
}

// Clone returns a full-resolution copy of a frame that the stream will reuse, for the capture.
// YCbCr frames stay YCbCr (half the memory of RGBA; kyc/photo accepts any image.Image).
func Clone(img image.Image) image.Image {
	switch s := img.(type) {
	case *image.YCbCr:
		c := image.NewYCbCr(image.Rect(0, 0, s.Rect.Dx(), s.Rect.Dy()), s.SubsampleRatio)
		copyPlane(c.Y, c.YStride, s.Y[s.YOffset(s.Rect.Min.X, s.Rect.Min.Y):], s.YStride, c.Rect.Dx(), c.Rect.Dy())
		cw, ch := chromaSize(c)
		off := s.COffset(s.Rect.Min.X, s.Rect.Min.Y)
		copyPlane(c.Cb, c.CStride, s.Cb[off:], s.CStride, cw, ch)
		copyPlane(c.Cr, c.CStride, s.Cr[off:], s.CStride, cw, ch)
		return c
	default:
		b := img.Bounds()
		c := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(c, c.Rect, img, b.Min, draw.Src)
		return c
	}
}

func chromaSize(c *image.YCbCr) (int, int) {
	if c.YStride == 0 || len(c.Y) == 0 {
		return 0, 0
	}
	if c.CStride == 0 {
		return 0, 0
	}
	return c.CStride, len(c.Cb) / c.CStride
}

func copyPlane(dst []byte, dstStride int, src []byte, srcStride, w, h int) {
	for y := range h {
		copy(dst[y*dstStride:y*dstStride+w], src[y*srcStride:])
	}
}

// DecodeYUYV unpacks a packed YUYV (YUY2) 4:2:2 frame, the most common uncompressed webcam
// format, into a planar YCbCr image, reusing dst when its size matches. The drivers do the same
// inside their read; the fake source uses this so its frames cost what real ones do.
func DecodeYUYV(dst *image.YCbCr, buf []byte, w, h int) (*image.YCbCr, error) {
	if w <= 0 || h <= 0 || w%2 != 0 {
		return nil, fmt.Errorf("camera: bad YUYV frame size %d×%d", w, h)
	}
	if len(buf) < w*h*2 {
		return nil, fmt.Errorf("camera: YUYV frame is %d bytes, want %d", len(buf), w*h*2)
	}
	if dst == nil || dst.Rect != image.Rect(0, 0, w, h) || dst.SubsampleRatio != image.YCbCrSubsampleRatio422 {
		dst = image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	}
	half := w / 2
	for y := range h {
		src := buf[y*w*2 : (y+1)*w*2]
		yr := dst.Y[y*dst.YStride : y*dst.YStride+w]
		cb := dst.Cb[y*dst.CStride : y*dst.CStride+half]
		cr := dst.Cr[y*dst.CStride : y*dst.CStride+half]
		for i := range half {
			p := src[i*4 : i*4+4 : i*4+4]
			yr[2*i], cb[i], yr[2*i+1], cr[i] = p[0], p[1], p[2], p[3]
		}
	}
	return dst, nil
}

// EncodeYUYV packs img into YUYV bytes at its own size (width rounded down to even). Used to
// build test and benchmark frames that look like a real camera's.
func EncodeYUYV(img image.Image) ([]byte, int, int) {
	b := img.Bounds()
	w, h := b.Dx()&^1, b.Dy()
	ycc := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	for y := range h {
		for x := range w {
			r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bb>>8))
			ycc.Y[y*ycc.YStride+x], ycc.Cb[y*ycc.CStride+x], ycc.Cr[y*ycc.CStride+x] = yy, cb, cr
		}
	}
	out := make([]byte, w*h*2)
	for y := range h {
		for x := 0; x < w; x += 2 {
			i := y*ycc.YStride + x
			o := (y*w + x) * 2
			out[o] = ycc.Y[i]
			out[o+1] = uint8((int(ycc.Cb[i]) + int(ycc.Cb[i+1]) + 1) / 2)
			out[o+2] = ycc.Y[i+1]
			out[o+3] = uint8((int(ycc.Cr[i]) + int(ycc.Cr[i+1]) + 1) / 2)
		}
	}
	return out, w, h
}
