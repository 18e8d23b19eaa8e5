package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// The gateway's envelopes. Structs (not maps) keep the field order of the
// documentation, which makes answers easy to read and compare.

type successEnvelope struct {
	StatusCode string         `json:"statusCode"` // always SUCCESSFUL
	Content    successContent `json:"content"`
}

type successContent struct {
	Result any `json:"result"`
}

type errorEnvelope struct {
	StatusCode            string         `json:"statusCode"` // always ERROR
	ResponseStatusDetails []statusDetail `json:"responseStatusDetails"`
}

type statusDetail struct {
	Description string `json:"description"`
	Type        string `json:"type"`
}

// stamp is the part every successful result carries.
type stamp struct {
	TrxID     string `json:"trx_id"`
	RefID     string `json:"ref_id"`
	Timestamp int64  `json:"timestamp"`
}

// livenessResult: "result" is the string "True"/"False", as the real
// gateway sends it.
type livenessResult struct {
	Status string `json:"status"`
	Result string `json:"result"`
	stamp
}

type recognizeResult struct {
	Status string `json:"status"`
	Result string `json:"result"`
	// Data is *ocrFields, or an empty object when nothing was read: clients
	// rightly treat a recognize answer without a data object as malformed.
	Data any `json:"data"`
	stamp
}

// ocrFields is the 16-key OCR answer in card order.
type ocrFields struct {
	NIK              string `json:"nik"`
	Nama             string `json:"nama"`
	TempatLahir      string `json:"tempat_lahir"`
	TanggalLahir     string `json:"tanggal_lahir"`
	JenisKelamin     string `json:"jenis_kelamin"`
	GolDarah         string `json:"gol_darah"`
	Alamat           string `json:"alamat"`
	RTRW             string `json:"rt/rw"`
	KelurahanDesa    string `json:"kelurahan/desa"`
	Kecamatan        string `json:"kecamatan"`
	Agama            string `json:"agama"`
	StatusPerkawinan string `json:"status_perkawinan"`
	Pekerjaan        string `json:"pekerjaan"`
	Kewarganegaraan  string `json:"kewarganegaraan"`
	Provinsi         string `json:"provinsi"`
	Kota             string `json:"kota"`
}

func ocrOf(p Person) *ocrFields {
	return &ocrFields{p.NIK, p.Name, p.BirthPlace, p.BirthDate, p.Sex, p.BloodType, p.Address,
		p.RTRW, p.Village, p.District, p.Religion, p.MaritalStatus, p.Occupation,
		p.Citizenship, p.Province, p.City}
}

// validationResult: per-field JSON booleans and an integer selfie score, as
// documented. Fields the caller did not submit are omitted (not checked);
// nik is always present because it is required.
type validationResult struct {
	Status string          `json:"status"`
	Data   validationMatch `json:"data"`
	stamp
}

type validationMatch struct {
	NIK         bool  `json:"nik"`
	FullName    *bool `json:"full_name,omitempty"`
	BirthDate   *bool `json:"birth_date,omitempty"`
	BirthPlace  *bool `json:"birth_place,omitempty"`
	Address     *bool `json:"address,omitempty"`
	SelfiePhoto *int  `json:"selfie_photo,omitempty"`
}

func successBody(result any) []byte {
	b, err := json.Marshal(successEnvelope{StatusCode: "SUCCESSFUL", Content: successContent{Result: result}})
	if err != nil { // only plain structs of strings, bools and ints: cannot fail
		panic("sandbox: marshal success envelope: " + err.Error())
	}
	return b
}

func errorBody(description string) []byte {
	b, _ := json.Marshal(errorEnvelope{
		StatusCode:            "ERROR",
		ResponseStatusDetails: []statusDetail{{Description: description, Type: "Exception"}},
	})
	return b
}

// httpErrorBody is the small JSON body of a non-200 answer. It never echoes
// anything from the request.
func httpErrorBody(status int) []byte {
	b, _ := json.Marshal(map[string]any{"status": status, "error": http.StatusText(status)})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeHTTPError(w http.ResponseWriter, status int) {
	writeJSON(w, status, httpErrorBody(status))
}
