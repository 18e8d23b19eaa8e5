package photo

import (
	"image"

	"github.com/disintegration/imaging"
)

// Images that arrive fully decoded — PNG and WebP files, JPEGs the DCT-scaled decoder does not
// read (CMYK, unusual sampling), camera stills and pasted images — take the imaging path
// (github.com/disintegration/imaging, the product brief's choice): imaging.Fit with Lanczos,
// imaging's orientation transforms, imaging.Encode. JPEGs that jpegscale reads keep their own
// path (DCT-scaled decode, planar Lanczos: 3–5× faster than imaging on 12–48 MP), and so do HEICs
// (tile by tile into a planar shrinker: the full-size picture never exists, which imaging would
// need). BenchmarkImagingPath measures this path's cost.

// fitImaging resizes src to fit a long edge of target (never enlarging: a smaller image is only
// converted) and flattens any transparency onto white, as a card scanned to a transparent PNG
// would look on paper.
func fitImaging(src image.Image, target int) *image.NRGBA {
	b := src.Bounds()
	var out *image.NRGBA
	if b.Dx() <= target && b.Dy() <= target {
		out = imaging.Clone(src)
	} else {
		out = imaging.Fit(src, target, target, imaging.Lanczos)
	}
	if !out.Opaque() {
		flattenOnWhite(out)
	}
	return out
}

// flattenOnWhite composites a non-premultiplied image over white, in place.
func flattenOnWhite(m *image.NRGBA) {
	for y := 0; y < m.Rect.Dy(); y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*m.Rect.Dx()]
		for i := 0; i < len(row); i += 4 {
			a := uint32(row[i+3])
			if a == 0xFF {
				continue
			}
			w := 255 * (255 - a)
			row[i] = uint8((uint32(row[i])*a + w + 127) / 255)
			row[i+1] = uint8((uint32(row[i+1])*a + w + 127) / 255)
			row[i+2] = uint8((uint32(row[i+2])*a + w + 127) / 255)
			row[i+3] = 0xFF
		}
	}
}

// orientImaging applies an EXIF orientation with imaging's transforms.
func orientImaging(src *image.NRGBA, o int) *image.NRGBA {
	switch o {
	case 2:
		return imaging.FlipH(src)
	case 3:
		return imaging.Rotate180(src)
	case 4:
		return imaging.FlipV(src)
	case 5:
		return imaging.Transpose(src)
	case 6:
		return imaging.Rotate270(src) // imaging turns anticlockwise: 270° is a quarter turn clockwise
	case 7:
		return imaging.Transverse(src)
	case 8:
		return imaging.Rotate90(src)
	}
	return src
}
