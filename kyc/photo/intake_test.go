package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/heif"
	"kycdesk/kyc/photo/heif/heiftest"
)

func TestFormats(t *testing.T) {
	ctx := context.Background()
	small := imaging.Resize(astronaut(t), 96, 96, imaging.Lanczos)
	cases := []struct {
		name   string
		data   []byte
		format Format
		w, h   int
	}{
		{"jpeg baseline", encJPEG(t, astronaut(t), 90), FormatJPEG, 512, 512},
		{"jpeg progressive", readFile(t, "video-001.progressive.jpeg"), FormatJPEG, 150, 103},
		{"jpeg 4:2:2", readFile(t, "video-001.q50.422.jpeg"), FormatJPEG, 150, 103},
		{"jpeg cmyk", readFile(t, "video-001.cmyk.jpeg"), FormatJPEG, 150, 103},
		{"jpeg grey", readFile(t, "video-005.gray.jpeg"), FormatJPEG, 150, 103},
		{"png rgba", encPNG(t, astronaut(t)), FormatPNG, 512, 512},
		{"png grey", encPNG(t, imaging.Grayscale(small)), FormatPNG, 96, 96},
		{"webp lossy", readFile(t, "blue-purple-pink.lossy.webp"), FormatWebP, 0, 0},
		{"webp lossless", readFile(t, "gopher-doc.8bpp.lossless.webp"), FormatWebP, 0, 0},
		{"heic", readFile(t, "single.heic"), FormatHEIC, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Prepare(ctx, c.data, KindSelfie)
			if err != nil {
				t.Fatal(err)
			}
			if p.Source.Format != c.format {
				t.Errorf("format %q, want %q", p.Source.Format, c.format)
			}
			if c.w > 0 && (p.Width != c.w || p.Height != c.h) {
				t.Errorf("size %dx%d, want %dx%d (never upscale, keep size)", p.Width, p.Height, c.w, c.h)
			}
			assertOutput(t, p, KindSelfie)
		})
	}
}

// assertOutput checks the invariants of every prepared image.
func assertOutput(t *testing.T, p *Prepared, kind Kind) {
	t.Helper()
	tg := TargetFor(kind)
	if len(p.JPEG) > tg.MaxBytes || len(p.JPEG) == 0 {
		t.Errorf("JPEG is %d bytes, budget %d", len(p.JPEG), tg.MaxBytes)
	}
	if p.Quality < QualityMin || p.Quality > QualityMax {
		t.Errorf("quality %d outside [%d,%d]", p.Quality, QualityMin, QualityMax)
	}
	if max(p.Width, p.Height) > tg.LongEdge {
		t.Errorf("long edge %d > %d", max(p.Width, p.Height), tg.LongEdge)
	}
	j := p.JPEG
	if len(j) < 4 || j[0] != 0xFF || j[1] != 0xD8 {
		t.Fatal("not a JPEG")
	}
	// Walk the markers: no APPn/COM (no metadata), SOF0 (baseline) with 3 components 4:2:0.
	for i := 2; i+4 <= len(j); {
		m, n := j[i+1], int(binary.BigEndian.Uint16(j[i+2:]))
		if (m >= 0xE0 && m <= 0xEF) || m == 0xFE {
			t.Errorf("metadata segment 0xFF%02X in output", m)
		}
		if m >= 0xC1 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			t.Errorf("non-baseline frame 0xFF%02X", m)
		}
		if m == 0xC0 {
			seg := j[i+4:]
			if seg[5] != 3 || seg[7] != 0x22 || seg[10] != 0x11 || seg[13] != 0x11 {
				t.Errorf("frame is not 3-component 4:2:0: % x", seg[:15])
			}
		}
		if m == 0xDA {
			break
		}
		i += 2 + n
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(j))
	if err != nil || cfg.Width != p.Width || cfg.Height != p.Height {
		t.Errorf("output decodes as %+v, %v", cfg, err)
	}
	b64 := p.Base64()
	if strings.ContainsAny(b64, "\r\n-_") {
		t.Error("base64 must be the standard alphabet without line breaks")
	}
}

