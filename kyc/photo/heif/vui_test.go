package heif

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"testing"
)

// The video range is read from the SPS of real phone files' hvcC, from the test fixtures, and
// a damaged SPS leaves it unknown (taken as full range) instead of guessing.
func TestVUIFullRange(t *testing.T) {
	hexes := map[string]string{
		// An iPhone 12 MP photo's tile: VUI with video_full_range_flag = 1.
		"iphone": "010370000000b000000000005af000fcfdf8f800000b03a00001001740010c01ffff037000000300b0000003000003005a7024a100010022420101037000000300b0000003000003005aa0040200805887b9165537020202a402a2000100094401c06172c8405324",
		// A 1440×960 phone HEIF: two short-term reference picture sets and no VUI, so video
		// range (libheif 1.15 and libde265 decode it so).
		"no-vui": "010160000000000000000000baf000fcfdf8f800000f03a00001001840010c01ffff016000000300000300000300000300baf024a10001001f420101016000000300000300000300000300baa002d0803c1fe5f9246d9ed9a2000100074401c190958112",
	}
	for name, want := range map[string][2]bool{"iphone": {true, true}, "no-vui": {false, true}} {
		b, _ := hex.DecodeString(hexes[name])
		if full, known := vuiFullRange(b); full != want[0] || known != want[1] {
			t.Errorf("%s: full %v known %v, want %v %v", name, full, known, want[0], want[1])
		}
		// Cut anywhere before the end of the SPS: never a "known".
		sps := firstNAL(b, 33)
		end := bytes.Index(b, sps) + len(sps)
		for cut := 23; cut < end; cut++ {
			if _, known := vuiFullRange(b[:cut]); known {
				t.Errorf("%s cut at %d: range known", name, cut)
			}
		}
		// The SPS itself cut short (as if its length said less): the walk runs out, not on —
		// unknown until the flag itself has been read, and never a wrong answer.
		rbsp := unescapeRBSP(sps[2:])
		for cut := 0; cut < len(rbsp)-1; cut++ {
			r := bitReader{b: rbsp[:cut]}
			full, known := r.spsFullRange()
			if known && (full != want[0] || cut < 20) {
				t.Errorf("%s: SPS cut to %d bytes: full %v known", name, cut, full)
			}
		}
	}
	for file, limited := range map[string]bool{"video-range.heic": true, "grid-3x3.heic": false, "single.heic": false, "gray.heic": false} {
		data, err := os.ReadFile("../testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.Primary()
		if err != nil {
			t.Fatal(err)
		}
		if l.LimitedRange != limited || l.CodedLimitedRange != limited {
			t.Errorf("%s: limited %v (coded %v), want %v", file, l.LimitedRange, l.CodedLimitedRange, limited)
		}
	}
}

func TestUnescapeRBSP(t *testing.T) {
	in := []byte{0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 3, 5}
	want := []byte{0, 0, 1, 0, 0, 0, 0, 3, 5}
	if got := unescapeRBSP(in); string(got) != string(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Random bytes as an SPS, alone or after the start of a real one (to get as far as the reference
// picture sets): an answer or none, never a panic or a long walk.
func TestVUIRandomSPS(t *testing.T) {
	real, _ := hex.DecodeString("420101016000000300000300000300000300baa002d0803c1fe5f9246d9ed9a2")
	rng := rand.New(rand.NewPCG(7, 13))
	for i := 0; i < 20000; i++ {
		b := make([]byte, 1+rng.IntN(60))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if i%2 == 1 {
			b = append(unescapeRBSP(real[2:2+rng.IntN(len(real)-2)]), b...)
		}
		r := bitReader{b: b}
		r.spsFullRange()
	}
}
