package kyc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The gateway's documented ERROR descriptions (spec: "Error envelope").
const (
	descNotActivated = "Product is not activated. Please Check Available Products in Manage Product Menu"
	descQuota        = "Quota Exceeded"
	descNotApproved  = "Product is not activated yet by Admin"
)

// envelope is the outer shape of every 200 answer.
type envelope struct {
	StatusCode *string `json:"statusCode"`
	Content    *struct {
		Result json.RawMessage `json:"result"`
	} `json:"content"`
	Details []struct {
		Description string `json:"description"`
		Type        string `json:"type"`
	} `json:"responseStatusDetails"`
}

// result is content.result, loosely typed: the gateway mixes strings, numbers and
// booleans for the same ideas, so each field is interpreted on its own.
type result struct {
	Status    json.RawMessage `json:"status"`
	Result    json.RawMessage `json:"result"`
	Data      json.RawMessage `json:"data"`
	TrxID     json.RawMessage `json:"trx_id"`
	RefID     json.RawMessage `json:"ref_id"`
	Timestamp json.RawMessage `json:"timestamp"`
}

// bareSuccess matches the one piece of invalid JSON the documentation itself shows:
// the validation sample's `"status": success`, a bare word where a string belongs.
var bareSuccess = regexp.MustCompile(`("status"\s*:\s*)success(\s*[,}])`)

// parseEnvelope decodes a 200 body. Decision (README, "Sloppy answers"): the exact
// bare-word form `"status": success` from the vendor's own sample is repaired and
// accepted, because a server that was templated from that sample would otherwise have
// every billed validation reported as "unknown". The repair only quotes that one word
// and only when the body is not valid JSON as sent; every other invalid body is
// malformed_response with outcome unknown.
func parseEnvelope(body []byte) (*envelope, error) {
	var env envelope
	err := strictUnmarshal(body, &env)
	if err != nil {
		repaired := bareSuccess.ReplaceAll(body, []byte(`$1"success"$2`))
		if bytes.Equal(repaired, body) || strictUnmarshal(repaired, &env) != nil {
			return nil, fmt.Errorf("body is not valid JSON: %w", err)
		}
	}
	return &env, nil
}

// strictUnmarshal decodes exactly one JSON object, rejecting trailing data (a body cut
// and glued by a proxy is not an answer we understood).
func strictUnmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON object")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err == nil {
		return fmt.Errorf("trailing data after the JSON object")
	}
	return nil
}

// classifyError maps an ERROR envelope to its kind. Matching is case- and
// space-insensitive so a reformatted description is still recognised.
func classifyError(description string) ErrorKind {
	d := normalizeSpace(description)
	switch {
	case d == normalizeSpace(descQuota) || strings.Contains(d, "quota exceeded"):
		return KindQuotaExceeded
	case d == normalizeSpace(descNotApproved) || strings.Contains(d, "not activated yet by admin"):
		return KindProductNotApproved
	case d == normalizeSpace(descNotActivated) || strings.HasPrefix(d, "product is not activated"):
		return KindProductNotActivated
	}
	return KindGatewayError
}

func normalizeSpace(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// flexBool reads the gateway's booleans: true/false, "True"/"False", "true"/"false".
// present is false when the value is absent or null. Any other value is present and not
// a pass (value false): an answer we cannot read as "yes" must never count as one.
func flexBool(raw json.RawMessage) (value, present bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return false, false
	}
	switch string(raw) {
	case "true", `"True"`, `"true"`, `"TRUE"`:
		return true, true
	}
	return false, true
}

// flexString reads a string, or a number kept as its exact text (trx_id and ref_id are
// digit strings that a careless server might send as numbers).
func flexString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String(), true
		}
	}
	return "", false
}

// flexFloat reads a number or a numeric string.
func flexFloat(raw json.RawMessage) (float64, bool) {
	s, ok := flexString(raw)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// flexInt64 reads an integer timestamp sent as a number or a string.
func flexInt64(raw json.RawMessage) (int64, bool) {
	s, ok := flexString(raw)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return 0, false
		}
		return int64(f), true
	}
	return n, true
}

