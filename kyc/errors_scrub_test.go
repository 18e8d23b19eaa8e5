package kyc

import (
	"errors"
	"testing"
)

func TestScrubNeverMakesAMessageUnreadable(t *testing.T) {
	cases := []struct{ msg, secret, want string }{
		{`Post "https://gw.example/api": tls: failed to verify certificate`, "t",
			`Post "https://gw.example/api": tls: failed to verify certificate`},
		{"token t rejected", "t", "token [REDACTED] rejected"},
		{"bad header token=abc; retry", "abc", "bad header token=[REDACTED]; retry"},
		{"xabcx abc", "abc", "xabcx [REDACTED]"},
		{"header tok-SECRET-4242XYZ", "tok-SECRET-4242", "header [REDACTED]XYZ"}, // long: replaced anywhere
		{"nothing here", "", "nothing here"},
	}
	for _, c := range cases {
		if got := scrub(errors.New(c.msg), c.secret).Error(); got != c.want {
			t.Errorf("scrub(%q, %q) = %q, want %q", c.msg, c.secret, got, c.want)
		}
	}
}
