package heif

import (
	"errors"
	"image"
	"os"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLayouts(t *testing.T) {
	cases := []struct {
		file        string
		w, h        int
		cols, rows  int
		tw, th      int
		crop        image.Rectangle
		orientation int
		chroma      int
		nclx        bool
		thumb       image.Point
	}{
		// An iPhone's layout: 3×3 tiles of 512 cropped to 1346², nclx, no transform.
		{"grid-3x3.heic", 1346, 1346, 3, 3, 512, 512, image.Rect(0, 0, 1346, 1346), 1, 1, true, image.Point{}},
		// 3×2 tiles of 128 for 300×220; clap 280×200 centred 3 px left, 2 px down: left =
		// round(−3 + 149.5 − 139.5) = 7, top = round(2 + 109.5 − 99.5) = 12; then irot 1 = EXIF 8.
		{"grid-clap-irot.heic", 300, 220, 3, 2, 128, 128, image.Rect(7, 12, 287, 212), 8, 1, true, image.Pt(96, 70)},
		// One coded 252×182 image, clap to 251×181 at (0, 0), irot 2 then imir 0 (top and bottom
		// exchanged): a half turn then a vertical flip is a left-right mirror, EXIF 2.
		{"single-odd-imir.heic", 252, 182, 1, 1, 252, 182, image.Rect(0, 0, 251, 181), 2, 1, false, image.Point{}},
		{"gray.heic", 256, 256, 1, 1, 256, 256, image.Rect(0, 0, 256, 256), 1, 0, false, image.Point{}},
		{"single.heic", 512, 512, 1, 1, 512, 512, image.Rect(0, 0, 512, 512), 1, 1, false, image.Point{}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := Parse(readFixture(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			l, err := f.Primary()
			if err != nil {
				t.Fatal(err)
			}
			if l.Width != c.w || l.Height != c.h || l.Columns != c.cols || l.Rows != c.rows ||
				l.TileWidth != c.tw || l.TileHeight != c.th || len(l.Tiles) != c.cols*c.rows {
				t.Errorf("layout %+v", *l)
			}
			if l.Crop != c.crop || l.Orientation != c.orientation || l.Chroma != c.chroma || l.BitDepth != 8 {
				t.Errorf("crop %v orientation %d chroma %d depth %d", l.Crop, l.Orientation, l.Chroma, l.BitDepth)
			}
			if (l.Colour != nil) != c.nclx || (l.Colour != nil && (l.Colour.Matrix != 6 || !l.Colour.FullRange)) {
				t.Errorf("colour %+v", l.Colour)
			}
			th, err := f.Thumbnail()
			switch {
			case c.thumb == (image.Point{}):
				if !errors.Is(err, ErrNoThumbnail) {
					t.Errorf("thumbnail: %v", err)
				}
			case err != nil:
				t.Error(err)
			case th.Width != c.thumb.X || th.Height != c.thumb.Y || th.Orientation != c.orientation:
				t.Errorf("thumbnail %+v", *th)
			}
			// Every tile becomes a file that parses back to the tile alone.
			for _, id := range l.Tiles {
				file, err := f.CodedFile(id)
				if err != nil {
					t.Fatal(err)
				}
				g, err := Parse(file)
				if err != nil {
					t.Fatalf("tile %d: %v", id, err)
				}
				tl, err := g.Primary()
				if err != nil {
					t.Fatal(err)
				}
				if tl.Width != c.tw || tl.Height != c.th || tl.Orientation != 1 || tl.Crop != image.Rect(0, 0, c.tw, c.th) || tl.Chroma != c.chroma {
					t.Errorf("tile file layout %+v", *tl)
				}
			}
		})
	}
}

// TestOrientations: irot and imir compose like EXIF orientations, in association order.
func TestOrientations(t *testing.T) {
	// dihedral composition matches EXIF semantics: a quarter turn clockwise then a left-right
	// mirror is the transpose, EXIF 5.
	if o := (dihedral{k: 1}).then(dihedral{flip: true}).exif(); o != 5 {
		t.Errorf("rot+mirror = %d", o)
	}
	for o := 1; o <= 8; o++ {
		if exifDihedral[o].exif() != o {
			t.Errorf("round trip %d", o)
		}
	}
	// unmapRect inverts the transform: map every pixel forward by hand and back.
	w, h := 7, 4
	for o := 1; o <= 8; o++ {
		d := exifDihedral[o]
		tw, th := w, h
		if d.k%2 == 1 {
			tw, th = h, w
		}
		for y := 0; y < th; y++ {
			for x := 0; x < tw; x++ {
				sx, sy := d.unmapPoint(x, y, w, h)
				if sx < 0 || sy < 0 || sx >= w || sy >= h {
					t.Fatalf("orientation %d: (%d,%d) maps outside to (%d,%d)", o, x, y, sx, sy)
				}
				r := d.unmapRect(image.Rect(x, y, x+1, y+1), image.Rect(10, 20, 10+w, 20+h))
				if r != image.Rect(10+sx, 20+sy, 11+sx, 21+sy) {
					t.Fatalf("orientation %d: rect %v", o, r)
				}
			}
		}
	}
}

func TestBrokenFiles(t *testing.T) {
	good := readFixture(t, "grid-clap-irot.heic")
	f, err := Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := f.Primary()
	metaEnd := 0
	for i := 0; i+8 <= len(good); i++ { // the mdat box follows meta
		if string(good[i+4:i+8]) == "mdat" {
			metaEnd = i
			break
		}
	}
	cases := map[string]struct {
		data []byte
		want error
	}{
		"empty":          {nil, ErrMalformed},
		"ftyp only":      {good[:24], ErrTruncated},
		"meta cut":       {good[:metaEnd-10], ErrTruncated},
		"not pict":       {replace(good, "pict", "vide"), ErrMalformed},
		"av01 primary":   {replace(good, "grid", "av01"), ErrUnsupported},
		"no hvcC":        {replace(good, "hvcC", "xxxx"), ErrMalformed},
		"no ispe":        {replace(replace(good, "ispe", "xxxx"), "ispe", "xxxx"), ErrMalformed},
		"grid mismatch":  {replace(good, "dimg", "xxxx"), ErrMalformed},
		"huge box":       {append([]byte{0xff, 0xff, 0xff, 0xff}, good[4:]...), ErrTruncated},
		"box size below": {append([]byte{0, 0, 0, 4}, good[4:]...), ErrMalformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(c.data)
			if err == nil {
				_, err = f.Primary()
			}
			var fe *FormatError
			if !errors.Is(err, c.want) || !errors.As(err, &fe) || fe.Detail == "" {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	// A file cut inside its media data: the layout parses, the tiles past the cut do not.
	g, err := Parse(good[:metaEnd+(len(good)-metaEnd)/2])
	if err != nil {
		t.Fatal(err)
	}
	truncated := 0
	for _, id := range l.Tiles {
		if _, err := g.CodedFile(id); errors.Is(err, ErrTruncated) {
			truncated++
		} else if err != nil {
			t.Errorf("tile %d: %v", id, err)
		}
	}
	if truncated == 0 || truncated == len(l.Tiles) {
		t.Errorf("%d of %d tiles truncated", truncated, len(l.Tiles))
	}
}

func replace(b []byte, old, new string) []byte {
	out := append([]byte(nil), b...)
	for i := 0; i+len(old) <= len(out); i++ {
		if string(out[i:i+len(old)]) == old {
			copy(out[i:], new)
			return out
		}
	}
	panic("not found: " + old)
}

// FuzzParse: no input makes the parser panic, loop or allocate beyond its caps, and whatever it
// accepts yields files for its tiles that parse again.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"grid-clap-irot.heic", "single-odd-imir.heic", "gray.heic", "single.heic"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Parse(data)
		if err != nil {
			return
		}
		for _, get := range []func() (*Layout, error){h.Primary, h.Thumbnail} {
			l, err := get()
			if err != nil {
				continue
			}
			if l.Crop.Empty() || !l.Crop.In(image.Rect(0, 0, l.Width, l.Height)) || l.Orientation < 1 || l.Orientation > 8 {
				t.Fatalf("bad layout %+v", *l)
			}
			for _, id := range l.Tiles[:min(len(l.Tiles), 4)] {
				file, err := h.CodedFile(id)
				if err != nil {
					continue
				}
				if _, err := Parse(file); err != nil {
					t.Fatalf("tile file does not parse: %v", err)
				}
			}
		}
	})
}
