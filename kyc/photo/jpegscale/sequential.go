package jpegscale

import (
	"runtime"
)

// Sequential (baseline and extended) scans are decoded one MCU row at a time
// into a small coefficient buffer; the inverse DCT of a finished row runs on
// a worker goroutine while the next row is Huffman decoded, and writes
// straight into the reduced-size output planes. Nothing of full size is ever
// allocated.

// rowJob is one MCU row (or, for a single-component scan, one block row) of
// dequantized coefficients in the kept layout.
type rowJob struct {
	sc   *scan
	row  int
	coef []int32
}

// rowWorker runs inverse DCTs of rows handed over by the decoding goroutine.
type rowWorker struct {
	jobs chan *rowJob
	free chan *rowJob
	done chan struct{}
}

// minWorkerRows is the height in MCU rows below which a second goroutine does
// not pay for its start-up.
const minWorkerRows = 8

// rowWorkerEnabled lets the benchmarks measure what the worker buys.
var rowWorkerEnabled = true

func (d *decoder) startWorker(sc *scan, bufLen int) {
	w := &rowWorker{
		jobs: make(chan *rowJob, 1),
		free: make(chan *rowJob, 2),
		done: make(chan struct{}),
	}
	for i := 0; i < 2; i++ {
		w.free <- &rowJob{sc: sc, coef: make([]int32, bufLen)}
	}
	go func() {
		defer close(w.done)
		for j := range w.jobs {
			d.idctRow(j)
			d.reportRows(j)
			w.free <- j
		}
	}()
	d.worker = w
}

// stopWorker waits for the worker to finish its rows. It is safe to call
// when no worker runs.
func (d *decoder) stopWorker() {
	if w := d.worker; w != nil {
		close(w.jobs)
		<-w.done
		d.worker = nil
	}
}

// rowBlocks is the number of blocks of each scan component in one row of the
// scan's MCUs.
func (d *decoder) rowBlocks(sc *scan, c *component) (rows, perRow int) {
	if sc.ns == 1 {
		return 1, c.nbw
	}
	return c.v, c.bw
}

func (d *decoder) decodeSequentialScan(sc *scan) error {
	mx, my := d.mcuGeometry(sc)
	bufLen := 0
	for i := 0; i < sc.ns; i++ {
		rows, per := d.rowBlocks(sc, sc.comps[i])
		bufLen += rows * per * sc.comps[i].keep
	}
	// The inverse DCT is about 40 % of the work at 1/1, 10 % at 1/2 and
	// negligible below: only then is a hand-over to a second core worth it.
	useWorker := rowWorkerEnabled && d.scale <= 2 && my >= minWorkerRows && runtime.GOMAXPROCS(0) > 1
	var job *rowJob
	if useWorker {
		d.startWorker(sc, bufLen)
		defer d.stopWorker()
	} else {
		job = &rowJob{sc: sc, coef: make([]int32, bufLen)}
	}
	mcu := 0
	for y := 0; y < my; y++ {
		if useWorker {
			job = <-d.worker.free
		}
		clear(job.coef)
		job.row = y
		for x := 0; x < mx; x++ {
			if d.restart > 0 && mcu > 0 && mcu%d.restart == 0 {
				if err := d.restartAt(mcu); err != nil {
					return err
				}
			}
			if err := d.decodeMCUSeq(sc, job.coef, x); err != nil {
				return err
			}
			if d.bits.overrun() {
				return d.overrunErr()
			}
			mcu++
		}
		if useWorker {
			d.worker.jobs <- job
		} else {
			d.idctRow(job)
			d.reportRows(job)
		}
	}
	return nil
}

// reportRows calls Options.OnRows after an MCU row of the first scan, when
// that scan is interleaved and carries every component (so the rows above it
// are final) and the output needs no conversion (Adobe RGB is interleaved
// into a new image at the end).
func (d *decoder) reportRows(j *rowJob) {
	if d.onRows == nil || j.sc.ns != d.ncomp || d.scans != 1 || d.isRGB() {
		return
	}
	if d.rowsImg == nil {
		img, err := d.image()
		if err != nil {
			d.onRows = nil
			return
		}
		d.rowsImg = img
	}
	_, h := ScaledSize(d.width, d.height, d.scale)
	d.onRows(d.rowsImg, min(h, (j.row+1)*d.vmax*d.n))
}

