package kyc

import (
	"time"
)

// Product is one of the gateway's three paid products. Its value is the product's name
// in the headless commands' JSON and in the history.
type Product string

const (
	ProductLiveness     Product = "passive-liveness"
	ProductIDRecognize  Product = "id-recognize"
	ProductIDValidation Product = "id-validation"
)

// Products lists the products in the order a guided onboarding runs them.
var Products = []Product{ProductIDRecognize, ProductLiveness, ProductIDValidation}

// path is the endpoint below the base URL.
func (p Product) path() string { return "/api/" + string(p) }

// Valid reports whether p is one of the three known products.
func (p Product) Valid() bool {
	switch p {
	case ProductLiveness, ProductIDRecognize, ProductIDValidation:
		return true
	}
	return false
}

// LivenessRequest asks whether a selfie shows a live person.
type LivenessRequest struct {
	// CustRefNo is the merchant's reference; empty means "generate one" (see NewRefNo).
	CustRefNo string
	// SelfieImage is the prepared selfie, base64 (standard alphabet, no line breaks).
	SelfieImage string
}

// RecognizeRequest asks for the OCR of an eKTP photo.
type RecognizeRequest struct {
	CustRefNo string
	// IDImage is the prepared card photo, base64.
	IDImage string
}

// ValidationRequest checks a person against the civil registry. Only NIK is required;
// empty optional fields are left out of the request body, not sent empty.
type ValidationRequest struct {
	CustRefNo   string
	NIK         string
	Name        string
	BirthDate   string // DD-MM-YYYY
	BirthPlace  string
	Address     string
	SelfieImage string // base64, optional
}

// Meta is what every call reports, whatever its outcome. It is filled even when the
// call fails, so the caller can always put the attempt on record.
type Meta struct {
	Product   Product
	CustRefNo string
	Outcome   Outcome
	// Attempts counts the tries made, connection failures included; 0 means none was
	// made (refused locally). Outcome, not Attempts, says whether anything was sent.
	Attempts   int
	HTTPStatus int
	TrxID      string
	RefID      string
	// Timestamp is the gateway's timestamp in Unix milliseconds, 0 if absent.
	Timestamp int64
	// Status is the result's own "status" word ("success" in every documented sample).
	Status   string
	Duration time.Duration
	// Unencrypted is true when the call went over plain http (some merchants run the
	// gateway on their LAN); the UI and the commands say so.
	Unencrypted bool
}

// LivenessResult is the answer of passive liveness.
type LivenessResult struct {
	Meta
	// Live is true only for the gateway's true forms (true, "True", "true").
	Live bool
	// RawResult keeps the gateway's "result" value as sent, for the record.
	RawResult string
}

// Identity holds the OCR of an eKTP under the gateway's own keys ("nik", "nama",
// "rt/rw", "kelurahan/desa", …). Values that were not JSON strings are kept as their
// JSON text. Unknown keys are kept too: nothing the gateway sends is dropped.
type Identity map[string]string

// IdentityKeys are the 16 documented OCR keys in the order an eKTP prints them.
var IdentityKeys = []string{
	"nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "gol_darah",
	"alamat", "rt/rw", "kelurahan/desa", "kecamatan", "agama", "status_perkawinan",
	"pekerjaan", "kewarganegaraan", "provinsi", "kota",
}

// RecognizeResult is the answer of ID recognize.
type RecognizeResult struct {
	Meta
	// Recognized is the gateway's "result" verdict (true forms only).
	Recognized bool
	Identity   Identity
}

// Match holds ID validation's per-field verdicts. A nil field was not in the answer
// (typically because the request left that optional field out).
type Match struct {
	NIK         *bool    `json:"nik,omitempty"`
	FullName    *bool    `json:"full_name,omitempty"`
	BirthDate   *bool    `json:"birth_date,omitempty"`
	BirthPlace  *bool    `json:"birth_place,omitempty"`
	Address     *bool    `json:"address,omitempty"`
	SelfiePhoto *float64 `json:"selfie_photo,omitempty"`
}

// ValidationResult is the answer of ID validation.
type ValidationResult struct {
	Meta
	Match Match
}

// Passed reports whether every returned field matched and, when a selfie score was
// returned, it reached threshold (the merchant's setting; 75 is the common default).
func (m Match) Passed(threshold float64) bool {
	for _, b := range []*bool{m.NIK, m.FullName, m.BirthDate, m.BirthPlace, m.Address} {
		if b != nil && !*b {
			return false
		}
	}
	if m.NIK == nil {
		return false
	}
	return m.SelfiePhoto == nil || *m.SelfiePhoto >= threshold
}
