package jpegscale

import (
	"math/bits"
	"runtime"
	"sync"
)

// Progressive scans (T.81 G.1.2) refine the same coefficients many times, so
// they must be kept until the last scan. Only the kept coefficients are
// stored (as int16, in the scale's n×n layout); the 64-bit mask c.nz records
// which zig-zag positions are already non-zero, because refinement scans code
// a correction bit for each of those and skip only zero ones — parsing needs
// that for every position even when the value is thrown away.

func (d *decoder) decodeProgressiveScan(sc *scan) error {
	mx, my := d.mcuGeometry(sc)
	total := mx * my
	for mcu := 0; mcu < total; {
		if d.restart > 0 && mcu > 0 && mcu%d.restart == 0 {
			if err := d.restartAt(mcu); err != nil {
				return err
			}
		}
		if d.eobrun > 0 && sc.ss > 0 {
			// The next blocks are in an end-of-band run. Two bytes can
			// declare a run of 32767 blocks, so visiting them one by one
			// would let a small file with many scans over a large frame
			// cost seconds (200 scans × 4 M blocks); skip the run up to
			// the next restart marker at once instead.
			n := min(d.eobrun, total-mcu)
			if d.restart > 0 {
				n = min(n, d.restart-mcu%d.restart)
			}
			if err := d.skipEOBRun(sc, mcu, n); err != nil {
				return err
			}
			mcu += n
			continue
		}
		if err := d.decodeMCUProg(sc, mcu%mx, mcu/mx); err != nil {
			return err
		}
		if d.bits.overrun() {
			return d.overrunErr()
		}
		mcu++
	}
	return nil
}

// skipEOBRun passes over n blocks, from position pos of a (necessarily
// non-interleaved) AC scan, that are all in the current end-of-band run. A
// first pass codes nothing for them. A refinement codes one correction bit
// per coefficient that is already non-zero in the band, so only blocks with
// some non-zero AC coefficient need a visit; c.nzAny finds those 64 blocks
// per word. Every such coefficient cost at least two bits of input when it
// was set, which bounds this work by the input size.
func (d *decoder) skipEOBRun(sc *scan, pos, n int) error {
	d.eobrun -= n
	if sc.ah == 0 {
		return nil
	}
	c := sc.comps[0]
	band := bandMask(sc.ss, sc.se)
	p1 := int16(1) << uint(sc.al)
	m1 := int16(-1) << uint(sc.al)
	for n > 0 {
		// One block row of the scan at a time: rows of c's block array
		// are c.bw long, the scan covers only the first c.nbw of them.
		x, y := pos%c.nbw, pos/c.nbw
		k := min(n, c.nbw-x)
		lo := y*c.bw + x
		hi := lo + k
		for w := lo >> 6; w <= (hi-1)>>6; w++ {
			m := c.nzAny[w]
			if w == lo>>6 {
				m &^= 1<<uint(lo&63) - 1
			}
			if w == (hi-1)>>6 && hi&63 != 0 {
				m &= 1<<uint(hi&63) - 1
			}
			for ; m != 0; m &= m - 1 {
				blk := w<<6 + bits.TrailingZeros64(m)
				if nz := c.nz[blk] & band; nz != 0 {
					d.refineBits(c, c.coefs[blk*c.keep:(blk+1)*c.keep], nz, p1, m1)
					if d.bits.overrun() {
						return d.overrunErr()
					}
				}
			}
		}
		pos += k
		n -= k
	}
	return nil
}

// bandMask has the bits of zig-zag positions ss..se set.
func bandMask(ss, se int) uint64 {
	m := ^uint64(0) << uint(ss)
	if se < 63 {
		m &= 1<<uint(se+1) - 1
	}
	return m
}

