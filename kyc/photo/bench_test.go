package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
)

// Benchmarks compare Prepare with the pipeline a newcomer would write (imaging.Open with
// auto-orientation → imaging.Fit Lanczos → jpeg.Encode q85) on 12 MP and 48 MP phone-like JPEGs
// made from the sample selfie, with EXIF orientation 6. Run:
//
//	go test -run '^$' -bench . -benchmem ./kyc/photo/
//	PHOTO_RSS=1 go test -run TestPeakRSS -v ./kyc/photo/     (peak RSS per pipeline, child processes)

// bigJPEG returns the path of a cached w×h JPEG (q90, orientation 6) in the temp directory.
func bigJPEG(tb testing.TB, w, h int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("kycdesk-photo-bench-%dx%d-o6.jpg", w, h))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	img := imaging.Resize(astronaut(tb), w, h, imaging.Linear)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	data := withOrientation(b.Bytes(), 6, binary.BigEndian)
	if err := os.WriteFile(path+".tmp", data, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		tb.Fatal(err)
	}
	return path
}

var sizes = []struct {
	name string
	w, h int
}{{"12MP", 4000, 3000}, {"48MP", 8000, 6000}}

func BenchmarkPrepare(b *testing.B) {
	for _, s := range sizes {
		path := bigJPEG(b, s.w, s.h)
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := runOurs(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPlain(b *testing.B) {
	for _, s := range sizes {
		path := bigJPEG(b, s.w, s.h)
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := runPlain(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func runOurs(path string) (int, error) {
	p, err := PrepareFile(context.Background(), path, KindSelfie)
	if err != nil {
		return 0, err
	}
	return len(p.JPEG), nil
}

func runPlain(path string) (int, error) {
	img, err := imaging.Open(path, imaging.AutoOrientation(true))
	if err != nil {
		return 0, err
	}
	img2 := imaging.Fit(img, 1280, 1280, imaging.Lanczos)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img2, &jpeg.Options{Quality: 85}); err != nil {
		return 0, err
	}
	return b.Len(), nil
}

// BenchmarkChecksSelfie: the pre-flight checks (grey, stats, Laplacian, face detection) on a
// prepared 1280 px selfie. Budget: ≤ 30 ms.
func BenchmarkChecksSelfie(b *testing.B) {
	img := cleanSelfie(b)
	small := downscale(img, 1280, 1280)
	for b.Loop() {
		check(small, KindSelfie, 1280)
	}
}

// BenchmarkChecksID: the same on a prepared 1600 px card (no face detection).
func BenchmarkChecksID(b *testing.B) {
	img := cleanCard(b)
	small := downscale(img, 1600, 1100)
	for b.Loop() {
		check(small, KindID, 1600)
	}
}
