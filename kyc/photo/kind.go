package photo

import "fmt"

// Kind is what the photo is of; it decides the target size, the byte budget and the checks.
type Kind int

// Kinds.
const (
	KindID     Kind = iota + 1 // the eKTP card (ID recognize / OCR)
	KindSelfie                 // the customer's face (passive liveness, ID validation)
)

func (k Kind) String() string {
	switch k {
	case KindID:
		return "id"
	case KindSelfie:
		return "selfie"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind accepts the CLI spellings "id" and "selfie".
func ParseKind(s string) (Kind, error) {
	switch s {
	case "id", "ktp", "ektp":
		return KindID, nil
	case "selfie":
		return KindSelfie, nil
	}
	return 0, fmt.Errorf("photo: unknown kind %q (want id or selfie)", s)
}

// Target is what a prepared image of a kind must satisfy.
type Target struct {
	LongEdge int // pixels; the image is downscaled to this, never upscaled
	MaxBytes int // JPEG size budget, before base64
}

// TargetFor returns the output target of a kind. ID cards keep 1600 px so the eKTP's 7-point
// small print stays legible for OCR; selfies need far less for a face ≥ 150 px.
func TargetFor(k Kind) Target {
	if k == KindID {
		return Target{LongEdge: 1600, MaxBytes: 700_000}
	}
	return Target{LongEdge: 1280, MaxBytes: 500_000}
}
