// Package hqsync sends each counter's call metadata to the head office's
// PostgreSQL and brings head office's resolutions back.
//
// What leaves the PC is Event: product, reference, outlet and counter (stamped
// by the database from the login), the OS user, times, outcome, error kind,
// HTTP status, attempts, trx_id, ref_id, the verdict without personal fields
// (live or not, which validation fields matched, the face score), app version
// and profile. Never a NIK, a name, an address, an OCR field or a photo: Event
// has no field that could hold one, free-text fields are checked (a
// reference holding a NIK-like 16-digit number is redacted, error kinds are
// kept to the known vocabulary), and the tests scan the central database
// for the personal values they used.
//
// The Sender reads the local outbox (kyc/history keeps it: every state
// change of a call is queued in the same SQLite transaction that records it),
// pushes batches through kyc.ingest (idempotent, ordered per call by Seq),
// acknowledges them, then pulls the resolutions head office made for this
// counter's calls. It runs in its own goroutine, backs off while the server is
// down and picks up where it stopped after a restart: a clerk's call never
// waits for it.
package hqsync

import (
	"regexp"
	"strings"
	"time"
)

// Event is one state change of one call, carrying the call's whole
// non-personal state after the change. Seq counts a call's changes (1 when it
// is recorded as pending, 2 when it completes, then one per later change such
// as a manual resolution); head office keeps the highest Seq it has seen.
type Event struct {
	// ID is the outbox's id (local; acknowledged after delivery, never sent).
	ID int64 `json:"-"`

	CallID    string     `json:"call_id"` // a UUID made when the call is recorded
	Seq       int        `json:"seq"`
	StartedAt time.Time  `json:"started_at"` // the counter's clock; the same in every event of a call
	EndedAt   *time.Time `json:"ended_at,omitempty"`

	Product    string `json:"product"`
	CustRefNo  string `json:"cust_ref_no"`
	OSUser     string `json:"os_user,omitempty"`
	Profile    string `json:"profile,omitempty"`
	AppVersion string `json:"app_version,omitempty"`
	InstallID  string `json:"install_id,omitempty"` // random per local history: a reinstall shows

	Outcome    string `json:"outcome"` // pending|success|rejected|failed|unknown
	ErrorKind  string `json:"error_kind,omitempty"`
	HTTPStatus int    `json:"http_status,omitempty"`
	Attempts   int    `json:"attempts"`
	TrxID      string `json:"trx_id,omitempty"`
	RefID      string `json:"ref_id,omitempty"`

	// The verdict without personal fields.
	Live            *bool    `json:"live,omitempty"`
	MatchNIK        *bool    `json:"match_nik,omitempty"`
	MatchFullName   *bool    `json:"match_full_name,omitempty"`
	MatchBirthDate  *bool    `json:"match_birth_date,omitempty"`
	MatchBirthPlace *bool    `json:"match_birth_place,omitempty"`
	MatchAddress    *bool    `json:"match_address,omitempty"`
	FaceScore       *float64 `json:"face_score,omitempty"`

	// Resolution made at the counter ("billed"/"not_billed"; head office's
	// own resolutions win). Notes stay on the PC: a clerk's free text may name
	// the customer.
	Resolution string     `json:"resolution,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// Resolution is head office's decision on one of this counter's calls.
type Resolution struct {
	ID         int64     // increasing per database; the outbox keeps the last applied
	CallID     string    //
	Resolution string    // billed | not_billed
	Note       string    // head office's note
	ResolvedBy string    // head office login
	ResolvedAt time.Time //
}

var knownKinds = map[string]bool{
	"invalid_input": true, "unauthorized": true, "product_not_activated": true, "quota_exceeded": true,
	"product_not_approved": true, "gateway_error": true, "not_found": true, "server_error": true,
	"unavailable": true, "gateway_timeout": true, "timeout": true, "connection": true,
	"malformed_response": true, "canceled": true, "history_unavailable": true, "interrupted": true, "panic": true,
}

// nikLike is a run of exactly 16 digits: what a NIK looks like. Generated
// references are 20 digits and are not touched.
var nikLike = regexp.MustCompile(`(^|[^0-9])([0-9]{16})([^0-9]|$)`)

// Redacted replaces a NIK-like number in a reference.
const Redacted = "[NIK]"

// Sanitize returns e as it may leave the PC: error kinds outside the known
// vocabulary become "other" (a kind is a fixed word, never a message), a
// NIK-like number in the reference is redacted, and free-text fields are cut
// to the lengths head office accepts.
func Sanitize(e Event) Event {
	if e.ErrorKind != "" && !knownKinds[e.ErrorKind] {
		e.ErrorKind = "other"
	}
	for nikLike.MatchString(e.CustRefNo) {
		e.CustRefNo = nikLike.ReplaceAllString(e.CustRefNo, "${1}"+Redacted+"${3}")
	}
	e.CustRefNo = cut(e.CustRefNo, 128)
	e.OSUser = cut(e.OSUser, 128)
	e.Profile = cut(e.Profile, 128)
	e.TrxID = cut(e.TrxID, 64)
	e.RefID = cut(e.RefID, 64)
	e.AppVersion = cut(e.AppVersion, 64)
	e.InstallID = cut(e.InstallID, 64)
	if e.Resolution != "billed" && e.Resolution != "not_billed" {
		e.Resolution, e.ResolvedAt = "", nil
	}
	return e
}

func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
