// Package specimen renders synthetic eKTP (Indonesian electronic ID card) specimens: the card
// layout with invented people and a large "SPECIMEN" watermark. They exist because real eKTP images
// are personal data and must never be used in tests, demos or the sandbox.
//
// Text uses the 7×13 bitmap font of golang.org/x/image/font/basicfont, magnified with bilinear
// smoothing: legible, dependency-free, and obviously not a real card's typeface.
package specimen

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Person is what is printed on the card. All values are free text; nothing is validated here.
type Person struct {
	Province, City          string
	NIK                     string
	Name                    string
	BirthPlace, BirthDate   string // "JAKARTA", "14-08-1990"
	Sex, BloodType          string // "PEREMPUAN", "O"
	Address, RTRW           string
	Village, District       string // Kel/Desa, Kecamatan
	Religion, Marital, Job  string
	Nationality, ValidUntil string
	IssuedCity, IssuedDate  string
}

// Default is an invented person. The NIK is structurally valid (district 31.74.01, a woman born
// 14-08-1990: day + 40) but belongs to nobody.
func Default() Person {
	return Person{
		Province: "PROVINSI DKI JAKARTA", City: "JAKARTA SELATAN",
		NIK: "3174015408900001", Name: "SITI CONTOH SPESIMEN",
		BirthPlace: "JAKARTA", BirthDate: "14-08-1990", Sex: "PEREMPUAN", BloodType: "O",
		Address: "JL. CONTOH RAYA NO. 123", RTRW: "001/002",
		Village: "TEBET BARAT", District: "TEBET",
		Religion: "ISLAM", Marital: "BELUM KAWIN", Job: "KARYAWAN SWASTA",
		Nationality: "WNI", ValidUntil: "SEUMUR HIDUP",
		IssuedCity: "JAKARTA SELATAN", IssuedDate: "12-08-2017",
	}
}

// Options for Render.
type Options struct {
	Width    int         // card width in pixels; default 1600. Height follows the ID-1 ratio.
	Portrait image.Image // optional photo for the portrait box; a silhouette otherwise
}

// AspectRatio is ISO/IEC 7810 ID-1 (85.60 × 53.98 mm), the eKTP's format.
const AspectRatio = 85.60 / 53.98

// Render draws the card.
func Render(p Person, o Options) *image.RGBA {
	w := o.Width
	if w <= 0 {
		w = 1600
	}
	h := int(math.Round(float64(w) / AspectRatio))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	u := float64(w) / 1000 // layout unit: the card is designed on a 1000-unit-wide grid
	background(img, u)

	ink := color.RGBA{20, 24, 32, 255}
	text(img, bold, 30*u, 500*u, 48*u, p.Province, ink, true)
	text(img, bold, 30*u, 500*u, 86*u, p.City, ink, true)
	text(img, bold, 38*u, 40*u, 148*u, "NIK", ink, false)
	text(img, bold, 38*u, 200*u, 148*u, ": "+p.NIK, ink, false)

	rows := [][2]string{
		{"Nama", p.Name},
		{"Tempat/Tgl Lahir", p.BirthPlace + ", " + p.BirthDate},
		{"Jenis Kelamin", p.Sex + "      Gol. Darah : " + p.BloodType},
		{"Alamat", p.Address},
		{"    RT/RW", p.RTRW},
		{"    Kel/Desa", p.Village},
		{"    Kecamatan", p.District},
		{"Agama", p.Religion},
		{"Status Perkawinan", p.Marital},
		{"Pekerjaan", p.Job},
		{"Kewarganegaraan", p.Nationality},
		{"Berlaku Hingga", p.ValidUntil},
	}
	for i, r := range rows {
		y := (196 + float64(i)*31) * u
		text(img, regular, 21*u, 40*u, y, r[0], ink, false)
		text(img, regular, 21*u, 245*u, y, ": "+r[1], ink, false)
	}

	photo := image.Rect(int(745*u), int(120*u), int(945*u), int(385*u))
	portrait(img, photo, o.Portrait)
	text(img, regular, 19*u, 845*u, 420*u, p.IssuedCity, ink, true)
	text(img, regular, 19*u, 845*u, 446*u, p.IssuedDate, ink, true)
	signature(img, 770*u, 520*u, 150*u, 35*u, ink)

	watermark(img, "SPECIMEN", color.RGBA{200, 30, 30, 255}, 0.38)
	return img
}

// background: the eKTP's pale blue with a guilloche of thin sine waves (it also gives the blur
// check some fine texture, like the real card's security print).
func background(img *image.RGBA, u float64) {
	b := img.Rect
	for y := 0; y < b.Dy(); y++ {
		t := float64(y) / float64(b.Dy())
		for x := 0; x < b.Dx(); x++ {
			s := float64(x) / float64(b.Dx())
			c := color.RGBA{uint8(200 + 25*s), uint8(222 + 18*t), uint8(240 + 10*s), 255}
			img.SetRGBA(x, y, c)
		}
	}
	line := color.RGBA{150, 180, 215, 255}
	for k := 0; k < 14; k++ {
		phase := float64(k) * 0.45
		for x := 0; x < b.Dx(); x++ {
			fx := float64(x) / u
			y := (60+float64(k)*38)*u + 14*u*math.Sin(fx/37+phase) + 6*u*math.Sin(fx/11-phase)
			blend(img, x, int(y), line, 0.55)
			blend(img, x, int(y)+1, line, 0.25)
		}
	}
}