// decodeMCUSeq decodes MCU x of the current row into coef.
func (d *decoder) decodeMCUSeq(sc *scan, coef []int32, x int) error {
	off := 0
	for i := 0; i < sc.ns; i++ {
		c := sc.comps[i]
		keep := c.keep
		rows, per := d.rowBlocks(sc, c)
		if sc.ns == 1 {
			b := off + x*keep
			if err := d.decodeBlockSeq(c, coef[b:b+keep:b+keep]); err != nil {
				return err
			}
		} else {
			for r := 0; r < c.v; r++ {
				for h := 0; h < c.h; h++ {
					b := off + (r*per+x*c.h+h)*keep
					if err := d.decodeBlockSeq(c, coef[b:b+keep:b+keep]); err != nil {
						return err
					}
				}
			}
		}
		off += rows * per * keep
	}
	return nil
}

// decodeBlockSeq decodes one block's 64 coefficients (T.81 F.2.2) and stores
// the dequantized ones the scale keeps.
func (d *decoder) decodeBlockSeq(c *component, dst []int32) error {
	br := &d.bits
	s, err := br.decode(&d.dcTab[c.dc])
	if err != nil {
		return err
	}
	if s > 11 {
		return formatErr("bad DC coefficient size")
	}
	c.pred += br.receiveExtend(int(s))
	dst[0] = c.pred * c.q[0]
	ac := &d.acTab[c.ac]
	slot := &c.slot
	for k := 1; k < 64; k++ {
		if br.n < 16 {
			br.fill()
		}
		// Fast path: code and magnitude bits in one lookup.
		if e := ac.fastAC[br.acc>>(64-lookBits)]; e != 0 {
			l := uint(e & 0xFF)
			br.acc <<= l
			br.n -= int(l)
			k += int(e>>8) & 15
			if k > 63 {
				return formatErr("AC coefficient run past the block")
			}
			if sl := slot[k]; sl >= 0 {
				dst[sl] = (e >> 16) * c.q[sl]
			}
			continue
		}
		rs, err := br.decode(ac)
		if err != nil {
			return err
		}
		r, s := int(rs>>4), int(rs&15)
		if s == 0 {
			if r != 15 {
				break // end of block
			}
			k += 15 // sixteen zeros
			continue
		}
		k += r
		if k > 63 {
			return formatErr("AC coefficient run past the block")
		}
		if sl := slot[k]; sl >= 0 {
			dst[sl] = br.receiveExtend(s) * c.q[sl]
		} else {
			br.skipBits(s)
		}
	}
	return nil
}

// idctRow runs the inverse DCTs of one row job into the output planes.
func (d *decoder) idctRow(j *rowJob) {
	sc := j.sc
	off := 0
	for i := 0; i < sc.ns; i++ {
		c := sc.comps[i]
		keep := c.keep
		rows, per := d.rowBlocks(sc, c)
		by0 := j.row * rows
		for r := 0; r < rows; r++ {
			for bx := 0; bx < per; bx++ {
				b := off + (r*per+bx)*keep
				d.idctBlock(c, j.coef[b:b+keep:b+keep], bx, by0+r)
			}
		}
		off += rows * per * keep
	}
}

// idctBlock writes the reduced inverse DCT of one block's dequantized kept
// coefficients to block position (bx, by) of c's plane.
func (d *decoder) idctBlock(c *component, coef []int32, bx, by int) {
	o := by*c.nv*c.stride + bx*c.nh
	if c.nh != c.nv {
		idctRect(coef, c.nh, c.nv, c.plane[o:], c.stride)
		return
	}
	switch c.nh {
	case 8:
		idct8((*[64]int32)(coef), c.plane[o:], c.stride)
	case 4:
		idct4((*[16]int32)(coef), c.plane[o:], c.stride)
	case 2:
		idct2((*[4]int32)(coef), c.plane[o:], c.stride)
	default:
		c.plane[o] = idct1(coef[0])
	}
}
