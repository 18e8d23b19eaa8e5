package face

import (
	"image"
	"math"
	"sort"
)

// group merges overlapping raw hits like OpenCV's groupRectangles: hits whose corners all lie
// within eps·(mean side) of each other form a cluster (transitively); a cluster needs more than
// minNeighbors hits; its rectangle is the mean; a cluster lying inside a stronger one is dropped.
func group(raw []image.Rectangle, minNeighbors int, eps float64) []Face {
	n := len(raw)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if similar(raw[i], raw[j], eps) {
				parent[find(i)] = find(j)
			}
		}
	}
	type acc struct{ x0, y0, x1, y1, n int }
	sums := map[int]*acc{}
	var roots []int
	for i, r := range raw {
		root := find(i)
		a := sums[root]
		if a == nil {
			a = &acc{}
			sums[root] = a
			roots = append(roots, root)
		}
		a.x0 += r.Min.X
		a.y0 += r.Min.Y
		a.x1 += r.Dx()
		a.y1 += r.Dy()
		a.n++
	}
	type cand struct {
		r image.Rectangle
		n int
	}
	var cs []cand
	for _, root := range roots {
		a := sums[root]
		if a.n <= minNeighbors {
			continue
		}
		f := 1 / float64(a.n)
		x, y := round(float64(a.x0)*f), round(float64(a.y0)*f)
		cs = append(cs, cand{image.Rect(x, y, x+round(float64(a.x1)*f), y+round(float64(a.y1)*f)), a.n})
	}
	var out []Face
	for i, c1 := range cs {
		inside := false
		for j, c2 := range cs {
			if i == j {
				continue
			}
			dx, dy := round(float64(c2.r.Dx())*eps), round(float64(c2.r.Dy())*eps)
			if c1.r.Min.X >= c2.r.Min.X-dx && c1.r.Min.Y >= c2.r.Min.Y-dy &&
				c1.r.Max.X <= c2.r.Max.X+dx && c1.r.Max.Y <= c2.r.Max.Y+dy &&
				(c2.n > max(3, c1.n) || c1.n < 3) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, Face{Rect: c1.r, Neighbors: c1.n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rect.Dx() > out[j].Rect.Dx() })
	return out
}

func similar(a, b image.Rectangle, eps float64) bool {
	delta := eps * float64(min(a.Dx(), b.Dx())+min(a.Dy(), b.Dy())) * 0.5
	return math.Abs(float64(a.Min.X-b.Min.X)) <= delta && math.Abs(float64(a.Min.Y-b.Min.Y)) <= delta &&
		math.Abs(float64(a.Max.X-b.Max.X)) <= delta && math.Abs(float64(a.Max.Y-b.Max.Y)) <= delta
}

func round(v float64) int { return int(math.Round(v)) }
