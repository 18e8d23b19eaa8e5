// Settings: the profile form read, saved, removed and made active (off the UI goroutine).

package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// readProfile validates the form.
func (s *settingsScreen) readProfile() (vault.Profile, error) {
	p := vault.Profile{Name: strings.TrimSpace(s.name.Text), ServerURL: strings.TrimRight(strings.TrimSpace(s.server.Text), "/"), Note: strings.TrimSpace(s.note.Text)}
	if p.Name == "" {
		return p, errors.New(i18n.T("set.need_name"))
	}
	if t := strings.TrimSpace(s.timeout.Text); t != "" {
		secs, err := strconv.Atoi(t)
		if err != nil || secs < 1 || secs > 600 {
			return p, errors.New(i18n.T("set.bad_timeout"))
		}
		p.Timeout = time.Duration(secs) * time.Second
	}
	if _, err := kyc.ParseServerURL(p.ServerURL); err != nil {
		return p, errors.New(i18n.T("set.bad_server"))
	}
	switch s.proxyMode.SelectedIndex() {
	case 1:
		p.Proxy = "direct"
	case 2:
		p.Proxy = strings.TrimSpace(s.proxyURL.Text)
		if err := p.Validate(); err != nil || p.Proxy == "" {
			return p, errors.New(i18n.T("set.bad_proxy"))
		}
	}
	return p, nil
}

func (s *settingsScreen) doSaveProfile() {
	p, err := s.readProfile()
	if err != nil {
		s.message.SetText(err.Error())
		return
	}
	// The head office sections are IT's (profiles file, kycdesk hq): the form does not
	// show them, and saving it keeps them.
	if old, ok := s.snap.Find(p.Name); ok {
		p.Sync, p.HeadOffice = old.Sync, old.HeadOffice
	}
	s.background(func() error { return s.u.deps.Profiles.SaveProfile(p) }, i18n.T("set.saved", p.Name), func() {
		s.reloadAndPick(p.Name)
	})
}

func (s *settingsScreen) doRemove() {
	name := s.name.Text
	widgets.ShowConfirm(s.u.win, i18n.T("set.remove_profile"), i18n.T("set.remove_confirm", name), i18n.T("action.delete"), i18n.T("action.cancel"), func(ok bool) {
		if !ok {
			return
		}
		s.background(func() error {
			if _, err := s.u.deps.Profiles.ClearToken(context.Background(), name); err != nil && !errors.Is(err, vault.ErrSandbox) {
				return err
			}
			return s.u.deps.Profiles.RemoveProfile(name)
		}, i18n.T("set.removed", name), func() { s.reloadAndPick(s.u.profile.Name) })
	})
}

// doUse makes the chosen profile active and reconnects; the customer on screen stays.
func (s *settingsScreen) doUse() {
	name := s.pick.Selected
	s.background(func() error { return s.u.deps.Profiles.SetActive(name) }, i18n.T("set.now_active", name), func() {
		s.u.loadProfile(name)
		s.reloadAndPick(name)
	})
}
