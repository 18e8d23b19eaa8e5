package photo

import "errors"

// jpegHead is what the marker walk learns before any pixel is decoded.
type jpegHead struct {
	width, height int
	components    int
	hmax, vmax    int
	sampling      [4][2]int // per component: horizontal, vertical factor
	progressive   bool
	orientation   int // EXIF orientation 1..8 (1 when absent or invalid)
}

var (
	errNoFrame       = errors.New("no frame header before the image data")
	errBadSegment    = errors.New("bad segment length")
	errBadFrame      = errors.New("bad frame header")
	errJPEGTruncated = errors.New("file ends inside the headers")
)

// scanJPEG walks the marker segments up to the first scan (SOS). Every length is checked against
// the buffer, so hostile input can only make it stop early. Like libjpeg and Go's decoder it
// tolerates junk bytes between segments.
func scanJPEG(b []byte) (jpegHead, error) {
	h := jpegHead{orientation: 1}
	sawFrame, sawExif := false, false
	i := 2 // after SOI
	for {
		// Find the next 0xFF, then skip fill bytes.
		for i < len(b) && b[i] != 0xFF {
			i++
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return h, errTruncated(errJPEGTruncated)
		}
		m := b[i]
		i++
		switch {
		case m == 0x00 || m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7):
			continue // stuffed byte, TEM, SOI, RSTn: no payload
		case m == 0xD9: // EOI before any scan
			if !sawFrame {
				return h, errCorrupt(errNoFrame)
			}
			return h, errTruncated(errJPEGTruncated)
		}
		if i+2 > len(b) {
			return h, errTruncated(errJPEGTruncated)
		}
		n := int(be16(b[i:]))
		if n < 2 {
			return h, errCorrupt(errBadSegment)
		}
		if i+n > len(b) {
			return h, errTruncated(errJPEGTruncated)
		}
		seg := b[i+2 : i+n]
		i += n
		switch {
		case m == 0xDA: // SOS: headers are over
			if !sawFrame {
				return h, errCorrupt(errNoFrame)
			}
			return h, nil
		case m == 0xE1 && !sawExif && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00":
			sawExif = true // only the first Exif APP1 counts (later ones are often XMP-like junk)
			h.orientation = exifOrientation(seg[6:])
		case m == 0xC0 || m == 0xC1 || m == 0xC2:
			if sawFrame {
				return h, errCorrupt(errors.New("more than one frame header"))
			}
			if err := h.parseSOF(seg, m == 0xC2); err != nil {
				return h, err
			}
			sawFrame = true
		case m >= 0xC3 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			// Lossless, hierarchical or arithmetic-coded: valid JPEG, but nothing on a phone
			// produces it and the standard decoder does not read it.
			return h, errUnsupported("JPEG (lossless/arithmetic)")
		}
	}
}

func (h *jpegHead) parseSOF(seg []byte, progressive bool) error {
	if len(seg) < 6 {
		return errCorrupt(errBadFrame)
	}
	if seg[0] != 8 {
		return errUnsupported("JPEG (12-bit)")
	}
	h.height, h.width = int(be16(seg[1:])), int(be16(seg[3:]))
	h.components = int(seg[5])
	h.progressive = progressive
	if h.width == 0 || h.height == 0 {
		return errCorrupt(errBadFrame) // DNL-defined height: not supported by any decoder we use
	}
	if h.components != 1 && h.components != 3 && h.components != 4 {
		return errCorrupt(errBadFrame)
	}
	if len(seg) < 6+3*h.components {
		return errCorrupt(errBadFrame)
	}
	h.hmax, h.vmax = 1, 1
	for c := 0; c < h.components; c++ {
		hs, vs := int(seg[7+3*c]>>4), int(seg[7+3*c]&0x0F)
		if hs < 1 || hs > 4 || vs < 1 || vs > 4 {
			return errCorrupt(errBadFrame)
		}
		h.sampling[c] = [2]int{hs, vs}
		h.hmax, h.vmax = max(h.hmax, hs), max(h.vmax, vs)
	}
	return nil
}

// decodeBytes estimates what image/jpeg allocates for this frame: one byte per stored sample,
// plus (progressive) an int32 per coefficient held until the last scan, plus (CMYK) the final
// conversion to image.CMYK.
func (h *jpegHead) decodeBytes() int64 {
	px := int64(h.width) * int64(h.height)
	var samples int64
	for c := 0; c < h.components; c++ {
		samples += px * int64(h.sampling[c][0]*h.sampling[c][1]) / int64(h.hmax*h.vmax)
	}
	total := samples
	if h.progressive {
		total += 4 * samples
	}
	if h.components == 4 {
		total += 4 * px
	}
	return total
}
