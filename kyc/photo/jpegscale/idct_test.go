package jpegscale

import (
	"math"
	"math/rand"
	"testing"
)

// refIDCT evaluates T.81's formula in floating point, sampled at the centres
// of the output pixel groups, with the same box gains as the fixed-point
// transforms.
func refIDCT(f *[64]float64, nh, nv int) []float64 {
	out := make([]float64, nh*nv)
	cf := func(k int) float64 {
		if k == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	for i := 0; i < nv; i++ {
		for j := 0; j < nh; j++ {
			var s float64
			for v := 0; v < nv; v++ {
				for u := 0; u < nh; u++ {
					s += cf(u) * cf(v) * f[v*8+u] *
						math.Cos(float64((2*j+1)*u)*math.Pi/float64(2*nh)) * boxGain(u, 8/nh) *
						math.Cos(float64((2*i+1)*v)*math.Pi/float64(2*nv)) * boxGain(v, 8/nv)
				}
			}
			out[i*nh+j] = math.Max(0, math.Min(255, math.Round(s/4+128)))
		}
	}
	return out
}

// TestIDCTAccuracy checks every transform against the float formula on
// random blocks shaped like real ones (large low frequencies, sparse high).
func TestIDCTAccuracy(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	sizes := [][2]int{{8, 8}, {4, 4}, {2, 2}, {1, 1}, {8, 4}, {4, 8}, {4, 2}, {2, 4}, {2, 1}, {1, 2}, {8, 2}}
	for trial := 0; trial < 300; trial++ {
		var f [64]float64
		for k := 0; k < 64; k++ {
			r, c := k/8, k%8
			if rng.Intn(r+c+1) == 0 {
				f[k] = math.Round(rng.NormFloat64() * 300 / float64(1+r+c))
			}
		}
		if trial%10 == 0 { // saturating blocks
			f[0] = float64(rng.Intn(4096) - 2048)
		}
		for _, sz := range sizes {
			nh, nv := sz[0], sz[1]
			want := refIDCT(&f, nh, nv)
			coef := make([]int32, nh*nv)
			for v := 0; v < nv; v++ {
				for u := 0; u < nh; u++ {
					coef[v*nh+u] = int32(f[v*8+u])
				}
			}
			got := make([]byte, 64)
			switch {
			case nh != nv:
				idctRect(coef, nh, nv, got, nh)
			case nh == 8:
				idct8((*[64]int32)(coef), got, 8)
			case nh == 4:
				idct4((*[16]int32)(coef), got, 4)
			case nh == 2:
				idct2((*[4]int32)(coef), got, 2)
			default:
				got[0] = idct1(coef[0])
			}
			for i, w := range want {
				if d := math.Abs(float64(got[i]) - w); d > 1 {
					t.Fatalf("%dx%d trial %d pixel %d: got %d want %v", nh, nv, trial, i, got[i], w)
				}
			}
			// The square transforms and the generic one must agree.
			if nh == nv {
				alt := make([]byte, 64)
				idctRect(coef, nh, nv, alt, nh)
				for i := range want {
					if d := int(alt[i]) - int(got[i]); d > 1 || d < -1 {
						t.Fatalf("%dx%d: idctRect %d vs %d", nh, nv, alt[i], got[i])
					}
				}
			}
		}
	}
}
