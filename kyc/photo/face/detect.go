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
	// Gate, if set, is asked about each window before the cascade runs on it (gate.go).
	Gate *Gate
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
//
// The pyramid's levels are shared among the cores whole, largest first: one goroutine scales,
// sums and scans a level from start to end. (Each level split among the cores, as it was, cost
// a third more CPU in handing work over and waiting than the scan itself needs.)
func (c *Cascade) Detect(img *image.Gray, o Options) []Face {
	if o.ScaleFactor <= 1 {
		o.ScaleFactor = 1.1
	}
	if o.MinNeighbors <= 0 {
		o.MinNeighbors = 3
	}
	lv := c.levels(img.Rect.Dx(), img.Rect.Dy(), o)
	hits := make([][]image.Rectangle, len(lv))
	workers := min(runtime.GOMAXPROCS(0), 4, len(lv))
	var next atomic.Int32
	work := func() {
		s := scratchPool.Get().(*scratch)
		defer scratchPool.Put(s)
		for {
			i := int(next.Add(1)) - 1
			if i >= len(lv) {
				return
			}
			hits[i] = c.detectLevel(img, lv[i], o, s)
		}
	}
	if workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(work)
		}
		wg.Wait()
	}
	var raw []image.Rectangle
	for _, h := range hits {
		raw = append(raw, h...)
		if len(raw) >= maxRaw {
			break
		}
	}
	return group(raw, o.MinNeighbors, 0.2)
}

// level is one level of the pyramid: the input scaled down by factor to sw×sh, where the
// cascade's window covers winW×winH input pixels.
type level struct {
	factor     float64
	sw, sh     int
	winW, winH int
}

// levels lists the pyramid of a w×h input, from the smallest window (the largest level) up.
func (c *Cascade) levels(w, h int, o Options) []level {
	var lv []level
	for factor := max(1, float64(o.MinSize)/float64(c.width)); ; factor *= o.ScaleFactor {
		l := level{factor: factor,
			sw: int(math.Round(float64(w) / factor)), sh: int(math.Round(float64(h) / factor)),
			winW: int(math.Round(float64(c.width) * factor)), winH: int(math.Round(float64(c.height) * factor))}
		if l.sw < c.width || l.sh < c.height || (o.MaxSize > 0 && max(l.winW, l.winH) > o.MaxSize) {
			return lv
		}
		lv = append(lv, l)
	}
}

// scratch is one goroutine's buffers, reused from level to level and, through scratchPool,
// from one detection to the next: a fine pass's largest level table is 3 MB, and fresh memory
// costs page faults and clearing every time (the pool lets go of it when the garbage collector
// runs twice without a detection in between).
type scratch struct {
	ii   []int32
	prog program
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// detectLevel returns the raw hits on one level, in input pixels.
func (c *Cascade) detectLevel(img *image.Gray, l level, o Options, s *scratch) []image.Rectangle {
	s.ii = levelIntegral(img, l.sw, l.sh, s.ii)
	stride := l.sw + 1
	c.compile(stride, &s.prog)
	// OpenCV strides 2 pixels on fine levels and 1 on coarse ones (factor > 2), where a pixel is
	// a large step in the input. Here a coarse level is scanned at stride 2 and then filled in at
	// stride 1 around every hit (refineHits): the hits of a stride-1 scan, at about 40 % of its
	// cost (8.8 → 3.4 ms for these levels on a 512 px selfie), since stride-1 positions away from
	// any hit would only be rejected.
	step, refine := 2, l.factor > 2
	if refine && plainStrideOne { // the test's reference: OpenCV's scan
		step, refine = 1, false
	}
	if o.Step > 0 {
		step, refine = o.Step, false
	}
	var gate *levelGate
	if o.Gate != nil {
		gate = newLevelGate(o.Gate, l.factor, l.winW, l.winH, l.sw-c.width+1)
	}
	hits := c.scanLevel(&s.prog, s.ii, stride, l.sw, l.sh, step, gate)
	if refine {
		hits = c.refineHits(&s.prog, hits, s.ii, stride, l.sw, l.sh, gate)
	}
	raw := make([]image.Rectangle, 0, len(hits))
	for _, h := range hits {
		x, y := int(math.Round(float64(h.X)*l.factor)), int(math.Round(float64(h.Y)*l.factor))
		raw = append(raw, image.Rect(x, y, x+l.winW, y+l.winH))
	}
	return raw
}

// scanLevel slides the window over one pyramid level and returns the accepted top-left corners,
// in row order.
func (c *Cascade) scanLevel(p *program, ii []int32, stride, sw, sh, step int, gate *levelGate) []image.Point {
	var out []image.Point
	for y := 0; y+c.height <= sh; y += step {
		var gr gateRow
		if gate != nil {
			gr = gate.row(y)
		}
		for x := 0; x+c.width <= sw; x += step {
			if gate != nil && !gr.ok(x) {
				continue
			}
			st := p.run(ii, y*stride+x, len(p.stages))
			if st == len(p.stages) {
				out = append(out, image.Pt(x, y))
			} else if st == 0 {
				x += step // rejected by the first stage: the neighbour almost surely is too (OpenCV does the same)
			}
		}
	}
	return out
}

// refineHits turns the hits of a stride-2 scan into those of OpenCV's stride-1 scan, in the
// same clusters: every position within 2 pixels of a hit is tried, and so on from the new hits,
// until none appears; then only the positions the stride-1 scan would have evaluated are kept
// (it skips the position after one its first stage rejects: see scanLevel).
func (c *Cascade) refineHits(prog *program, hits []image.Point, ii []int32, stride, sw, sh int, gate *levelGate) []image.Point {
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
			if (gate == nil || gate.okAt(x, y)) && prog.run(ii, y*stride+x, 1) == 0 {
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
				if (gate == nil || gate.okAt(x, y)) && prog.run(ii, y*stride+x, len(prog.stages)) == len(prog.stages) {
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
