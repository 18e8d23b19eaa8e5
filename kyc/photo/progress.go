package photo

import (
	"context"
	"image"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/heif"
)

// Stage is a step of a preparation, as reported to a progress function.
type Stage string

// Stages, in order.
const (
	// StageDecode: decoding and shrinking the picture. A HEIC reports each tile (Done of Total);
	// other formats report 0/1 at the start and 1/1 at the end.
	StageDecode Stage = "decode"
	// StageFinish: turning upright, encoding within the byte budget, the pre-flight checks.
	StageFinish Stage = "finish"
)

// Progress is one report from a preparation under way (see WithProgress).
type Progress struct {
	Stage       Stage
	Done, Total int
	// Preview is set on the first report of a HEIC that carries a thumbnail: that thumbnail,
	// upright (about 320×240), decoded before the tiles, so the image zone can show the photo
	// at once while the full decode runs. Nil otherwise.
	Preview image.Image
}

// Fraction estimates how much of the whole preparation is done, in [0, 1]: decoding is most of
// it (about 90 % of a HEIC's time).
func (p Progress) Fraction() float64 {
	const decodeShare = 0.9
	switch p.Stage {
	case StageDecode:
		if p.Total <= 0 {
			return 0
		}
		return decodeShare * float64(min(p.Done, p.Total)) / float64(p.Total)
	case StageFinish:
		return decodeShare
	}
	return 0
}

type progressKey struct{}

// WithProgress returns a context whose preparations (Prepare, PrepareFile, PrepareImage) report
// their progress to fn. fn is called on the preparing goroutine, in order, and must return
// quickly (a UI hands the value to its own goroutine: fyne.Do). Cancelling the context stops a
// HEIC between two tiles (within ~20 ms with the system libheif, ~150 ms in WebAssembly) and any
// preparation between stages; the call then returns the context's error.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// progressOf returns the context's progress function, or one that does nothing.
func progressOf(ctx context.Context) (fn func(Progress), wanted bool) {
	if f, ok := ctx.Value(progressKey{}).(func(Progress)); ok && f != nil {
		return f, true
	}
	return func(Progress) {}, false
}

// decodeHEICReporting runs decodeHEIC with the context's progress function: a preview from the
// embedded thumbnail first (only when someone listens), then one report per tile.
func decodeHEICReporting(ctx context.Context, h header, target int) (image.Image, error) {
	report, wanted := progressOf(ctx)
	total := len(h.layout.Tiles)
	first := Progress{Stage: StageDecode, Total: total}
	if wanted {
		first.Preview = heicPreview(h.heif)
	}
	report(first)
	return decodeHEIC(ctx, h, target, func(done, total int) {
		report(Progress{Stage: StageDecode, Done: done, Total: total})
	})
}

// heicPreview decodes the file's HEVC thumbnail and turns it upright; nil when there is none or
// it does not decode (the preview is a courtesy: the real decode reports its own errors).
func heicPreview(f *heif.File) (img image.Image) {
	defer func() {
		if recover() != nil {
			img = nil
		}
	}()
	l, err := f.Thumbnail()
	if err != nil || l.Columns*l.Rows != 1 || l.Width*l.Height > 1<<20 {
		return nil
	}
	file, err := f.CodedFile(l.Tiles[0])
	if err != nil {
		return nil
	}
	dec := heicDecoder()
	p, err := dec.Decode(file)
	if err != nil {
		return nil
	}
	defer p.Release()
	lut := rangeLUTs(l, dec)
	rect := image.Rect(0, 0, p.Width, p.Height)
	var m image.Image
	switch p.Chroma {
	case 0:
		g := image.NewGray(rect)
		for y := 0; y < p.Height; y++ {
			copy(g.Pix[y*g.Stride:][:p.Width], p.Y[y*p.YStride:])
		}
		m = g
	case 1:
		c := image.NewYCbCr(rect, image.YCbCrSubsampleRatio420)
		cw, ch := p.ChromaSize()
		for y := 0; y < p.Height; y++ {
			copy(c.Y[y*c.YStride:][:p.Width], p.Y[y*p.YStride:])
		}
		for y := 0; y < ch; y++ {
			copy(c.Cb[y*c.CStride:][:cw], p.Cb[y*p.CStride:])
			copy(c.Cr[y*c.CStride:][:cw], p.Cr[y*p.CStride:])
		}
		m = c
	default:
		return nil
	}
	if lut != nil { // the preview is small: mapped in place
		switch m := m.(type) {
		case *image.Gray:
			mapBytes(m.Pix, &lut[0])
		case *image.YCbCr:
			mapBytes(m.Y, &lut[0])
			mapBytes(m.Cb, &lut[1])
			mapBytes(m.Cr, &lut[1])
		}
	}
	if l.Crop != rect {
		m = imaging.Crop(m, l.Crop)
	}
	return orientImage(m, l.Orientation)
}

// ProgressFunc returns the progress function ctx carries (WithProgress), or one that does
// nothing: for preparers outside this package that report the same way.
func ProgressFunc(ctx context.Context) func(Progress) {
	fn, _ := progressOf(ctx)
	return fn
}

func mapBytes(b []byte, lut *[256]byte) {
	for i, v := range b {
		b[i] = lut[v]
	}
}
