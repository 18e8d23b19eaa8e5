package photo

import (
	"errors"
	"fmt"
)

// Code names why an image was refused. Codes are stable: the CLI prints them and the GUI maps them
// to help text, so never rename one.
type Code string

// Intake error codes.
const (
	CodeUnsupportedFormat Code = "unsupported_format"
	CodeTooLargeFile      Code = "too_large_file"
	CodeTooManyPixels     Code = "too_many_pixels"
	CodeTruncated         Code = "truncated"
	CodeCorrupt           Code = "corrupt"
	CodeEmpty             Code = "empty_file"
	CodeUnreadable        Code = "unreadable"  // the file could not be opened or read
	CodeOverBudget        Code = "over_budget" // no quality/size fits the byte budget (pathological content)
	CodeInternal          Code = "internal"    // a bug: an encoder failed on a valid image
)

// Error is every error this package returns about an image (context cancellation is returned as the
// context's own error). It carries a bilingual message for the clerk and never any personal data:
// no file path, no pixel data, no EXIF content.
type Error struct {
	Code      Code
	MessageID string // Bahasa Indonesia
	MessageEN string // English
	Err       error  // underlying cause, may be nil
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("photo: %s: %v", e.MessageEN, e.Err)
	}
	return "photo: " + e.MessageEN
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, photo.ErrTruncated) true for any *Error with the same Code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code
	}
	return false
}

// Sentinels for errors.Is. Compare by code; the returned errors carry fuller messages.
var (
	ErrUnsupportedFormat = &Error{Code: CodeUnsupportedFormat, MessageEN: "unsupported image format"}
	ErrTooLargeFile      = &Error{Code: CodeTooLargeFile, MessageEN: "file too large"}
	ErrTooManyPixels     = &Error{Code: CodeTooManyPixels, MessageEN: "image has too many pixels"}
	ErrTruncated         = &Error{Code: CodeTruncated, MessageEN: "image file is truncated"}
	ErrCorrupt           = &Error{Code: CodeCorrupt, MessageEN: "image file is corrupt"}
	ErrEmpty             = &Error{Code: CodeEmpty, MessageEN: "file is empty"}
	ErrUnreadable        = &Error{Code: CodeUnreadable, MessageEN: "file cannot be read"}
	ErrOverBudget        = &Error{Code: CodeOverBudget, MessageEN: "image cannot be compressed within the size budget"}
	ErrInternal          = &Error{Code: CodeInternal, MessageEN: "internal error while preparing the image"}
)

func newError(code Code, id, en string, cause error) *Error {
	return &Error{Code: code, MessageID: id, MessageEN: en, Err: cause}
}

// supportedList is shown in every unsupported-format message so the clerk knows what to use.
const supportedList = "JPEG, PNG, WebP, HEIC/HEIF"

func errUnsupported(detected string) *Error {
	if detected == "" {
		return newError(CodeUnsupportedFormat,
			"Format gambar tidak dikenali. Gunakan "+supportedList+".",
			"Unrecognised image format. Use "+supportedList+".", nil)
	}
	return newError(CodeUnsupportedFormat,
		"Format "+detected+" tidak didukung. Gunakan "+supportedList+".",
		detected+" is not supported. Use "+supportedList+".", nil)
}

func errTooLargeFile(size, limit int64) *Error {
	return newError(CodeTooLargeFile,
		fmt.Sprintf("Berkas terlalu besar (%.1f MB; maksimum %d MB).", float64(size)/1e6, limit/1e6),
		fmt.Sprintf("File too large (%.1f MB; the maximum is %d MB).", float64(size)/1e6, limit/1e6), nil)
}

func errTooManyPixels(w, h int, why string) *Error {
	mp := float64(w) * float64(h) / 1e6
	return newError(CodeTooManyPixels,
		fmt.Sprintf("Gambar terlalu besar (%d×%d, %.0f MP; %s). Kecilkan resolusi kamera atau ambil ulang.", w, h, mp, whyID[why]),
		fmt.Sprintf("Image too large (%d×%d, %.0f MP; %s). Lower the camera resolution or retake it.", w, h, mp, why), nil)
}

var whyID = map[string]string{
	reasonPixels:      "maksimum " + maxPixelsText,
	reasonPixelsJPEG:  "maksimum " + maxPixelsJPEGText + " untuk JPEG",
	reasonPixelsOther: "maksimum " + maxPixelsText + " untuk jenis JPEG ini",
	reasonMemory:      "butuh terlalu banyak memori untuk dibuka",
	reasonSide:        "sisi terlalu panjang",
}

const (
	reasonPixels     = "the maximum is " + maxPixelsText
	reasonPixelsJPEG = "the maximum is " + maxPixelsJPEGText + " for JPEG"
	// reasonPixelsOther: a JPEG variant the scaled decoder does not read (CMYK, unusual
	// sampling) goes to the full-size decoder and its smaller cap.
	reasonPixelsOther = "the maximum is " + maxPixelsText + " for this kind of JPEG"
	reasonMemory      = "it needs too much memory to open"
	reasonSide        = "a side is too long"
)

func errTruncated(cause error) *Error {
	return newError(CodeTruncated,
		"Berkas gambar terpotong (tidak lengkap). Salin ulang atau ambil foto lagi.",
		"The image file is truncated (incomplete). Copy it again or retake the photo.", cause)
}

func errCorrupt(cause error) *Error {
	return newError(CodeCorrupt,
		"Berkas gambar rusak dan tidak dapat dibuka.",
		"The image file is corrupt and cannot be opened.", cause)
}
