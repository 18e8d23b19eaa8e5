package photo

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"time"
)

// SourceInfo describes the input as received.
type SourceInfo struct {
	Format      Format `json:"format"`
	Width       int    `json:"width"`  // upright (after orientation), in pixels
	Height      int    `json:"height"` //
	Bytes       int    `json:"bytes"`  // encoded file size (0 for PrepareImage)
	Orientation int    `json:"orientation"`
}

// Prepared is exactly what would be sent, plus what the pre-flight checks found.
type Prepared struct {
	Kind     Kind              `json:"kind"`
	JPEG     []byte            `json:"-"`
	Width    int               `json:"width"`
	Height   int               `json:"height"`
	Quality  int               `json:"quality"`
	Source   SourceInfo        `json:"source"`
	Findings []Finding         `json:"findings"`
	Faces    []image.Rectangle `json:"faces,omitempty"` // selfie: detected faces on the prepared image
	Elapsed  time.Duration     `json:"elapsed_ns"`
}

// Base64 is the JPEG in standard base64 without line breaks, as the gateway wants it.
func (p *Prepared) Base64() string { return base64.StdEncoding.EncodeToString(p.JPEG) }

// Blocking returns the error-severity findings: if any, the image must not be sent.
func (p *Prepared) Blocking() []Finding { return p.filter(SeverityError) }

// Warnings returns the findings the clerk may override.
func (p *Prepared) Warnings() []Finding { return p.filter(SeverityWarning) }

func (p *Prepared) filter(s Severity) []Finding {
	var out []Finding
	for _, f := range p.Findings {
		if f.Severity == s {
			out = append(out, f)
		}
	}
	return out
}

// PrepareFile checks the file's size before reading it, then runs Prepare. Errors never contain
// the path (file names at a counter are often the customer's name).
func PrepareFile(ctx context.Context, path string, kind Kind) (*Prepared, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errUnreadable(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, errUnreadable(err)
	}
	if !st.Mode().IsRegular() {
		return nil, newError(CodeUnreadable, "Bukan berkas gambar biasa.", "Not a regular file.", nil)
	}
	if st.Size() > MaxFileBytes {
		return nil, errTooLargeFile(st.Size(), MaxFileBytes)
	}
	// Read at most one byte past the cap, in case the file grew after Stat.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, errUnreadable(err)
	}
	return Prepare(ctx, data, kind)
}

func errUnreadable(err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err) // drop the path
	}
	return newError(CodeUnreadable, "Berkas tidak dapat dibaca.", "The file cannot be read.", err)
}

// Prepare turns an encoded image into what is sent for kind: decoded safely, downscaled,
// upright, re-encoded without metadata within the byte budget, and checked. Context cancellation
// is honoured between stages (a decode in progress runs to its end).
func Prepare(ctx context.Context, data []byte, kind Kind) (*Prepared, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, errTooLargeFile(int64(len(data)), MaxFileBytes)
	}
	h, err := readHeader(data, TargetFor(kind).LongEdge)
	if err != nil {
		return nil, err
	}
	src := SourceInfo{Format: h.format, Width: h.width, Height: h.height, Bytes: len(data), Orientation: h.orientation}
	if h.orientation >= 5 {
		src.Width, src.Height = h.height, h.width
	}
	// Decoding and resizing are one step: for a baseline JPEG they overlap, a HEIC streams tile
	// by tile into the shrinker (decodeDownscale) and reports each tile.
	resize := func() (image.Image, error) {
		if h.format == FormatHEIC {
			return decodeDownscale(ctx, data, h, TargetFor(kind).LongEdge)
		}
		report, _ := progressOf(ctx)
		report(Progress{Stage: StageDecode, Total: 1})
		img, err := decodeDownscale(ctx, data, h, TargetFor(kind).LongEdge)
		if err == nil {
			report(Progress{Stage: StageDecode, Done: 1, Total: 1})
		}
		return img, err
	}
	return prepare(ctx, resize, h.orientation, kind, src, start)
}

