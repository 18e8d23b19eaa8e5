package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image/color"
	"testing"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/photo/heif/heifdec"
)

// FuzzPrepare feeds hostile bytes to the whole intake. Invariants: no panic, every failure is a
// typed *Error, every success satisfies the output contract. In a plain `go test` only the seeds
// run; fuzz with: go test -run '^$' -fuzz FuzzPrepare -fuzztime 5m ./kyc/photo/
func FuzzPrepare(f *testing.F) {
	small := imaging.Resize(astronaut(f), 48, 48, imaging.Box)
	j := encJPEG(f, small, 80)
	for _, seed := range [][]byte{
		j,
		withOrientation(j, 6, binary.BigEndian),
		withOrientation(j, 3, binary.LittleEndian),
		encPNG(f, small),
		encPNG(f, solid(4, 4, color.NRGBA{10, 20, 30, 128})),
		readFile(f, "video-001.progressive.jpeg"),
		readFile(f, "video-001.cmyk.jpeg"), // jpegscale refuses it: the image/jpeg fallback
		jpegscaleFixture(f, "tiny_progressive_restart_420.jpg"),
		jpegscaleFixture(f, "tiny_420.jpg"),
		sof9(f, jpegscaleFixture(f, "tiny_420.jpg")), // arithmetic: refused at the header
		jpegSOF(16320, 12240, false),                 // 200 MP header: passes the caps, no data
		readFile(f, "video-005.gray.jpeg"),
		readFile(f, "blue-purple-pink.lossy.webp"),
		readFile(f, "gopher-doc.8bpp.lossless.webp"),
		readFile(f, "single.heic"),
		readFile(f, "grid-clap-irot.heic"),
		pngHeader(100000, 100000),
		jpegSOF(9000, 9000, true),
		webpVP8X(3, 3),
	} {
		f.Add(seed)
	}
	// HEIC tiles go to the WebAssembly decoder here, whatever the machine has: the same on every
	// machine, and a hostile HEVC stream can only make it trap, never crash the fuzzer (the
	// system libheif is C; its HEVC decoder, libde265, is fuzzed upstream by OSS-Fuzz).
	orig := heicDecoder
	heicDecoder = heifdec.WASM
	defer func() { heicDecoder = orig }()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Prepare(context.Background(), data, KindSelfie)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.MessageEN == "" || pe.MessageID == "" {
				t.Fatalf("untyped or unexplained error: %v", err)
			}
			return
		}
		tg := TargetFor(KindSelfie)
		if len(p.JPEG) == 0 || len(p.JPEG) > tg.MaxBytes || max(p.Width, p.Height) > tg.LongEdge || p.Width < 1 || p.Height < 1 {
			t.Fatalf("bad output: %dx%d %d bytes", p.Width, p.Height, len(p.JPEG))
		}
	})
}

// sof9 turns a baseline JPEG's frame header into an arithmetic-coded one (SOF9).
func sof9(f *testing.F, j []byte) []byte {
	b := bytes.Clone(j)
	for i := 2; i+4 <= len(b); i += 2 + int(binary.BigEndian.Uint16(b[i+2:])) {
		if b[i+1] == 0xC0 {
			b[i+1] = 0xC9
			return b
		}
	}
	f.Fatal("no SOF0")
	return nil
}