func TestPrepareDownscalesToTarget(t *testing.T) {
	for _, kind := range []Kind{KindID, KindSelfie} {
		img := imaging.Resize(cleanCard(t), 3000, 0, imaging.Box)
		p, err := Prepare(context.Background(), encJPEG(t, img, 85), kind)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := max(p.Width, p.Height), TargetFor(kind).LongEdge; got != want {
			t.Errorf("%v: long edge %d, want %d", kind, got, want)
		}
		if p.Source.Width != 3000 || p.Elapsed <= 0 {
			t.Errorf("source %+v elapsed %v", p.Source, p.Elapsed)
		}
		assertOutput(t, p, kind)
	}
}

// TestOrientation: a tiny JPEG with four coloured quadrants and each of the 8 EXIF orientations
// must come out as the same picture turned upright (imaging's transforms are the oracle).
func TestOrientation(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 64, 32))
	quad := []color.NRGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 0, 255}}
	for y := 0; y < 32; y++ {
		for x := 0; x < 64; x++ {
			src.SetNRGBA(x, y, quad[x/32+2*(y/16)])
		}
	}
	oracle := map[int]func(image.Image) *image.NRGBA{
		1: imaging.Clone, 2: imaging.FlipH, 3: imaging.Rotate180, 4: imaging.FlipV,
		5: imaging.Transpose, 6: imaging.Rotate270, 7: imaging.Transverse, 8: imaging.Rotate90,
	}
	base := encJPEG(t, src, 95)
	for o := 1; o <= 8; o++ {
		for _, order := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
			p, err := Prepare(context.Background(), withOrientation(base, o, order), KindSelfie)
			if err != nil {
				t.Fatal(err)
			}
			if p.Source.Orientation != o {
				t.Errorf("orientation read as %d, want %d", p.Source.Orientation, o)
			}
			got, err := jpeg.Decode(bytes.NewReader(p.JPEG))
			if err != nil {
				t.Fatal(err)
			}
			want := oracle[o](src)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("o=%d: bounds %v, want %v", o, got.Bounds(), want.Bounds())
			}
			for _, pt := range []image.Point{{4, 4}, {want.Rect.Dx() - 5, 4}, {4, want.Rect.Dy() - 5}, {want.Rect.Dx() - 5, want.Rect.Dy() - 5}} {
				if !near(got.At(pt.X, pt.Y), want.At(pt.X, pt.Y)) {
					t.Errorf("o=%d at %v: got %v want %v", o, pt, got.At(pt.X, pt.Y), want.At(pt.X, pt.Y))
				}
			}
		}
	}
}

func near(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return x>>8 > y>>8+60 || y>>8 > x>>8+60 }
	return !d(ar, br) && !d(ag, bg) && !d(ab, bb)
}

func TestEXIFParserIsDefensive(t *testing.T) {
	le := binary.LittleEndian
	good := withOrientation([]byte{0xFF, 0xD8}, 6, le)[2+4+6:] // TIFF block only
	cases := map[string][]byte{
		"empty":          nil,
		"bad order":      append([]byte("XX"), good[2:]...),
		"bad magic":      append(append([]byte{}, good[:2]...), append([]byte{0, 0}, good[4:]...)...),
		"offset too far": func() []byte { b := bytes.Clone(good); le.PutUint32(b[4:], 9999); return b }(),
		"huge count":     func() []byte { b := bytes.Clone(good); le.PutUint16(b[8:], 65535); return b }()[:12],
		"bad value":      func() []byte { b := bytes.Clone(good); le.PutUint16(b[18:], 9); return b }(),
		"bad type":       func() []byte { b := bytes.Clone(good); le.PutUint16(b[12:], 7); return b }(),
	}
	for name, b := range cases {
		if o := exifOrientation(b); o != 1 {
			t.Errorf("%s: orientation %d, want 1", name, o)
		}
	}
	if o := exifOrientation(good); o != 6 {
		t.Errorf("good block: %d", o)
	}
	long := bytes.Clone(good)
	le.PutUint16(long[12:], 4)
	le.PutUint32(long[18:], 8)
	if o := exifOrientation(long); o != 8 {
		t.Errorf("LONG-typed orientation: %d", o)
	}
}

