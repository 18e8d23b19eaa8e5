package photo

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"

	"kycdesk/kyc/photo/jpegscale"
)

// scaledJPEG is the DCT-scaled decoder (a variable so tests can observe or replace it).
var scaledJPEG = jpegscale.DecodeBytes

// scaleGap is how much larger than the target a scaled decode must stay, per scale, so the Lanczos
// stage still does real anti-aliasing (the idea of reduceGap, for the decoder). A scaled inverse
// DCT filters like a box: at 1/8 each pixel is a block's mean. Measured on the decoder's fixtures
// (TestScaledPipelineMatchesStdlib, PSNR against image/jpeg + the same resize), with no gap the
// result is 39/36/32 dB at 1/2, 1/4, 1/8; with these gaps the worst case is ≥ 40 dB. Phone photos
// keep their scale for a selfie (4000 px → 1/2, 8000 → 1/4, 16320 → 1/8 all leave ≥ 1.5× 1280);
// an ID card (1600) from 16320 px decodes at 1/4 instead of 1/8.
var scaleGap = map[int]float64{2: 1.25, 4: 1.25, 8: 1.5}

// scaleFor picks the largest reduction whose decoded long edge is still ≥ scaleGap × target, or
// 1 (full size) when none is.
func scaleFor(w, h, target int) int {
	long := max(w, h)
	for _, s := range []int{8, 4, 2} {
		if float64((long+s-1)/s) >= scaleGap[s]*float64(target) {
			return s
		}
	}
	return 1
}

// keepChroma decides whether jpegscale should leave chroma subsampled (Options.KeepSubsampling)
// rather than upsample it in the DCT domain. Kept, the planar resampler (planar.go) upsamples it
// with Lanczos while resizing, and a 12 MP 4:2:0 photo at 1/2 costs ~40 % less to decode and
// resize. That is only as good as the default while the kept chroma is still as fine as the
// output needs: at 1/2 for chroma halved at most (4:2:0, 4:2:2, 4:4:0: PSNR ≥ 39 dB on the
// fixtures at the worst-case gap, against ≥ 43 dB upsampled); at 1/4 and 1/8, or for 4:1:1, the
// kept chroma is coarser than the output's pixels (31–37 dB), so it is upsampled as before.
func keepChroma(j jpegHead, scale int) bool {
	if scale != 2 || j.components != 3 || j.hmax > 2 || j.vmax > 2 {
		return false
	}
	return j.sampling[1] == [2]int{1, 1} && j.sampling[2] == [2]int{1, 1}
}

// decodeJPEGScaled decodes a JPEG with jpegscale at h.scale: the inverse DCT of each 8×8 block is
// computed at 8/scale samples, so a 48 MP photo never exists at full size (issue 8). fallBack is
// true when the standard library decoder should try instead: jpegscale met something it does not
// handle that its header check could not see (a DNL marker, a late Adobe segment), or data it
// considers malformed that image/jpeg may still read — in both cases only when the file is within
// the caps of the full-size decoder, since that one holds every pixel.
func decodeJPEGScaled(data []byte, h header, opts jpegscale.Options) (img image.Image, fallBack bool, err error) {
	img, err = scaledJPEG(data, opts)
	if err == nil {
		w, ht := jpegscale.ScaledSize(h.width, h.height, h.scale)
		if b := img.Bounds(); b.Dx() != w || b.Dy() != ht {
			return nil, false, errCorrupt(fmt.Errorf("scaled decode gave %dx%d, want %dx%d", b.Dx(), b.Dy(), w, ht))
		}
		return img, false, nil
	}
	var fe *jpegscale.FormatError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, false, errTruncated(err)
	case errors.Is(err, jpegscale.ErrTooLarge):
		return nil, false, errTooManyPixels(h.width, h.height, reasonPixelsJPEG)
	case errors.Is(err, jpegscale.ErrUnsupported):
		if !fitsFullDecode(h) {
			return nil, false, errTooManyPixels(h.width, h.height, reasonPixelsOther)
		}
		return nil, true, nil
	case errors.As(err, &fe):
		if !fitsFullDecode(h) {
			return nil, false, errCorrupt(err)
		}
		return nil, true, nil
	}
	return nil, false, errCorrupt(err)
}

// fitsFullDecode reports whether the full-size standard decoder may take the file: the same caps
// readHeader applies to JPEGs that jpegscale refuses up front.
func fitsFullDecode(h header) bool {
	return int64(h.width)*int64(h.height) <= MaxPixels && h.fullBytes <= MaxDecodeBytes
}

// overlapResize lets the benchmarks measure what the overlap buys.
var overlapResize = true

// decodeDownscale decodes and resizes to fit target (never enlarging), in stored orientation. The
// output size comes from the source's own dimensions: a scaled decode rounds each side up
// (4001×3001 at 1/2 is 2001×1501, the last column half a block), which must shift neither the
// aspect ratio nor the picture. For a baseline JPEG that needs no integer pre-shrink — a phone photo after a scaled decode — the horizontal pass of the
// resize runs on another goroutine band by band as the decoder finishes rows of MCUs
// (jpegscale.Options.OnRows), so on two cores the resize mostly hides behind the Huffman
// decoding. Everything else decodes, then resizes.
//
// The result is an opaque *image.RGBA, (planar path) a 4:2:0 *image.YCbCr, or (imaging path, for
// what a full-size decoder returned) an opaque *image.NRGBA.
func decodeDownscale(ctx context.Context, data []byte, h header, target int) (image.Image, error) {
	if h.format == FormatHEIC {
		return decodeHEICReporting(ctx, h, target)
	}
	dw, dh := fitSize(h.width, h.height, target)
	s := float64(max(h.scale, 1))
	ew, eh := float64(h.width)/s, float64(h.height)/s // the picture's extent in decoded pixels
	var (
		r      *planarResizer
		ready  chan int
		done   chan struct{}
		failed any // a panic in the resizer goroutine, reported as an error below
		opts   jpegscale.Options
	)
	planar := h.scale > 0 && preShrink(ew, eh, dw, dh) == 1
	if planar && overlapResize {
		opts.OnRows = func(img image.Image, rows int) {
			if ready == nil {
				if r = newPlanarResizer(img, ew, eh, dw, dh, true); r == nil {
					ready = make(chan int) // never used: marks the resizer as tried
					return
				}
				ready, done = make(chan int, 256), make(chan struct{})
				go func() {
					defer close(done)
					defer func() { failed = recover() }()
					for n := range ready {
						r.advance(n)
					}
				}()
			}
			if r != nil {
				ready <- rows
			}
		}
	}
	img, scaled, err := decodeWith(data, h, opts)
	if done != nil {
		close(ready)
		<-done
	}
	if err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, errCorrupt(fmt.Errorf("resize panic: %v", failed))
	}
	if planar && scaled {
		if r == nil { // progressive (rows are only final at the end), or no overlap
			r = newPlanarResizer(img, ew, eh, dw, dh, true)
		}
		switch {
		case r == nil: // Adobe RGB: the general path below
		case !r.ycc:
			return r.finish(), nil // grey: the output JPEG stays 3-component, like every other
		default:
			return r.finishPlanes(), nil
		}
	}
	if !scaled { // a full-size decoder (PNG, WebP, image/jpeg): the imaging path
		return fitImaging(img, target), nil
	}
	return downscaleExt(img, ew, eh, dw, dh), nil
}
