package face

import (
	"image"
	"runtime"
	"sync"
)

// levelIntegral returns the (w+1)×(h+1) summed-area table of img scaled to w×h with bilinear
// interpolation (OpenCV's detector scales its pyramid levels so), reusing buf. The scaled pixels
// are summed as they are made and never stored: the detector reads only the table, and one pass
// over memory instead of three (scale, row sums, column sums) halves the cost of a level.
//
// Row bands are built in parallel, each as if it were the top of the image; then every row below
// the first band gets the column sums of the bands above it (its carry) added.
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
	build := func(lo, hi int) {
		for y := lo; y < hi; y++ {
			cur := buf[(y+1)*stride : (y+2)*stride]
			prev := buf[y*stride : (y+1)*stride]
			if y == lo {
				prev = buf[:stride] // the zero row: the band is summed as if it were the top
			}
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
	}
	workers := min(runtime.GOMAXPROCS(0), 4, max(h/64, 1))
	if workers <= 1 {
		build(0, h)
		return buf
	}
	edge := func(b int) int { return h * b / workers } // band b is rows [edge(b), edge(b+1))
	var wg sync.WaitGroup
	for b := 0; b < workers; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			build(edge(b), edge(b+1))
		}()
	}
	wg.Wait()
	// carry[b]: the column sums of all rows above band b (the bands' own last rows, added up).
	carry := make([][]int32, workers)
	for b := 1; b < workers; b++ {
		carry[b] = make([]int32, stride)
		last := buf[edge(b)*stride : (edge(b)+1)*stride]
		for x, v := range last {
			carry[b][x] = v
			if b > 1 {
				carry[b][x] += carry[b-1][x]
			}
		}
	}
	// The rows to fix, edge(1)+1 … h of the table, shared evenly among the workers.
	first, rows := edge(1)+1, h-edge(1)
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := 1
			for y := first + rows*k/workers; y < first+rows*(k+1)/workers; y++ {
				for b+1 < workers && y > edge(b+1) {
					b++
				}
				cur, c := buf[y*stride:(y+1)*stride], carry[b]
				for x := range cur {
					cur[x] += c[x]
				}
			}
		}()
	}
	wg.Wait()
	return buf
}
