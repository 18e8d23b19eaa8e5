package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/service"
)

// report is the --json object (DESIGN.md, "Headless commands"). Keys listed there are
// always present except the product-specific ones and error; the rest are additions
// that scripts may ignore.
type report struct {
	Product    kyc.Product  `json:"product"`
	CustRefNo  string       `json:"cust_ref_no"`
	Outcome    kyc.Outcome  `json:"outcome"`
	Attempts   int          `json:"attempts"`
	HTTPStatus int          `json:"http_status"`
	TrxID      string       `json:"trx_id"`
	RefID      string       `json:"ref_id"`
	Timestamp  int64        `json:"timestamp"`
	Live       *bool        `json:"live,omitempty"`
	Identity   kyc.Identity `json:"identity,omitempty"`
	Match      *kyc.Match   `json:"match,omitempty"`
	Error      *reportError `json:"error,omitempty"`

	Server      string       `json:"server,omitempty"`
	Profile     string       `json:"profile,omitempty"`
	Unencrypted bool         `json:"unencrypted,omitempty"`
	DurationMS  int64        `json:"duration_ms"`
	Images      []imageInfo  `json:"images,omitempty"`
	Findings    []findingOut `json:"findings,omitempty"`
	// Warnings are standing problems of the installation (settings in doubt, a
	// damaged history set aside), also printed on stderr.
	Warnings []string `json:"warnings,omitempty"`
}

type reportError struct {
	Kind    kyc.ErrorKind `json:"kind"`
	Message string        `json:"message"`
}

// findingOut is a local check's result (a NIK consistency warning, an image finding).
type findingOut struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

func newReport(p kyc.Product, ref string) *report {
	return &report{Product: p, CustRefNo: ref, Outcome: kyc.OutcomeFailed}
}

// fromMeta copies what the client reported.
func (r *report) fromMeta(m kyc.Meta) {
	if m.CustRefNo != "" {
		r.CustRefNo = m.CustRefNo
	}
	if m.Outcome != "" {
		r.Outcome = m.Outcome
	}
	r.Attempts, r.HTTPStatus = m.Attempts, m.HTTPStatus
	r.TrxID, r.RefID, r.Timestamp = m.TrxID, m.RefID, m.Timestamp
	r.Unencrypted = m.Unencrypted
	r.DurationMS = m.Duration.Milliseconds()
}

// fail records err in the report and returns the exit code it implies.
func (r *report) fail(err error) int {
	var ke *kyc.Error
	if !errors.As(err, &ke) {
		ke = &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	if ke.Outcome != "" {
		r.Outcome = ke.Outcome
	}
	msg := ke.Message
	if msg == "" {
		msg = ke.Error()
	} else if ke.Err != nil && ke.Kind != kyc.KindInvalidInput {
		msg += " (" + ke.Err.Error() + ")"
	}
	r.Error = &reportError{Kind: ke.Kind, Message: msg}
	return exitCode(ke)
}

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ke *kyc.Error
	if !errors.As(err, &ke) {
		return ExitUnknown
	}
	switch {
	case ke.Kind == kyc.KindUnauthorized:
		return ExitUnauthorized
	case ke.Kind == kyc.KindInvalidInput && ke.Outcome == kyc.OutcomeFailed,
		ke.Kind == service.KindConsentRequired, ke.Kind == service.KindSettings:
		return ExitUsage // bad local input (a missing consent, damaged settings): nothing sent
	case ke.Outcome == kyc.OutcomeUnknown:
		return ExitUnknown
	case ke.Kind == kyc.KindNotFound, ke.Outcome == kyc.OutcomeFailed:
		return ExitFailed
	case ke.Outcome == kyc.OutcomeRejected:
		return ExitRejected
	}
	return ExitUnknown
}

// print writes the report: one JSON object, or lines for a person.
func (r *report) print(w io.Writer, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(r)
		return
	}
	title := map[kyc.Product]string{
		kyc.ProductLiveness:     "Passive liveness",
		kyc.ProductIDRecognize:  "ID recognize (eKTP OCR)",
		kyc.ProductIDValidation: "ID validation",
	}[r.Product]
	verdict := ""
	switch {
	case r.Error != nil:
		verdict = strings.ToUpper(string(r.Outcome))
	case r.Live != nil && *r.Live:
		verdict = "LIVE"
	case r.Live != nil:
		verdict = "NOT LIVE"
	case r.Identity != nil:
		verdict = "READ"
	case r.Match != nil:
		verdict = "ANSWERED"
	}
	fmt.Fprintf(w, "%s: %s\n", title, verdict)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-13s %s\n", k, v)
		}
	}
	row("reference", r.CustRefNo)
	row("gateway", strings.TrimSpace(r.Server+" "+parenthesize(r.Profile)))
	row("trx_id", r.TrxID)
	row("ref_id", r.RefID)
	if r.Timestamp > 0 {
		row("time", time.UnixMilli(r.Timestamp).Format("2006-01-02 15:04:05 MST"))
	}
	status := ""
	if r.HTTPStatus > 0 {
		status = fmt.Sprintf(", HTTP %d", r.HTTPStatus)
	}
	row("outcome", fmt.Sprintf("%s (%d attempt%s%s, %d ms)", r.Outcome, r.Attempts, plural(r.Attempts), status, r.DurationMS))
	for _, im := range r.Images {
		row(im.Kind+" image", fmt.Sprintf("%d×%d px, %s, JPEG q%d", im.Width, im.Height, humanBytes(im.Bytes), im.Quality))
	}
	if r.Identity != nil {
		fmt.Fprintln(w, "  identity:")
		keys := append([]string(nil), kyc.IdentityKeys...)
		extra := []string{}
		for k := range r.Identity {
			if !contains(kyc.IdentityKeys, k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range append(keys, extra...) {
			if v, ok := r.Identity[k]; ok {
				fmt.Fprintf(w, "    %-18s %s\n", k, v)
			}
		}
	}
	if m := r.Match; m != nil {
		fmt.Fprintln(w, "  match:")
		for _, f := range []struct {
			k string
			v *bool
		}{{"nik", m.NIK}, {"full_name", m.FullName}, {"birth_date", m.BirthDate}, {"birth_place", m.BirthPlace}, {"address", m.Address}} {
			if f.v == nil {
				fmt.Fprintf(w, "    %-12s not checked\n", f.k)
			} else if *f.v {
				fmt.Fprintf(w, "    %-12s ✓ match\n", f.k)
			} else {
				fmt.Fprintf(w, "    %-12s ✗ no match\n", f.k)
			}
		}
		if m.SelfiePhoto != nil {
			fmt.Fprintf(w, "    %-12s %g\n", "selfie_photo", *m.SelfiePhoto)
		}
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "  %-8s %s\n", f.Severity+":", f.Message)
	}
	if r.Unencrypted {
		fmt.Fprintln(w, "  warning:  the gateway was reached over plain http (unencrypted)")
	}
	if r.Error != nil {
		fmt.Fprintf(w, "  error:    %s: %s\n", r.Error.Kind, r.Error.Message)
		if r.Outcome == kyc.OutcomeUnknown {
			fmt.Fprintf(w, "  note:     the call may have been billed. Check reference %s with the gateway before retrying.\n", r.CustRefNo)
		}
	}
}

func parenthesize(s string) string {
	if s == "" {
		return ""
	}
	return "(profile " + s + ")"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
