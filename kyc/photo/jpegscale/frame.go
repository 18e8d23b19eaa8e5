package jpegscale

import (
	"fmt"
	"unsafe"
)

// parseSOF reads the frame header (T.81 B.2.2), checks that this decoder
// supports it and that it is within the pixel cap, then allocates the output
// planes (and, for progressive frames, the coefficient store) at the reduced
// size.
func (d *decoder) parseSOF(m byte) error {
	if d.frame {
		return formatErr("more than one frame header")
	}
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	if n < 6 {
		return formatErr("short SOF segment")
	}
	var hdr [6]byte
	if err := d.src.readFull(hdr[:]); err != nil {
		return err
	}
	if hdr[0] != 8 {
		return unsupported("%d-bit samples", hdr[0])
	}
	d.height = int(hdr[1])<<8 | int(hdr[2])
	d.width = int(hdr[3])<<8 | int(hdr[4])
	d.ncomp = int(hdr[5])
	if d.height == 0 {
		return unsupported("height defined by a DNL marker")
	}
	if d.width == 0 {
		return formatErr("zero width")
	}
	switch d.ncomp {
	case 1, 3:
	case 4:
		return unsupported("4-component (CMYK/YCCK) images")
	default:
		return unsupported("%d-component images", d.ncomp)
	}
	if n != 6+3*d.ncomp {
		return formatErr("bad SOF length")
	}
	var ch [9]byte
	if err := d.src.readFull(ch[:3*d.ncomp]); err != nil {
		return err
	}
	for i := 0; i < d.ncomp; i++ {
		c := &d.comps[i]
		c.id = ch[3*i]
		c.h, c.v = int(ch[3*i+1]>>4), int(ch[3*i+1]&15)
		c.tq = int(ch[3*i+2])
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return formatErr("bad sampling factor")
		}
		if c.tq > 3 {
			return formatErr("bad quantization table selector")
		}
		for j := 0; j < i; j++ {
			if d.comps[j].id == c.id {
				return formatErr("repeated component id")
			}
		}
	}
	d.progressive = m == mSOF2
	d.frame = true
	if err := d.checkSampling(); err != nil {
		return err
	}
	if int64(d.width)*int64(d.height) > d.maxPixels {
		return fmt.Errorf("%w: %d×%d exceeds %d pixels", ErrTooLarge, d.width, d.height, d.maxPixels)
	}
	return nil
}

// checkSampling accepts the layouts that map onto image.YCbCr: luma has the
// largest factors and both chroma components the same factors, dividing
// luma's with ratios 1, 2 or 4 horizontally and 1 or 2 vertically.
func (d *decoder) checkSampling() error {
	if d.ncomp == 1 {
		// A single component is always coded one block per MCU
		// (T.81 A.2.2); its sampling factors do not matter.
		c := &d.comps[0]
		c.h, c.v = 1, 1
		d.hmax, d.vmax = 1, 1
		return nil
	}
	y, cb, cr := &d.comps[0], &d.comps[1], &d.comps[2]
	d.hmax, d.vmax = y.h, y.v
	if cb.h != cr.h || cb.v != cr.v || y.h%cb.h != 0 || y.v%cb.v != 0 {
		return unsupported("sampling factors %dx%d,%dx%d,%dx%d", y.h, y.v, cb.h, cb.v, cr.h, cr.v)
	}
	rh, rv := y.h/cb.h, y.v/cb.v
	ok := (rv == 1 && (rh == 1 || rh == 2 || rh == 4)) || (rv == 2 && (rh == 1 || rh == 2 || rh == 4))
	if !ok {
		return unsupported("sampling factors %dx%d,%dx%d,%dx%d", y.h, y.v, cb.h, cb.v, cr.h, cr.v)
	}
	if d.isRGB() && (rh != 1 || rv != 1) {
		return unsupported("subsampled RGB")
	}
	return nil
}

// isRGB reports whether three components hold R, G, B rather than Y, Cb, Cr:
// an Adobe APP14 segment with transform 0, or (without JFIF or Adobe
// segments) the component ids 'R', 'G', 'B'.
func (d *decoder) isRGB() bool {
	if d.ncomp != 3 {
		return false
	}
	if d.adobe {
		return d.adobeXfm == 0
	}
	return !d.jfif && d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B'
}

// allocate sets up the block geometry and the output planes (and the
// progressive coefficient store). It is called at the first scan rather than
// at the frame header so that APP14 after SOF is still honoured and a header
// with no scan allocates nothing.
func (d *decoder) allocate() error {
	d.geometry()
	for i := 0; i < d.ncomp; i++ {
		c := &d.comps[i]
		c.plane = make([]byte, c.stride*c.bh*c.nv)
		if d.progressive {
			nb := c.bw * c.bh
			c.coefs = make([]int16, nb*c.keep)
			c.nz = make([]uint64, nb)
			c.nzAny = make([]uint64, (nb+63)/64)
		}
	}
	return nil
}

// memoryNeeded is what allocate and the scan buffers will take, in bytes.
func (d *decoder) memoryNeeded() int64 {
	d.geometry()
	var total int64
	for i := 0; i < d.ncomp; i++ {
		c := &d.comps[i]
		nb := int64(c.bw) * int64(c.bh)
		total += int64(c.stride) * int64(c.bh) * int64(c.nv)
		if d.progressive {
			total += nb*(2*int64(c.keep)+8) + (nb+63)/64*8
		} else {
			// Two MCU rows of int32 coefficients for the pipeline.
			total += 2 * 4 * int64(c.bw) * int64(c.v) * int64(c.keep)
		}
	}
	if d.isRGB() {
		w, h := ScaledSize(d.width, d.height, d.scale)
		total += 4 * int64(w) * int64(h)
	}
	// The decoder itself holds eight Huffman tables with 2^lookBits-entry
	// lookahead arrays: ~100 KB, allocated once.
	return total + sourceBufSize + int64(unsafe.Sizeof(decoder{}))
}

// geometry computes the block layout and output block sizes.
func (d *decoder) geometry() {
	d.mcusX = (d.width + 8*d.hmax - 1) / (8 * d.hmax)
	d.mcusY = (d.height + 8*d.vmax - 1) / (8 * d.vmax)
	for i := 0; i < d.ncomp; i++ {
		c := &d.comps[i]
		// A chroma block covers hmax/h times as many luma pixels across;
		// decoding it that much larger (up to 8) does the upsampling in
		// the DCT domain, which is both cheaper and better than
		// replicating samples afterwards.
		c.nh = min(8, d.n*d.hmax/c.h)
		c.nv = min(8, d.n*d.vmax/c.v)
		if d.keepSubsampling {
			// The caller resamples chroma itself: every block at the
			// luma block size, and the file's subsampling kept.
			c.nh, c.nv = d.n, d.n
		}
		c.keep = c.nh * c.nv
		for k := range c.slot {
			row, col := int(zigzag[k]>>3), int(zigzag[k]&7)
			c.slot[k] = -1
			if row < c.nv && col < c.nh {
				c.slot[k] = int8(row*c.nh + col)
			}
		}
		c.bw, c.bh = d.mcusX*c.h, d.mcusY*c.v
		// Component size in samples (T.81 A.1.1), then in blocks.
		cw := (d.width*c.h + d.hmax - 1) / d.hmax
		chh := (d.height*c.v + d.vmax - 1) / d.vmax
		c.nbw, c.nbh = (cw+7)/8, (chh+7)/8
		c.stride = c.bw * c.nh
	}
}
