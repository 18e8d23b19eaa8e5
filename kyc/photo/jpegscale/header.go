package jpegscale

import (
	"fmt"
	"image"
)

// Marker codes (the byte after 0xFF), T.81 Table B.1.
const (
	mTEM  = 0x01 // standalone, no length
	mSOF0 = 0xC0 // baseline
	mSOF1 = 0xC1 // extended sequential, Huffman
	mSOF2 = 0xC2 // progressive, Huffman
	mDHT  = 0xC4
	mJPG  = 0xC8
	mDAC  = 0xCC
	mRST0 = 0xD0
	mRST7 = 0xD7
	mSOI  = 0xD8
	mEOI  = 0xD9
	mSOS  = 0xDA
	mDQT  = 0xDB
	mDNL  = 0xDC
	mDRI  = 0xDD
	mAPP0 = 0xE0
	mAPPE = 0xEE
	mCOM  = 0xFE
)

// zigzag[k] is the natural-order (row*8+col) position of the k-th
// coefficient in the zig-zag sequence of T.81 Figure A.6.
var zigzag = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// component is one colour component of the frame.
type component struct {
	id     byte
	h, v   int // sampling factors
	tq     int // quantization table selector
	bw, bh int // blocks per line and column, padded to whole MCUs
	// Blocks a non-interleaved scan of this component covers (T.81 A.2.2):
	// only the blocks that hold image samples, not the MCU padding.
	nbw, nbh int
	// q is the dequantization table in the component's kept layout, latched
	// at the first scan that includes the component (T.81 G.1.1.1.1 lets
	// a table be redefined after it).
	q       [64]int32
	latched bool
	pred    int32 // DC predictor
	dc, ac  int   // Huffman table selectors of the current scan

	// Output block size: n×n for luma, larger for subsampled chroma so
	// that the reduced image needs less (or no) chroma upsampling.
	nh, nv int
	keep   int // kept coefficients per block: nh*nv
	// slot[k] is the index in a kept block of zig-zag coefficient k, or -1
	// when the block's output size does not use it.
	slot [64]int8

	plane  []byte // output samples at the reduced size
	stride int
	// Progressive only: kept coefficients (keep per block) and the mask of
	// zig-zag positions that are non-zero so far.
	coefs []int16
	nz    []uint64
	// nzAny has bit blk set when block blk has a non-zero AC coefficient,
	// so that refinement scans can skip end-of-band runs 64 blocks at a
	// time.
	nzAny []uint64
}

// decoder holds the state of one decode.
type decoder struct {
	src       *source
	bits      bitReader
	scale     int   // 1, 2, 4 or 8
	n         int   // luma output block size: 8/scale
	maxPixels int64 // source pixel cap

	width, height int
	frame         bool // SOF seen
	progressive   bool
	ncomp         int
	comps         [3]component
	hmax, vmax    int
	mcusX, mcusY  int

	qt       [4][64]uint16 // zig-zag order
	qtSet    [4]bool
	dcTab    [4]huffman
	acTab    [4]huffman
	restart  int // restart interval in MCUs, 0 for none
	jfif     bool
	adobe    bool
	adobeXfm byte

	pending byte // marker read while finishing a scan, 0 if none
	eobrun  int  // progressive AC end-of-band run
	scans   int  // scans decoded, to bound work on hostile input

	worker *rowWorker

	keepSubsampling bool                   // Options.KeepSubsampling
	onRows          func(image.Image, int) // Options.OnRows
	rowsImg         image.Image            // what onRows is given, built once
}

// maxScans bounds the scans of one image. Encoders' progressive scripts use
// about ten; 200 is generous, and it bounds the work a small hostile file can
// cause (an AC scan of end-of-band runs costs a few bytes per 32767 blocks).
const maxScans = 200

