package photo

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"kycdesk/kyc/photo/heif"
	"kycdesk/kyc/photo/heif/heiftest"
)

// Phone-like HEIC files for the benchmarks: the same picture as the JPEG benchmark photos (the
// sample selfie upscaled with luma grain), laid out as an iPhone writes it — a grid of 512×512
// HEVC tiles of the landscape sensor frame, 'irot' turning it upright (portrait), an 'nclx'
// colour box, a 320 px HEVC thumbnail. 12 MP is an iPhone's 4032×3024, 48 MP its 8064×6048.
// The tiles are encoded by heif-enc (Debian package libheif-examples), so generating needs it;
// the files are cached in the temp directory (never committed: 2–9 MB each).

var heicSizes = []struct {
	name string
	w, h int
}{{"12MP", 4032, 3024}, {"48MP", 8064, 6048}}

// heicQuality gives tiles the size of an iPhone's (12 MP ≈ 2–3 MB) on this grainy picture.
const heicQuality = 50

func bigHEICPath(w, h int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("kycdesk-photo-bench-%dx%d-q%d-irot3-v1.heic", w, h, heicQuality))
}

// heicCached reports whether every benchmark HEIC is already generated.
func heicCached() bool {
	for _, s := range heicSizes {
		if _, err := os.Stat(bigHEICPath(s.w, s.h)); err != nil {
			return false
		}
	}
	return true
}

// bigHEIC returns the path of a cached w×h phone-like HEIC, generating it in a child process.
func bigHEIC(tb testing.TB, w, h int) string {
	tb.Helper()
	path := bigHEICPath(w, h)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if !heiftest.Available() {
		tb.Skip("heif-enc (Debian package libheif-examples) is needed to generate the HEIC benchmark photos")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGenerateBenchHEIC$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("PHOTO_BENCH_HEIC=%s:%d:%d", path, w, h))
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("generating %s: %v\n%s", path, err, out)
	}
	return path
}

// TestGenerateBenchHEIC writes one benchmark HEIC when PHOTO_BENCH_HEIC=path:w:h is set (bigHEIC
// runs it as a child process; .ci/bench-heic.sh uses it too). Otherwise it is skipped.
func TestGenerateBenchHEIC(t *testing.T) {
	spec := os.Getenv("PHOTO_BENCH_HEIC")
	if spec == "" {
		t.Skip("set PHOTO_BENCH_HEIC=path:w:h to write a benchmark HEIC")
	}
	parts := strings.Split(spec, ":")
	var w, h int
	if len(parts) != 3 {
		t.Fatalf("PHOTO_BENCH_HEIC=%q: want path:w:h", spec)
	}
	if _, err := fmt.Sscanf(parts[1]+" "+parts[2], "%d %d", &w, &h); err != nil {
		t.Fatal(err)
	}
	// phoneLike draws the stored frame of a portrait photo that EXIF orientation 6 (a quarter
	// turn clockwise) makes upright: irot 3 (three anticlockwise quarter turns) is the same.
	frame := phoneLike(toNRGBA(astronaut(t)), w, h, 8)
	data, err := phoneHEIC(frame, heicQuality, 3)
	if err != nil {
		t.Fatal(err)
	}
	tmp := parts[0] + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, parts[0]); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d×%d, %d bytes", parts[0], w, h, len(data))
}

// phoneHEIC encodes a stored frame as an iPhone-like grid HEIC with the given irot.
func phoneHEIC(frame image.Image, quality, rotation int) ([]byte, error) {
	b := frame.Bounds()
	tiles, cols, rows := heiftest.Tiles(frame, 512, 512)
	coded, err := heiftest.Encode(tiles, quality, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	tw, th := fitSize(b.Dx(), b.Dy(), 320)
	thumb, err := heiftest.Encode([]image.Image{downscale(frame, tw, th)}, quality, 1)
	if err != nil {
		return nil, err
	}
	g := heiftest.Grid{Width: b.Dx(), Height: b.Dy(), Columns: cols, Rows: rows, Tiles: coded,
		Rotation: rotation, MirrorAxis: -1, NCLX: true, Thumbnail: &thumb[0]}
	data := g.Bytes()
	if _, err := heif.Parse(data); err != nil {
		return nil, fmt.Errorf("generated file does not parse: %w", err)
	}
	return data, nil
}