// PrepareImage runs the same pipeline on an already decoded, upright image (a camera still, a
// pasted image), resized by the imaging path (imagingpath.go).
func PrepareImage(ctx context.Context, img image.Image, kind Kind) (*Prepared, error) {
	start := time.Now()
	b := img.Bounds()
	if b.Empty() {
		return nil, errCorrupt(errors.New("empty image"))
	}
	if int64(b.Dx())*int64(b.Dy()) > MaxPixels {
		return nil, errTooManyPixels(b.Dx(), b.Dy(), reasonPixels)
	}
	resize := func() (image.Image, error) { return fitImaging(img, TargetFor(kind).LongEdge), nil }
	return prepare(ctx, resize, 1, kind, SourceInfo{Format: "frame", Width: b.Dx(), Height: b.Dy(), Orientation: 1}, start)
}

// release returns an image's buffer to the pool if it came from there.
func release(img image.Image) {
	if m, ok := img.(*image.RGBA); ok {
		putRGBA(m)
	}
}

type checkResult struct {
	findings []Finding
	faces    []image.Rectangle
}

// maxShrinks bounds the fallback when even QualityMin exceeds the budget (noise-like content):
// each round takes 15% off the long edge.
const maxShrinks = 6

// prepare gets the image resized to fit the kind's target (resize, in stored orientation), turns
// it upright, encodes it within the budget and checks it. Resizing before rotating moves ~1 MP
// instead of up to 200.
//
// The pixels are an opaque *image.RGBA, from the planar path a 4:2:0 *image.YCbCr, or from the
// imaging path an opaque *image.NRGBA (encoder and checks read each directly); only RGBA
// buffers come from the pool.
func prepare(ctx context.Context, resize func() (image.Image, error), orientation int, kind Kind, src SourceInfo, start time.Time) (*Prepared, error) {
	t := TargetFor(kind)
	report, _ := progressOf(ctx)
	small, err := resize()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		release(small)
		return nil, err
	}
	report(Progress{Stage: StageFinish, Total: 1})
	up := orientImage(small, orientation)
	if up != small {
		release(small)
	}
	// The checks only read the prepared pixels and the encoder only reads them too: on a second
	// core they cost no wall time (about 20 ms each for a selfie). If the budget forces a smaller image
	// (rare: noise-like content), they run again on what is actually sent.
	sent := up
	checks := make(chan checkResult, 1)
	go func() {
		var r checkResult
		r.findings, r.faces = check(sent, kind, max(src.Width, src.Height))
		checks <- r
	}()
	var res *checkResult
	waitChecks := func() checkResult {
		if res == nil {
			r := <-checks
			res = &r
		}
		return *res
	}
	defer func() {
		waitChecks() // before the pixels go back to the pool
		release(up)
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		out []byte
		q   int
	)
	for i := 0; ; i++ {
		var fit bool
		var err error
		out, q, fit, err = encodeWithin(up, t.MaxBytes)
		if err != nil {
			return nil, newError(CodeInternal, "Gagal memproses gambar.", "Encoding the image failed.", err)
		}
		if fit {
			break
		}
		if i == maxShrinks {
			return nil, newError(CodeOverBudget,
				"Gambar tidak dapat dikompres di bawah batas ukuran. Foto ulang dengan latar yang lebih polos.",
				"The image cannot be compressed under the size limit. Retake it against a plainer background.", nil)
		}
		b := up.Bounds()
		w, h := b.Dx()*85/100, b.Dy()*85/100
		rgba, ok := up.(*image.RGBA)
		if !ok {
			rgba = boxShrink(up, 1) // a plain conversion: this fallback is rare
			defer putRGBA(rgba)
		}
		smaller := resampleLanczos(rgba, max(w, 1), max(h, 1))
		if up == sent {
			waitChecks()
		}
		release(up)
		up = smaller
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	p := &Prepared{Kind: kind, JPEG: out, Width: up.Bounds().Dx(), Height: up.Bounds().Dy(), Quality: q, Source: src}
	if up == sent {
		r := waitChecks()
		p.Findings, p.Faces = r.findings, r.faces
	} else {
		p.Findings, p.Faces = check(up, kind, max(src.Width, src.Height))
	}
	p.Elapsed = time.Since(start)
	report(Progress{Stage: StageFinish, Done: 1, Total: 1})
	return p, nil
}