func (d *decoder) decodeMCUProg(sc *scan, x, y int) error {
	if sc.ns == 1 {
		c := sc.comps[0]
		return d.decodeBlockProg(sc, c, y*c.bw+x)
	}
	for i := 0; i < sc.ns; i++ {
		c := sc.comps[i]
		for r := 0; r < c.v; r++ {
			for h := 0; h < c.h; h++ {
				if err := d.decodeBlockProg(sc, c, (y*c.v+r)*c.bw+x*c.h+h); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (d *decoder) decodeBlockProg(sc *scan, c *component, blk int) error {
	coef := c.coefs[blk*c.keep : (blk+1)*c.keep]
	br := &d.bits
	switch {
	case sc.ss == 0 && sc.ah == 0: // DC first scan
		s, err := br.decode(&d.dcTab[c.dc])
		if err != nil {
			return err
		}
		if s > 11 {
			return formatErr("bad DC coefficient size")
		}
		c.pred += br.receiveExtend(int(s))
		coef[0] = int16(c.pred << uint(sc.al))
		return nil
	case sc.ss == 0: // DC refinement: one raw bit
		if br.readBit() {
			coef[0] |= int16(1) << uint(sc.al)
		}
		return nil
	case sc.ah == 0:
		return d.firstAC(sc, c, blk, coef)
	default:
		return d.refineAC(sc, c, blk, coef)
	}
}

// firstAC decodes the first pass over a spectral band (T.81 G.1.2.2).
func (d *decoder) firstAC(sc *scan, c *component, blk int, coef []int16) error {
	// decodeProgressiveScan skips end-of-band runs whole (skipEOBRun); the
	// check keeps this function correct for any block on its own.
	if d.eobrun > 0 {
		d.eobrun--
		return nil
	}
	br := &d.bits
	ac := &d.acTab[c.ac]
	nz := c.nz[blk]
	for k := sc.ss; k <= sc.se; k++ {
		if br.n < 16 {
			br.fill()
		}
		// Fast path: code and magnitude bits in one lookup.
		if e := ac.fastAC[br.acc>>(64-lookBits)]; e != 0 {
			l := uint(e & 0xFF)
			br.acc <<= l
			br.n -= int(l)
			k += int(e>>8) & 15
			if k > sc.se {
				return formatErr("AC coefficient run past the band")
			}
			nz |= 1 << uint(k)
			if sl := c.slot[k]; sl >= 0 {
				coef[sl] = int16((e >> 16) << uint(sc.al))
			}
			continue
		}
		rs, err := br.decode(ac)
		if err != nil {
			return err
		}
		r, s := int(rs>>4), int(rs&15)
		if s == 0 {
			if r < 15 { // end of band, for this and the next eobrun blocks
				d.eobrun = 1<<uint(r) - 1
				if r > 0 {
					d.eobrun += int(br.readBits(r))
				}
				break
			}
			k += 15
			continue
		}
		k += r
		if k > sc.se {
			return formatErr("AC coefficient run past the band")
		}
		v := br.receiveExtend(s) << uint(sc.al)
		nz |= 1 << uint(k)
		if sl := c.slot[k]; sl >= 0 {
			coef[sl] = int16(v)
		}
	}
	d.setNZ(c, blk, nz)
	return nil
}

// refineAC decodes a successive-approximation refinement of a spectral band
// (T.81 G.1.2.3): new coefficients of magnitude 1<<al, and one correction bit
// for each coefficient that is already non-zero.
func (d *decoder) refineAC(sc *scan, c *component, blk int, coef []int16) error {
	br := &d.bits
	ac := &d.acTab[c.ac]
	nz := c.nz[blk]
	slot := &c.slot
	p1 := int16(1) << uint(sc.al)
	m1 := int16(-1) << uint(sc.al)
	k := sc.ss
	if d.eobrun == 0 {
		for ; k <= sc.se; k++ {
			rs, err := br.decode(ac)
			if err != nil {
				return err
			}
			r, s := int(rs>>4), int(rs&15)
			var val int16
			if s != 0 {
				if s != 1 {
					return formatErr("bad refinement coefficient size")
				}
				if br.readBit() {
					val = p1
				} else {
					val = m1
				}
			} else if r != 15 {
				d.eobrun = 1 << uint(r)
				if r > 0 {
					d.eobrun += int(br.readBits(r))
				}
				break
			}
			// Skip r zero coefficients (refining the non-zero ones on the
			// way), then place val in the next zero one.
			for ; k <= sc.se; k++ {
				if nz&(1<<uint(k)) != 0 {
					if br.readBit() {
						if sl := slot[k]; sl >= 0 {
							coef[sl] = refine(coef[sl], p1, m1)
						}
					}
					continue
				}
				if r == 0 {
					if val != 0 {
						nz |= 1 << uint(k)
						if sl := slot[k]; sl >= 0 {
							coef[sl] = val
						}
					}
					break
				}
				r--
			}
		}
	}
	if d.eobrun > 0 {
		// End of band: only correction bits for the non-zero coefficients,
		// visited by walking the set bits of the mask (most blocks of a
		// refinement scan are in an end-of-band run).
		if k <= sc.se {
			d.refineBits(c, coef, nz&bandMask(k, sc.se), p1, m1)
		}
		d.eobrun--
	}
	d.setNZ(c, blk, nz)
	return nil
}

// refineBits reads one correction bit for each zig-zag position set in m
// (coefficients already non-zero), in order.
func (d *decoder) refineBits(c *component, coef []int16, m uint64, p1, m1 int16) {
	br := &d.bits
	for ; m != 0; m &= m - 1 {
		if br.readBit() {
			if sl := c.slot[bits.TrailingZeros64(m)]; sl >= 0 {
				coef[sl] = refine(coef[sl], p1, m1)
			}
		}
	}
}

// setNZ stores a block's mask of non-zero AC positions and notes in
// c.nzAny that the block has some (masks only ever gain bits).
func (d *decoder) setNZ(c *component, blk int, nz uint64) {
	c.nz[blk] = nz
	if nz != 0 {
		c.nzAny[blk>>6] |= 1 << uint(blk&63)
	}
}

// refine applies a correction bit of 1: the magnitude gains the bit unless
// it already has it.
func refine(v, p1, m1 int16) int16 {
	if v&p1 != 0 {
		return v
	}
	if v >= 0 {
		return v + p1
	}
	return v + m1
}

// finishProgressive dequantizes and inverse-transforms every stored block,
// splitting the block rows among the available cores.
func (d *decoder) finishProgressive() {
	workers := min(runtime.GOMAXPROCS(0), 4)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf [64]int32
			for i := 0; i < d.ncomp; i++ {
				c := &d.comps[i]
				lo, hi := c.bh*w/workers, c.bh*(w+1)/workers
				for by := lo; by < hi; by++ {
					for bx := 0; bx < c.bw; bx++ {
						blk := by*c.bw + bx
						src := c.coefs[blk*c.keep : (blk+1)*c.keep]
						dst := buf[:c.keep]
						for k, v := range src {
							dst[k] = int32(v) * c.q[k]
						}
						d.idctBlock(c, dst, bx, by)
					}
				}
			}
		}(w)
	}
	wg.Wait()
}
