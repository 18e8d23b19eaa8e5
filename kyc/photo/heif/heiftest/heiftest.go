// Package heiftest writes HEIC files laid out the way phones write them — a 'grid' of HEVC tiles
// (512×512 on iPhones), an 'irot' turning the landscape sensor frame upright, an 'nclx' colour
// box, an HEVC thumbnail — for tests and benchmarks. Tiles are encoded by libheif's heif-enc
// (Debian package libheif-examples, x265 inside); the container is written here, since heif-enc
// of Debian 12 (libheif 1.15) cannot write grids.
//
// Only tests and the benchmark generators import it.
package heiftest

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"

	"kycdesk/kyc/photo/heif"
)

// HeifEnc is the encoder binary.
const HeifEnc = "heif-enc"

// Available reports whether heif-enc can be run.
func Available() bool {
	_, err := exec.LookPath(HeifEnc)
	return err == nil
}

// Encode encodes each image as one coded HEVC image (4:2:0, 8 bit, full-range BT.601 as libheif
// writes by default) at the given quality (0–100), running up to `jobs` heif-enc processes of
// up to 16 images each.
func Encode(imgs []image.Image, quality, jobs int) ([]heif.Coded, error) {
	dir, err := os.MkdirTemp("", "heiftest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	const batch = 16
	out := make([]heif.Coded, len(imgs))
	errs := make([]error, (len(imgs)+batch-1)/batch)
	sem := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for b := 0; b*batch < len(imgs); b++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			lo, hi := b*batch, min((b+1)*batch, len(imgs))
			errs[b] = encodeBatch(dir, b, imgs[lo:hi], quality, out[lo:hi])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func encodeBatch(dir string, b int, imgs []image.Image, quality int, out []heif.Coded) error {
	args := []string{"-q", strconv.Itoa(quality), "-p", "preset=fast", "-o", filepath.Join(dir, fmt.Sprintf("b%d.heic", b))}
	for i, img := range imgs {
		p := filepath.Join(dir, fmt.Sprintf("b%d-%d.png", b, i))
		if err := writePNG(p, img); err != nil {
			return err
		}
		args = append(args, p)
	}
	cmd := exec.Command(HeifEnc, args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("heif-enc: %v: %s", err, msg)
	}
	data, err := os.ReadFile(args[5])
	if err != nil {
		return err
	}
	f, err := heif.Parse(data)
	if err != nil {
		return err
	}
	ids := f.CodedItems()
	if len(ids) != len(imgs) {
		return fmt.Errorf("heif-enc wrote %d images for %d inputs", len(ids), len(imgs))
	}
	for i, id := range ids {
		c, err := f.Coded(id)
		if err != nil {
			return err
		}
		out[i] = c
	}
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Tiles cuts img into cols×rows tiles of tw×th, repeating the edge pixels where the last column
// and row reach past it (as a camera's encoder pads).
func Tiles(img image.Image, tw, th int) (tiles []image.Image, cols, rows int) {
	b := img.Bounds()
	cols, rows = (b.Dx()+tw-1)/tw, (b.Dy()+th-1)/th
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			t := image.NewRGBA(image.Rect(0, 0, tw, th))
			x0, y0 := b.Min.X+c*tw, b.Min.Y+r*th
			draw.Draw(t, t.Rect, img, image.Pt(x0, y0), draw.Src)
			w, h := min(tw, b.Max.X-x0), min(th, b.Max.Y-y0)
			for y := 0; y < th; y++ {
				for x := 0; x < tw; x++ {
					if x < w && y < h {
						continue
					}
					sx, sy := min(x, w-1), min(y, h-1)
					copy(t.Pix[t.PixOffset(x, y):][:4], t.Pix[t.PixOffset(sx, sy):][:4])
				}
			}
			tiles = append(tiles, t)
		}
	}
	return tiles, cols, rows
}

// Grid describes a file to write.
type Grid struct {
	Width, Height int // the grid's output size (≤ the tiles' extent)
	Columns, Rows int
	Tiles         []heif.Coded // row-major, all the same size
	// Rotation is the 'irot' angle in anticlockwise quarter turns (0: none); MirrorAxis the
	// 'imir' axis (0 vertical, 1 horizontal; -1: none). Clap, if set, is the 'clap' box's eight
	// numbers. They are associated in the order clap, irot, imir.
	Rotation   int
	MirrorAxis int
	Clap       *[8]int32
	// NCLX adds an 'nclx' colour box (BT.601 matrix, full range, sRGB transfer, BT.709 primaries).
	NCLX bool
	// Thumbnail, if set, is referenced as the grid's 'thmb' and gets the same rotation.
	Thumbnail *heif.Coded
	// Single writes Tiles[0] as the primary image itself (no grid), with the transforms.
	Single bool
}

// Bytes lays the file out: ftyp, meta (the grid description in 'idat', as Apple writes it), mdat.
func (g Grid) Bytes() []byte {
	meta := g.meta(0)
	base := 24 + len(meta) + 8 // ftyp is 24 bytes; mdat's header 8
	meta = g.meta(base)
	var b []byte
	b = binary.BigEndian.AppendUint32(b, 24)
	b = append(b, "ftypheic"...)
	b = binary.BigEndian.AppendUint32(b, 0)
	b = append(b, "mif1heic"...)
	b = append(b, meta...)
	n := 8
	for _, t := range g.Tiles {
		n += len(t.Data)
	}
	if g.Thumbnail != nil {
		n += len(g.Thumbnail.Data)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	b = append(b, "mdat"...)
	for _, t := range g.Tiles {
		b = append(b, t.Data...)
	}
	if g.Thumbnail != nil {
		b = append(b, g.Thumbnail.Data...)
	}
	return b
}

type boxWriter struct{ b []byte }

func (w *boxWriter) u8(v int)  { w.b = append(w.b, byte(v)) }
func (w *boxWriter) u16(v int) { w.b = binary.BigEndian.AppendUint16(w.b, uint16(v)) }
func (w *boxWriter) u32(v int) { w.b = binary.BigEndian.AppendUint32(w.b, uint32(v)) }
func (w *boxWriter) open(typ string) int {
	at := len(w.b)
	w.u32(0)
	w.b = append(w.b, typ...)
	return at
}
func (w *boxWriter) full(typ string, version, flags int) int {
	at := w.open(typ)
	w.u32(version<<24 | flags)
	return at
}
func (w *boxWriter) close(at int) { binary.BigEndian.PutUint32(w.b[at:], uint32(len(w.b)-at)) }

func (g Grid) meta(dataStart int) []byte {
	n := len(g.Tiles)
	gridID, thumbID := n+1, n+2
	primary := gridID
	if g.Single {
		primary = 1
	}
	w := &boxWriter{}
	meta := w.full("meta", 0, 0)
	h := w.full("hdlr", 0, 0)
	w.u32(0)
	w.b = append(w.b, "pict"...)
	w.u32(0)
	w.u32(0)
	w.u32(0)
	w.u8(0)
	w.close(h)
	p := w.full("pitm", 0, 0)
	w.u16(primary)
	w.close(p)

	// Items.
	type itemDesc struct {
		id     int
		typ    string
		hidden bool
	}
	var items []itemDesc
	for i := range g.Tiles {
		items = append(items, itemDesc{i + 1, "hvc1", !g.Single})
	}
	if !g.Single {
		items = append(items, itemDesc{gridID, "grid", false})
	}
	if g.Thumbnail != nil {
		items = append(items, itemDesc{thumbID, "hvc1", false})
	}
	ii := w.full("iinf", 0, 0)
	w.u16(len(items))
	for _, it := range items {
		flags := 0
		if it.hidden {
			flags = 1
		}
		e := w.full("infe", 2, flags)
		w.u16(it.id)
		w.u16(0)
		w.b = append(w.b, it.typ...)
		w.u8(0)
		w.close(e)
	}
	w.close(ii)

	// Grid description (in idat).
	var desc []byte
	if !g.Single {
		big := g.Width > 0xffff || g.Height > 0xffff
		desc = []byte{0, 0, byte(g.Rows - 1), byte(g.Columns - 1)}
		if big {
			desc[1] = 1
			desc = binary.BigEndian.AppendUint32(desc, uint32(g.Width))
			desc = binary.BigEndian.AppendUint32(desc, uint32(g.Height))
		} else {
			desc = binary.BigEndian.AppendUint16(desc, uint16(g.Width))
			desc = binary.BigEndian.AppendUint16(desc, uint16(g.Height))
		}
	}

	// Locations: tiles and thumbnail in mdat (construction method 0), the grid in idat (1).
	l := w.full("iloc", 1, 0)
	w.u8(0x44)
	w.u8(0x00)
	w.u16(len(items))
	off := dataStart
	for i, t := range g.Tiles {
		w.u16(i + 1)
		w.u16(0)
		w.u16(0)
		w.u16(1)
		w.u32(off)
		w.u32(len(t.Data))
		off += len(t.Data)
	}
	if !g.Single {
		w.u16(gridID)
		w.u16(1)
		w.u16(0)
		w.u16(1)
		w.u32(0)
		w.u32(len(desc))
	}
	if g.Thumbnail != nil {
		w.u16(thumbID)
		w.u16(0)
		w.u16(0)
		w.u16(1)
		w.u32(off)
		w.u32(len(g.Thumbnail.Data))
	}
	w.close(l)

	// References.
	if !g.Single || g.Thumbnail != nil {
		r := w.full("iref", 0, 0)
		if !g.Single {
			d := w.open("dimg")
			w.u16(gridID)
			w.u16(n)
			for i := range g.Tiles {
				w.u16(i + 1)
			}
			w.close(d)
		}
		if g.Thumbnail != nil {
			t := w.open("thmb")
			w.u16(thumbID)
			w.u16(1)
			w.u16(primary)
			w.close(t)
		}
		w.close(r)
	}

	// Properties.
	var props [][]byte
	add := func(box []byte) int { props = append(props, box); return len(props) }
	boxBytes := func(fn func(w *boxWriter)) []byte { bw := &boxWriter{}; fn(bw); return bw.b }
	ispe := func(wd, ht int) []byte {
		return boxBytes(func(w *boxWriter) { a := w.full("ispe", 0, 0); w.u32(wd); w.u32(ht); w.close(a) })
	}
	tileHvcC := add(g.Tiles[0].HvcC)
	tileIspe := add(ispe(g.Tiles[0].Width, g.Tiles[0].Height))
	var imageProps []int // essential transforms and colour of the primary
	gridIspe := 0
	if !g.Single {
		gridIspe = add(ispe(g.Width, g.Height))
	}
	if g.NCLX {
		imageProps = append(imageProps, add(boxBytes(func(w *boxWriter) {
			a := w.open("colr")
			w.b = append(w.b, "nclx"...)
			w.u16(1)
			w.u16(13)
			w.u16(6)
			w.u8(0x80)
			w.close(a)
		})))
	}
	var transforms []int
	if g.Clap != nil {
		transforms = append(transforms, add(boxBytes(func(w *boxWriter) {
			a := w.open("clap")
			for _, v := range g.Clap {
				w.u32(int(uint32(v)))
			}
			w.close(a)
		})))
	}
	if g.Rotation != 0 {
		transforms = append(transforms, add(boxBytes(func(w *boxWriter) { a := w.open("irot"); w.u8(g.Rotation & 3); w.close(a) })))
	}
	if g.MirrorAxis >= 0 {
		transforms = append(transforms, add(boxBytes(func(w *boxWriter) { a := w.open("imir"); w.u8(g.MirrorAxis & 1); w.close(a) })))
	}
	thumbHvcC, thumbIspe := 0, 0
	if g.Thumbnail != nil {
		thumbHvcC = add(g.Thumbnail.HvcC)
		thumbIspe = add(ispe(g.Thumbnail.Width, g.Thumbnail.Height))
	}
	pr := w.open("iprp")
	co := w.open("ipco")
	for _, p := range props {
		w.b = append(w.b, p...)
	}
	w.close(co)
	type assoc struct {
		id    int
		props []int
	}
	var as []assoc
	for i := range g.Tiles {
		a := assoc{i + 1, []int{tileHvcC, tileIspe}}
		if g.Single {
			a.props = append(append(a.props, imageProps...), transforms...)
		}
		as = append(as, a)
	}
	if !g.Single {
		as = append(as, assoc{gridID, append(append([]int{gridIspe}, imageProps...), transforms...)})
	}
	if g.Thumbnail != nil {
		t := []int{thumbHvcC, thumbIspe}
		if g.Rotation != 0 {
			for _, p := range transforms {
				if string(props[p-1][4:8]) == "irot" {
					t = append(t, p)
				}
			}
		}
		as = append(as, assoc{thumbID, t})
	}
	ma := w.full("ipma", 0, 0)
	w.u32(len(as))
	for _, a := range as {
		w.u16(a.id)
		w.u8(len(a.props))
		for _, p := range a.props {
			w.u8(0x80 | p) // essential; 7-bit indexes (few properties)
		}
	}
	w.close(ma)
	w.close(pr)
	if len(desc) > 0 {
		d := w.open("idat")
		w.b = append(w.b, desc...)
		w.close(d)
	}
	w.close(meta)
	return w.b
}

// FakeCoded is a coded image that declares w×h 4:2:0 8-bit but whose data is not HEVC: enough
// for every structural check before decoding (caps, layout), useless to a decoder.
func FakeCoded(w, h int) heif.Coded {
	rec := make([]byte, 23)
	rec[0] = 1                    // configurationVersion
	rec[1] = 1                    // Main profile
	rec[12] = 90                  // level 3
	rec[13], rec[14] = 0xf0, 0    // min_spatial_segmentation
	rec[15] = 0xfc                // parallelism
	rec[16] = 0xfc | 1            // chroma 4:2:0
	rec[17], rec[18] = 0xf8, 0xf8 // 8-bit
	rec[21] = 0x0f                // 4-byte NAL lengths
	box := binary.BigEndian.AppendUint32(nil, uint32(8+len(rec)))
	box = append(append(box, "hvcC"...), rec...)
	return heif.Coded{HvcC: box, Width: w, Height: h, Data: []byte{0, 0, 0, 2, 0x26, 0x01}}
}
