package jpegscale

import (
	"errors"
	"fmt"
)

// ErrUnsupported is wrapped by every error about a valid-looking JPEG that this
// decoder does not handle (arithmetic coding, 12-bit samples, lossless or
// hierarchical frames, CMYK, unusual sampling factors, DNL). Callers should
// fall back to another decoder when errors.Is(err, ErrUnsupported).
var ErrUnsupported = errors.New("jpegscale: unsupported JPEG")

// ErrTooLarge is wrapped when the frame header declares more pixels than
// Options.MaxPixels allows. Nothing proportional to the image is allocated
// before this check.
var ErrTooLarge = errors.New("jpegscale: image too large")

// ErrInvalidScale is returned when Options.Scale is not 1, 2, 4 or 8.
var ErrInvalidScale = errors.New("jpegscale: scale must be 1, 2, 4 or 8")

// FormatError reports malformed JPEG data. Truncated input is reported as an
// error wrapping io.ErrUnexpectedEOF instead.
type FormatError struct {
	Msg string
}

func (e *FormatError) Error() string { return "jpegscale: invalid JPEG: " + e.Msg }

func formatErr(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}