// run reads markers until EOI (or, with headerOnly, until the frame header).
func (d *decoder) run(headerOnly bool) error {
	if m, err := d.src.readU16(); err != nil || m != 0xFF00|mSOI {
		if err != nil {
			return err
		}
		return formatErr("missing SOI marker")
	}
	for {
		m := d.pending
		d.pending = 0
		if m == 0 {
			var err error
			if m, err = d.src.nextMarker(); err != nil {
				return err
			}
		}
		switch {
		case m == mSOF0 || m == mSOF1 || m == mSOF2:
			if err := d.parseSOF(m); err != nil {
				return err
			}
			if headerOnly {
				return nil
			}
		case m >= 0xC3 && m <= 0xCF && m != mDHT && m != mJPG && m != mDAC:
			return unsupported("%s frames", sofName(m))
		case m == mDAC:
			return unsupported("arithmetic coding")
		case m == mDHT:
			if err := d.parseDHT(); err != nil {
				return err
			}
		case m == mDQT:
			if err := d.parseDQT(); err != nil {
				return err
			}
		case m == mDRI:
			if err := d.parseDRI(); err != nil {
				return err
			}
		case m == mSOS:
			if headerOnly {
				return formatErr("scan before frame header")
			}
			if err := d.parseSOS(); err != nil {
				return err
			}
		case m == mEOI:
			if !d.frame {
				return formatErr("no frame header")
			}
			if headerOnly {
				return formatErr("no frame header")
			}
			return d.finish()
		case m == mDNL:
			return unsupported("DNL marker")
		case m >= mRST0 && m <= mRST7, m == mTEM:
			// A stray restart marker outside a scan carries no data.
		case m == mSOI:
			return formatErr("unexpected SOI marker")
		case m == mAPP0 || m == mAPPE:
			if err := d.parseAPP(m); err != nil {
				return err
			}
		default:
			// APPn, COM and reserved markers: all have a length; skip them.
			if err := d.skipSegment(); err != nil {
				return err
			}
		}
	}
}

func sofName(m byte) string {
	switch m {
	case 0xC3:
		return "lossless (SOF3)"
	case 0xC5, 0xC6, 0xC7:
		return fmt.Sprintf("hierarchical (SOF%d)", m-0xC0)
	default:
		return fmt.Sprintf("arithmetic-coded (SOF%d)", m-0xC0)
	}
}

// segmentLength reads a segment's length field and returns the payload size.
func (d *decoder) segmentLength() (int, error) {
	n, err := d.src.readU16()
	if err != nil {
		return 0, err
	}
	if n < 2 {
		return 0, formatErr("bad segment length")
	}
	return n - 2, nil
}

func (d *decoder) skipSegment() error {
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	return d.src.skip(n)
}

// parseAPP notes the JFIF (APP0) and Adobe (APP14) markers, which decide how
// three components are interpreted; their other content is skipped.
func (d *decoder) parseAPP(m byte) error {
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	var buf [12]byte
	k := min(n, len(buf))
	if err := d.src.readFull(buf[:k]); err != nil {
		return err
	}
	switch {
	case m == mAPP0 && k >= 5 && string(buf[:5]) == "JFIF\x00":
		d.jfif = true
	case m == mAPPE && k >= 12 && string(buf[:5]) == "Adobe":
		d.adobe = true
		d.adobeXfm = buf[11]
	}
	return d.src.skip(n - k)
}

func (d *decoder) parseDRI() error {
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	if n != 2 {
		return formatErr("bad DRI length")
	}
	d.restart, err = d.src.readU16()
	return err
}

func (d *decoder) parseDQT() error {
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	for n > 0 {
		pq, err := d.src.readByte()
		if err != nil {
			return err
		}
		n--
		t := int(pq & 15)
		if t > 3 {
			return formatErr("bad quantization table index")
		}
		switch pq >> 4 {
		case 0:
			if n < 64 {
				return formatErr("short DQT segment")
			}
			var b [64]byte
			if err := d.src.readFull(b[:]); err != nil {
				return err
			}
			for i, v := range b {
				d.qt[t][i] = uint16(v)
			}
			n -= 64
		case 1:
			// 16-bit tables are legal for 8-bit images too (if unusual).
			if n < 128 {
				return formatErr("short DQT segment")
			}
			var b [128]byte
			if err := d.src.readFull(b[:]); err != nil {
				return err
			}
			for i := range d.qt[t] {
				d.qt[t][i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
			n -= 128
		default:
			return formatErr("bad quantization table precision")
		}
		d.qtSet[t] = true
	}
	return nil
}

func (d *decoder) parseDHT() error {
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	for n > 0 {
		if n < 17 {
			return formatErr("short DHT segment")
		}
		var hdr [17]byte
		if err := d.src.readFull(hdr[:]); err != nil {
			return err
		}
		n -= 17
		class, idx := hdr[0]>>4, int(hdr[0]&15)
		if class > 1 || idx > 3 {
			return formatErr("bad Huffman table index")
		}
		var counts [16]uint8
		copy(counts[:], hdr[1:])
		total := 0
		for _, c := range counts {
			total += int(c)
		}
		if total > 256 || total > n {
			return formatErr("bad Huffman table size")
		}
		var syms [256]byte
		if err := d.src.readFull(syms[:total]); err != nil {
			return err
		}
		n -= total
		t := &d.dcTab[idx]
		if class == 1 {
			t = &d.acTab[idx]
		}
		if err := t.build(&counts, syms[:total], class == 1); err != nil {
			return err
		}
	}
	return nil
}
