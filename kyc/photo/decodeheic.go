package photo

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"

	"kycdesk/kyc/photo/heif"
	"kycdesk/kyc/photo/heif/heifdec"
)

// HEIC/HEIF photos are decoded tile by tile (issue 13). A phone stores a 12 MP photo as a grid of
// 8×6 HEVC tiles of 512×512 (48 MP: 16×12); each tile is handed to the decoder as its own small
// HEIF file (heif.File.CodedFile), on up to heicWorkers goroutines, and each completed row of
// tiles is box-shrunk into a plane buffer at once and dropped. The full-size picture never
// exists: memory is two rows of tiles plus the shrunk picture, whatever the photo's size, and the
// work is interruptible and measurable between tiles (progress, cancellation). The shrunk planes
// then take the planar Lanczos path, like a DCT-scaled JPEG.
//
// The decoder is the system libheif when there is one (Linux: Debian/Ubuntu's libheif1; macOS:
// Homebrew's), otherwise libheif in WebAssembly (heifdec). A HEIC that is a single coded image
// rather than a grid is the 1×1 case of the same code.

// heicDecoder is the tile decoder (a variable so tests can force a backend).
var heicDecoder = heifdec.Pick

// heicWorkers bounds the tile decoders running at once, like parallel(): the counter PC also runs
// the camera, the window and the HTTP client.
func heicWorkers(tiles int) int { return max(1, min(runtime.GOMAXPROCS(0), 4, tiles)) }

// heicBands is how many rows of tiles may be in flight (being decoded or waiting to be shrunk).
const heicBands = 2

// readHEIFHeader fills h from the HEIF structure: the primary image's clean aperture (its
// stored size), its orientation, and the decode's memory estimate.
func readHEIFHeader(data []byte, h *header, target int) error {
	f, err := heif.Parse(data)
	if err != nil {
		return heifError(err)
	}
	l, err := f.Primary()
	if err != nil {
		return heifError(err)
	}
	h.heif, h.layout = f, l
	h.width, h.height, h.orientation = l.Crop.Dx(), l.Crop.Dy(), l.Orientation
	if int64(l.TileWidth)*int64(l.TileHeight) > MaxPixels || l.TileWidth > MaxSide || l.TileHeight > MaxSide {
		return errTooManyPixels(l.TileWidth, l.TileHeight, reasonPixels)
	}
	h.decodeBytes = heicMemory(l, target)
	return nil
}

// heicMemory estimates the decode's peak memory: per worker, the decoder's own buffers for one
// tile (natively libde265's picture and libheif's copy of it, 1.5 bytes a pixel each for 4:2:0;
// in WebAssembly also the output buffer, its copy in Go and the linear memory's growth by copies:
// a 4000×3000 single image peaks at 307 MB of RSS there, against 104 MB natively, so 12 bytes a
// pixel); the bands (none for a single coded image, which is shrunk straight from the decoder's
// planes); the shrunk planes and the resizer's intermediate rows. Phone grids use 512×512 tiles,
// for which this is a few MB; it matters for single-image HEIFs, which the WebAssembly decoder
// takes up to about 20 MP.
func heicMemory(l *heif.Layout, target int) int64 {
	tile := int64(l.TileWidth) * int64(l.TileHeight)
	perPixel := int64(3)
	if _, native := HEICDecoder(); !native {
		perPixel = 12
	}
	workers := int64(heicWorkers(len(l.Tiles)))
	var bands int64
	if len(l.Tiles) > 1 {
		bands = int64(min(heicBands, l.Rows)) * int64(l.Columns) * tile * 3 / 2
	}
	cw, ch := l.Crop.Dx(), l.Crop.Dy()
	dw, dh := fitSize(cw, ch, target)
	k := int64(preShrink(float64(cw), float64(ch), dw, dh))
	shrunk := int64(cw) * int64(ch) * 3 / 2 / (k * k)
	resize := int64(dw) * int64(ch) * 3 / 2 / k
	return workers*tile*perPixel + bands + shrunk + resize
}

