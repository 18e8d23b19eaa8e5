package heifdec

import (
	"errors"
	"testing"
)

// Both backends decode the built-in gradient (what Native's self-test checks before it is picked).
func TestBackendsDecodeTheSelfTestImage(t *testing.T) {
	if err := selfTest(WASM()); err != nil {
		t.Errorf("wasm: %v", err)
	}
	d, err := Native()
	if err != nil {
		t.Skipf("no system libheif: %v", err)
	}
	if err := selfTest(d); err != nil {
		t.Errorf("native: %v", err)
	}
}

// Garbage is an ErrDecode from either backend, never a panic or a crash.
func TestGarbageIsAnError(t *testing.T) {
	bad := append([]byte(nil), selftestHEIC...)
	for i := len(bad) - 200; i < len(bad); i++ { // the HEVC slice data
		bad[i] ^= 0xA5
	}
	decoders := []Decoder{WASM()}
	if d, err := Native(); err == nil {
		decoders = append(decoders, d)
	}
	for _, d := range decoders {
		for _, in := range [][]byte{{0}, selftestHEIC[:100], bad} {
			p, err := d.Decode(in)
			if err == nil {
				p.Release() // libde265 may conceal damage in the slice data: a picture is fine
				continue
			}
			if !errors.Is(err, ErrDecode) {
				t.Errorf("%s: %v is not an ErrDecode", d.Name(), err)
			}
		}
	}
}
