package jpegscale

import (
	"fmt"
	"io"
)

// scan is a parsed scan header (T.81 B.2.3).
type scan struct {
	comps  [3]*component
	ns     int
	ss, se int // spectral selection
	ah, al int // successive approximation
}

func (d *decoder) parseSOS() error {
	if !d.frame {
		return formatErr("scan before frame header")
	}
	if d.scans++; d.scans > maxScans {
		return formatErr("too many scans")
	}
	n, err := d.segmentLength()
	if err != nil {
		return err
	}
	var buf [10]byte
	if n < 6 || n > len(buf) {
		return formatErr("bad SOS length")
	}
	if err := d.src.readFull(buf[:n]); err != nil {
		return err
	}
	var sc scan
	sc.ns = int(buf[0])
	if sc.ns < 1 || sc.ns > d.ncomp || n != 4+2*sc.ns {
		return formatErr("bad SOS component count")
	}
	for i := 0; i < sc.ns; i++ {
		id, sel := buf[1+2*i], buf[2+2*i]
		var c *component
		for j := 0; j < d.ncomp; j++ {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return formatErr("scan names an unknown component")
		}
		for j := 0; j < i; j++ {
			if sc.comps[j] == c {
				return formatErr("scan repeats a component")
			}
		}
		c.dc, c.ac = int(sel>>4), int(sel&15)
		if c.dc > 3 || c.ac > 3 {
			return formatErr("bad Huffman table selector")
		}
		sc.comps[i] = c
	}
	p := buf[1+2*sc.ns:]
	sc.ss, sc.se, sc.ah, sc.al = int(p[0]), int(p[1]), int(p[2]>>4), int(p[2]&15)
	if err := d.checkScan(&sc); err != nil {
		return err
	}
	if d.comps[0].plane == nil {
		if err := d.allocate(); err != nil {
			return err
		}
	}
	for i := 0; i < sc.ns; i++ {
		if err := d.latchQuant(sc.comps[i]); err != nil {
			return err
		}
	}
	d.bits.reset(d.src)
	d.eobrun = 0
	for i := 0; i < d.ncomp; i++ {
		d.comps[i].pred = 0
	}
	if d.progressive {
		err = d.decodeProgressiveScan(&sc)
	} else {
		err = d.decodeSequentialScan(&sc)
	}
	if err != nil {
		return err
	}
	return d.endScan()
}

func (d *decoder) checkScan(sc *scan) error {
	if sc.ns > 1 {
		blocks := 0
		for i := 0; i < sc.ns; i++ {
			blocks += sc.comps[i].h * sc.comps[i].v
		}
		if blocks > 10 { // T.81 B.2.3
			return formatErr("too many blocks per MCU")
		}
	}
	needDC, needAC := true, true
	if d.progressive {
		switch {
		case sc.ss == 0 && sc.se != 0, sc.ss > sc.se, sc.se > 63:
			return formatErr("bad spectral selection")
		case sc.ss > 0 && sc.ns != 1:
			return formatErr("interleaved AC scan")
		case sc.ah > 13 || sc.al > 13 || (sc.ah != 0 && sc.ah != sc.al+1):
			return formatErr("bad successive approximation")
		}
		needDC = sc.ss == 0 && sc.ah == 0
		needAC = sc.ss > 0
	} else if sc.ss != 0 || sc.se != 63 || sc.ah != 0 || sc.al != 0 {
		// Sequential scans always carry all 64 coefficients; libjpeg
		// ignores these fields, and so do we unless they are absurd.
		if sc.ss > sc.se || sc.se > 63 {
			return formatErr("bad spectral selection")
		}
	}
	for i := 0; i < sc.ns; i++ {
		c := sc.comps[i]
		if needDC && !d.dcTab[c.dc].defined {
			return formatErr("missing DC Huffman table")
		}
		if needAC && !d.acTab[c.ac].defined {
			return formatErr("missing AC Huffman table")
		}
	}
	return nil
}

// latchQuant copies the component's quantization table into its kept layout
// the first time the component appears in a scan.
func (d *decoder) latchQuant(c *component) error {
	if c.latched {
		return nil
	}
	if !d.qtSet[c.tq] {
		return formatErr("missing quantization table")
	}
	for k := 0; k < 64; k++ {
		if s := c.slot[k]; s >= 0 {
			c.q[s] = int32(d.qt[c.tq][k])
		}
	}
	c.latched = true
	return nil
}

// scanErr turns an overrun of the entropy-coded data into the right error.
func (d *decoder) overrunErr() error {
	if d.bits.eof {
		if d.src.err != nil && d.src.err != io.EOF {
			return fmt.Errorf("jpegscale: reading JPEG: %w", d.src.err)
		}
		return fmt.Errorf("jpegscale: truncated JPEG: %w", io.ErrUnexpectedEOF)
	}
	return formatErr("scan data ends early")
}

// restartAt handles the restart marker expected before MCU number mcu.
func (d *decoder) restartAt(mcu int) error {
	if d.bits.overrun() {
		return d.overrunErr()
	}
	m := d.bits.marker
	if m == 0 {
		if d.bits.eof {
			return d.overrunErr()
		}
		// The remaining bits of the interval are byte padding; the
		// marker follows.
		var err error
		if m, err = d.src.nextMarker(); err != nil {
			return err
		}
	}
	want := byte(mRST0 + (mcu/d.restart-1)%8)
	if m != want {
		return formatErr("expected RST%d marker, found %#02x", want-mRST0, m)
	}
	d.bits.reset(d.src)
	d.eobrun = 0
	for i := 0; i < d.ncomp; i++ {
		d.comps[i].pred = 0
	}
	return nil
}

// endScan checks the scan's data was complete and remembers the marker that
// ended it.
func (d *decoder) endScan() error {
	if d.bits.overrun() {
		return d.overrunErr()
	}
	d.pending = d.bits.marker
	d.bits.reset(d.src)
	return nil
}

// mcuGeometry returns the MCU grid of a scan: interleaved scans use the
// frame's MCUs, a single-component scan one block per MCU (T.81 A.2).
func (d *decoder) mcuGeometry(sc *scan) (mx, my int) {
	if sc.ns == 1 {
		return sc.comps[0].nbw, sc.comps[0].nbh
	}
	return d.mcusX, d.mcusY
}
