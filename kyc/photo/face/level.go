package face

import "image"

// levelIntegral returns the (w+1)×(h+1) summed-area table of img scaled to w×h with bilinear
// interpolation (OpenCV's detector scales its pyramid levels so), reusing buf. The scaled pixels
// are summed as they are made and never stored: the detector reads only the table, and one pass
// over memory instead of three (scale, row sums, column sums) halves the cost of a level.
func levelIntegral(img *image.Gray, w, h int, buf []int32) []int32 {
	stride := w + 1
	n := stride * (h + 1)
	if cap(buf) < n {
		buf = make([]int32, n)
	}
	buf = buf[:n]
	clear(buf[:stride])
	W, H := img.Rect.Dx(), img.Rect.Dy()
	src := func(y int) []uint8 {
		o := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y)
		return img.Pix[o : o+W]
	}
	type tap struct{ i, i1, w int32 } // source column, its right neighbour, weight of i1 (/256)
	var cols []tap
	fx, fy := float64(W)/float64(w), float64(H)/float64(h)
	scaled := W != w || H != h
	if scaled {
		cols = make([]tap, w)
		for x := range cols {
			sx := max((float64(x)+0.5)*fx-0.5, 0)
			i := min(int(sx), W-1)
			cols[x] = tap{int32(i), int32(min(i+1, W-1)), int32((sx - float64(i)) * 256)}
		}
	}
	for y := 0; y < h; y++ {
		cur := buf[(y+1)*stride : (y+2)*stride]
		prev := buf[y*stride : (y+1)*stride]
		cur[0] = 0
		cur, prev = cur[1:], prev[1:]
		var run int32
		if !scaled {
			for x, v := range src(y)[:len(cur)] {
				run += int32(v)
				cur[x] = prev[x] + run
			}
			continue
		}
		sy := max((float64(y)+0.5)*fy-0.5, 0)
		j := min(int(sy), H-1)
		wy := int32((sy - float64(j)) * 256)
		r0, r1 := src(j), src(min(j+1, H-1))
		prev = prev[:len(cur)]
		for x, t := range cols[:len(cur)] {
			// a·(256−t) + b·t written as a·256 + (b−a)·t: the same integers, one product less.
			a, b := int32(r0[t.i]), int32(r1[t.i])
			top := a<<8 + (int32(r0[t.i1])-a)*t.w
			bot := b<<8 + (int32(r1[t.i1])-b)*t.w
			run += (top<<8 + (bot-top)*wy + 1<<15) >> 16
			cur[x] = prev[x] + run
		}
	}
	return buf
}
