//go:build ignore

// gen writes the sample images the app offers on the Sandbox profile: a specimen eKTP
// (an invented person, "SPECIMEN" watermark) and the sample selfie (NASA, public domain).
// Run from the repository root: go run resources/samples/gen.go
package main

import (
	"image"
	"image/jpeg"
	"image/png"
	"log"
	"os"

	"golang.org/x/image/draw"

	"kycdesk/kyc/photo/specimen"
)

func main() {
	card := specimen.Render(specimen.Default(), specimen.Options{Width: 1600})
	write("resources/samples/specimen-ektp.jpg", card)

	f, err := os.Open("kyc/photo/testdata/sample-selfie-astronaut.png")
	if err != nil {
		log.Fatal(err)
	}
	src, err := png.Decode(f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	// 1024 px so the face passes the "face ≥ 150 px" check, as a phone selfie would.
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	write("resources/samples/sample-selfie.jpg", dst)
}

func write(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 88}); err != nil {
		log.Fatal(err)
	}
}