// pngHeader builds a PNG signature + IHDR declaring w×h RGBA, + a tiny IDAT.
func pngHeader(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

// jpegSOF is the headers of a 4:2:0 JPEG declaring w×h and no data: enough for every header check.
func jpegSOF(w, h int, progressive bool) []byte { return jpegSOFn(w, h, 3, progressive) }

// jpegSOFn is jpegSOF with 1, 3 or 4 components (4: CMYK, first component 2×2).
func jpegSOFn(w, h, comps int, progressive bool) []byte {
	m := byte(0xC0)
	if progressive {
		m = 0xC2
	}
	b := []byte{0xFF, 0xD8, 0xFF, m, 0, byte(8 + 3*comps), 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(comps)}
	for c := 1; c <= comps; c++ {
		f := byte(0x11)
		if c == 1 && comps > 1 {
			f = 0x22
		}
		b = append(b, byte(c), f, 0)
	}
	return append(b, 0xFF, 0xDA, 0, 2, 0, 0)
}

func TestBombsRefusedBeforeDecoding(t *testing.T) {
	heifBomb := func(w, h int) []byte { // one coded image declaring w×h
		return heiftest.Grid{Single: true, MirrorAxis: -1, Tiles: []heif.Coded{heiftest.FakeCoded(w, h)}}.Bytes()
	}
	heifGridBomb := func(cols, rows, side int) []byte { // a grid of side×side tiles
		tiles := make([]heif.Coded, cols*rows)
		for i := range tiles {
			tiles[i] = heiftest.FakeCoded(side, side)
		}
		return heiftest.Grid{Width: cols * side, Height: rows * side, Columns: cols, Rows: rows, Tiles: tiles, MirrorAxis: -1}.Bytes()
	}
	cases := map[string][]byte{
		"png 100000²":         pngHeader(100000, 100000),
		"png 10000² (100 MP)": pngHeader(10000, 10000),
		"png 8000×6000 rgba":  nil, // 48 MP at 4 B/px = 192 MB: allowed; checked separately
		"jpeg 65000²":         jpegSOF(65000, 65000, false),
		"jpeg 256 MP":         jpegSOF(16000, 16000, false), // over MaxPixelsJPEG
		// CMYK goes to image/jpeg (jpegscale does not read it), whose caps are the full-size ones.
		"jpeg cmyk 60 MP":           jpegSOFn(10000, 6000, 4, false),
		"jpeg progressive cmyk 48M": jpegSOFn(8000, 6000, 4, true), // 4 B of coefficients a sample
		"heic 100000²":              heifBomb(100000, 100000),
		"heic 9000² single image":   heifBomb(9000, 9000),      // 81 MP in one coded image
		"heic grid 40×40 of 512":    heifGridBomb(40, 40, 512), // 20480² > MaxSide
		"heic grid 16×16 of 512":    heifGridBomb(16, 16, 512), // 67 MP > MaxPixels
		"heic grid 2×1 of 8192":     heifGridBomb(2, 1, 8192),  // 67 MP tiles (each over the cap)
		"webp 16383²":               webpVP8X(16383, 16383),
	}
	for name, data := range cases {
		if data == nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Prepare(context.Background(), data, KindID)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("err = %v, want too_many_pixels", err)
			}
			var pe *Error
			if !errors.As(err, &pe) || !strings.Contains(pe.MessageEN, "MP") || pe.MessageID == "" {
				t.Errorf("message not clear: %+v", pe)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("allocated %d bytes before refusing", alloc)
			}
		})
	}
	if _, err := readHeader(pngHeader(8000, 6000), 1280); err != nil {
		t.Errorf("48 MP 8-bit PNG header refused: %v", err)
	}
}

func webpVP8X(w, h int) []byte {
	body := []byte("VP8X")
	body = binary.LittleEndian.AppendUint32(body, 10)
	body = append(body, 0, 0, 0, 0)
	body = append(body, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+len(body)))
	return append(append(out, "WEBP"...), body...)
}

