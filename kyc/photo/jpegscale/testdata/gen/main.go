// Command gen writes the source images for the jpegscale test fixtures: a
// colour PPM and a grey PGM cropped from the sample selfie to an odd size
// (501×379), so that partial MCUs at the right and bottom edges are tested.
//
// Usage: go run ./testdata/gen SRC.png OUTDIR
package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"os"
)

const cropW, cropH = 501, 379

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen SRC.png OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(src, dir string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return err
	}
	b := img.Bounds()
	x0, y0 := b.Min.X+(b.Dx()-cropW)/2, b.Min.Y+(b.Dy()-cropH)/3
	if err := write(dir+"/src.ppm", "P6", img, x0, y0, false); err != nil {
		return err
	}
	return write(dir+"/src.pgm", "P5", img, x0, y0, true)
}

func write(path, magic string, img image.Image, x0, y0 int, grey bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "%s\n%d %d\n255\n", magic, cropW, cropH)
	for y := 0; y < cropH; y++ {
		for x := 0; x < cropW; x++ {
			c := color.NRGBAModel.Convert(img.At(x0+x, y0+y)).(color.NRGBA)
			if grey {
				w.WriteByte(color.GrayModel.Convert(c).(color.Gray).Y)
			} else {
				w.Write([]byte{c.R, c.G, c.B})
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
