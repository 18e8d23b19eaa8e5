package sandbox

import (
	"bytes"
	"net/http"
	"strconv"
)

// bigBodySize is the size of the sbx-big answer: past the client's 1 MiB
// read cap with room to spare.
const bigBodySize = 1<<20 + 512<<10

// maintenancePage is the sbx-html answer: what a misconfigured proxy or a
// captive portal sends in place of JSON.
const maintenancePage = `<!DOCTYPE html>
<html><head><title>Scheduled maintenance</title></head>
<body><h1>We'll be back soon</h1><p>The service is undergoing scheduled maintenance.</p></body></html>
`

// playScenario acts out a trigger. It returns true when the request has
// been dealt with, false when the normal answer should follow (the retry
// of sbx-503-once, sbx-slow after its delay, and the answers that
// sbx-truncated, sbx-bare-success and sbx-big then break). The scenarios
// that answer here do so before product state and quota are looked at, and
// never spend quota.
func (s *Server) playScenario(w http.ResponseWriter, r *http.Request, sc Scenario, req request) bool {
	switch sc.Trigger {
	case Trigger401, Trigger404, Trigger500, Trigger504:
		writeHTTPError(w, sc.Status)
	case Trigger503:
		w.Header().Set("Retry-After", "1")
		writeHTTPError(w, http.StatusServiceUnavailable)
	case Trigger503Once:
		if !s.firstSight(string(req.CustRefNo)) {
			return false
		}
		w.Header().Set("Retry-After", "1")
		writeHTTPError(w, http.StatusServiceUnavailable)
	case TriggerQuota:
		writeJSON(w, http.StatusOK, errorBody(DescQuota))
	case TriggerNotActivated:
		writeJSON(w, http.StatusOK, errorBody(DescNotActivated))
	case TriggerNotApproved:
		writeJSON(w, http.StatusOK, errorBody(DescNotApproved))
	case TriggerError:
		writeJSON(w, http.StatusOK, errorBody(DescInternal))
	case TriggerSlow:
		// Not answering at all when the client gives up is the point:
		// the caller must treat it as "outcome unknown".
		return !sleep(r.Context(), s.cfg.SlowDelay)
	case TriggerDrop:
		drop(w)
	case TriggerHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(maintenancePage)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(maintenancePage))
	default: // sbx-truncated, sbx-bare-success, sbx-big: answer breaks the normal answer
		return false
	}
	return true
}

// mangle breaks a SUCCESSFUL body the way the trigger says. ERROR
// envelopes are never mangled: there is no result to break.
func mangle(trigger string, body []byte) []byte {
	switch trigger {
	case TriggerTruncated:
		return body[:len(body)/2]
	case TriggerBareSuccess:
		// The documentation's validation sample, reproduced for every
		// product: "status": success without quotes.
		return bytes.Replace(body, []byte(`"status":"success"`), []byte(`"status": success`), 1)
	case TriggerBig:
		// Padding first, so the first MiB alone is never valid JSON.
		pad := max(bigBodySize-len(body), 0)
		big := make([]byte, 0, bigBodySize+32)
		big = append(big, `{"padding":"`...)
		big = append(big, bytes.Repeat([]byte("x"), pad)...)
		big = append(big, `",`...)
		return append(big, body[1:]...)
	}
	return body
}

// firstSight records a cust_ref_no for sbx-503-once and reports whether it
// was new.
func (s *Server) firstSight(ref string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.seen503[ref]; seen {
		return false
	}
	if len(s.seen503) >= maxSeen503 {
		clear(s.seen503)
	}
	s.seen503[ref] = struct{}{}
	return true
}

// drop closes the connection without a response. Where hijacking is not
// possible (HTTP/2), aborting the handler resets the stream instead; both
// look to the client like a connection lost after sending.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
