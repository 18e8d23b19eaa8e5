package app

import (
	"fmt"
	"testing"

	"kycdesk/app/i18n"
	"kycdesk/kyc/vault"
)

// A keyring that is locked or missing altogether is named as such, not as a key missing
// from it; anything else keeps the problem's own text.
func TestKeyringProblemWords(t *testing.T) {
	i18n.Set(i18n.ID)
	wrap := func(c vault.Code) error { return fmt.Errorf("history: %w", &vault.Error{Code: c, Op: "get"}) }
	for _, tc := range []struct {
		err  error
		want string
	}{
		{wrap(vault.CodeLocked), i18n.T("problem.keyring_locked")},
		{wrap(vault.CodeUnavailable), i18n.T("problem.keyring_unavailable")},
		{wrap(vault.CodeTimeout), i18n.T("problem.keyring_unavailable")},
		{wrap(vault.CodeNotFound), "own text"},
		{nil, "own text"},
	} {
		if got := keyringProblem(tc.err, "own text"); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.err, got, tc.want)
		}
	}
	if i18n.T("problem.keyring_unavailable") == "problem.keyring_unavailable" {
		t.Error("problem.keyring_unavailable has no Indonesian text")
	}
}