// heifError maps the container parser's errors to this package's.
func heifError(err error) error {
	switch {
	case errors.Is(err, heif.ErrTruncated):
		return errTruncated(err)
	case errors.Is(err, heif.ErrUnsupported):
		return newError(CodeUnsupportedFormat,
			"Jenis HEIC/HEIF ini tidak didukung. Simpan ulang sebagai JPEG lalu coba lagi.",
			"This kind of HEIC/HEIF is not supported. Save it again as JPEG and retry.", err)
	}
	return errCorrupt(err)
}

// heicBand holds one row of tiles: planes as wide as the grid, as tall as a tile.
type heicBand struct {
	y, cb, cr []byte
	yStride   int
	cStride   int
}

type heicTileJob struct {
	row, col int
	band     *heicBand
}

type heicTileResult struct {
	row  int
	band *heicBand
	err  error
}

// decodeHEIC decodes the primary image of h tile by tile and returns it downscaled to fit target,
// in stored orientation (the crop applied, not the rotation): a 4:2:0 *image.YCbCr or an
// *image.RGBA (grey sources), like decodeDownscale. It checks ctx between tiles and reports
// each decoded tile to progress.
func decodeHEIC(ctx context.Context, h header, target int, progress func(done, total int)) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil { // hostile input must never take the app down
			img, err = nil, errCorrupt(fmt.Errorf("HEIC decode panic: %v", r))
		}
	}()
	l := h.layout
	crop := l.Crop
	cw, ch := crop.Dx(), crop.Dy()
	dw, dh := fitSize(cw, ch, target)
	k := preShrink(float64(cw), float64(ch), dw, dh)
	hdiv, vdiv, ratio := 1, 1, image.YCbCrSubsampleRatio444
	switch l.Chroma {
	case 1:
		hdiv, vdiv, ratio = 2, 2, image.YCbCrSubsampleRatio420
	case 2:
		hdiv, ratio = 2, image.YCbCrSubsampleRatio422
	}
	mono := l.Chroma == 0
	if !mono && l.Columns*l.Rows > 1 && (l.TileWidth%hdiv != 0 || l.TileHeight%vdiv != 0) {
		return nil, errCorrupt(fmt.Errorf("grid tiles of %d×%d with subsampled chroma", l.TileWidth, l.TileHeight))
	}

	// The shrunk picture and its resizer exist from the start, so the resizer's horizontal pass
	// can follow the rows as they are shrunk.
	ys := newPlaneShrinker(crop, k, 1, 1)
	var cbs, crs *planeShrinker
	var shrunk image.Image = &image.Gray{Pix: ys.out, Stride: ys.ow, Rect: image.Rect(0, 0, ys.ow, ys.oh)}
	if !mono {
		cbs, crs = newPlaneShrinker(crop, k, hdiv, vdiv), newPlaneShrinker(crop, k, hdiv, vdiv)
		shrunk = &image.YCbCr{Y: ys.out, Cb: cbs.out, Cr: crs.out, YStride: ys.ow, CStride: cbs.ow,
			SubsampleRatio: ratio, Rect: image.Rect(0, 0, ys.ow, ys.oh)}
	}
	dec := heicDecoder()
	if lut := rangeLUTs(l, dec); lut != nil {
		ys.lut = &lut[0]
		if !mono {
			cbs.lut, crs.lut = &lut[1], &lut[1]
		}
	}
	ew, eh := float64(cw)/float64(k), float64(ch)/float64(k)
	rs := newPlanarResizer(shrunk, ew, eh, dw, dh, !mono)
	if rs == nil {
		return nil, errCorrupt(errors.New("no resizer for the HEIC planes"))
	}

	finish := func() (image.Image, error) {
		if !ys.complete() || (!mono && (!cbs.complete() || !crs.complete())) {
			return nil, errCorrupt(errors.New("HEIC tiles did not cover the picture"))
		}
		if mono {
			return rs.finish(), nil // the output JPEG stays 3-component, like every other
		}
		return rs.finishPlanes(), nil
	}
	if len(l.Tiles) == 1 { // a single coded image: shrink straight from the decoder's planes
		return decodeSingleHEIC(ctx, dec, h, ys, cbs, crs, progress, finish)
	}

	canvasW := l.Columns * l.TileWidth
	ctw, cth := (l.TileWidth+hdiv-1)/hdiv, (l.TileHeight+vdiv-1)/vdiv
	free := make(chan *heicBand, heicBands)
	for i := 0; i < min(heicBands, l.Rows); i++ {
		b := &heicBand{yStride: canvasW, y: make([]byte, canvasW*l.TileHeight)}
		if !mono {
			b.cStride = l.Columns * ctw
			b.cb, b.cr = make([]byte, b.cStride*cth), make([]byte, b.cStride*cth)
		}
		free <- b
	}

	total := len(l.Tiles)
	jobs := make(chan heicTileJob)
	results := make(chan heicTileResult, total)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the dispatcher: a row's tiles go out once a band is free for it
		defer wg.Done()
		defer close(jobs)
		for r := 0; r < l.Rows; r++ {
			var b *heicBand
			select {
			case b = <-free:
			case <-stop:
				return
			}
			for c := 0; c < l.Columns; c++ {
				select {
				case jobs <- heicTileJob{row: r, col: c, band: b}:
				case <-stop:
					return
				}
			}
		}
	}()
	for w := 0; w < heicWorkers(total); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- heicTileResult{j.row, j.band, decodeTile(dec, h.heif, l, j, hdiv, vdiv)}
			}
		}()
	}
	stopped := false
	halt := func() { // stop handing out tiles and wait for those being decoded
		if stopped {
			return
		}
		stopped = true
		close(stop)
		for range jobs {
		}
		wg.Wait()
	}
	defer halt()

	pending := make([]int, l.Rows) // tiles still to decode, per row
	for r := range pending {
		pending[r] = l.Columns
	}
	bands := make([]*heicBand, l.Rows)
	next, done := 0, 0
	for next < l.Rows {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case res := <-results:
			if res.err != nil {
				return nil, res.err
			}
			done++
			pending[res.row]--
			bands[res.row] = res.band
			if progress != nil {
				progress(done, total)
			}
		}
		for next < l.Rows && pending[next] == 0 { // complete rows, in order
			b := bands[next]
			y0 := next * l.TileHeight
			for y := 0; y < l.TileHeight; y++ {
				ys.add(y0+y, b.y[y*b.yStride:(y+1)*b.yStride])
			}
			if !mono {
				c0 := next * cth
				for y := 0; y < cth; y++ {
					cbs.add(c0+y, b.cb[y*b.cStride:(y+1)*b.cStride])
					crs.add(c0+y, b.cr[y*b.cStride:(y+1)*b.cStride])
				}
			}
			bands[next] = nil
			free <- b
			next++
			rs.advance(ys.oy)
		}
	}
	halt()
	return finish()
}

