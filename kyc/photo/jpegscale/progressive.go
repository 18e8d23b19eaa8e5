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
	mcu := 0
	for y := 0; y < my; y++ {
		for x := 0; x < mx; x++ {
			if d.restart > 0 && mcu > 0 && mcu%d.restart == 0 {
				if err := d.restartAt(mcu); err != nil {
					return err
				}
			}
			if err := d.decodeMCUProg(sc, x, y); err != nil {
				return err
			}
			if d.bits.overrun() {
				return d.overrunErr()
			}
			mcu++
		}
	}
	return nil
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
	c.nz[blk] = nz
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
			m := nz &^ (1<<uint(k) - 1)
			if sc.se < 63 {
				m &= 1<<uint(sc.se+1) - 1
			}
			for ; m != 0; m &= m - 1 {
				if br.readBit() {
					if sl := slot[bits.TrailingZeros64(m)]; sl >= 0 {
						coef[sl] = refine(coef[sl], p1, m1)
					}
				}
			}
		}
		d.eobrun--
	}
	c.nz[blk] = nz
	return nil
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
