package face

import (
	"image"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options tune a detection run. Zero values take the defaults, which are OpenCV's
// detectMultiScale defaults (scale 1.1, 3 neighbours).
type Options struct {
	ScaleFactor  float64 // > 1; window growth per pyramid level
	MinNeighbors int     // raw hits a group needs to count as a face
	MinSize      int     // smallest face side searched, in input pixels (≥ the window size)
	MaxSize      int     // largest face side searched; 0 = no limit
	// Step is the window stride on every level; 0 takes OpenCV's: 2 pixels on fine levels, 1
	// where the level is smaller than half the input.
	Step int
	// Accept, if set, is asked about each window (in input pixels) before the cascade runs on
	// it; false skips it. A cheap gate (skin colour, say) lets a fine search afford its many
	// small windows. It is called from several goroutines.
	Accept func(image.Rectangle) bool
}

// Face is one grouped detection.
type Face struct {
	Rect      image.Rectangle
	Neighbors int // raw hits merged into it: a rough confidence
}

// plainStrideOne makes coarse levels scan at stride 1 everywhere, as OpenCV does: the
// reference the tests compare the refined scan with.
var plainStrideOne = false

// maxRaw bounds the raw hits kept (a pathological texture could fire everywhere; grouping is
// quadratic in the hit count).
const maxRaw = 4096

// Detect returns the faces in img, largest first.
func (c *Cascade) Detect(img *image.Gray, o Options) []Face {
	if o.ScaleFactor <= 1 {
		o.ScaleFactor = 1.1
	}
	if o.MinNeighbors <= 0 {
		o.MinNeighbors = 3
	}
	W, H := img.Rect.Dx(), img.Rect.Dy()
	var (
		raw    []image.Rectangle
		scaled []uint8
		ii     []int32
		offs   = make([][16]int32, len(c.features))
	)
	for factor := max(1, float64(o.MinSize)/float64(c.width)); ; factor *= o.ScaleFactor {
		sw, sh := int(math.Round(float64(W)/factor)), int(math.Round(float64(H)/factor))
		winW, winH := int(math.Round(float64(c.width)*factor)), int(math.Round(float64(c.height)*factor))
		if sw < c.width || sh < c.height || (o.MaxSize > 0 && max(winW, winH) > o.MaxSize) {
			break
		}
		scaled = resizeGray(img, sw, sh, scaled)
		ii = integral(scaled, sw, sh, ii)
		stride := sw + 1
		for i, f := range c.features {
			for r := 0; r < 4; r++ {
				for q := 0; q < 4; q++ {
					offs[i][r*4+q] = int32((f.y+r*f.h)*stride + f.x + q*f.w)
				}
			}
		}
		// OpenCV strides 2 pixels on fine levels and 1 on coarse ones (factor > 2), where a
		// pixel is a large step in the input. Here a coarse level is scanned at stride 2 and then
		// filled in at stride 1 around every hit (refineHits): the hits of a stride-1 scan, at
		// about 40 % of its cost (8.8 → 3.4 ms for these levels on a 512 px selfie), since
		// stride-1 positions away from any hit would only be rejected.
		step, refine := 2, factor > 2
		if refine && plainStrideOne { // the test's reference: OpenCV's scan
			step, refine = 1, false
		}
		if o.Step > 0 {
			step, refine = o.Step, false
		}
		var accept func(x, y int) bool
		if o.Accept != nil {
			f16 := int(factor*65536 + 0.5) // level → input pixels, in 16.16 fixed point
			accept = func(x, y int) bool {
				ix, iy := (x*f16+32768)>>16, (y*f16+32768)>>16
				return o.Accept(image.Rect(ix, iy, ix+winW, iy+winH))
			}
		}
		hits := c.scanLevel(ii, stride, sw, sh, step, offs, accept)
		if refine {
			hits = c.refineHits(hits, ii, stride, sw, sh, offs, accept)
		}
		for _, h := range hits {
			x, y := int(math.Round(float64(h.X)*factor)), int(math.Round(float64(h.Y)*factor))
			raw = append(raw, image.Rect(x, y, x+winW, y+winH))
		}
		if len(raw) >= maxRaw {
			break
		}
	}
	return group(raw, o.MinNeighbors, 0.2)
}

// scanLevel slides the window over one pyramid level and returns the accepted top-left corners,
// in row order. Rows are handed out to goroutines a few at a time (the scan is read-only on
// shared data): the work is uneven — rows through a face go deep into the cascade, rows the
// skin gate skips cost nothing — so fixed halves would leave one core idle.
func (c *Cascade) scanLevel(ii []int32, stride, sw, sh, step int, offs [][16]int32, accept func(x, y int) bool) []image.Point {
	rows := (sh-c.height)/step + 1
	const chunk = 4
	chunks := (rows + chunk - 1) / chunk
	parts := make([][]image.Point, chunks)
	workers := min(runtime.GOMAXPROCS(0), 4, max(rows/8, 1))
	var next atomic.Int32
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ci := int(next.Add(1)) - 1
				if ci >= chunks {
					return
				}
				for r := ci * chunk; r < min((ci+1)*chunk, rows); r++ {
					y := r * step
					for x := 0; x+c.width <= sw; x += step {
						if accept != nil && !accept(x, y) {
							continue
						}
						st := c.run(ii[y*stride+x:], offs)
						if st == len(c.stages) {
							parts[ci] = append(parts[ci], image.Pt(x, y))
						} else if st == 0 {
							x += step // rejected by the first stage: the neighbour almost surely is too (OpenCV does the same)
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	var out []image.Point
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// refineHits turns the hits of a stride-2 scan into those of OpenCV's stride-1 scan, in the
// same clusters: every position within 2 pixels of a hit is tried, and so on from the new hits,
// until none appears; then only the positions the stride-1 scan would have evaluated are kept
// (it skips the position after one its first stage rejects: see scanLevel).
func (c *Cascade) refineHits(hits []image.Point, ii []int32, stride, sw, sh int, offs [][16]int32, accept func(x, y int) bool) []image.Point {
	const reach = 4
	w, h := sw-c.width+1, sh-c.height+1 // window positions on this level
	if w <= 0 || h <= 0 || len(hits) == 0 {
		return hits
	}
	bits := func() []uint64 { return make([]uint64, (w*h+63)/64) }
	tried, known, skips := bits(), bits(), bits()
	get := func(b []uint64, x, y int) bool { i := y*w + x; return b[i/64]&(1<<(i%64)) != 0 }
	set := func(b []uint64, x, y int) { i := y*w + x; b[i/64] |= 1 << (i % 64) }
	// skipsNext: the stride-1 scan, having evaluated (x, y), skips (x+1, y).
	skipsNext := func(x, y int) bool {
		if !get(known, x, y) {
			set(known, x, y)
			if (accept == nil || accept(x, y)) && !c.passesFirstStage(ii[y*stride+x:], offs) {
				set(skips, x, y)
			}
		}
		return get(skips, x, y)
	}
	// evaluated: the stride-1 scan evaluates (x, y) unless the run of skipping positions just
	// before it is odd (each one evaluated skips the next).
	evaluated := func(x, y int) bool {
		k := 0
		for xx := x - 1; xx >= 0 && skipsNext(xx, y); xx-- {
			k++
		}
		return k%2 == 0
	}
	for _, p := range hits {
		set(tried, p.X, p.Y)
	}
	for q := 0; q < len(hits); q++ {
		p := hits[q]
		for y := max(p.Y-reach, 0); y <= min(p.Y+reach, h-1); y++ {
			for x := max(p.X-reach, 0); x <= min(p.X+reach, w-1); x++ {
				if get(tried, x, y) {
					continue
				}
				set(tried, x, y)
				if (accept == nil || accept(x, y)) && c.run(ii[y*stride+x:], offs) == len(c.stages) {
					hits = append(hits, image.Pt(x, y))
				}
			}
		}
	}
	out := hits[:0]
	for _, p := range hits {
		if evaluated(p.X, p.Y) {
			out = append(out, p)
		}
	}
	return out
}

// passesFirstStage reports whether the window at p gets past the cascade's first stage.
func (c *Cascade) passesFirstStage(p []int32, offs [][16]int32) bool {
	return c.runStages(p, offs, 1) == 1
}

// run evaluates the cascade on the window whose top-left integral entry is p[0] and returns the
// number of stages passed (len(stages) = a face).
func (c *Cascade) run(p []int32, offs [][16]int32) int {
	return c.runStages(p, offs, len(c.stages))
}

// runStages is run over the first n stages only.
func (c *Cascade) runStages(p []int32, offs [][16]int32, n int) int {
	for si := range c.stages[:n] {
		st := &c.stages[si]
		var sum float32
		for wi := range st.weak {
			w := &st.weak[wi]
			code := lbp(p, &offs[w.feature])
			if w.subset[code>>5]&(1<<(code&31)) != 0 {
				sum += w.leaf[0]
			} else {
				sum += w.leaf[1]
			}
			if sum+st.bestRest[wi] < st.threshold {
				return si
			}
		}
		if sum < st.threshold {
			return si
		}
	}
	return n
}

// lbp computes the 8-bit local binary pattern of a 3×3 grid of blocks: each outer block's sum is
// compared with the centre block's, clockwise from the top-left (bit 7) as in OpenCV. o holds the
// 16 integral-image offsets of the 4×4 grid corners, row-major. Written out by hand: this is the
// detector's inner loop.
func lbp(p []int32, o *[16]int32) int32 {
	_ = p[o[15]]
	v0, v1, v2, v3 := p[o[0]], p[o[1]], p[o[2]], p[o[3]]
	v4, v5, v6, v7 := p[o[4]], p[o[5]], p[o[6]], p[o[7]]
	v8, v9, v10, v11 := p[o[8]], p[o[9]], p[o[10]], p[o[11]]
	v12, v13, v14, v15 := p[o[12]], p[o[13]], p[o[14]], p[o[15]]
	cv := v5 - v6 - v9 + v10
	var code int32
	if v0-v1-v4+v5 >= cv {
		code |= 128
	}
	if v1-v2-v5+v6 >= cv {
		code |= 64
	}
	if v2-v3-v6+v7 >= cv {
		code |= 32
	}
	if v6-v7-v10+v11 >= cv {
		code |= 16
	}
	if v10-v11-v14+v15 >= cv {
		code |= 8
	}
	if v9-v10-v13+v14 >= cv {
		code |= 4
	}
	if v8-v9-v12+v13 >= cv {
		code |= 2
	}
	if v4-v5-v8+v9 >= cv {
		code |= 1
	}
	return code
}

// integral computes the (w+1)×(h+1) summed-area table of g, reusing buf: row prefix sums on
// row bands, then the running sums down the columns on column bands, both in parallel (a 1 MP
// level is a few milliseconds, and levels are prepared one after the other).
func integral(g []uint8, w, h int, buf []int32) []int32 {
	stride := w + 1
	n := stride * (h + 1)
	if cap(buf) < n {
		buf = make([]int32, n)
	}
	buf = buf[:n]
	clear(buf[:stride])
	bands(h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			row := g[y*w : (y+1)*w]
			cur := buf[(y+1)*stride : (y+2)*stride]
			cur[0] = 0
			var run int32
			for x, v := range row {
				run += int32(v)
				cur[x+1] = run
			}
		}
	})
	bands(stride, func(lo, hi int) {
		for y := 2; y <= h; y++ {
			prev, cur := buf[(y-1)*stride+lo:(y-1)*stride+hi], buf[y*stride+lo:y*stride+hi]
			for x := range cur {
				cur[x] += prev[x]
			}
		}
	})
	return buf
}

// bands runs fn over [0, n) split into one contiguous band per worker (at most 4, and only when
// each gets enough work to pay for a goroutine).
func bands(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), 4, max(n/64, 1))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(n*i/workers, n*(i+1)/workers)
		}()
	}
	wg.Wait()
}

