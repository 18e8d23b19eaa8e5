package face

import "unsafe"

// program is the cascade laid out for one pyramid level: every weak classifier carries its
// feature's 16 integral-image offsets at this level's stride, in evaluation order, so that the
// detector's inner loop walks one contiguous array instead of hopping from a weak classifier to
// its feature's offsets (two cache lines per step). Built once per level: a few thousand words.
type program struct {
	c      *Cascade // the cascade the stages were laid out from (scratch is pooled across cascades)
	stages []progStage
	// span is the largest offset any feature reads: a window whose top-left integral entry is
	// at index i reads nothing past i+span.
	span int32
}

type progStage struct {
	threshold float32
	weak      []progWeak
}

type progWeak struct {
	offs     [16]int32 // the 4×4 grid corners, row-major (see lbpAt)
	subset   [8]uint32 // bit c set → leaf[0] for LBP code c
	leaf     [2]float32
	bestRest float32 // as stage.bestRest
}

// compile lays c out for a level whose integral image has the given stride.
func (c *Cascade) compile(stride int, p *program) {
	if p.c != c {
		p.c = c
		p.stages = make([]progStage, len(c.stages))
		for si, st := range c.stages {
			p.stages[si] = progStage{threshold: st.threshold, weak: make([]progWeak, len(st.weak))}
			for wi, w := range st.weak {
				p.stages[si].weak[wi] = progWeak{subset: w.subset, leaf: w.leaf, bestRest: st.bestRest[wi]}
			}
		}
	}
	p.span = 0
	for si, st := range c.stages {
		for wi, w := range st.weak {
			f := c.features[w.feature]
			o := &p.stages[si].weak[wi].offs
			for r := 0; r < 4; r++ {
				for q := 0; q < 4; q++ {
					o[r*4+q] = int32((f.y+r*f.h)*stride + f.x + q*f.w)
				}
			}
			p.span = max(p.span, o[15])
		}
	}
}

// run evaluates the first n stages on the window whose top-left integral entry is ii[at] and
// returns the number of stages passed (n = all of them).
func (p *program) run(ii []int32, at int, n int) int {
	_ = ii[at+int(p.span)] // every offset of every feature is in [0, span]: one check for all
	base := unsafe.Pointer(&ii[at])
	for si := range p.stages[:n] {
		st := &p.stages[si]
		var sum float32
		for wi := range st.weak {
			w := &st.weak[wi]
			code := lbpAt(base, &w.offs)
			bit := (w.subset[code>>5&7] >> (code & 31)) & 1 // 1 → leaf[0]
			sum += w.leaf[(bit^1)&1]
			if sum+w.bestRest < st.threshold {
				return si
			}
		}
		if sum < st.threshold {
			return si
		}
	}
	return n
}

// lbpAt computes the 8-bit local binary pattern of a 3×3 grid of blocks: each outer block's sum
// is compared with the centre block's, clockwise from the top-left (bit 7) as in OpenCV. o holds
// the 16 integral-image offsets of the 4×4 grid corners from base, row-major; the caller has
// checked that they are all inside the integral image (program.run), so the loads skip Go's
// bounds checks: this is the detector's inner loop. (Written into run by hand it was slower:
// the register pressure of 16 sums in the loop.)
func lbpAt(base unsafe.Pointer, o *[16]int32) uint32 {
	at := func(i int) int32 { return *(*int32)(unsafe.Add(base, uintptr(o[i])*4)) }
	v0, v1, v2, v3 := at(0), at(1), at(2), at(3)
	v4, v5, v6, v7 := at(4), at(5), at(6), at(7)
	v8, v9, v10, v11 := at(8), at(9), at(10), at(11)
	v12, v13, v14, v15 := at(12), at(13), at(14), at(15)
	cv := v5 - v6 - v9 + v10
	// ge is 1 when a block's sum is at least the centre's: the sign bit of the difference,
	// inverted (block sums are far from overflowing).
	ge := func(s int32) uint32 { return uint32(^(s - cv)) >> 31 }
	return ge(v0-v1-v4+v5)<<7 | ge(v1-v2-v5+v6)<<6 | ge(v2-v3-v6+v7)<<5 | ge(v6-v7-v10+v11)<<4 |
		ge(v10-v11-v14+v15)<<3 | ge(v9-v10-v13+v14)<<2 | ge(v8-v9-v12+v13)<<1 | ge(v4-v5-v8+v9)
}
