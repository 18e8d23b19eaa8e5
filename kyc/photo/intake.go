package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/webp"

	"kycdesk/kyc/photo/heif"
	"kycdesk/kyc/photo/jpegscale"
)

// header is everything known about an input before decoding it.
type header struct {
	format      Format
	width       int   // as stored, before orientation
	height      int   //
	orientation int   // EXIF-equivalent 1..8 (HEIC: of its irot/imir)
	decodeBytes int64 // estimated memory the chosen decoder needs
	// scale is the reduction (1, 2, 4 or 8) at which the DCT-scaled decoder (jpegscale) will
	// decode this JPEG; 0 means a full-size standard decoder (every other format, and JPEGs
	// jpegscale does not handle).
	scale int
	// keepChroma: decode with jpegscale.Options.KeepSubsampling (see decodeJPEGScaled).
	keepChroma bool
	// fullBytes is the standard JPEG decoder's estimate, kept for the fallback when jpegscale
	// turns out, mid-stream, not to handle a file it accepted at the header.
	fullBytes int64
	// HEIC: the parsed container and its primary image's layout (decodeheic.go). width×height is
	// then the clean aperture, which the tiles are cropped to.
	heif   *heif.File
	layout *heif.Layout
}

// readHeader identifies the format and reads dimensions without decoding pixels, then applies
// the safety caps. A decompression bomb is refused here having allocated almost nothing.
// targetLongEdge is the long edge the image will be prepared to: it decides the JPEG decode
// scale, and with it the memory the decode needs.
func readHeader(data []byte, targetLongEdge int) (h header, err error) {
	defer func() {
		if r := recover(); r != nil { // a header parser must never take the app down
			err = errCorrupt(fmt.Errorf("header parser panic: %v", r))
		}
	}()
	f, err := sniff(data)
	if err != nil {
		return h, err
	}
	h = header{format: f, orientation: 1}
	switch f {
	case FormatJPEG:
		// scanJPEG reads the EXIF orientation and refuses what no decoder here reads (12-bit,
		// lossless, arithmetic, hierarchical) with a precise message.
		j, err := scanJPEG(data)
		if err != nil {
			return h, err
		}
		h.width, h.height, h.orientation = j.width, j.height, j.orientation
		h.fullBytes = j.decodeBytes()
		h.decodeBytes = h.fullBytes
		// MemoryNeeded parses the same headers as jpegscale's decoder and fails exactly when it
		// would refuse the file (CMYK, odd sampling…): those go to image/jpeg, capped as before.
		s := scaleFor(h.width, h.height, targetLongEdge)
		if n, err := jpegscale.MemoryNeeded(data, s); err == nil {
			h.scale, h.decodeBytes = s, n
			h.keepChroma = keepChroma(j, s)
		}
	case FormatHEIC:
		if err := readHEIFHeader(data, &h, targetLongEdge); err != nil {
			return h, err
		}
	case FormatPNG, FormatWebP:
		var cfg image.Config
		if f == FormatPNG {
			cfg, err = png.DecodeConfig(bytes.NewReader(data))
		} else {
			cfg, err = webp.DecodeConfig(bytes.NewReader(data))
		}
		if err != nil {
			return h, classify(err)
		}
		h.width, h.height = cfg.Width, cfg.Height
		h.decodeBytes = int64(h.width) * int64(h.height) * int64(bytesPerPixel(f, cfg.ColorModel))
	}
	return h, checkCaps(h)
}

func checkCaps(h header) error {
	px := int64(h.width) * int64(h.height)
	switch {
	case h.width <= 0 || h.height <= 0:
		return errCorrupt(errors.New("image has no pixels"))
	case h.width > MaxSide || h.height > MaxSide:
		return errTooManyPixels(h.width, h.height, reasonSide)
	case h.scale > 0 && px > MaxPixelsJPEG:
		return errTooManyPixels(h.width, h.height, reasonPixelsJPEG)
	case h.scale == 0 && px > MaxPixels:
		if h.format == FormatJPEG {
			return errTooManyPixels(h.width, h.height, reasonPixelsOther)
		}
		return errTooManyPixels(h.width, h.height, reasonPixels)
	case h.decodeBytes > MaxDecodeBytes:
		return errTooManyPixels(h.width, h.height, reasonMemory)
	}
	return nil
}

// bytesPerPixel is what the standard decoders allocate per pixel for a colour model.
func bytesPerPixel(f Format, m color.Model) int {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 2 // lossy WebP is 4:2:0 (1.5), rounded up
	case color.NYCbCrAModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.NRGBAModel:
		if f == FormatWebP {
			return 8 // VP8L decodes to ARGB words, then converts to NRGBA
		}
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// decoders are the full-size decoders per format (a variable so tests can inject a panicking one).
var decoders = map[Format]func(io.Reader) (image.Image, error){
	FormatJPEG: jpeg.Decode,
	FormatPNG:  png.Decode,
	FormatWebP: webp.Decode,
	// HEIC is decoded tile by tile into the downscaler (decodeheic.go), never whole.
}

// decodeScaled decodes the image: JPEGs that jpegscale handles at the reduction readHeader chose
// (h.scale), whose long edge is still ≥ the target; everything else at full size. It is the single
// place where pixels are decoded but for HEIC (decodeHEIC). The result is in stored orientation
// (not rotated), and its aspect ratio matches the source.
func decodeScaled(data []byte, h header) (image.Image, error) {
	img, _, err := decodeWith(data, h, jpegscale.Options{})
	return img, err
}

// decodeWith is decodeScaled with options for jpegscale (Scale, MaxPixels and KeepSubsampling are
// filled in here). scaled reports whether jpegscale decoded it (at 1/h.scale) rather than a
// full-size decoder.
func decodeWith(data []byte, h header, opts jpegscale.Options) (img image.Image, scaled bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, scaled, err = nil, false, errCorrupt(fmt.Errorf("decoder panic: %v", r))
		}
	}()
	if h.scale > 0 {
		opts.Scale, opts.MaxPixels, opts.KeepSubsampling = h.scale, MaxPixelsJPEG, h.keepChroma
		img, fallBack, err := decodeJPEGScaled(data, h, opts)
		if !fallBack {
			return img, err == nil, err
		}
	}
	dec := decoders[h.format]
	if dec == nil {
		return nil, false, errUnsupported(string(h.format))
	}
	img, err = dec(bytes.NewReader(data))
	if err != nil {
		return nil, false, classify(err)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, false, errCorrupt(errors.New("decoder returned an empty image"))
	}
	if (b.Dx() != h.width || b.Dy() != h.height) && h.format != FormatJPEG {
		return nil, false, errCorrupt(fmt.Errorf("decoded size %dx%d differs from header", b.Dx(), b.Dy()))
	}
	return img, false, nil
}

// classify maps a decoder error to a typed one. Truncation must be an error, never a
// half-grey image: the standard decoders report it as io.ErrUnexpectedEOF (or, for JPEG
// entropy data, "short Huffman data"; for PNG, "not enough pixel data").
func classify(err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	var ue jpeg.UnsupportedError
	if errors.As(err, &ue) {
		return errUnsupported("JPEG (" + string(ue) + ")")
	}
	var pue png.UnsupportedError
	if errors.As(err, &pue) {
		return errUnsupported("PNG (" + string(pue) + ")")
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		strings.Contains(msg, "short Huffman data") || strings.Contains(msg, "not enough pixel data") {
		return errTruncated(err)
	}
	return errCorrupt(err)
}
