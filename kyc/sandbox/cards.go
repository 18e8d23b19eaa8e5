package sandbox

import (
	"image"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/draw"

	"kycdesk/kyc/photo/specimen"
)

// The sandbox recognises the specimen cards the project renders (the app's sample card,
// cards printed for training): ID recognize returns the person printed on the card, so
// a trainee never learns to ignore a mismatch between the card and the form. Any other
// image falls back to the deterministic pick by hash.
//
// Recognition compares a perceptual signature of the NIK and name lines (signature).
// It survives re-encoding, resizing and the app's preparation. Measured (cards_test.go):
// the sample card, and the same card at 800 px re-saved at JPEG quality 60, sit at a
// mean distance of 1.9–2.0 from their own card's signature and 7.0 or more from any
// other; a card printed at 1200 px at 1.9 from its own; two different specimen cards
// are at least 5.9 apart.
const (
	// cardRenderWidth renders the reference cards: half the sample card's 1600 px.
	cardRenderWidth = 800
	// maxCardDistance and minCardMargin decide a match: close to one card, and clearly
	// closer to it than to any other.
	maxCardDistance = 3.5
	minCardMargin   = 2.5
	// cardAspect and cardAspectSlack: an image whose shape is not a card's (a card on
	// a table, a selfie) is not compared at all.
	cardAspect      = 85.60 / 53.98
	cardAspectSlack = 0.08
)

// SpecimenCard is how the project prints a registry person on a specimen card: the
// card header in the eKTP's short form ("PROVINSI DKI JAKARTA" / "JAKARTA SELATAN").
// The person of the app's sample card is printed exactly as specimen.Default.
func SpecimenCard(p Person) specimen.Person {
	d := specimen.Default()
	if p.NIK == d.NIK {
		return d
	}
	prov := p.Province
	if prov == provDKI {
		prov = "DKI JAKARTA"
	}
	city := strings.TrimPrefix(p.City, "KOTA ADMINISTRASI ")
	return specimen.Person{
		Province: "PROVINSI " + prov, City: city,
		NIK: p.NIK, Name: p.Name, BirthPlace: p.BirthPlace, BirthDate: p.BirthDate,
		Sex: p.Sex, BloodType: p.BloodType, Address: p.Address, RTRW: p.RTRW,
		Village: p.Village, District: p.District, Religion: p.Religion, Marital: p.MaritalStatus,
		Job: p.Occupation, Nationality: p.Citizenship, ValidUntil: "SEUMUR HIDUP",
		IssuedCity: city, IssuedDate: "12-08-2017",
	}
}

type cardSig []float32

var (
	cardSigsOnce sync.Once
	cardSigs     []cardSig // one per specimens entry
)

// warmCards renders the reference signatures (about a second of CPU): the server starts
// it in the background, so the first recognize rarely waits.
func warmCards() { cardSigsOnce.Do(computeCardSigs) }

func computeCardSigs() {
	sigs := make([]cardSig, len(specimens))
	var wg sync.WaitGroup
	for i := range specimens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sigs[i] = signature(specimen.Render(SpecimenCard(specimens[i]), specimen.Options{Width: cardRenderWidth}))
		}(i)
	}
	wg.Wait()
	cardSigs = sigs
}

// signature describes a card by what differs from one person to the next: the NIK line
// and the name line, each cut out and shrunk to a fixed grid of grey levels, less their
// mean. (The whole card shrunk is not enough: two Jakarta cards differ only in a few
// small letters.) Bands are in the card's layout units (1000 wide, see specimen).
func signature(img image.Image) cardSig {
	b := img.Bounds()
	u := float64(b.Dx()) / 1000
	var out cardSig
	for _, band := range []struct {
		x0, y0, x1, y1 float64
		w, h           int
	}{
		{200, 108, 740, 160, 216, 20}, // ": 3174015408900001"
		{245, 176, 745, 204, 200, 12}, // ": SITI CONTOH SPESIMEN"
	} {
		r := image.Rect(b.Min.X+int(band.x0*u), b.Min.Y+int(band.y0*u), b.Min.X+int(band.x1*u), b.Min.Y+int(band.y1*u))
		g := image.NewGray(image.Rect(0, 0, band.w, band.h))
		draw.BiLinear.Scale(g, g.Bounds(), img, r, draw.Src, nil)
		var sum float64
		for _, v := range g.Pix {
			sum += float64(v)
		}
		m := float32(sum / float64(len(g.Pix)))
		for _, v := range g.Pix {
			out = append(out, float32(v)-m)
		}
	}
	return out
}

func (a cardSig) distance(b cardSig) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s / float64(len(a))
}

// recogniseCard returns the registry person whose specimen card img shows, if it shows
// one.
func recogniseCard(img image.Image) (Person, bool) {
	b := img.Bounds()
	if b.Dx() == 0 || b.Dy() == 0 || math.Abs(float64(b.Dx())/float64(b.Dy())-cardAspect) > cardAspectSlack*cardAspect {
		return Person{}, false
	}
	warmCards()
	s := signature(img)
	best, second, bi := math.Inf(1), math.Inf(1), -1
	for i, c := range cardSigs {
		d := s.distance(c)
		switch {
		case d < best:
			second, best, bi = best, d, i
		case d < second:
			second = d
		}
	}
	if bi < 0 || best > maxCardDistance || second-best < minCardMargin {
		return Person{}, false
	}
	return specimens[bi], true
}