// resizeGray scales img to w×h with bilinear interpolation (as OpenCV's detector does between
// pyramid levels), reusing buf.
func resizeGray(img *image.Gray, w, h int, buf []uint8) []uint8 {
	if cap(buf) < w*h {
		buf = make([]uint8, w*h)
	}
	buf = buf[:w*h]
	W, H := img.Rect.Dx(), img.Rect.Dy()
	if W == w && H == h {
		for y := 0; y < h; y++ {
			copy(buf[y*w:(y+1)*w], img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):])
		}
		return buf
	}
	fx, fy := float64(W)/float64(w), float64(H)/float64(h)
	x0s, wxs := make([]int, w), make([]int32, w)
	for x := 0; x < w; x++ {
		sx := max((float64(x)+0.5)*fx-0.5, 0)
		i := min(int(sx), W-1)
		x0s[x], wxs[x] = i, int32((sx-float64(i))*256)
	}
	bands(h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			sy := max((float64(y)+0.5)*fy-0.5, 0)
			j := min(int(sy), H-1)
			wy := int32((sy - float64(j)) * 256)
			r0 := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+j):]
			r1 := r0
			if j+1 < H {
				r1 = img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+j+1):]
			}
			out := buf[y*w : (y+1)*w]
			for x := range out {
				i, wx := x0s[x], wxs[x]
				i1 := min(i+1, W-1)
				top := int32(r0[i])*(256-wx) + int32(r0[i1])*wx
				bot := int32(r1[i])*(256-wx) + int32(r1[i1])*wx
				out[x] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
			}
		}
	})
	return buf
}
