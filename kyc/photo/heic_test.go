package photo

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"math"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/heif"
	"kycdesk/kyc/photo/heif/heifdec"
	"kycdesk/kyc/photo/heif/heiftest"
)

// HEIC fixtures in testdata, all made from the sample selfie by TestGenerateHEICFixtures (tiles
// encoded by heif-enc, the container written by heiftest):
//
//   - grid-clap-irot.heic: a 3×2 grid of 128×128 tiles holding a 300×220 picture, a clean
//     aperture of 280×200 off centre, irot 1 (a quarter turn anticlockwise), nclx, a thumbnail;
//   - single-odd-imir.heic: one coded image cropped to 251×181 (odd sides), irot 2 then imir;
//   - grid-3x3.heic: the layout of an iPhone-written 1346×1346 file — a 3×3 grid of 512×512
//     tiles whose last row and column are cropped, nclx;
//   - gray.heic: a 256×256 monochrome image;
//   - single.heic: a 512×512 4:2:0 image, no grid, no transform.
var heicFixtures = []struct {
	name          string
	width, height int // upright, after crop and transforms
	orientation   int
}{
	{"grid-clap-irot.heic", 200, 280, 8},
	{"single-odd-imir.heic", 251, 181, 4},
	{"grid-3x3.heic", 1346, 1346, 1},
	{"gray.heic", 256, 256, 1},
	{"single.heic", 512, 512, 1},
}