// decodeSingleHEIC is decodeHEIC for a picture that is one coded image (no grid): no band, the
// shrinkers read the decoder's planes, which are released at once.
func decodeSingleHEIC(ctx context.Context, dec heifdec.Decoder, h header, ys, cbs, crs *planeShrinker, progress func(done, total int),
	finish func() (image.Image, error)) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, errCorrupt(fmt.Errorf("HEIC decoder panic: %v", r))
		}
	}()
	l := h.layout
	file, err := h.heif.CodedFile(l.Tiles[0])
	if err != nil {
		return nil, heifError(err)
	}
	p, err := dec.Decode(file)
	if err != nil {
		return nil, errCorrupt(err)
	}
	defer p.Release()
	if p.Width != l.TileWidth || p.Height != l.TileHeight || p.Chroma != l.Chroma {
		return nil, errCorrupt(fmt.Errorf("image decoded to %d×%d chroma %d, declared %d×%d chroma %d",
			p.Width, p.Height, p.Chroma, l.TileWidth, l.TileHeight, l.Chroma))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for y := 0; y < p.Height; y++ {
		ys.add(y, p.Y[y*p.YStride:y*p.YStride+p.Width])
	}
	if cbs != nil {
		cw, ch := p.ChromaSize()
		for y := 0; y < ch; y++ {
			cbs.add(y, p.Cb[y*p.CStride:y*p.CStride+cw])
			crs.add(y, p.Cr[y*p.CStride:y*p.CStride+cw])
		}
	}
	p.Release()
	if progress != nil {
		progress(1, 1)
	}
	return finish()
}

