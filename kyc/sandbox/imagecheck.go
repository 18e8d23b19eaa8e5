package sandbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"hash/fnv"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
)

// Image plausibility rules (documented in doc.go). They are deliberately
// simple and deterministic: the sandbox trains clerks and tests clients, it
// does not detect faces.
const (
	// MinImageSide is the smallest width and height of a plausible image.
	MinImageSide = 100
	// MaxImagePixels bounds what the sandbox will decode (a decompression
	// bomb is implausible, not a reason to allocate gigabytes).
	MaxImagePixels = 50_000_000
	// MinLumaStdDev is the smallest spread of brightness (standard
	// deviation of 8-bit luma over a sample grid) of a plausible photo;
	// below it the image is a blank, a lens cap or a flat colour.
	MinLumaStdDev = 6.0
)

var errBadBase64 = errors.New("not valid base64")

// decodeBase64 accepts standard base64 with or without padding and ignores
// line breaks and spaces (some encoders wrap at 76 columns).
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return nil, errBadBase64
}

// imageVerdict is what the sandbox concludes about one submitted image.
type imageVerdict struct {
	plausible bool
	reason    string // why not, for tests and debugging; never sent
	hash      uint64 // FNV-1a of the decoded bytes: the image's identity
	// card is the registry person whose specimen card the image shows, when asked
	// (judgeCard) and recognised.
	card *Person
}

// judgeImage applies the plausibility rules: the bytes must decode as JPEG
// or PNG (the formats a client sends), be at least MinImageSide on each side
// and at most MaxImagePixels, and not be nearly uniform.
func judgeImage(data []byte) imageVerdict { return judge(data, false) }

// judgeCard is judgeImage that also recognises a specimen card (ID recognize).
func judgeCard(data []byte) imageVerdict { return judge(data, true) }

func judge(data []byte, card bool) imageVerdict {
	v := imageVerdict{hash: hashBytes(data)}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil:
		v.reason = "not a decodable image"
		return v
	case format != "jpeg" && format != "png":
		v.reason = "not JPEG or PNG"
		return v
	case cfg.Width < MinImageSide || cfg.Height < MinImageSide:
		v.reason = "smaller than 100x100"
		return v
	case int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels:
		v.reason = "too many pixels"
		return v
	}
	// Decode with the named decoder only: other packages of the binary may
	// register more formats, and the check above already chose one.
	var img image.Image
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		v.reason = "corrupt image data"
		return v
	}
	if lumaStdDev(img) < MinLumaStdDev {
		v.reason = "nearly uniform"
		return v
	}
	v.plausible = true
	if card {
		if p, ok := recogniseCard(img); ok {
			v.card = &p
		}
	}
	return v
}

// lumaStdDev samples the image on a grid of at most 64x64 points and
// returns the standard deviation of their luma (0-255 scale).
func lumaStdDev(img image.Image) float64 {
	b := img.Bounds()
	const grid = 64
	stepX, stepY := max(1, b.Dx()/grid), max(1, b.Dy()/grid)
	var n, sum, sumSq float64
	for y := b.Min.Y; y < b.Max.Y; y += stepY {
		for x := b.Min.X; x < b.Max.X; x += stepX {
			r, g, bl, _ := img.At(x, y).RGBA() // 16-bit channels
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			n++
			sum += l
			sumSq += l * l
		}
	}
	if n == 0 {
		return 0
	}
	mean := sum / n
	return math.Sqrt(max(0, sumSq/n-mean*mean))
}

func hashBytes(b []byte) uint64 {
	h := fnv.New64a()
	_, _ = h.Write(b)
	return h.Sum64()
}

// selfieScore is the validation's selfie_photo value (0-100). It is
// deterministic in the image and the NIK:
//   - NIK not in the registry: 0 (there is no registry photo);
//   - implausible image: 0-29;
//   - specimen with FaceMismatch: 40-69 (a clear fail);
//   - otherwise: 80-99 (a pass at the usual threshold of 75).
func selfieScore(v imageVerdict, p *Person) int {
	if p == nil {
		return 0
	}
	h := fnv.New64a()
	var buf [8]byte
	for i := range buf {
		buf[i] = byte(v.hash >> (8 * i))
	}
	_, _ = h.Write(buf[:])
	_, _ = h.Write([]byte(p.NIK))
	x := int(h.Sum64() % 30)
	switch {
	case !v.plausible:
		return x // 0-29
	case p.FaceMismatch:
		return 40 + x // 40-69
	default:
		return 80 + x%20 // 80-99
	}
}
