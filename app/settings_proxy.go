// Settings: a profile's proxy (direct, the system's, or a URL) and the proxy's
// credentials, which live in the keyring like the token.

package app

import (
	"context"
	"strings"
	"time"

	"kycdesk/app/i18n"
	"kycdesk/kyc/vault"
)

// showProxySetting shows a profile's proxy field in the form.
func (s *settingsScreen) showProxySetting(v string) {
	s.proxyURL.SetText("")
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "system":
		s.proxyMode.SetSelectedIndex(0)
	case "direct":
		s.proxyMode.SetSelectedIndex(1)
	default:
		s.proxyMode.SetSelectedIndex(2)
		s.proxyURL.SetText(v)
	}
}

func (s *settingsScreen) proxyModeChanged() {
	p, ok := s.snap.Find(s.name.Text)
	enable(s.proxyURL, s.proxyMode.SelectedIndex() == 2 && (!ok || p.Source == vault.SourceUser))
}

// checkProxy shows how calls to the profile's gateway go (off the UI goroutine: the OS's
// proxy settings, a PAC file, the keyring), and the proxy's credentials when there is one.
func (s *settingsScreen) checkProxy(p vault.Profile, exists bool) {
	s.proxyCreds.Hide()
	s.proxyKey = ""
	s.proxyStatus.SetText("")
	check := s.u.deps.CheckProxy
	if check == nil || !exists || p.IsSandbox() {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		st, err := check(ctx, p)
		uiDo(func() {
			if s.name.Text != p.Name {
				return
			}
			switch {
			case err != nil:
				s.proxyStatus.SetText(i18n.T("set.proxy_unknown"))
			case st.Route.Direct():
				s.proxyStatus.SetText(i18n.T("set.proxy_is_direct"))
			default:
				s.proxyStatus.SetText(i18n.T("set.proxy_through", st.Route.Proxy.Redacted()))
				s.proxyKey = st.Key
				s.proxyUser.SetText(st.User)
				s.proxyPass.SetText("")
				s.proxyCreds.Show()
			}
			if st.CredentialsErr != nil {
				s.proxyStatus.SetText(s.proxyStatus.Text + " " + vaultMessage(st.CredentialsErr))
			}
		})
	}()
}

func (s *settingsScreen) doSaveProxyCreds() {
	key, user, pw := s.proxyKey, strings.TrimSpace(s.proxyUser.Text), s.proxyPass.Text
	s.proxyPass.SetText("") // the password is never shown again
	if key == "" || user == "" || pw == "" {
		s.message.SetText(i18n.T("set.proxy_need_both"))
		return
	}
	s.background(func() error { return s.u.deps.Profiles.SetProxyCredentials(context.Background(), key, user, pw) },
		i18n.T("set.proxy_saved"), nil)
}

func (s *settingsScreen) doClearProxyCreds() {
	key := s.proxyKey
	if key == "" {
		return
	}
	s.background(func() error {
		_, err := s.u.deps.Profiles.ClearProxyCredentials(context.Background(), key)
		return err
	}, i18n.T("set.proxy_cleared"), func() { s.proxyUser.SetText("") })
}
