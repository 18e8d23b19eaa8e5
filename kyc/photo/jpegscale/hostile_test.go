package jpegscale

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// Hostile inputs: small files that declare a large image and try to make the
// decoder do work out of proportion to their size. Decoding time must stay
// bounded by the input size plus the output size.

// jpegWriter builds JPEG streams segment by segment for these tests.
type jpegWriter struct {
	bytes.Buffer
	acc  uint32
	nacc int
}

func (w *jpegWriter) marker(m byte, payload ...byte) {
	w.WriteByte(0xFF)
	w.WriteByte(m)
	if m == mSOI || m == mEOI {
		return
	}
	w.WriteByte(byte((len(payload) + 2) >> 8))
	w.WriteByte(byte(len(payload) + 2))
	w.Write(payload)
}

// bits appends the low k bits of v to the entropy-coded data, stuffing a
// zero after every 0xFF byte.
func (w *jpegWriter) bits(v uint32, k int) {
	for i := k - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		if w.nacc++; w.nacc == 8 {
			w.WriteByte(byte(w.acc))
			if byte(w.acc) == 0xFF {
				w.WriteByte(0)
			}
			w.acc, w.nacc = 0, 0
		}
	}
}

// flush pads the last byte with one bits (T.81 F.1.2.3).
func (w *jpegWriter) flush() {
	if w.nacc > 0 {
		w.bits(0xFF, 8-w.nacc)
	}
}

// header writes SOI, an all-ones quantization table, a frame header of
// the given kind and size with ncomp components (1×1 sampling), and a
// Huffman table of class tc and index 0 with a single one-bit code for
// symbol sym.
func (w *jpegWriter) header(sof byte, width, height, ncomp int, tc, sym byte) {
	w.marker(mSOI)
	q := make([]byte, 65)
	for i := 1; i < 65; i++ {
		q[i] = 1
	}
	w.marker(mDQT, q...)
	f := []byte{8, byte(height >> 8), byte(height), byte(width >> 8), byte(width), byte(ncomp)}
	for i := 0; i < ncomp; i++ {
		f = append(f, byte(i+1), 0x11, 0)
	}
	w.marker(sof, f...)
	h := make([]byte, 18)
	h[0], h[1], h[17] = tc<<4, 1, sym
	w.marker(mDHT, h...)
}

// scan writes a one-component scan header.
func (w *jpegWriter) scan(ss, se, ah, al int) {
	w.marker(mSOS, 1, 1, 0x00, byte(ss), byte(se), byte(ah<<4|al))
}

// eobRunFile is a progressive greyscale width×height image made only of AC
// scans (first passes, or refinements when refine is set) whose every
// block is in an end-of-band run: about two bytes of data per 32767 blocks,
// repeated in scans scans.
func eobRunFile(width, height, scans int, refine bool) []byte {
	var w jpegWriter
	w.header(mSOF2, width, height, 1, 1, 0xE0) // EOBRUN of 2^14 + 14 bits
	blocks := ((width + 7) / 8) * ((height + 7) / 8)
	for s := 0; s < scans; s++ {
		if refine {
			w.scan(1, 63, 1, 0)
		} else {
			w.scan(1, 63, 0, 0)
		}
		for left := blocks; left > 0; left -= 32767 {
			// The EOBRUN code and 14 one bits: a run of 32767 blocks
			// (T.81 G.1.2.2 and G.1.2.3).
			w.bits(0, 1)
			w.bits(1<<14-1, 14)
		}
		w.flush()
	}
	w.marker(mEOI)
	return w.Bytes()
}

// baselineFile is a baseline 4:4:4 width×height image whose single scan
// holds data, as given, for only the first few blocks.
func baselineFile(width, height int, data []byte) []byte {
	var w jpegWriter
	w.header(mSOF0, width, height, 3, 0, 0) // DC table: one code, size 0
	h := make([]byte, 18)
	h[0], h[1], h[17] = 0x10, 1, 0x00 // AC table: one code, EOB
	w.marker(mDHT, h...)
	w.marker(mSOS, 3, 1, 0, 2, 0, 3, 0, 0, 63, 0)
	w.Write(data)
	return w.Bytes()
}

// timeDecode returns how long DecodeBytes takes, and its error.
func timeDecode(data []byte, opts Options) (time.Duration, error) {
	start := time.Now()
	_, err := DecodeBytes(data, opts)
	return time.Since(start), err
}

// TestHostileEOBRuns: 200 progressive AC scans made of end-of-band runs over a
// 16384×16384 frame (the default pixel cap) are ~70 KB of input; visiting
// every block of every scan took 3.5 s (first passes) to 5 s (refinements)
// at 1/8. Runs are now skipped whole, so the many-scan file must cost about
// what a one-scan file of the same frame costs (allocation and the final
// inverse DCTs).
func TestHostileEOBRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ~45 MB")
	}
	for _, refine := range []bool{false, true} {
		one, err := timeDecode(eobRunFile(16384, 16384, 1, refine), Options{Scale: 8})
		if err != nil {
			t.Fatalf("refine=%v, one scan: %v", refine, err)
		}
		data := eobRunFile(16384, 16384, maxScans, refine)
		many, err := timeDecode(data, Options{Scale: 8})
		if err != nil {
			t.Fatalf("refine=%v, %d scans: %v", refine, maxScans, err)
		}
		// Relative to the one-scan time so that a slow machine or the
		// race detector does not fail the test; absolute so that a fast
		// one-scan time does not make it flaky.
		budget := max(time.Second, 20*one)
		t.Logf("refine=%v: %d bytes, %d scans %v, one scan %v", refine, len(data), maxScans, many, one)
		if many > budget {
			t.Errorf("refine=%v: %d-byte file of %d EOB-run scans took %v (one scan: %v)",
				refine, len(data), maxScans, many, one)
		}
	}
}

// TestHostileTruncatedFailsFast: a large frame whose scan data is missing,
// garbage or a long run of fill bytes must fail as soon as the data runs out,
// not produce empty MCUs for the rest of the frame.
func TestHostileTruncatedFailsFast(t *testing.T) {
	fill := bytes.Repeat([]byte{0xFF}, 60<<10)
	cases := map[string]struct {
		data []byte
		want error
	}{
		"no data":          {baselineFile(16384, 16384, nil), io.ErrUnexpectedEOF},
		"few blocks":       {baselineFile(16384, 16384, []byte{0x00, 0x00}), io.ErrUnexpectedEOF},
		"fill bytes":       {baselineFile(16384, 16384, fill), io.ErrUnexpectedEOF},
		"marker too early": {baselineFile(16384, 16384, []byte{0x00, 0xFF, 0xD9}), new(FormatError)},
		"progressive eof":  {eobRunFile(16384, 16384, 1, false)[:200], io.ErrUnexpectedEOF},
	}
	for name, c := range cases {
		d, err := timeDecode(c.data, Options{Scale: 8})
		var fe *FormatError
		switch {
		case err == nil:
			t.Errorf("%s: no error", name)
		case errors.As(c.want, &fe) && !errors.As(err, &fe):
			t.Errorf("%s: %v, want a *FormatError", name, err)
		case !errors.As(c.want, &fe) && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		if d > time.Second {
			t.Errorf("%s: failing took %v", name, d)
		}
	}
}