func TestTruncated(t *testing.T) {
	full := encJPEG(t, astronaut(t), 90)
	prog := readFile(t, "video-001.progressive.jpeg")
	pngData := encPNG(t, astronaut(t))
	cases := map[string][]byte{
		"jpeg 50%":        full[:len(full)/2],
		"jpeg 99%":        full[:len(full)*99/100],
		"jpeg no EOI":     full[:len(full)-2],
		"jpeg headers":    full[:200],
		"progressive 60%": prog[:len(prog)*6/10],
		"png 50%":         pngData[:len(pngData)/2],
		"png 90%":         pngData[:len(pngData)*9/10],
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Prepare(context.Background(), data, KindSelfie)
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("err = %v, want truncated", err)
			}
		})
	}
}

func TestDecoderPanicRecovered(t *testing.T) {
	orig := decoders[FormatPNG]
	defer func() { decoders[FormatPNG] = orig }()
	decoders[FormatPNG] = func(io.Reader) (image.Image, error) { panic("boom") }
	_, err := Prepare(context.Background(), encPNG(t, solid(8, 8, color.White)), KindSelfie)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want corrupt", err)
	}
}

func TestUnsupported(t *testing.T) {
	cases := map[string]struct {
		data []byte
		name string
	}{
		"gif":    {[]byte("GIF89a\x01\x00\x01\x00"), "GIF"},
		"bmp":    {[]byte("BM\x00\x00\x00\x00"), "BMP"},
		"tiff":   {[]byte("II*\x00\x08\x00\x00\x00"), "TIFF"},
		"pdf":    {[]byte("%PDF-1.7"), "PDF"},
		"avif":   {[]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "AVIF"},
		"mp4":    {[]byte("\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isommp41"), "video"},
		"text":   {[]byte("hello, this is not an image"), ""},
		"12-bit": {[]byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 8, 12, 0, 1, 0, 1, 1}, "12-bit"},
		"arith":  {[]byte{0xFF, 0xD8, 0xFF, 0xC9, 0, 8, 8, 0, 1, 0, 1, 1}, "arithmetic"},
	}
	for name, c := range cases {
		_, err := Prepare(context.Background(), c.data, KindSelfie)
		var pe *Error
		if !errors.Is(err, ErrUnsupportedFormat) || !errors.As(err, &pe) {
			t.Errorf("%s: err = %v", name, err)
			continue
		}
		if !strings.Contains(pe.MessageEN, "JPEG, PNG, WebP, HEIC") || !strings.Contains(pe.MessageID, "Gunakan") {
			t.Errorf("%s: message does not list supported formats: %q", name, pe.MessageEN)
		}
		if !strings.Contains(pe.MessageEN, c.name) {
			t.Errorf("%s: message does not name the format: %q", name, pe.MessageEN)
		}
	}
	if _, err := Prepare(context.Background(), nil, KindSelfie); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
}

func TestCorrupt(t *testing.T) {
	j := encJPEG(t, solid(32, 32, color.White), 90)
	bad := bytes.Clone(j)
	// Destroy the Huffman tables' lengths so the decoder fails on structure, not on length.
	for i := 2; i+4 < len(bad); i++ {
		if bad[i] == 0xFF && bad[i+1] == 0xC4 {
			for k := i + 5; k < i+21; k++ {
				bad[k] = 0xFF
			}
			break
		}
	}
	if _, err := Prepare(context.Background(), bad, KindSelfie); !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) {
		t.Errorf("corrupt Huffman table: %v", err)
	}
	if _, err := Prepare(context.Background(), []byte{0xFF, 0xD8, 0xFF, 0xD9}, KindSelfie); !errors.Is(err, ErrCorrupt) {
		t.Errorf("SOI+EOI: %v", err)
	}
	heif := readFile(t, "single.heic")
	if _, err := Prepare(context.Background(), heif[:60], KindSelfie); err == nil {
		t.Error("truncated HEIF header accepted")
	}
}