// decodeTile decodes one tile and copies its planes into its place in the band.
func decodeTile(dec heifdec.Decoder, f *heif.File, l *heif.Layout, j heicTileJob, hdiv, vdiv int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errCorrupt(fmt.Errorf("HEIC tile decoder panic: %v", r))
		}
	}()
	file, err := f.CodedFile(l.Tiles[j.row*l.Columns+j.col])
	if err != nil {
		return heifError(err)
	}
	p, err := dec.Decode(file)
	if err != nil {
		return errCorrupt(err)
	}
	defer p.Release()
	if p.Width != l.TileWidth || p.Height != l.TileHeight || p.Chroma != l.Chroma {
		return errCorrupt(fmt.Errorf("tile decoded to %d×%d chroma %d, declared %d×%d chroma %d",
			p.Width, p.Height, p.Chroma, l.TileWidth, l.TileHeight, l.Chroma))
	}
	b := j.band
	x := j.col * p.Width
	for y := 0; y < p.Height; y++ {
		copy(b.y[y*b.yStride+x:][:p.Width], p.Y[y*p.YStride:][:p.Width])
	}
	if p.Chroma != 0 {
		cw, ch := p.ChromaSize()
		cx := j.col * cw
		for y := 0; y < ch; y++ {
			copy(b.cb[y*b.cStride+cx:][:cw], p.Cb[y*p.CStride:][:cw])
			copy(b.cr[y*b.cStride+cx:][:cw], p.Cr[y*p.CStride:][:cw])
		}
	}
	return nil
}

// videoRange maps video-range samples to full range: luma 16–235 and chroma 16–240 onto 0–255
// (rounded, clamped: footroom and headroom clip), the range JFIF's equations, and so the rest of
// the pipeline, assume.
var videoRange = func() (t [2][256]byte) {
	for v := range 256 {
		t[0][v] = uint8(min(max(math.Round(float64(v-16)*255/219), 0), 255))
		t[1][v] = uint8(min(max(math.Round(float64(v-128)*255/224+128), 0), 255))
	}
	return t
}()

// rangeLUTs returns the luma and chroma tables that bring a layout's samples, as dec hands them
// over, to full range; nil when they already are (full-range coding, or a libheif that expands
// video range itself, as it does going by the VUI). Without this a video-range photo (most
// encoders but Apple's) came out grey and flat from libheif 1.18 — the WebAssembly decoder.
func rangeLUTs(l *heif.Layout, dec heifdec.Decoder) *[2][256]byte {
	if !l.LimitedRange || (dec.ExpandsRange() && l.CodedLimitedRange) {
		return nil
	}
	return &videoRange
}

// planeShrinker box-averages k×k blocks of one plane's crop as its rows arrive, top to bottom,
// into out (⌈w/k⌉×⌈h/k⌉; blocks at the right and bottom edges average what they have, like
// boxShrink), each output sample through lut when set. With k = 1 it copies the crop.
type planeShrinker struct {
	lut    *[256]byte
	k      int
	x0, y0 int // crop origin, in plane samples
	w, h   int // crop size, in plane samples
	out    []byte
	ow, oh int
	oy     int // output rows finished
	acc    []uint32
	rows   int // source rows summed in acc
}

