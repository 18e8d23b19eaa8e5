package photo

import (
	"image"
	"math"
	"sort"
)

// Stats are the measurements behind the pre-flight findings, taken on a grey copy of the
// prepared image downscaled to AnalysisLongEdge (so thresholds do not depend on the input size).
type Stats struct {
	Mean         float64 // mean luminance, 0–255
	StdDev       float64 // RMS contrast
	Spread       float64 // luminance range between the 1st and 99th percentiles
	Clipped      float64 // share of pixels at or above ClipLuma
	LaplacianVar float64 // variance of the 4-neighbour Laplacian over the whole image
	// Sharpness is the blur measure: the variance of the Laplacian in the sharpest tenth of the
	// image (the 90th percentile over blocks of sharpBlock² pixels). A photo in focus has crisp
	// edges somewhere even when most of it is a plain wall, a smooth face or the black around a
	// fundus; a blurred one has none anywhere. The global variance mistook the first for the
	// second (issue 13: the real photos of testdata/faceless).
	Sharpness float64
}

// sharpBlock is the block side, at AnalysisLongEdge, over which Sharpness takes variances.
const sharpBlock = 32

// AnalysisLongEdge is the size the checks work at: small enough for a few milliseconds, large
// enough that eKTP text strokes still register in the Laplacian.
const AnalysisLongEdge = 512

// lumaOf is the BT.601 luma of a prepared image (opaque RGBA or NRGBA, the planar path's YCbCr
// or grey) at its own size; fitGrey then area-averages it to fit AnalysisLongEdge for the
// checks. JFIF's Y is BT.601 luma, so a YCbCr image's Y plane is used as it is.
func lumaOf(src image.Image) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	full := getGray(w, h) // every pixel is written below
	var plane []byte
	stride := 0
	switch m := src.(type) {
	case *image.YCbCr:
		plane, stride = m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride
	case *image.Gray:
		plane, stride = m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	}
	if plane != nil {
		for y := 0; y < h; y++ {
			copy(full.Pix[y*full.Stride:y*full.Stride+w], plane[y*stride:])
		}
		return full
	}
	var pix []byte // 8-bit R, G, B, A per pixel
	switch m := src.(type) {
	case *image.RGBA:
		pix, stride = m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	case *image.NRGBA: // the imaging path's, opaque: the same bytes as RGBA
		pix, stride = m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride
	default:
		img := boxShrink(src, 1)
		defer putRGBA(img)
		pix, stride = img.Pix, img.Stride
	}
	parallel(h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			in := pix[y*stride : y*stride+4*w]
			out := full.Pix[y*full.Stride : y*full.Stride+w]
			for x := range out {
				p := in[4*x : 4*x+3 : 4*x+3] // one bounds check for the pixel, not three
				r, g, b := uint32(p[0]), uint32(p[1]), uint32(p[2])
				out[x] = uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
			}
		}
	})
	return full
}

// fitGrey area-averages a grey image to fit AnalysisLongEdge.
func fitGrey(full *image.Gray) *image.Gray {
	w, h := full.Rect.Dx(), full.Rect.Dy()
	dw, dh := fitSize(w, h, AnalysisLongEdge)
	if dw == w && dh == h {
		return full
	}
	return areaResizeGray(full, dw, dh)
}

// areaResizeGray shrinks g to w×h, each output pixel the exact area-weighted mean of the source
// pixels it covers (no aliasing, no ringing: the blur metric must not be fooled by either).
//
// Separable: each source row is averaged along x once, into a ring of the few rows the current
// output row needs (an output row covers at most ky.taps source rows, and the next one starts
// where it ends), then those rows are summed down. Each band of output rows keeps its own ring,
// so the rows where two bands meet are averaged twice; nothing of image size is allocated.
func areaResizeGray(g *image.Gray, w, h int) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	kx, ky := makeAreaKernel(sw, w), makeAreaKernel(sh, h)
	out := image.NewGray(image.Rect(0, 0, w, h))
	parallel(h, func(lo, hi int) {
		ring := make([]int32, ky.taps*w)
		acc := make([]int64, w)
		next := 0 // the first source row not yet in the ring
		for y := lo; y < hi; y++ {
			s0, n := int(ky.start[y]), int(ky.count[y])
			for r := max(next, s0); r < s0+n; r++ {
				in := g.Pix[r*g.Stride:]
				dst := ring[(r%ky.taps)*w : (r%ky.taps+1)*w]
				for x := range dst {
					var a int32
					for t, wt := range kx.weight[x*kx.taps : x*kx.taps+int(kx.count[x])] {
						a += wt * int32(in[int(kx.start[x])+t])
					}
					dst[x] = a >> 6 // keep 8 extra bits of precision for the second pass
				}
			}
			next = s0 + n
			clear(acc)
			for t, wt := range ky.weight[y*ky.taps : y*ky.taps+n] {
				w64 := int64(wt)
				r := (s0 + t) % ky.taps
				for x, v := range ring[r*w : (r+1)*w] {
					acc[x] += w64 * int64(v)
				}
			}
			row := out.Pix[y*out.Stride : y*out.Stride+w]
			for x, a := range acc {
				v := (a + 1<<(weightShift+weightShift-6-1)) >> (weightShift + weightShift - 6)
				row[x] = uint8(min(max(v, 0), 255))
			}
		}
	})
	return out
}