func TestBudgetFallbackShrinks(t *testing.T) {
	p, err := PrepareImage(context.Background(), noise(1280, 1280), KindSelfie)
	if err != nil {
		t.Fatal(err)
	}
	if p.Width >= 1280 {
		t.Errorf("noise should not fit 500 KB at 1280 px even at q%d; got %dx%d", QualityMin, p.Width, p.Height)
	}
	assertOutput(t, p, KindSelfie)
}

func TestQualityIsHighestThatFits(t *testing.T) {
	img := cleanCard(t)
	p, err := PrepareImage(context.Background(), img, KindID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Quality < QualityMax {
		// Then quality+1 must not fit.
		var b bytes.Buffer
		if err := encodeJPEG(&b, mustDecode(t, p.JPEG), p.Quality+1); err == nil && b.Len() <= TargetFor(KindID).MaxBytes {
			t.Errorf("q%d fits too (%d bytes)", p.Quality+1, b.Len())
		}
	}
	out, q, ok, err := encodeWithin(noise(200, 200), 40_000)
	if err != nil || !ok || q <= QualityMin || q >= QualityMax || len(out) > 40_000 {
		t.Errorf("binary search: q=%d ok=%v len=%d err=%v", q, ok, len(out), err)
	}
	var b bytes.Buffer
	if err := encodeJPEG(&b, noise(200, 200), q+1); err != nil || b.Len() <= 40_000 {
		t.Errorf("q%d also fits: %d bytes", q+1, b.Len())
	}
}

func mustDecode(t *testing.T, j []byte) image.Image {
	img, err := jpeg.Decode(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestPrepareFile(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "BUDI SANTOSO ktp.jpg")
	if err := os.WriteFile(secret, encJPEG(t, cleanSelfie(t), 85), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := PrepareFile(context.Background(), secret, KindSelfie)
	if err != nil {
		t.Fatal(err)
	}
	assertOutput(t, p, KindSelfie)

	big := filepath.Join(dir, "big.jpg")
	f, _ := os.Create(big)
	f.Write(encJPEG(t, solid(8, 8, color.White), 90))
	f.Truncate(MaxFileBytes + 1) // sparse: no 40 MB written
	f.Close()
	if _, err := PrepareFile(context.Background(), big, KindSelfie); !errors.Is(err, ErrTooLargeFile) {
		t.Errorf("big file: %v", err)
	}
	_, err = PrepareFile(context.Background(), filepath.Join(dir, "BUDI SANTOSO missing.jpg"), KindSelfie)
	if !errors.Is(err, ErrUnreadable) || strings.Contains(err.Error(), "BUDI") {
		t.Errorf("missing file: %v (must be unreadable and must not contain the path)", err)
	}
	if _, err := PrepareFile(context.Background(), dir, KindSelfie); !errors.Is(err, ErrUnreadable) {
		t.Errorf("directory: %v", err)
	}
	if _, err := Prepare(context.Background(), make([]byte, MaxFileBytes+1), KindSelfie); !errors.Is(err, ErrTooLargeFile) {
		t.Errorf("big buffer: %v", err)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Prepare(ctx, encJPEG(t, solid(8, 8, color.White), 90), KindSelfie); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestKindsAndNames(t *testing.T) {
	for _, s := range []string{"id", "selfie"} {
		k, err := ParseKind(s)
		if err != nil || k.String() != s {
			t.Errorf("ParseKind(%q) = %v, %v", s, k, err)
		}
	}
	if _, err := ParseKind("passport"); err == nil {
		t.Error("unknown kind accepted")
	}
	if Kind(9).String() == "" || Severity(9).String() == "" || SeverityError.String() != "error" {
		t.Error("String()")
	}
	if b, _ := SeverityWarning.MarshalText(); string(b) != "warning" {
		t.Error("MarshalText")
	}
	e := errTruncated(io.ErrUnexpectedEOF)
	if !errors.Is(e, io.ErrUnexpectedEOF) || errors.Is(e, ErrCorrupt) || !strings.Contains(e.Error(), "truncated") {
		t.Error("Error wrapping")
	}
}