// answer is a successfully decoded SUCCESSFUL envelope, product-independent part.
type answer struct {
	res  result
	meta Meta
}

// decodeAnswer turns a 200 body into an answer, or an *Error for ERROR envelopes
// (rejected) and anything we cannot fully understand (malformed, outcome unknown).
func decodeAnswer(body []byte) (*answer, *Error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, malformed("%v", err)
	}
	if env.StatusCode == nil {
		return nil, malformed("no statusCode in the answer")
	}
	switch strings.ToUpper(strings.TrimSpace(*env.StatusCode)) {
	case "SUCCESSFUL":
	case "ERROR":
		desc := ""
		if len(env.Details) > 0 {
			desc = strings.TrimSpace(env.Details[0].Description)
		}
		kind := classifyError(desc)
		msg := desc
		if msg == "" {
			msg = "the gateway answered ERROR without a description"
		}
		return nil, &Error{Kind: kind, Outcome: OutcomeRejected, Description: desc, Message: msg}
	default:
		return nil, malformed("unexpected statusCode %q", truncate(*env.StatusCode, 40))
	}
	if env.Content == nil || len(bytes.TrimSpace(env.Content.Result)) == 0 {
		return nil, malformed("SUCCESSFUL answer without content.result")
	}
	var res result
	if err := json.Unmarshal(env.Content.Result, &res); err != nil {
		return nil, malformed("content.result is not an object")
	}
	a := &answer{res: res}
	a.meta.Status, _ = flexString(res.Status)
	a.meta.TrxID, _ = flexString(res.TrxID)
	a.meta.RefID, _ = flexString(res.RefID)
	a.meta.Timestamp, _ = flexInt64(res.Timestamp)
	return a, nil
}

func (a *answer) liveness(r *LivenessResult) *Error {
	live, present := flexBool(a.res.Result)
	if !present {
		return malformed("liveness answer without a result")
	}
	r.Live = live
	r.RawResult, _ = flexString(a.res.Result)
	if r.RawResult == "" {
		r.RawResult = string(bytes.TrimSpace(a.res.Result))
	}
	return nil
}

func (a *answer) recognize(r *RecognizeResult) *Error {
	var data map[string]json.RawMessage
	if err := json.Unmarshal(a.res.Data, &data); err != nil || data == nil {
		return malformed("ID recognize answer without a data object")
	}
	r.Identity = make(Identity, len(data))
	for k, v := range data {
		if s, ok := flexString(v); ok {
			r.Identity[k] = s
		} else if t := string(bytes.TrimSpace(v)); t != "null" {
			r.Identity[k] = t
		}
	}
	if ok, present := flexBool(a.res.Result); present {
		r.Recognized = ok
	} else {
		// The documented answer always has "result"; without it, data is the verdict.
		r.Recognized = r.Identity["nik"] != ""
	}
	return nil
}

func (a *answer) validation(r *ValidationResult) *Error {
	var data map[string]json.RawMessage
	if err := json.Unmarshal(a.res.Data, &data); err != nil || data == nil {
		return malformed("ID validation answer without a data object")
	}
	field := func(key string) *bool {
		v, present := flexBool(data[key])
		if !present {
			return nil
		}
		return &v
	}
	r.Match = Match{
		NIK:        field("nik"),
		FullName:   field("full_name"),
		BirthDate:  field("birth_date"),
		BirthPlace: field("birth_place"),
		Address:    field("address"),
	}
	if raw, ok := data["selfie_photo"]; ok {
		if f, ok := flexFloat(raw); ok {
			r.Match.SelfiePhoto = &f
		} else if s := string(bytes.TrimSpace(raw)); s != "null" {
			return malformed("selfie_photo is not a number")
		}
	}
	if r.Match.NIK == nil {
		return malformed("ID validation answer without a nik verdict")
	}
	return nil
}

func malformed(format string, args ...any) *Error {
	return &Error{Kind: KindMalformedResponse, Outcome: OutcomeUnknown,
		Message: "the gateway's answer could not be understood (the call may have been billed): " + fmt.Sprintf(format, args...)}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
