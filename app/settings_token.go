// Settings: the profile's token, through the keyring only (typed into a password entry, never
// shown again but for its last four characters).

package app

import (
	"context"
	"errors"
	"strings"

	"kycdesk/app/i18n"
	"kycdesk/kyc/vault"
)

// showToken reads the token's status (keyring: off the UI goroutine).
func (s *settingsScreen) showToken(p vault.Profile, exists bool) {
	s.token.SetText("")
	if !exists || p.IsSandbox() {
		s.tokenStatus.SetText(i18n.T("set.token_sandbox"))
		if !exists {
			s.tokenStatus.SetText(i18n.T("set.token_save_first"))
		}
		s.token.Disable()
		s.saveToken.Disable()
		s.clearToken.Disable()
		return
	}
	s.token.Enable()
	s.saveToken.Enable()
	s.clearToken.Enable()
	s.tokenStatus.SetText(i18n.T("set.token_checking"))
	profiles := s.u.deps.Profiles
	go func() {
		st, err := profiles.TokenStatus(context.Background(), p.Name)
		uiDo(func() {
			if s.name.Text != p.Name {
				return
			}
			switch {
			case err != nil:
				s.tokenStatus.SetText(vaultMessage(err))
			case st.Stored:
				s.tokenStatus.SetText(i18n.T("set.token_stored", st.Where, st.Last4))
			default:
				s.tokenStatus.SetText(i18n.T("set.token_none"))
			}
		})
	}()
}

func vaultMessage(err error) string {
	var ve *vault.Error
	if errors.As(err, &ve) {
		return ve.Message(string(i18n.Current()))
	}
	return i18n.T("set.failed")
}

func (s *settingsScreen) doSaveToken() {
	name, raw := s.name.Text, s.token.Text
	s.token.SetText("") // the token is never shown again
	if strings.TrimSpace(raw) == "" {
		s.message.SetText(i18n.T("set.token_empty"))
		return
	}
	s.background(func() error { return s.u.deps.Profiles.SetToken(context.Background(), name, raw) },
		i18n.T("set.token_saved"), func() { s.choose(name) })
}

func (s *settingsScreen) doClearToken() {
	name := s.name.Text
	s.background(func() error {
		_, err := s.u.deps.Profiles.ClearToken(context.Background(), name)
		return err
	}, i18n.T("set.token_cleared"), func() { s.choose(name) })
}
