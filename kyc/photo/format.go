package photo

import "bytes"

// Format is an accepted input format, detected from the file's magic bytes (never its name: a
// clerk's "KTP.jpg" may well be a PNG screenshot or an iPhone HEIC renamed by a messaging app).
type Format string

// Accepted formats.
const (
	FormatJPEG Format = "jpeg"
	FormatPNG  Format = "png"
	FormatWebP Format = "webp"
	FormatHEIC Format = "heic"
)

// sniff identifies the container from the first bytes. For a recognised but unsupported format it
// returns that format's name in the error so the clerk learns what they actually picked.
func sniff(b []byte) (Format, error) {
	switch {
	case len(b) == 0:
		return "", newError(CodeEmpty, "Berkas kosong.", "The file is empty.", nil)
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG, nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG, nil
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return FormatWebP, nil
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffFtyp(b)
	}
	return "", errUnsupported(otherFormatName(b))
}

// sniffFtyp sorts ISO-BMFF files: HEIC/HEIF stills are accepted; AVIF, MP4/MOV videos and
// camera raw containers share the box structure and are refused by name.
func sniffFtyp(b []byte) (Format, error) {
	size := int(be32(b[0:4]))
	if size < 16 || size > len(b) || size > 4096 {
		size = min(len(b), 64) // malformed ftyp length: still look at the brands we have
	}
	major := string(b[8:12])
	brands := []string{major}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(b[i:i+4]))
	}
	has := func(names ...string) bool {
		for _, br := range brands {
			for _, n := range names {
				if br == n {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("heic", "heix", "heim", "heis", "hevc", "hevx"):
		return FormatHEIC, nil
	case has("avif", "avis"):
		return "", errUnsupported("AVIF")
	case has("mif1", "msf1"):
		// Generic HEIF brand without a codec brand: libheif decides; most such files are HEVC.
		return FormatHEIC, nil
	case has("crx "):
		return "", errUnsupported("Canon RAW (CR3)")
	case has("qt  ", "isom", "iso2", "mp41", "mp42", "3gp4", "3gp5", "M4V "):
		return "", errUnsupported("video (MP4/MOV)")
	}
	return "", errUnsupported("")
}

func otherFormatName(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "GIF"
	case bytes.HasPrefix(b, []byte("BM")):
		return "BMP"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "TIFF/RAW"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "PDF"
	case bytes.HasPrefix(b, []byte{0xFF, 0x0A}), bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return "JPEG XL"
	case bytes.HasPrefix(b, []byte{0xFF, 0x4F, 0xFF, 0x51}), bytes.HasPrefix(b, []byte("\x00\x00\x00\x0cjP  ")):
		return "JPEG 2000"
	}
	return ""
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
