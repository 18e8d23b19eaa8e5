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
