package jpegscale

// lookBits is the width of the Huffman lookahead tables. Almost every code in
// a photo is at most 9 bits long, so one table lookup decodes the symbol and,
// for AC tables, often its magnitude bits too. 11 rather than 9 lets most
// code+magnitude pairs of a grainy phone photo take the one-lookup path: ~10 %
// less decode time on a 12 MP file, for 9 KB more per table (12 KB: still
// in L1 for the two or three tables a scan uses).
const lookBits = 11

// huffman is a decoding table built from a DHT segment (T.81 Annex C and
// F.2.2.3).
type huffman struct {
	defined bool
	// fast[peek] = length<<8 | symbol for codes of at most lookBits bits,
	// 0 when the code is longer.
	fast [1 << lookBits]uint16
	// fastAC[peek] = value<<16 | run<<8 | totalLength when the code and the
	// magnitude bits of a non-zero AC coefficient both fit in lookBits, else 0.
	fastAC [1 << lookBits]int32
	// For the slow path: codes of length l are mincode[l]..maxcode[l] and
	// map to vals[valptr[l]+code-mincode[l]]. maxcode[l] is -1 when empty.
	mincode [17]int32
	maxcode [17]int32
	valptr  [17]int32
	vals    [256]uint8
}

// build constructs the table from the 16 code-length counts and the symbols.
func (h *huffman) build(counts *[16]uint8, symbols []uint8, isAC bool) error {
	*h = huffman{}
	total := 0
	for _, c := range counts {
		total += int(c)
	}
	if total == 0 || total > 256 || total != len(symbols) {
		return formatErr("bad Huffman table size")
	}
	copy(h.vals[:], symbols)
	code, k := int32(0), 0
	for l := 1; l <= 16; l++ {
		n := int(counts[l-1])
		h.valptr[l] = int32(k)
		h.mincode[l] = code
		h.maxcode[l] = -1
		if n > 0 {
			if code+int32(n) > 1<<uint(l) { // more codes than this length can hold
				return formatErr("bad Huffman table codes")
			}
			for i := 0; i < n; i++ {
				if l <= lookBits {
					// Every lookahead value that starts with this code decodes to it.
					shift := uint(lookBits - l)
					base := code << shift
					for j := int32(0); j < 1<<shift; j++ {
						h.fast[base+j] = uint16(l)<<8 | uint16(symbols[k])
					}
				}
				code++
				k++
			}
			h.maxcode[l] = code - 1
		}
		code <<= 1
	}
	if isAC {
		h.buildFastAC()
	}
	h.defined = true
	return nil
}

func (h *huffman) buildFastAC() {
	for peek := range h.fast {
		e := h.fast[peek]
		if e == 0 {
			continue
		}
		l := int(e >> 8)
		rs := int(e & 0xFF)
		run, s := rs>>4, rs&15
		if s == 0 || l+s > lookBits {
			continue
		}
		v := int32(peek>>uint(lookBits-l-s)) & (1<<uint(s) - 1)
		if v < 1<<uint(s-1) {
			v += -1<<uint(s) + 1
		}
		h.fastAC[peek] = v<<16 | int32(run)<<8 | int32(l+s)
	}
}

// decode reads one Huffman-coded symbol.
func (b *bitReader) decode(h *huffman) (uint8, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.fast[b.acc>>(64-lookBits)]; e != 0 {
		l := uint(e >> 8)
		b.acc <<= l
		b.n -= int(l)
		return uint8(e), nil
	}
	code := int32(b.acc >> 48)
	for l := lookBits + 1; l <= 16; l++ {
		c := code >> uint(16-l)
		if c <= h.maxcode[l] {
			b.acc <<= uint(l)
			b.n -= l
			return h.vals[h.valptr[l]+c-h.mincode[l]], nil
		}
	}
	return 0, formatErr("bad Huffman code")
}
