package face

import "image"

// Gate lets a fine search afford its many small windows: a window is given to the cascade only
// when its centre is in none of Skip and, if Mask is set, at least Share of its middle (the window
// less a fifth of its side all round: cheek, nose and forehead on a frontal face) is marked in
// Mask. The caller decides what is marked (skin-coloured pixels, say); the test runs in line with
// the scan, a few integer operations per window.
type Gate struct {
	Mask  *Mask
	Share float64
	Skip  []image.Rectangle
}

// Mask marks cells of Cell×Cell input pixels, as a summed-area table: Sums[(y+1)*(W+1)+(x+1)]
// is the number of marked cells in columns 0…x of rows 0…y.
type Mask struct {
	Cell int
	W, H int
	Sums []int32
}

// levelGate is a Gate set up for one pyramid level: each window column's centre and mask cells,
// in input pixels, worked out once for all the level's rows.
type levelGate struct {
	g          *Gate
	f16        int // level → input pixels, 16.16 fixed point
	winW, winH int
	cx         []int // per level column x: the centre of a window at x, input x
	mx0, mx1   []int // the middle's mask columns [mx0, mx1)
}

// gateRow is one row of windows of a levelGate.
type gateRow struct {
	lg       *levelGate
	skip     []image.Rectangle // the Skip rectangles this row's window centres are in (by y)
	cy       int
	my0, my1 int
}

func newLevelGate(g *Gate, factor float64, winW, winH, columns int) *levelGate {
	lg := &levelGate{g: g, f16: int(factor*65536 + 0.5), winW: winW, winH: winH}
	for x := 0; x < columns; x++ {
		ix := lg.toInput(x)
		lg.cx = append(lg.cx, (2*ix+winW)/2)
		if g.Mask != nil {
			d := winW / 5
			lg.mx0 = append(lg.mx0, max((ix+d)/g.Mask.Cell, 0))
			lg.mx1 = append(lg.mx1, min((ix+winW-d)/g.Mask.Cell, g.Mask.W))
		}
	}
	return lg
}

func (lg *levelGate) toInput(v int) int { return (v*lg.f16 + 32768) >> 16 }

// row returns the gate for the windows whose top is level row y.
func (lg *levelGate) row(y int) gateRow {
	iy := lg.toInput(y)
	r := gateRow{lg: lg, cy: (2*iy + lg.winH) / 2}
	for _, s := range lg.g.Skip {
		if r.cy >= s.Min.Y && r.cy < s.Max.Y {
			r.skip = append(r.skip, s)
		}
	}
	if m := lg.g.Mask; m != nil {
		d := lg.winH / 5
		r.my0, r.my1 = max((iy+d)/m.Cell, 0), min((iy+lg.winH-d)/m.Cell, m.H)
	}
	return r
}

// okAt reports whether the window at level pixel (x, y) passes.
func (lg *levelGate) okAt(x, y int) bool {
	r := lg.row(y)
	return r.ok(x)
}

// ok reports whether the row's window at level column x passes.
func (r *gateRow) ok(x int) bool {
	lg := r.lg
	for _, s := range r.skip {
		if cx := lg.cx[x]; cx >= s.Min.X && cx < s.Max.X {
			return false
		}
	}
	m := lg.g.Mask
	if m == nil {
		return true
	}
	x0, x1 := lg.mx0[x], lg.mx1[x]
	if x1 <= x0 || r.my1 <= r.my0 {
		return false
	}
	st := m.W + 1
	s := m.Sums
	n := s[r.my1*st+x1] - s[r.my0*st+x1] - s[r.my1*st+x0] + s[r.my0*st+x0]
	return float64(n) >= lg.g.Share*float64((x1-x0)*(r.my1-r.my0))
}
