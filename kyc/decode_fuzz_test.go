package kyc

import (
	"testing"
)

// FuzzDecodeAnswer feeds arbitrary bodies to the decoder. It must never panic, and a
// body it accepts must be a SUCCESSFUL envelope whose verdicts are internally coherent.
// In `go test` only the seeds run; CI runs it briefly with -fuzz.
func FuzzDecodeAnswer(f *testing.F) {
	for _, s := range []string{
		sampleLiveness, sampleRecognize, sampleValidationBare, sampleQuota, sampleNotActivated,
		sampleNotApproved, `{"statusCode":"ERROR"}`, `<html></html>`, ``, `null`, `[]`,
		`{"statusCode":"SUCCESSFUL","content":{"result":{"result":"true","data":{"nik":1e999}}}}`,
		`{"statusCode":"SUCCESSFUL","content":{"result":{"status": success}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, e := decodeAnswer(body)
		if (a == nil) == (e == nil) {
			t.Fatalf("answer %v and error %v", a, e)
		}
		if e != nil {
			if e.Outcome != OutcomeRejected && e.Outcome != OutcomeUnknown {
				t.Fatalf("decode error with outcome %q", e.Outcome)
			}
			return
		}
		var l LivenessResult
		if err := a.liveness(&l); err == nil && l.Live {
			if v, _ := flexBool(a.res.Result); !v {
				t.Fatal("live without a true verdict")
			}
		}
		var r RecognizeResult
		if err := a.recognize(&r); err == nil && r.Identity == nil {
			t.Fatal("recognized without identity")
		}
		var v ValidationResult
		if err := a.validation(&v); err == nil && v.Match.NIK == nil {
			t.Fatal("validation without nik verdict")
		}
	})
}
