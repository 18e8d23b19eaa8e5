package photo

// Intake limits. They protect the process (a counter PC with little memory) from hostile or
// absurd files; they are not quality judgements (see thresholds.go for those).
const (
	// MaxFileBytes caps the encoded file. A 48 MP phone JPEG is 10–25 MB and a 200 MP one 20–40
	// MB; 40 MB leaves room for high-quality scans while refusing anything that would be silly to
	// send anyway.
	MaxFileBytes = 40_000_000

	// MaxPixels caps width×height read from the header before decoding, for every decoder that
	// materialises the full-resolution image (PNG, WebP, HEIC, and the JPEGs the scaled decoder
	// does not handle). 50 MP covers current 48/50 MP phone sensors.
	MaxPixels     = 50_000_000
	maxPixelsText = "50 MP"

	// MaxPixelsJPEG is the cap for JPEGs that the DCT-scaled decoder (kyc/photo/jpegscale)
	// handles. That decoder never holds the full-resolution image: its memory is bounded by the
	// reduced size (1/8 of each side for a 200 MP photo prepared to 1280 px), so the cap can
	// cover the largest phone sensors (200 MP, 16320×12240) with a little room. Memory is still
	// checked separately against MaxDecodeBytes with the decoder's own estimate.
	MaxPixelsJPEG     = 210_000_000
	maxPixelsJPEGText = "210 MP"

	// MaxSide caps either side: panoramas with absurd aspect ratios make the resampler's
	// per-column tables large for no benefit. A 200 MP sensor's long side is 16320.
	MaxSide = 20_000

	// MaxDecodeBytes caps the estimated memory the chosen decoder needs (planes, or coefficient
	// buffers for progressive JPEG). It is what keeps a 48 MP photo within the ~200 MB peak-RSS
	// goal while still refusing, for example, a 16-bit 40 MP PNG or, on the standard-library
	// fallback, a 48 MP progressive JPEG (whose decoder holds 4 bytes of coefficients per
	// sample).
	MaxDecodeBytes = 256 << 20
)
