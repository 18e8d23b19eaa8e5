package jpegscale

import (
	"image"
	"image/color"
	"io"
)

// DefaultMaxPixels is the source pixel cap used when Options.MaxPixels is 0:
// a little over 250 MP, enough for the largest phone sensors (200 MP).
const DefaultMaxPixels = 256 << 20

// Options control Decode.
type Options struct {
	// Scale is the reduction: 1, 2, 4 or 8 (0 means 1). The output is
	// ceil(width/Scale) × ceil(height/Scale).
	Scale int
	// MaxPixels caps the source width × height declared by the frame header;
	// larger images fail with ErrTooLarge before any pixel memory is
	// allocated. 0 means DefaultMaxPixels.
	MaxPixels int64
	// KeepSubsampling decodes chroma at the same reduced block size as
	// luma, so the output keeps the file's chroma subsampling at every
	// scale (a 4:2:0 file stays 4:2:0). By default subsampled chroma is
	// upsampled in the DCT domain from 1/2 down. Set it when the caller
	// resamples the chroma planes anyway (a resizer reading the planes
	// directly): it saves a quarter of the inverse DCT work and three
	// quarters of the chroma memory and resampling at 4:2:0.
	KeepSubsampling bool
	// OnRows, when set, is called while a baseline (single interleaved
	// scan) image is being decoded, after each row of MCUs: img is the
	// image Decode will return (same planes, still being filled) and its
	// top `rows` rows are final. It lets a caller start resizing before the
	// decode ends. Calls come from one goroutine at a time, in order, and
	// never for progressive, non-interleaved or Adobe RGB files: the caller
	// must handle whatever rows are left when Decode returns. img must only
	// be read, and only above `rows`.
	OnRows func(img image.Image, rows int)
}

// Decode reads a JPEG from r and decodes it at 1/opts.Scale of its size.
//
// The result is an *image.YCbCr, an *image.Gray for greyscale files or an
// *image.RGBA for Adobe RGB files. The YCbCr image keeps whatever chroma
// subsampling remains at the reduced size (subsampled chroma is decoded at a
// larger block size, so a 4:2:0 file gives 4:4:4 from 1/2 down): no
// full-colour copy is made here, because resizers such as
// github.com/disintegration/imaging read *image.YCbCr directly, converting
// row by row inside their own parallel loops, exactly as they would
// image/jpeg's output.
//
// Errors wrap ErrUnsupported (fall back to image/jpeg), ErrTooLarge,
// io.ErrUnexpectedEOF (truncated input) or are a *FormatError.
func Decode(r io.Reader, opts Options) (image.Image, error) {
	return decode(newReaderSource(r), opts)
}

// DecodeBytes is Decode for input already in memory; it avoids a copy.
func DecodeBytes(data []byte, opts Options) (image.Image, error) {
	return decode(newBytesSource(data), opts)
}

func decode(src *source, opts Options) (img image.Image, err error) {
	scale := opts.Scale
	if scale == 0 {
		scale = 1
	}
	if scale != 1 && scale != 2 && scale != 4 && scale != 8 {
		return nil, ErrInvalidScale
	}
	maxPixels := opts.MaxPixels
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	d := &decoder{src: src, scale: scale, n: 8 / scale, maxPixels: maxPixels,
		keepSubsampling: opts.KeepSubsampling, onRows: opts.OnRows}
	defer d.stopWorker()
	if err := d.run(false); err != nil {
		return nil, err
	}
	return d.image()
}

// DecodeConfig returns the colour model and the full (unscaled) dimensions of
// the JPEG in r, reading only up to the frame header. It fails with
// ErrUnsupported for the same files Decode would refuse.
func DecodeConfig(r io.Reader) (image.Config, error) {
	d := &decoder{src: newReaderSource(r), scale: 1, n: 8, maxPixels: 1 << 62}
	if err := d.run(true); err != nil {
		return image.Config{}, err
	}
	return d.config(), nil
}

// Supported checks the header of an in-memory JPEG (up to its frame header)
// and returns nil when Decode can handle it, or the error Decode would give
// (wrapping ErrUnsupported for a file to hand to another decoder).
func Supported(data []byte) error {
	d := &decoder{src: newBytesSource(data), scale: 1, n: 8, maxPixels: 1 << 62}
	return d.run(true)
}

// MemoryNeeded parses the header of an in-memory JPEG and returns how many
// bytes DecodeBytes will allocate at the given scale (planes, coefficient
// store, buffers; within a few kilobytes), so that a caller can refuse a file
// before decoding it. With Options.KeepSubsampling the decode needs at most
// this. Errors are those of Supported.
func MemoryNeeded(data []byte, scale int) (int64, error) {
	if scale != 1 && scale != 2 && scale != 4 && scale != 8 {
		return 0, ErrInvalidScale
	}
	d := &decoder{src: newBytesSource(data), scale: scale, n: 8 / scale, maxPixels: 1 << 62}
	if err := d.run(true); err != nil {
		return 0, err
	}
	return d.memoryNeeded(), nil
}

// ScaleFor returns the largest scale (1, 2, 4 or 8) at which the long edge of
// a srcW × srcH image is still at least targetLongEdge pixels. It returns 1
// when the image is already at or below the target or the target is not
// positive.
func ScaleFor(srcW, srcH, targetLongEdge int) int {
	long := max(srcW, srcH)
	if targetLongEdge <= 0 {
		return 1
	}
	for _, s := range []int{8, 4, 2} {
		if (long+s-1)/s >= targetLongEdge {
			return s
		}
	}
	return 1
}

// ScaledSize returns the size of the image Decode produces at scale.
func ScaledSize(w, h, scale int) (int, int) {
	if scale < 1 {
		scale = 1
	}
	return (w + scale - 1) / scale, (h + scale - 1) / scale
}

func (d *decoder) config() image.Config {
	cfg := image.Config{Width: d.width, Height: d.height, ColorModel: color.YCbCrModel}
	switch {
	case d.ncomp == 1:
		cfg.ColorModel = color.GrayModel
	case d.isRGB():
		cfg.ColorModel = color.RGBAModel
	}
	return cfg
}
