package hqsync

import (
	"strconv"
	"time"
)

// CallRecord is everything the counter's history knows about a call at one
// state, personal fields included. EventFrom keeps only what may leave the
// PC; it is the one place that decision is made.
type CallRecord struct {
	CallID    string
	Seq       int
	StartedAt time.Time
	EndedAt   time.Time // zero while pending
	Product   string
	CustRefNo string
	Profile   string
	OSUser    string
	AppVersion,
	InstallID string

	Outcome      string
	ErrorKind    string
	ErrorMessage string // the gateway's text: may quote the customer; never sent
	HTTPStatus   int
	Attempts     int
	TrxID, RefID string

	NIK    string            // never sent
	Inputs map[string]string // validation inputs (name, birth date, address…): never sent
	// Result is the history's sealed result map: the OCR data for ID
	// recognize (never sent), {"live": "true"} for liveness, the
	// "match_*": "true|false" verdicts and "selfie_photo" score for
	// validation (sent as booleans and a number).
	Result map[string]string

	Resolution     string // billed | not_billed | ""
	ResolutionNote string // never sent: a clerk's free text
	ResolvedAt     time.Time
}

// EventFrom builds the event for r. Only the verdict is read from r.Result,
// and only for the product it belongs to, parsed into booleans and a
// number: an OCR field, an input or a message cannot reach an Event.
func EventFrom(r CallRecord) Event {
	e := Event{
		CallID: r.CallID, Seq: r.Seq, StartedAt: r.StartedAt.UTC(),
		Product: r.Product, CustRefNo: r.CustRefNo, OSUser: r.OSUser, Profile: r.Profile,
		AppVersion: r.AppVersion, InstallID: r.InstallID,
		Outcome: r.Outcome, ErrorKind: r.ErrorKind, HTTPStatus: r.HTTPStatus, Attempts: r.Attempts,
		TrxID: r.TrxID, RefID: r.RefID, Resolution: r.Resolution,
	}
	if !r.EndedAt.IsZero() {
		t := r.EndedAt.UTC()
		e.EndedAt = &t
	}
	if r.Resolution != "" && !r.ResolvedAt.IsZero() {
		t := r.ResolvedAt.UTC()
		e.ResolvedAt = &t
	}
	flag := func(k string) *bool {
		b, err := strconv.ParseBool(r.Result[k])
		if err != nil || (r.Result[k] != "true" && r.Result[k] != "false") {
			return nil
		}
		return &b
	}
	switch r.Product {
	case "passive-liveness":
		e.Live = flag("live")
	case "id-validation":
		e.MatchNIK = flag("match_nik")
		e.MatchFullName = flag("match_full_name")
		e.MatchBirthDate = flag("match_birth_date")
		e.MatchBirthPlace = flag("match_birth_place")
		e.MatchAddress = flag("match_address")
		if s, err := strconv.ParseFloat(r.Result["selfie_photo"], 64); err == nil && s >= 0 && s <= 100 {
			e.FaceScore = &s
		}
	}
	return Sanitize(e)
}
