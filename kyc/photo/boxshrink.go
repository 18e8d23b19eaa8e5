package photo

import (
	"image"
	"image/color"
)

// boxShrink averages k×k blocks of src into an opaque RGBA image of ceil(w/k)×ceil(h/k) pixels
// (edge blocks average what they have). With k == 1 it is a plain conversion. Transparent pixels
// are flattened onto white, as a card scanned to a transparent PNG would look on paper.
//
// It is the cheap first stage of the downscale: integer box filtering touches each source pixel
// once with a few additions, so the expensive Lanczos stage only ever sees ≤ ~4× its output size.
// YCbCr (JPEG, HEIC, lossy WebP) is averaged in YCbCr and converted once per output pixel, which
// equals averaging RGB because the conversion is affine.
func boxShrink(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := (sw+k-1)/k, (sh+k-1)/k
	dst := getRGBA(dw, dh)
	bucket := make([]int32, sw) // source column → output column
	count := make([]int32, dw)  // source columns per output column
	for x := range sw {
		bucket[x] = int32(x / k)
		count[x/k]++
	}
	if ycc, ok := src.(*image.YCbCr); ok {
		shrinkYCbCr(ycc, k, bucket, count, dst)
		return dst
	}
	load := rowLoader(src)
	parallel(dh, func(lo, hi int) {
		row := make([]uint8, 3*sw)
		accP := getInt32s(3 * dw)
		defer putInt32s(accP)
		acc := *accP
		for oy := lo; oy < hi; oy++ {
			clear(acc)
			y0, y1 := oy*k, min(oy*k+k, sh)
			for y := y0; y < y1; y++ {
				load(b.Min.Y+y, row)
				for x := 0; x < sw; x++ {
					o := 3 * bucket[x]
					acc[o] += int32(row[3*x])
					acc[o+1] += int32(row[3*x+1])
					acc[o+2] += int32(row[3*x+2])
				}
			}
			out := dst.Pix[oy*dst.Stride:]
			rows := int32(y1 - y0)
			for ox := 0; ox < dw; ox++ {
				n := rows * count[ox]
				out[4*ox] = uint8((acc[3*ox] + n/2) / n)
				out[4*ox+1] = uint8((acc[3*ox+1] + n/2) / n)
				out[4*ox+2] = uint8((acc[3*ox+2] + n/2) / n)
				out[4*ox+3] = 0xFF
			}
		}
	})
	return dst
}

func shrinkYCbCr(src *image.YCbCr, k int, bucket, count []int32, dst *image.RGBA) {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	hdiv, _ := subsampleDivisors(src.SubsampleRatio)
	cidx := make([]int32, sw) // column → chroma sample, relative to the row's first sample
	for x := range sw {
		cidx[x] = int32((b.Min.X+x)/hdiv - b.Min.X/hdiv)
	}
	parallel(dh, func(lo, hi int) {
		accP := getInt32s(3 * dw)
		defer putInt32s(accP)
		acc := *accP
		sy, scb, scr := acc[:dw], acc[dw:2*dw], acc[2*dw:]
		for oy := lo; oy < hi; oy++ {
			clear(acc)
			y0, y1 := oy*k, min(oy*k+k, sh)
			for y := y0; y < y1; y++ {
				yo := src.YOffset(b.Min.X, b.Min.Y+y)
				co := src.COffset(b.Min.X, b.Min.Y+y)
				yrow := src.Y[yo : yo+sw]
				cbrow, crrow := src.Cb[co:], src.Cr[co:]
				for x, v := range yrow {
					o, c := bucket[x], cidx[x]
					sy[o] += int32(v)
					scb[o] += int32(cbrow[c])
					scr[o] += int32(crrow[c])
				}
			}
			out := dst.Pix[oy*dst.Stride:]
			rows := int32(y1 - y0)
			for ox := 0; ox < dw; ox++ {
				n := rows * count[ox]
				r, g, bl := color.YCbCrToRGB(uint8((sy[ox]+n/2)/n), uint8((scb[ox]+n/2)/n), uint8((scr[ox]+n/2)/n))
				out[4*ox], out[4*ox+1], out[4*ox+2], out[4*ox+3] = r, g, bl, 0xFF
			}
		}
	})
}

func subsampleDivisors(r image.YCbCrSubsampleRatio) (h, v int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}

// rowLoader returns a function that writes row y of src as opaque RGB (flattened on white) into
// dst (3 bytes per pixel). Common decoder outputs get a direct path; the rest go through At.
func rowLoader(src image.Image) func(y int, dst []uint8) {
	b := src.Bounds()
	sw := b.Dx()
	switch m := src.(type) {
	case *image.NRGBA:
		return func(y int, dst []uint8) {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < sw; x++ {
				r, g, bl, a := uint32(p[4*x]), uint32(p[4*x+1]), uint32(p[4*x+2]), uint32(p[4*x+3])
				if a != 0xFF {
					w := 255 * (255 - a)
					r, g, bl = (r*a+w+127)/255, (g*a+w+127)/255, (bl*a+w+127)/255
				}
				dst[3*x], dst[3*x+1], dst[3*x+2] = uint8(r), uint8(g), uint8(bl)
			}
		}
	case *image.RGBA: // premultiplied: over white is c + (255 - a)
		return func(y int, dst []uint8) {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < sw; x++ {
				w := 255 - uint32(p[4*x+3])
				dst[3*x] = uint8(min(uint32(p[4*x])+w, 255))
				dst[3*x+1] = uint8(min(uint32(p[4*x+1])+w, 255))
				dst[3*x+2] = uint8(min(uint32(p[4*x+2])+w, 255))
			}
		}
	case *image.Gray:
		return func(y int, dst []uint8) {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < sw; x++ {
				dst[3*x], dst[3*x+1], dst[3*x+2] = p[x], p[x], p[x]
			}
		}
	case *image.Paletted:
		var pal [256][3]uint8
		for i, c := range m.Palette {
			if i < 256 {
				pal[i] = flatten(c)
			}
		}
		return func(y int, dst []uint8) {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < sw; x++ {
				c := pal[p[x]]
				dst[3*x], dst[3*x+1], dst[3*x+2] = c[0], c[1], c[2]
			}
		}
	}
	return func(y int, dst []uint8) {
		for x := 0; x < sw; x++ {
			c := flatten(src.At(b.Min.X+x, y))
			dst[3*x], dst[3*x+1], dst[3*x+2] = c[0], c[1], c[2]
		}
	}
}

func flatten(c color.Color) [3]uint8 {
	r, g, b, a := c.RGBA() // premultiplied, 16-bit
	w := 0xFFFF - a
	return [3]uint8{uint8((r + w) >> 8), uint8((g + w) >> 8), uint8((b + w) >> 8)}
}
