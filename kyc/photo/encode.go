package photo

import (
	"bufio"
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"sync"

	"github.com/disintegration/imaging"
)

// Quality bounds of the adaptive search. Below 70 the Go encoder's 4:2:0 output starts to smear
// the eKTP's small print and the guilloche; above 92 the bytes grow fast for no visible gain.
const (
	QualityMin = 70
	QualityMax = 92
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// bufioPool: image/jpeg wraps any writer without Flush in a fresh 4 KB bufio.Writer per call;
// passing a pooled one avoids that per attempt.
var bufioPool = sync.Pool{New: func() any { return bufio.NewWriterSize(io.Discard, 32<<10) }}

func encodeJPEG(dst *bytes.Buffer, img image.Image, q int) error {
	dst.Reset()
	bw := bufioPool.Get().(*bufio.Writer)
	defer bufioPool.Put(bw)
	bw.Reset(dst)
	// image/jpeg writes baseline (SOF0), 4:2:0 for colour input, no APPn segment at all: no
	// EXIF, no GPS, no thumbnail. *image.RGBA and *image.YCbCr take its fast conversion paths;
	// imaging.Encode hands it an opaque *image.NRGBA (the imaging path) as RGBA, without a copy.
	var err error
	if m, ok := img.(*image.NRGBA); ok {
		err = imaging.Encode(bw, m, imaging.JPEG, imaging.JPEGQuality(q))
	} else {
		err = jpeg.Encode(bw, img, &jpeg.Options{Quality: q})
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// encodeWithin returns the JPEG at the highest quality in [QualityMin, QualityMax] whose size is
// ≤ budget, found by binary search (most photos fit at QualityMax: one encode). ok is false
// when even QualityMin is too big; the caller then shrinks the image.
func encodeWithin(img image.Image, budget int) (out []byte, quality int, ok bool, err error) {
	cur, best := bufPool.Get().(*bytes.Buffer), bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(cur)
	defer bufPool.Put(best)
	try := func(q int) (bool, error) {
		if err := encodeJPEG(cur, img, q); err != nil {
			return false, err
		}
		if cur.Len() > budget {
			return false, nil
		}
		cur, best = best, cur // keep the fitting result, reuse the other buffer
		quality = q
		return true, nil
	}
	fit, err := try(QualityMax)
	if err != nil || fit {
		return bytes.Clone(best.Bytes()), quality, fit, err
	}
	if fit, err = try(QualityMin); err != nil || !fit {
		return nil, 0, false, err
	}
	lo, hi := QualityMin, QualityMax // invariant: lo fits, hi does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		f, err := try(mid)
		if err != nil {
			return nil, 0, false, err
		}
		if f {
			lo = mid
		} else {
			hi = mid
		}
	}
	return bytes.Clone(best.Bytes()), quality, true, nil
}
