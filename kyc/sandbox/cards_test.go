package sandbox

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"testing"

	"golang.org/x/image/draw"

	"kycdesk/kyc/photo/specimen"
)

// A specimen card reads as the person printed on it: the app's sample card as it is,
// re-saved small at a low quality, and a card printed for another registry person; an
// image that is no specimen card falls back to the pick by hash.
func TestRecognizeReadsThePersonOnTheCard(t *testing.T) {
	sample, err := os.ReadFile("../../resources/samples/specimen-ektp.jpg")
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	small := image.NewRGBA(image.Rect(0, 0, 800, 504))
	draw.CatmullRom.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
	var resaved bytes.Buffer
	if err := jpeg.Encode(&resaved, small, &jpeg.Options{Quality: 60}); err != nil {
		t.Fatal(err)
	}
	other := specimens[6] // AGUS SAMPEL PRASETYO, printed at another size than the references
	var printed bytes.Buffer
	if err := jpeg.Encode(&printed, specimen.Render(SpecimenCard(other), specimen.Options{Width: 1200}), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"sample card", sample, "SITI CONTOH SPESIMEN"},
		{"sample card re-saved at 800 px, q60", resaved.Bytes(), "SITI CONTOH SPESIMEN"},
		{"another person's card", printed.Bytes(), other.Name},
	} {
		v := judgeCard(c.data)
		if !v.plausible || v.card == nil || v.card.Name != c.want {
			got := "nothing"
			if v.card != nil {
				got = v.card.Name
			}
			t.Errorf("%s: read %s, want %s", c.name, got, c.want)
		}
	}
	// The sample selfie is no card: the pick by hash, as before.
	selfie, err := os.ReadFile("../../resources/samples/sample-selfie.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if v := judgeCard(selfie); !v.plausible || v.card != nil {
		t.Errorf("the selfie read as a card: %+v", v)
	}
}

// The sample card's person is in the registry, so validating the card's data matches.
func TestSampleCardPersonIsInTheRegistry(t *testing.T) {
	sample, err := os.ReadFile("../../resources/samples/specimen-ektp.jpg")
	if err != nil {
		t.Fatal(err)
	}
	v := judgeCard(sample)
	if v.card == nil || v.card.NIK != specimen.Default().NIK {
		t.Fatalf("%+v", v)
	}
	if _, ok := registryByNIK[specimen.Default().NIK]; !ok {
		t.Fatal("the sample card's person is not in the registry: validating the card's data would fail")
	}
}
