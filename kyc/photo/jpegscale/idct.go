package jpegscale

import "math"

// Inverse DCTs, full and reduced.
//
// T.81 A.3.3 defines the samples of a block as
//
//	f(x,y) = 1/4 Σu Σv C(u) C(v) F(u,v) cos((2x+1)uπ/16) cos((2y+1)vπ/16)
//
// with C(0) = 1/√2 and C(k) = 1 otherwise. It is separable, so each IDCT here
// runs a 1-D transform over the columns and then over the rows, in fixed
// point with constants scaled by 2^fixBits, keeping pass1Bits of extra
// precision between the passes.
//
// A reduced N×N output (N = 4, 2, 1) is the same continuous sum sampled at the
// centres of the 8/N × 8/N pixel groups: 2x+1 = (2i+1)·8/N turns the cosines
// into cos((2i+1)uπ/2N), an N-point IDCT of the top-left N×N coefficients.
// The coefficients with u or v ≥ N are dropped; they are above the Nyquist
// frequency of the smaller grid and would only alias. Each kept coefficient
// is also multiplied by the frequency response of an (8/N)-pixel box filter,
// sin(m·uπ/16) / (m·sin(uπ/16)) with m = 8/N, so that every output pixel is the
// average of its group of pixels of the band-limited block rather than a
// point sample: this is what a box downscale of the full decode would give
// (the reference the tests hold the decoder to) and it slightly reduces
// aliasing before the caller's own resize.
const (
	fixBits   = 13
	pass1Bits = 2
	// 2^13 · cos(kπ/16)
	fixC1 = 8035
	fixC2 = 7568
	fixC3 = 6811
	fixC4 = 5793 // also 2^13 / √2
	fixC5 = 4551
	fixC6 = 3135
	fixC7 = 1598

	pass1Shift = fixBits - pass1Bits
	// The 1/4 of the 2-D formula is 2 more bits.
	pass2Shift = fixBits + pass1Bits + 2
)

func clampByte(v int32) byte {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return byte(v)
}

// idct8 computes the full 8×8 inverse DCT of the dequantized coefficients c
// (natural order) into dst.
func idct8(c *[64]int32, dst []byte, stride int) {
	var ws [64]int32
	const round1 = 1 << (pass1Shift - 1)
	for u := 0; u < 8; u++ {
		x0, x1, x2, x3 := c[u], c[8+u], c[16+u], c[24+u]
		x4, x5, x6, x7 := c[32+u], c[40+u], c[48+u], c[56+u]
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			// Only the DC term: the column is flat. Most columns of a
			// photo's blocks look like this.
			v := (x0*fixC4 + round1) >> pass1Shift
			for r := 0; r < 8; r++ {
				ws[r*8+u] = v
			}
			continue
		}
		a := (x0 + x4) * fixC4
		b := (x0 - x4) * fixC4
		p := x2*fixC2 + x6*fixC6
		q := x2*fixC6 - x6*fixC2
		e0, e3, e1, e2 := a+p, a-p, b+q, b-q
		o0 := x1*fixC1 + x3*fixC3 + x5*fixC5 + x7*fixC7
		o1 := x1*fixC3 - x3*fixC7 - x5*fixC1 - x7*fixC5
		o2 := x1*fixC5 - x3*fixC1 + x5*fixC7 + x7*fixC3
		o3 := x1*fixC7 - x3*fixC5 + x5*fixC3 - x7*fixC1
		ws[u] = (e0 + o0 + round1) >> pass1Shift
		ws[56+u] = (e0 - o0 + round1) >> pass1Shift
		ws[8+u] = (e1 + o1 + round1) >> pass1Shift
		ws[48+u] = (e1 - o1 + round1) >> pass1Shift
		ws[16+u] = (e2 + o2 + round1) >> pass1Shift
		ws[40+u] = (e2 - o2 + round1) >> pass1Shift
		ws[24+u] = (e3 + o3 + round1) >> pass1Shift
		ws[32+u] = (e3 - o3 + round1) >> pass1Shift
	}
	// Level shift (+128) and rounding folded into one constant.
	const bias = 128<<pass2Shift + 1<<(pass2Shift-1)
	for r := 0; r < 8; r++ {
		row := ws[r*8 : r*8+8 : r*8+8]
		out := dst[r*stride : r*stride+8 : r*stride+8]
		x0, x1, x2, x3, x4, x5, x6, x7 := row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			v := clampByte((x0*fixC4 + bias) >> pass2Shift)
			for i := range out {
				out[i] = v
			}
			continue
		}
		a := (x0+x4)*fixC4 + bias
		b := (x0-x4)*fixC4 + bias
		p := x2*fixC2 + x6*fixC6
		q := x2*fixC6 - x6*fixC2
		e0, e3, e1, e2 := a+p, a-p, b+q, b-q
		o0 := x1*fixC1 + x3*fixC3 + x5*fixC5 + x7*fixC7
		o1 := x1*fixC3 - x3*fixC7 - x5*fixC1 - x7*fixC5
		o2 := x1*fixC5 - x3*fixC1 + x5*fixC7 + x7*fixC3
		o3 := x1*fixC7 - x3*fixC5 + x5*fixC3 - x7*fixC1
		out[0] = clampByte((e0 + o0) >> pass2Shift)
		out[7] = clampByte((e0 - o0) >> pass2Shift)
		out[1] = clampByte((e1 + o1) >> pass2Shift)
		out[6] = clampByte((e1 - o1) >> pass2Shift)
		out[2] = clampByte((e2 + o2) >> pass2Shift)
		out[5] = clampByte((e2 - o2) >> pass2Shift)
		out[3] = clampByte((e3 + o3) >> pass2Shift)
		out[4] = clampByte((e3 - o3) >> pass2Shift)
	}
}

