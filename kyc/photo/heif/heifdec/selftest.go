package heifdec

import (
	_ "embed"
	"fmt"
)

// selftest.heic is a 64×64 4:2:0 HEVC image of a vertical gradient from #203040 to #c0d0e0,
// made with heif-enc -q 90 (libheif 1.15 / x265). Its luma runs from ≈ 45 at the top to ≈ 205 at
// the bottom.
//
//go:embed selftest.heic
var selftestHEIC []byte

// selfTest decodes the built-in image: a library that loads but cannot decode HEVC (built
// without libde265, a broken plugin) must not be picked over the WASM backend.
func selfTest(d Decoder) error {
	p, err := d.Decode(selftestHEIC)
	if err != nil {
		return err
	}
	defer p.Release()
	if p.Width != 64 || p.Height != 64 || p.Chroma != 1 {
		return fmt.Errorf("decoded %d×%d chroma %d, want 64×64 4:2:0", p.Width, p.Height, p.Chroma)
	}
	top, bottom := p.Y[2*p.YStride+32], p.Y[61*p.YStride+32]
	if top < 30 || top > 60 || bottom < 190 || bottom > 220 {
		return fmt.Errorf("decoded luma %d at the top and %d at the bottom, want ≈ 45 and ≈ 205", top, bottom)
	}
	return nil
}

// selftest-limited.heic is the same gradient coded the same way, but its HEVC VUI says video
// range (made with heif-enc -q 90 -p x265:range=limited): the samples are the same ≈ 45 to ≈ 205,
// which a decoder that expands video range to full range itself turns into ≈ 34 to ≈ 221.
//
//go:embed selftest-limited.heic
var selftestLimitedHEIC []byte

// expandsRange finds out whether d turns video-range samples into full range (libheif 1.15 does,
// going by the VUI; 1.18 hands the samples over as coded).
func expandsRange(d Decoder) (bool, error) {
	p, err := d.Decode(selftestLimitedHEIC)
	if err != nil {
		return false, err
	}
	defer p.Release()
	if p.Width != 64 || p.Height != 64 {
		return false, fmt.Errorf("decoded %d×%d, want 64×64", p.Width, p.Height)
	}
	switch bottom := p.Y[61*p.YStride+32]; {
	case bottom >= 190 && bottom <= 212:
		return false, nil
	case bottom > 212:
		return true, nil
	default:
		return false, fmt.Errorf("decoded luma %d at the bottom of the video-range image, want ≈ 205 or ≈ 221", bottom)
	}
}
