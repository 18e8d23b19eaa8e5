package photo

// Intake limits. They protect the process (a counter PC with little memory) from hostile or
// absurd files; they are not quality judgements (see thresholds.go for those).
const (
	// MaxFileBytes caps the encoded file. A 48 MP phone JPEG is 10–25 MB; 40 MB leaves room for
	// high-quality scans while refusing anything that would be silly to send anyway.
	MaxFileBytes = 40_000_000

	// MaxPixels caps width×height read from the header before decoding. 50 MP covers current
	// 48/50 MP phone sensors. Issue 8 (DCT-scaled JPEG decoding) may raise it for JPEG, since
	// that decoder never materialises the full-resolution image.
	MaxPixels     = 50_000_000
	maxPixelsText = "50 MP"

	// MaxSide caps either side: panoramas with absurd aspect ratios make the resampler's
	// per-column tables large for no benefit.
	MaxSide = 20_000

	// MaxDecodeBytes caps the estimated memory the chosen decoder needs for the full image
	// (planes, or coefficient buffers for progressive JPEG). It is what keeps a 48 MP photo within
	// the ~200 MB peak-RSS goal while still refusing, for example, a 16-bit 40 MP PNG or a 48 MP
	// progressive JPEG (whose decoder holds 4 bytes of coefficients per sample).
	MaxDecodeBytes = 256 << 20
)