// Reduced-transform constants, computed once from the formulas above.
var (
	// 4-point: red4[i][k] = 2^13 · C(k) · cos((2i+1)kπ/8) · box2(k), i, k < 2
	// is enough because of the transform's symmetry (see idct4).
	r4c0, r4c1a, r4c1b, r4c2, r4c3a, r4c3b int32
	// 2-point: y = C(0)·x0 ± cos(π/4)·box4(1)·x1
	r2c0, r2c1 int32
)

// boxGain is the response of an m-pixel box average to DCT frequency u.
func boxGain(u, m int) float64 {
	if u == 0 {
		return 1
	}
	a := float64(u) * math.Pi / 16
	return math.Sin(float64(m)*a) / (float64(m) * math.Sin(a))
}

func fix(f float64) int32 { return int32(math.Round(f * (1 << fixBits))) }

func init() {
	r4c0 = fix(1 / math.Sqrt2)
	r4c2 = fix(math.Cos(math.Pi/4) * boxGain(2, 2))
	r4c1a = fix(math.Cos(math.Pi/8) * boxGain(1, 2))
	r4c1b = fix(math.Cos(3*math.Pi/8) * boxGain(1, 2))
	r4c3a = fix(math.Cos(3*math.Pi/8) * boxGain(3, 2))
	r4c3b = fix(math.Cos(math.Pi/8) * boxGain(3, 2))
	r2c0 = fix(1 / math.Sqrt2)
	r2c1 = fix(math.Cos(math.Pi/4) * boxGain(1, 4))
}

// idct4 computes a 4×4 output from the top-left 4×4 dequantized coefficients
// c (row-major, 4 per row).
func idct4(c *[16]int32, dst []byte, stride int) {
	var ws [16]int32
	k0, k1a, k1b, k2, k3a, k3b := r4c0, r4c1a, r4c1b, r4c2, r4c3a, r4c3b
	const round1 = 1 << (pass1Shift - 1)
	for u := 0; u < 4; u++ {
		x0, x1, x2, x3 := c[u], c[4+u], c[8+u], c[12+u]
		// cos((2(3-i)+1)kπ/8) = (-1)^k cos((2i+1)kπ/8): outputs 3 and 2
		// mirror 0 and 1 with the odd terms negated.
		e0 := x0*k0 + x2*k2
		e1 := x0*k0 - x2*k2
		o0 := x1*k1a + x3*k3a
		o1 := x1*k1b - x3*k3b
		ws[u] = (e0 + o0 + round1) >> pass1Shift
		ws[12+u] = (e0 - o0 + round1) >> pass1Shift
		ws[4+u] = (e1 + o1 + round1) >> pass1Shift
		ws[8+u] = (e1 - o1 + round1) >> pass1Shift
	}
	const bias = 128<<pass2Shift + 1<<(pass2Shift-1)
	for r := 0; r < 4; r++ {
		x0, x1, x2, x3 := ws[r*4], ws[r*4+1], ws[r*4+2], ws[r*4+3]
		e0 := x0*k0 + x2*k2 + bias
		e1 := x0*k0 - x2*k2 + bias
		o0 := x1*k1a + x3*k3a
		o1 := x1*k1b - x3*k3b
		out := dst[r*stride : r*stride+4 : r*stride+4]
		out[0] = clampByte((e0 + o0) >> pass2Shift)
		out[3] = clampByte((e0 - o0) >> pass2Shift)
		out[1] = clampByte((e1 + o1) >> pass2Shift)
		out[2] = clampByte((e1 - o1) >> pass2Shift)
	}
}

