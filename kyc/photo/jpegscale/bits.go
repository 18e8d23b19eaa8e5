package jpegscale

import "encoding/binary"

// bitReader reads the entropy-coded segment of a scan (T.81 F.2.2.5): bits are
// MSB first, a 0xFF data byte is followed by a stuffed 0x00, and any other
// byte after 0xFF is a marker that ends the segment.
//
// acc holds n bits, left-aligned. When the segment ends (marker or end of
// input) fill keeps appending zero bits and counts them in pad, so the
// Huffman lookahead can always peek 16 bits; consuming any of those padding
// bits means the data was short, which callers detect with overrun.
type bitReader struct {
	src    *source
	acc    uint64
	n      int
	pad    int
	marker byte // marker that ended the segment, 0 while inside the segment
	eof    bool // the input ended inside the segment
}

func (b *bitReader) reset(src *source) {
	*b = bitReader{src: src}
}

// fill tops acc up to at least 57 bits.
func (b *bitReader) fill() {
	s := b.src
	if b.n <= 56 && s.pos+8 <= s.end && b.marker == 0 {
		// Fast path: take whole bytes from the next eight at once when
		// none of them is 0xFF (no stuffing or marker to handle).
		x := binary.BigEndian.Uint64(s.buf[s.pos:])
		if v := ^x; (v-0x0101010101010101)&^v&0x8080808080808080 == 0 {
			k := (64 - b.n) >> 3 // whole bytes that fit
			b.acc |= x >> uint(64-8*k) << uint(64-b.n-8*k)
			b.n += 8 * k
			s.pos += k
			return
		}
	}
	for b.n <= 56 {
		if b.marker != 0 || b.eof {
			b.n += 8
			b.pad += 8
			continue
		}
		var c byte
		if s.pos < s.end {
			c = s.buf[s.pos]
			s.pos++
		} else {
			var err error
			if c, err = s.readByte(); err != nil {
				b.eof = true
				continue
			}
		}
		if c == 0xFF {
			next, err := s.readByte()
			for err == nil && next == 0xFF { // fill bytes before a marker
				next, err = s.readByte()
			}
			if err != nil {
				b.eof = true
				continue
			}
			if next != 0 {
				b.marker = next
				continue
			}
		}
		b.acc |= uint64(c) << uint(56-b.n)
		b.n += 8
	}
}

// overrun reports whether more bits were consumed than the segment held.
func (b *bitReader) overrun() bool { return b.n < b.pad }

// readBits returns the next k bits (k ≤ 16) as an unsigned value.
func (b *bitReader) readBits(k int) int32 {
	if b.n < k {
		b.fill()
	}
	v := int32(b.acc >> uint(64-k))
	b.acc <<= uint(k)
	b.n -= k
	return v
}

func (b *bitReader) readBit() bool {
	if b.n < 1 {
		b.fill()
	}
	v := b.acc&(1<<63) != 0
	b.acc <<= 1
	b.n--
	return v
}

// receiveExtend reads an s-bit magnitude and sign-extends it (T.81 F.2.2.1).
func (b *bitReader) receiveExtend(s int) int32 {
	if s == 0 {
		return 0
	}
	if b.n < s {
		b.fill()
	}
	v := int32(b.acc >> uint(64-s))
	b.acc <<= uint(s)
	b.n -= s
	if v < 1<<uint(s-1) {
		v += -1<<uint(s) + 1
	}
	return v
}

// skipBits discards k bits (k ≤ 16).
func (b *bitReader) skipBits(k int) {
	if b.n < k {
		b.fill()
	}
	b.acc <<= uint(k)
	b.n -= k
}