// newPlaneShrinker covers crop (in luma pixels) of a plane subsampled by hdiv×vdiv. A crop at an
// odd luma offset starts its chroma at the sample that covers it (as libheif crops), and takes
// the ⌈w/hdiv⌉×⌈h/vdiv⌉ samples a picture of the crop's size has.
func newPlaneShrinker(crop image.Rectangle, k, hdiv, vdiv int) *planeShrinker {
	s := &planeShrinker{k: k, x0: crop.Min.X / hdiv, y0: crop.Min.Y / vdiv,
		w: (crop.Dx() + hdiv - 1) / hdiv, h: (crop.Dy() + vdiv - 1) / vdiv}
	s.ow, s.oh = (s.w+k-1)/k, (s.h+k-1)/k
	s.out = make([]byte, s.ow*s.oh)
	if k > 1 {
		s.acc = make([]uint32, s.ow)
	}
	return s
}

// add takes row y of the plane (absolute plane coordinates; row[0] is plane column 0). Rows
// outside the crop are ignored; rows must come in increasing order.
func (s *planeShrinker) add(y int, row []byte) {
	if y < s.y0 || y >= s.y0+s.h {
		return
	}
	seg := row[s.x0 : s.x0+s.w]
	if s.k == 1 {
		out := s.out[s.oy*s.ow : (s.oy+1)*s.ow]
		copy(out, seg)
		s.apply(out)
		s.oy++
		return
	}
	k, full := s.k, s.w/s.k
	acc := s.acc[:s.ow]
	switch k {
	case 2:
		for ox := 0; ox < full; ox++ {
			acc[ox] += uint32(seg[2*ox]) + uint32(seg[2*ox+1])
		}
	default:
		for ox := 0; ox < full; ox++ {
			var v uint32
			for _, p := range seg[ox*k : ox*k+k] {
				v += uint32(p)
			}
			acc[ox] += v
		}
	}
	for x := full * k; x < s.w; x++ {
		acc[full] += uint32(seg[x])
	}
	s.rows++
	if s.rows == k || y == s.y0+s.h-1 {
		s.flush()
	}
}

func (s *planeShrinker) flush() {
	out := s.out[s.oy*s.ow : (s.oy+1)*s.ow]
	rows := uint32(s.rows)
	full := s.w / s.k
	n := rows * uint32(s.k)
	for ox := 0; ox < full; ox++ {
		out[ox] = uint8((s.acc[ox] + n/2) / n)
	}
	if full < s.ow {
		n := rows * uint32(s.w-full*s.k)
		out[full] = uint8((s.acc[full] + n/2) / n)
	}
	s.apply(out)
	clear(s.acc)
	s.rows = 0
	s.oy++
}

// apply maps an output row through the shrinker's table, if any.
func (s *planeShrinker) apply(row []byte) {
	if s.lut == nil {
		return
	}
	for i, v := range row {
		row[i] = s.lut[v]
	}
}

// complete reports whether every output row was written.
func (s *planeShrinker) complete() bool { return s.oy == s.oh }

// HEICDecoder names the decoder HEIC tiles go to ("system libheif 1.15 (libheif.so.1)", "libheif
// 1.18 in WebAssembly (wazero)"), for an About screen or a support log; native reports whether it
// is the system library (fast) rather than the WebAssembly fallback (about 3× the CPU time).
func HEICDecoder() (name string, native bool) {
	d := heicDecoder()
	return d.Name(), heifdec.NativeError() == nil && d != heifdec.WASM()
}

// WarmHEIC prepares the HEIC decoder in the background: when the WebAssembly fallback is the one
// in use, its module is compiled (a second of CPU the first time on a PC, then loaded from the
// on-disk cache), so the first HEIC a clerk opens does not wait for it. Call it once at start-up,
// after the window is shown; it returns at once.
func WarmHEIC() { heifdec.Warm() }
