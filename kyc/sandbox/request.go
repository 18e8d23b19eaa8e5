package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// request is the union of the three products' bodies. Unknown fields are
// ignored, as the real gateway must for other products' fields.
type request struct {
	CustRefNo   flexString `json:"cust_ref_no"`
	SelfieImage string     `json:"selfie_image"`
	IDImage     string     `json:"id_image"`
	NIK         flexString `json:"nik"`
	Name        string     `json:"name"`
	BirthDate   string     `json:"birth_date"`
	BirthPlace  string     `json:"birth_place"`
	Address     string     `json:"address"`
}

// flexString accepts a JSON string or a JSON number (kept as its exact
// text, never through float64): the documentation types nik as "Integer"
// and sends it as a string, and merchants' reference numbers are often
// digits.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return errors.New("expected a string or a number")
		}
		*f = flexString(n.String())
		return nil
	}
}

// Descriptions of the ERROR envelopes the sandbox sends for bad requests.
// The real gateway's wording is not documented; these are meant to tell a
// developer exactly what to fix.
const (
	DescBadContentType = "Content-Type must be application/json"
	DescBadJSON        = "Invalid request body: expected a JSON object"
	DescNoCustRef      = "cust_ref_no is required"
	DescNoNIK          = "nik is required"
	DescBadNIK         = "nik must be 16 digits"
)

// descMissing and descBadBase64 name the image field at fault.
func descMissing(field string) string   { return field + " is required" }
func descBadBase64(field string) string { return field + " is not valid base64" }

func parseRequest(body []byte) (request, string) {
	var req request
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return req, DescBadJSON
	}
	if err := json.Unmarshal(trimmed, &req); err != nil {
		return req, DescBadJSON
	}
	req.CustRefNo = flexString(strings.TrimSpace(string(req.CustRefNo)))
	if req.CustRefNo == "" {
		return req, DescNoCustRef
	}
	return req, ""
}