// makeAreaKernel weights each source sample by how much of it an output sample's footprint covers.
func makeAreaKernel(n, m int) kernel {
	scale := float64(n) / float64(m)
	k := kernel{taps: int(math.Ceil(scale)) + 2, start: make([]int32, m), count: make([]int32, m)}
	k.weight = make([]int32, m*k.taps)
	for i := 0; i < m; i++ {
		a, b := float64(i)*scale, float64(i+1)*scale
		lo, hi := int(math.Floor(a)), min(int(math.Ceil(b)), n)
		k.start[i], k.count[i] = int32(lo), int32(hi-lo)
		w := k.weight[i*k.taps:]
		var sum int32
		for j := lo; j < hi; j++ {
			cover := math.Min(b, float64(j+1)) - math.Max(a, float64(j))
			w[j-lo] = int32(math.Round(cover / scale * (1 << weightShift)))
			sum += w[j-lo]
		}
		w[0] += 1<<weightShift - sum
	}
	return k
}

// measure computes Stats over g.
func measure(g *image.Gray) Stats {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var hist [256]int
	var sum, sumSq float64
	for y := 0; y < h; y++ {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+w] {
			hist[v]++
		}
	}
	n := float64(w * h)
	for v, c := range hist {
		sum += float64(v * c)
		sumSq += float64(v*v) * float64(c)
	}
	s := Stats{Mean: sum / n}
	s.StdDev = math.Sqrt(max(sumSq/n-s.Mean*s.Mean, 0))
	lo, hi := percentile(&hist, n, 0.01), percentile(&hist, n, 0.99)
	s.Spread = float64(hi - lo)
	var clipped int
	for v := ClipLuma; v < 256; v++ {
		clipped += hist[v]
	}
	s.Clipped = float64(clipped) / n
	s.LaplacianVar, s.Sharpness = laplacianStats(g)
	return s
}

func percentile(hist *[256]int, n, p float64) int {
	target, acc := p*n, 0.0
	for v, c := range hist {
		acc += float64(c)
		if acc >= target {
			return v
		}
	}
	return 255
}

// laplacianStats returns the variance of the 4-neighbour Laplacian (the classic focus measure:
// sharp edges give large second derivatives) over the whole image, and its 90th percentile over
// blocks (Sharpness).
func laplacianStats(g *image.Gray) (whole, sharp float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 3 || h < 3 {
		return 0, 0
	}
	bw, bh := (w-2+sharpBlock-1)/sharpBlock, (h-2+sharpBlock-1)/sharpBlock
	type acc struct {
		sum, sq float64
		n       int
	}
	blocks := make([]acc, bw*bh)
	var sum, sumSq float64
	for y := 1; y < h-1; y++ {
		up, row, dn := g.Pix[(y-1)*g.Stride:], g.Pix[y*g.Stride:], g.Pix[(y+1)*g.Stride:]
		brow := blocks[((y-1)/sharpBlock)*bw:]
		var rs, rq int64
		for bx := 0; bx < bw; bx++ {
			var bs, bq int64
			x0, x1 := 1+bx*sharpBlock, min(1+(bx+1)*sharpBlock, w-1)
			for x := x0; x < x1; x++ {
				l := 4*int64(row[x]) - int64(row[x-1]) - int64(row[x+1]) - int64(up[x]) - int64(dn[x])
				bs += l
				bq += l * l
			}
			brow[bx].sum += float64(bs)
			brow[bx].sq += float64(bq)
			brow[bx].n += x1 - x0
			rs += bs
			rq += bq
		}
		sum += float64(rs)
		sumSq += float64(rq)
	}
	n := float64((w - 2) * (h - 2))
	mean := sum / n
	vars := make([]float64, 0, len(blocks))
	for _, b := range blocks {
		if b.n < sharpBlock*sharpBlock/4 { // a sliver at the edge: too few pixels to judge
			continue
		}
		m := b.sum / float64(b.n)
		vars = append(vars, b.sq/float64(b.n)-m*m)
	}
	if len(vars) == 0 {
		return sumSq/n - mean*mean, sumSq/n - mean*mean
	}
	sort.Float64s(vars)
	return sumSq/n - mean*mean, vars[len(vars)*9/10]
}