func blend(img *image.RGBA, x, y int, c color.RGBA, a float64) {
	if !(image.Point{x, y}.In(img.Rect)) {
		return
	}
	i := img.PixOffset(x, y)
	p := img.Pix[i : i+3]
	p[0] = uint8(float64(p[0])*(1-a) + float64(c.R)*a)
	p[1] = uint8(float64(p[1])*(1-a) + float64(c.G)*a)
	p[2] = uint8(float64(p[2])*(1-a) + float64(c.B)*a)
}

const (
	regular = false
	bold    = true
)

// textMask renders s in the 7×13 font (emboldened by a 1-pixel double strike) as an alpha mask.
func textMask(s string, heavy bool) *image.Alpha {
	f := basicfont.Face7x13
	w := font.MeasureString(f, s).Ceil() + 1
	m := image.NewAlpha(image.Rect(0, 0, w, 13))
	d := &font.Drawer{Dst: m, Src: image.Opaque, Face: f, Dot: fixed.P(0, 11)}
	d.DrawString(s)
	if heavy {
		d.Dot = fixed.P(1, 11)
		d.DrawString(s)
	}
	return m
}

// text draws s with its baseline at y and glyph cells size px high; centred on x when center.
func text(img *image.RGBA, heavy bool, size, x, y float64, s string, c color.RGBA, center bool) {
	m := textMask(s, heavy)
	scale := size / 13
	w := float64(m.Rect.Dx()) * scale
	if center {
		x -= w / 2
	}
	// Mask row 11 is the baseline.
	composite(img, m, x+w/2, y-(11-6.5)*scale, scale, 0, c, 1)
}

// composite draws mask m scaled by scale and rotated by angle (radians) with its centre at
// (cx, cy), bilinear-sampled, tinted c at the given opacity.
func composite(img *image.RGBA, m *image.Alpha, cx, cy, scale, angle float64, c color.RGBA, opacity float64) {
	mw, mh := float64(m.Rect.Dx()), float64(m.Rect.Dy())
	sin, cos := math.Sin(angle), math.Cos(angle)
	r := math.Hypot(mw, mh) * scale / 2
	x0, x1 := max(int(cx-r), 0), min(int(cx+r)+1, img.Rect.Dx())
	y0, y1 := max(int(cy-r), 0), min(int(cy+r)+1, img.Rect.Dy())
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= m.Rect.Dx() || y >= m.Rect.Dy() {
			return 0
		}
		return float64(m.Pix[y*m.Stride+x]) / 255
	}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			mx := (cos*dx+sin*dy)/scale + mw/2 - 0.5
			my := (-sin*dx+cos*dy)/scale + mh/2 - 0.5
			ix, iy := int(math.Floor(mx)), int(math.Floor(my))
			if ix < -1 || iy < -1 || ix >= m.Rect.Dx() || iy >= m.Rect.Dy() {
				continue
			}
			fx, fy := mx-float64(ix), my-float64(iy)
			a := (at(ix, iy)*(1-fx)+at(ix+1, iy)*fx)*(1-fy) + (at(ix, iy+1)*(1-fx)+at(ix+1, iy+1)*fx)*fy
			if a > 0 {
				blend(img, x, y, c, opacity*a)
			}
		}
	}
}

// portrait fills r with the photo (centre-cropped to the box) or a neutral silhouette.
func portrait(img *image.RGBA, r image.Rectangle, ph image.Image) {
	draw.Draw(img, r, image.NewUniform(color.RGBA{178, 34, 34, 255}), image.Point{}, draw.Src) // eKTP photos have a red backdrop
	if ph != nil {
		pb := ph.Bounds()
		scale := math.Max(float64(pb.Dx())/float64(r.Dx()), float64(pb.Dy())/float64(r.Dy()))
		scale = math.Min(scale, math.Min(float64(pb.Dx())/float64(r.Dx()), float64(pb.Dy())/float64(r.Dy())))
		cx, cy := float64(pb.Min.X)+float64(pb.Dx())/2, float64(pb.Min.Y)+float64(pb.Dy())/2
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				sx := int(cx + (float64(x-r.Min.X)-float64(r.Dx())/2)*scale)
				sy := int(cy + (float64(y-r.Min.Y)-float64(r.Dy())/2)*scale)
				img.Set(x, y, ph.At(sx, sy))
			}
		}
		return
	}
	skin := color.RGBA{214, 176, 150, 255}
	cloth := color.RGBA{40, 50, 70, 255}
	cx, w, h := float64(r.Min.X+r.Dx()/2), float64(r.Dx()), float64(r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, fy := (float64(x)-cx)/w, float64(y-r.Min.Y)/h
			switch {
			case sq(dx/0.22)+sq((fy-0.36)/0.22) <= 1: // head
				img.SetRGBA(x, y, skin)
			case fy > 0.62 && sq(dx/0.48)+sq((fy-1.05)/0.45) <= 1: // shoulders
				img.SetRGBA(x, y, cloth)
			}
		}
	}
}

func sq(v float64) float64 { return v * v }

func signature(img *image.RGBA, x, y, w, h float64, c color.RGBA) {
	for i := 0; i < 2000; i++ {
		t := float64(i) / 2000
		px := x + w*t
		py := y + h*0.5*math.Sin(t*19)*math.Cos(t*5) - h*0.3*t
		for d := -1; d <= 1; d++ {
			blend(img, int(px), int(py)+d, c, 0.8)
		}
	}
}

// watermark writes s diagonally across the whole card, semi-transparent.
func watermark(img *image.RGBA, s string, c color.RGBA, opacity float64) {
	b := img.Rect
	m := textMask(s, bold)
	scale := float64(b.Dx()) * 0.72 / float64(m.Rect.Dx())
	angle := -math.Atan2(float64(b.Dy()), float64(b.Dx())) * 0.8
	composite(img, m, float64(b.Dx())/2, float64(b.Dy())/2, scale, angle, c, opacity)
}
