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
		raw  []image.Rectangle
		ii   []int32
		prog program
	)
	for factor := max(1, float64(o.MinSize)/float64(c.width)); ; factor *= o.ScaleFactor {
		sw, sh := int(math.Round(float64(W)/factor)), int(math.Round(float64(H)/factor))
		winW, winH := int(math.Round(float64(c.width)*factor)), int(math.Round(float64(c.height)*factor))
		if sw < c.width || sh < c.height || (o.MaxSize > 0 && max(winW, winH) > o.MaxSize) {
			break
		}
		ii = levelIntegral(img, sw, sh, ii)
		stride := sw + 1
		c.compile(stride, &prog)
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
		hits := c.scanLevel(&prog, ii, stride, sw, sh, step, accept)
		if refine {
			hits = c.refineHits(&prog, hits, ii, stride, sw, sh, accept)
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
func (c *Cascade) scanLevel(p *program, ii []int32, stride, sw, sh, step int, accept func(x, y int) bool) []image.Point {
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
						st := p.run(ii, y*stride+x, len(p.stages))
						if st == len(p.stages) {
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
func (c *Cascade) refineHits(prog *program, hits []image.Point, ii []int32, stride, sw, sh int, accept func(x, y int) bool) []image.Point {
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
			if (accept == nil || accept(x, y)) && prog.run(ii, y*stride+x, 1) == 0 {
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
				if (accept == nil || accept(x, y)) && prog.run(ii, y*stride+x, len(prog.stages)) == len(prog.stages) {
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