// idct2 computes a 2×2 output from the top-left 2×2 dequantized coefficients.
func idct2(c *[4]int32, dst []byte, stride int) {
	k0, k1 := r2c0, r2c1
	const round1 = 1 << (pass1Shift - 1)
	// Columns.
	a0 := (c[0]*k0 + c[2]*k1 + round1) >> pass1Shift
	a1 := (c[0]*k0 - c[2]*k1 + round1) >> pass1Shift
	b0 := (c[1]*k0 + c[3]*k1 + round1) >> pass1Shift
	b1 := (c[1]*k0 - c[3]*k1 + round1) >> pass1Shift
	const bias = 128<<pass2Shift + 1<<(pass2Shift-1)
	// Rows: row 0 is (a0, b0), row 1 is (a1, b1).
	dst[0] = clampByte((a0*k0 + b0*k1 + bias) >> pass2Shift)
	dst[1] = clampByte((a0*k0 - b0*k1 + bias) >> pass2Shift)
	dst[stride] = clampByte((a1*k0 + b1*k1 + bias) >> pass2Shift)
	dst[stride+1] = clampByte((a1*k0 - b1*k1 + bias) >> pass2Shift)
}

// idct1 is the 1/8 case: the block's mean, F(0,0)/8.
func idct1(dc int32) byte {
	return clampByte((dc+4)>>3 + 128)
}

// basis[N][i][k] = 2^13 · C(k) · cos((2i+1)kπ/2N) · box(k, 8/N): the N-point
// reduced 1-D transform, for the rectangular blocks of chroma components
// decoded at a different size across than down (4:2:2, 4:4:0, 4:1:1).
var basis [9][8][8]int32

func init() {
	for _, n := range []int{1, 2, 4, 8} {
		for i := 0; i < n; i++ {
			for k := 0; k < n; k++ {
				ck := 1.0
				if k == 0 {
					ck = 1 / math.Sqrt2
				}
				a := float64((2*i+1)*k) * math.Pi / float64(2*n)
				basis[n][i][k] = fix(ck * math.Cos(a) * boxGain(k, 8/n))
			}
		}
	}
}

// idctRect computes an nh×nv output (sizes 1, 2, 4 or 8) from the top-left
// nv rows × nh columns of dequantized coefficients, by direct separable
// sums. It is only used for chroma blocks, a minority of the work.
func idctRect(coef []int32, nh, nv int, dst []byte, stride int) {
	var ws [64]int32
	tv, th := &basis[nv], &basis[nh]
	const round1 = 1 << (pass1Shift - 1)
	for u := 0; u < nh; u++ {
		for i := 0; i < nv; i++ {
			var s int32
			for v := 0; v < nv; v++ {
				s += tv[i][v] * coef[v*nh+u]
			}
			ws[i*nh+u] = (s + round1) >> pass1Shift
		}
	}
	const bias = 128<<pass2Shift + 1<<(pass2Shift-1)
	for i := 0; i < nv; i++ {
		row := ws[i*nh : i*nh+nh]
		out := dst[i*stride : i*stride+nh]
		for j := range out {
			s := int32(bias)
			for u, x := range row {
				s += th[j][u] * x
			}
			out[j] = clampByte(s >> pass2Shift)
		}
	}
}