// TestGenerateHEICFixtures rewrites the HEIC fixtures when PHOTO_GEN_HEIC=1 (needs heif-enc);
// otherwise it is skipped.
func TestGenerateHEICFixtures(t *testing.T) {
	if os.Getenv("PHOTO_GEN_HEIC") == "" {
		t.Skip("set PHOTO_GEN_HEIC=1 to rewrite testdata/grid-clap-irot.heic and single-odd-imir.heic")
	}
	a := astronaut(t)
	frame := imaging.Resize(imaging.Crop(a, image.Rect(60, 20, 470, 320)), 300, 220, imaging.Lanczos)
	tiles, cols, rows := heiftest.Tiles(frame, 128, 128)
	coded, err := heiftest.Encode(tiles, 70, 2)
	if err != nil {
		t.Fatal(err)
	}
	thumb, err := heiftest.Encode([]image.Image{imaging.Resize(frame, 96, 70, imaging.Lanczos)}, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	// 280×200 centred 3 px left and 2 px down of the picture's centre.
	clap := [8]int32{280, 1, 200, 1, -3, 1, 2, 1}
	g := heiftest.Grid{Width: 300, Height: 220, Columns: cols, Rows: rows, Tiles: coded, Rotation: 1,
		MirrorAxis: -1, Clap: &clap, NCLX: true, Thumbnail: &thumb[0]}
	if err := os.WriteFile("testdata/grid-clap-irot.heic", g.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	odd := imaging.Resize(imaging.Crop(a, image.Rect(100, 40, 400, 260)), 251, 181, imaging.Lanczos)
	one, err := heiftest.Encode([]image.Image{odd}, 70, 1)
	if err != nil {
		t.Fatal(err)
	}
	// x265 codes even sides only: the 251×181 picture is a clean aperture of the 252×182 coding.
	oddClap := [8]int32{251, 1, 181, 1, -1, 2, -1, 2}
	s := heiftest.Grid{Single: true, Tiles: one, Rotation: 2, MirrorAxis: 0, Clap: &oddClap}
	if err := os.WriteFile("testdata/single-odd-imir.heic", s.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	big := imaging.Resize(a, 1346, 1346, imaging.Lanczos)
	tiles3, cols3, rows3 := heiftest.Tiles(big, 512, 512)
	coded3, err := heiftest.Encode(tiles3, 45, 2)
	if err != nil {
		t.Fatal(err)
	}
	g3 := heiftest.Grid{Width: 1346, Height: 1346, Columns: cols3, Rows: rows3, Tiles: coded3, MirrorAxis: -1, NCLX: true}
	if err := os.WriteFile("testdata/grid-3x3.heic", g3.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	grey := image.NewGray(image.Rect(0, 0, 256, 256))
	draw.Draw(grey, grey.Rect, imaging.Resize(a, 256, 256, imaging.Lanczos), image.Point{}, draw.Src)
	mono, err := heiftest.Encode([]image.Image{grey}, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/gray.heic", heiftest.Grid{Single: true, Tiles: mono, MirrorAxis: -1}.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	colour, err := heiftest.Encode([]image.Image{a}, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/single.heic", heiftest.Grid{Single: true, Tiles: colour, MirrorAxis: -1}.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// heicBackends are the tile decoders to test: WASM always, native when the system has libheif.
func heicBackends(t *testing.T) map[string]heifdec.Decoder {
	bs := map[string]heifdec.Decoder{"wasm": heifdec.WASM()}
	if d, err := heifdec.Native(); err == nil {
		bs["native"] = d
	} else {
		t.Logf("native libheif not available: %v", err)
	}
	return bs
}

// withDecoder makes decodeHEIC use d for the rest of the test.
func withDecoder(t *testing.T, d heifdec.Decoder) {
	orig := heicDecoder
	heicDecoder = func() heifdec.Decoder { return d }
	t.Cleanup(func() { heicDecoder = orig })
}

// uprightHEIC runs intake's HEIC path at full size: header, tiles, crop, orientation.
func uprightHEIC(t *testing.T, data []byte) image.Image {
	t.Helper()
	h, err := readHeader(data, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	img, err := decodeDownscale(context.Background(), data, h, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return orientImage(img, h.orientation)
}

// TestHEICMatchesLibheif: decoding tile by tile, cropping and turning the picture ourselves gives
// the same picture as libheif decoding the whole file (which applies clap, irot and imir itself),
// with either backend.
func TestHEICMatchesLibheif(t *testing.T) {
	native, nerr := heifdec.Native()
	for _, fx := range heicFixtures {
		data := readFile(t, fx.name)
		var ref *heifdec.Picture
		if nerr == nil {
			var err error
			if ref, err = native.Decode(data); err != nil {
				t.Fatalf("%s: libheif: %v", fx.name, err)
			}
			defer ref.Release()
		}
		for name, d := range heicBackends(t) {
			t.Run(fx.name+"/"+name, func(t *testing.T) {
				withDecoder(t, d)
				got := uprightHEIC(t, data)
				if b := got.Bounds(); b.Dx() != fx.width || b.Dy() != fx.height {
					t.Fatalf("upright size %v, want %d×%d", b.Size(), fx.width, fx.height)
				}
				if ref == nil {
					t.Skip("no system libheif to compare with")
				}
				if ref.Width != fx.width || ref.Height != fx.height {
					t.Fatalf("libheif gives %d×%d", ref.Width, ref.Height)
				}
				if psnr := lumaPSNR(got, ref); psnr < 50 {
					t.Errorf("luma PSNR against libheif %.1f dB, want ≥ 50 (identical but for rounding)", psnr)
				}
			})
		}
	}
}

// lumaPSNR compares img's luma with a decoded picture's Y plane.
func lumaPSNR(img image.Image, ref *heifdec.Picture) float64 {
	g := greyFull(img)
	var se float64
	for y := 0; y < ref.Height; y++ {
		for x := 0; x < ref.Width; x++ {
			d := float64(g.Pix[y*g.Stride+x]) - float64(ref.Y[y*ref.YStride+x])
			se += d * d
		}
	}
	mse := se / float64(ref.Width*ref.Height)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

// greyFull is the luma of a prepared image at its own size (lumaOf, copying nothing).
func greyFull(img image.Image) *image.Gray {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
	case *image.Gray:
		return m
	}
	rgba := boxShrink(img, 1)
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for i := 0; i < b.Dx()*b.Dy(); i++ {
		r, gg, bb := uint32(rgba.Pix[4*i]), uint32(rgba.Pix[4*i+1]), uint32(rgba.Pix[4*i+2])
		g.Pix[i] = uint8((19595*r + 38470*gg + 7471*bb + 1<<15) >> 16)
	}
	return g
}

// TestHEICBackendsAgree: both backends decode the 3×3 grid's tiles to the same picture. Luma
// is identical but for a few levels here and there (Debian's libde265 1.0.11 and the module's
// 1.0.15 differ on some tiles, on 1–2 % of the samples, by at most 7: 0.03 levels on average);
// chroma differs by a fraction of a level on average, because the module's libheif 1.18
// resamples it once more.
func TestHEICBackendsAgree(t *testing.T) {
	bs := heicBackends(t)
	if len(bs) < 2 {
		t.Skip("needs the system libheif too")
	}
	data := readFile(t, "grid-3x3.heic")
	f, err := heif.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.Primary()
	if err != nil {
		t.Fatal(err)
	}
	// diff returns the samples that differ, the largest difference and the mean absolute one.
	diff := func(a, b []byte, sa, sb, w, h int) (n, worst int, mean float64) {
		var sum int
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if d := int(a[y*sa+x]) - int(b[y*sb+x]); d != 0 {
					n++
					worst = max(worst, d, -d)
					sum += max(d, -d)
				}
			}
		}
		return n, worst, float64(sum) / float64(w*h)
	}
	for _, id := range l.Tiles {
		file, err := f.CodedFile(id)
		if err != nil {
			t.Fatal(err)
		}
		a, err := bs["native"].Decode(file)
		if err != nil {
			t.Fatal(err)
		}
		b, err := bs["wasm"].Decode(file)
		if err != nil {
			t.Fatal(err)
		}
		// Only the part of a tile inside the picture counts (the last column and row are padding).
		i := slices.Index(l.Tiles, id)
		vw := min(a.Width, l.Width-(i%l.Columns)*l.TileWidth)
		vh := min(a.Height, l.Height-(i/l.Columns)*l.TileHeight)
		if n, worst, mean := diff(a.Y, b.Y, a.YStride, b.YStride, vw, vh); worst > 12 || mean > 0.1 {
			t.Errorf("tile %d: %d luma samples differ, by up to %d (mean %.3f)", id, n, worst, mean)
		}
		cw, ch := a.ChromaSize()
		for i, pl := range [][2][]byte{{a.Cb, b.Cb}, {a.Cr, b.Cr}} {
			if _, _, mean := diff(pl[0], pl[1], a.CStride, b.CStride, cw, ch); mean > 0.5 {
				t.Errorf("tile %d chroma %d: mean difference %.2f levels", id, i, mean)
			}
		}
		a.Release()
		b.Release()
	}
}

// TestHEICPrepare: a phone-like HEIC prepares like any photo — upright, per-kind size, checks —
// with progress reported tile by tile and a preview from the thumbnail.
func TestHEICPrepare(t *testing.T) {
	data := readFile(t, "grid-clap-irot.heic")
	var mu sync.Mutex
	var reports []Progress
	ctx := WithProgress(context.Background(), func(p Progress) {
		mu.Lock()
		reports = append(reports, p)
		mu.Unlock()
	})
	p, err := Prepare(ctx, data, KindSelfie)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 200 || p.Height != 280 || p.Source.Format != FormatHEIC || p.Source.Width != 200 || p.Source.Orientation != 8 {
		t.Errorf("prepared %d×%d from %+v", p.Width, p.Height, p.Source)
	}
	assertOutput(t, p, KindSelfie)
	if len(reports) != 6+1+2 { // the preview, 6 tiles, finish start and end
		t.Fatalf("%d reports: %+v", len(reports), reports)
	}
	if r := reports[0]; r.Preview == nil || r.Preview.Bounds().Dx() != 70 || r.Preview.Bounds().Dy() != 96 || r.Stage != StageDecode {
		t.Errorf("first report %+v: want the upright 70×96 thumbnail", r)
	}
	last := 0.0
	for i, r := range reports {
		if f := r.Fraction(); f < last || f > 1 {
			t.Errorf("report %d: fraction %.2f after %.2f", i, f, last)
		} else {
			last = f
		}
	}
	if r := reports[6]; r.Stage != StageDecode || r.Done != 6 || r.Total != 6 {
		t.Errorf("last tile report %+v", r)
	}
}

// TestHEICCancel: cancelling while the tiles decode stops within a tile or two and returns the
// context's error.
func TestHEICCancel(t *testing.T) {
	data := readFile(t, "grid-3x3.heic")
	for name, d := range heicBackends(t) {
		t.Run(name, func(t *testing.T) {
			withDecoder(t, d)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var at time.Time
			ctx = WithProgress(ctx, func(p Progress) {
				if p.Stage == StageDecode && p.Done == 2 {
					at = time.Now()
					cancel()
				}
			})
			_, err := Prepare(ctx, data, KindSelfie)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if at.IsZero() {
				t.Fatal("never reached tile 2")
			}
			// At most the tiles already being decoded finish: well under a second per tile.
			if el := time.Since(at); el > 3*time.Second {
				t.Errorf("returned %v after the cancel", el)
			}
		})
	}
}

// TestHEICBroken: truncated or corrupt tiles are errors, never half-grey pictures.
func TestHEICBroken(t *testing.T) {
	data := readFile(t, "grid-3x3.heic")
	for name, d := range heicBackends(t) {
		t.Run(name, func(t *testing.T) {
			withDecoder(t, d)
			if _, err := Prepare(context.Background(), data[:len(data)*2/3], KindSelfie); !errors.Is(err, ErrTruncated) {
				t.Errorf("two thirds of the file: %v, want truncated", err)
			}
			bad := append([]byte(nil), data...)
			for i := len(bad) / 2; i < len(bad)/2+4000; i++ { // garble the middle of the tile data
				bad[i] ^= 0x5a
			}
			if p, err := Prepare(context.Background(), bad, KindSelfie); err == nil {
				// libde265 conceals some damage: then the output must still be a valid photo.
				assertOutput(t, p, KindSelfie)
			} else if !errors.Is(err, ErrCorrupt) {
				t.Errorf("garbled tiles: %v, want corrupt", err)
			}
		})
	}
}

func TestHEICDecoderName(t *testing.T) {
	name, native := HEICDecoder()
	_, nerr := heifdec.Native()
	if name == "" || native != (nerr == nil && os.Getenv(heifdec.EnvBackend) != "wasm") {
		t.Errorf("HEICDecoder() = %q, %v (native error %v)", name, native, nerr)
	}
	WarmHEIC() // returns at once
}

// A HEIC coded in video range (luma 16–235: what most encoders but Apple's write, often without
// an nclx box, the HEVC VUI saying so or saying nothing) comes out in full range with either
// decoder: libheif 1.15 expands it itself, libheif 1.18 in WebAssembly hands the samples over as
// coded and the shrinker's tables expand them. (The WebAssembly decoder's photos were grey and
// flat before: a real 1440×960 phone HEIC's mean luma 71.8 against 65.5.)
func TestHEICVideoRange(t *testing.T) {
	data := readFile(t, "video-range.heic")
	h, err := readHeader(data, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if !h.layout.LimitedRange || !h.layout.CodedLimitedRange {
		t.Fatalf("video range not recognised: %+v", h.layout)
	}
	for name, d := range heicBackends(t) {
		withDecoder(t, d)
		img := uprightHEIC(t, data)
		luma := func(y int) int { r, g, b, _ := img.At(32, y).RGBA(); return int((299*r + 587*g + 114*b) / 1000 >> 8) }
		// The coded samples run from ≈ 45 to ≈ 205; in full range that is ≈ 34 to ≈ 221.
		if top, bottom := luma(2), luma(61); top < 28 || top > 40 || bottom < 214 || bottom > 228 {
			t.Errorf("%s: luma %d at the top and %d at the bottom, want ≈ 34 and ≈ 221 (full range)", name, top, bottom)
		}
	}
	// Full-range files are left as they are (the iPhone-like fixtures).
	h, err = readHeader(readFile(t, "grid-3x3.heic"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if h.layout.LimitedRange || rangeLUTs(h.layout, heifdec.WASM()) != nil {
		t.Error("a full-range file would be expanded")
	}
}
