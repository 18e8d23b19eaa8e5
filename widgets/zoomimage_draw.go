// ZoomImage's drawing: the visible part of the picture sampled from a mip level at the
// current zoom, into a buffer the size of the widget.

package widgets

import (
	"image"
	"image/draw"
	"math"
)

// draw renders the view into a w×h raster (device pixels).
func (z *ZoomImage) draw(w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if len(z.levels) == 0 || w <= 0 || h <= 0 {
		return dst
	}
	s := z.Size()
	if s.Width <= 0 {
		return dst
	}
	// device pixels per source pixel
	scale := z.fyneScale() * float64(w) / float64(s.Width)
	if scale <= 0 {
		return dst
	}
	// Sample from the level whose pixels are closest to (but not smaller than) the
	// device's, so a shrunk view averages rather than skips pixels.
	lvl, f := 0, 1.0
	for lvl+1 < len(z.levels) && scale*f*2 <= 1 {
		lvl++
		f *= 2
	}
	src := z.levels[lvl]
	sb := src.Bounds()
	ls := scale * f // device pixels per level pixel
	ox := z.cx/f - float64(w)/2/ls
	oy := z.cy/f - float64(h)/2/ls
	sampleInto(dst, src, sb, ox, oy, 1/ls)
	return dst
}

// sampleInto fills dst bilinearly from src: destination pixel (x, y) takes the source
// point (ox + (x+0.5)·step, oy + (y+0.5)·step). Outside the source stays transparent.
func sampleInto(dst, src *image.RGBA, sb image.Rectangle, ox, oy, step float64) {
	w, h := dst.Bounds().Dx(), dst.Bounds().Dy()
	sw, sh := sb.Dx(), sb.Dy()
	for y := 0; y < h; y++ {
		fy := oy + (float64(y)+0.5)*step - 0.5
		if fy < -0.5 || fy > float64(sh)-0.5 {
			continue
		}
		y0 := int(math.Floor(fy))
		ty := fy - float64(y0)
		y1 := y0 + 1
		y0, y1 = clampInt(y0, 0, sh-1), clampInt(y1, 0, sh-1)
		row0, row1 := src.Pix[y0*src.Stride:], src.Pix[y1*src.Stride:]
		drow := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			fx := ox + (float64(x)+0.5)*step - 0.5
			if fx < -0.5 || fx > float64(sw)-0.5 {
				continue
			}
			x0 := int(math.Floor(fx))
			tx := fx - float64(x0)
			x1 := clampInt(x0+1, 0, sw-1)
			x0 = clampInt(x0, 0, sw-1)
			a, b := row0[x0*4:x0*4+4], row0[x1*4:x1*4+4]
			c, d := row1[x0*4:x0*4+4], row1[x1*4:x1*4+4]
			o := drow[x*4 : x*4+4]
			for i := 0; i < 4; i++ {
				top := float64(a[i]) + (float64(b[i])-float64(a[i]))*tx
				bot := float64(c[i]) + (float64(d[i])-float64(c[i]))*tx
				o[i] = uint8(top + (bot-top)*ty + 0.5)
			}
		}
	}
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// mipLevels converts img to RGBA and adds halvings (2×2 averages) down to 128 px.
func mipLevels(img image.Image) []*image.RGBA {
	b := img.Bounds()
	base, ok := img.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		base = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(base, base.Bounds(), img, b.Min, draw.Src)
	}
	levels := []*image.RGBA{base}
	for cur := base; cur.Bounds().Dx() > 256 && cur.Bounds().Dy() > 256; {
		cur = halve(cur)
		levels = append(levels, cur)
	}
	return levels
}

func halve(src *image.RGBA) *image.RGBA {
	w, h := src.Bounds().Dx()/2, src.Bounds().Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		r0 := src.Pix[2*y*src.Stride:]
		r1 := src.Pix[(2*y+1)*src.Stride:]
		d := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			for i := 0; i < 4; i++ {
				s := int(r0[8*x+i]) + int(r0[8*x+4+i]) + int(r1[8*x+i]) + int(r1[8*x+4+i])
				d[4*x+i] = uint8((s + 2) / 4)
			}
		}
	}
	return dst
}
