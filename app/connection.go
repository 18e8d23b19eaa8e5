package app

import (
	"errors"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// loadProfile reads the profiles and connects, off the UI goroutine (file and keyring
// access, and the in-process sandbox's socket). The customer on screen is kept: the
// next call goes to the new profile's gateway.
func (u *UI) loadProfile(name string) {
	u.connGen++
	gen := u.connGen
	go func() {
		var p vault.Profile
		snap, err := u.deps.Profiles.Snapshot()
		if err == nil {
			if name == "" {
				name = snap.Active
			}
			var ok bool
			if p, ok = snap.Find(name); !ok {
				p, _ = snap.Find(snap.Active)
			}
		} else {
			p = vault.Sandbox()
		}
		conn, cerr := u.deps.Connect(p)
		uiDo(func() {
			if gen != u.connGen {
				// The clerk chose another profile meanwhile.
				if conn != nil && conn.Close != nil {
					go conn.Close()
				}
				return
			}
			u.closeConnection()
			u.profile, u.conn, u.connErr = p, conn, cerr
			u.showHeader()
			u.updateHeadOfficeTab()
			switch {
			case cerr != nil:
				u.showNotConnected()
			case err != nil:
				u.showBanner(func() {
					u.banner.ShowMessage(widgets.Warning, i18n.T("profiles.damaged"), u.settingsAction())
				})
			case !u.prefs.Bool(prefWelcomed):
				u.showBanner(func() {
					u.banner.ShowMessage(widgets.Neutral, i18n.T("welcome"), u.settingsAction(),
						widgets.Action{Label: i18n.T("action.dismiss"), Do: func() { u.prefs.SetBool(prefWelcomed, true); u.hideBanner() }})
				})
			}
		})
	}()
}

// explainConn says in the clerk's language why a profile could not be used; inner
// error texts (English, from the vault and the history) are never shown raw.
func explainConn(err error) string {
	var ve *vault.Error
	if errors.As(err, &ve) {
		return ve.Message(string(i18n.Current()))
	}
	var ke *kyc.Error
	if errors.As(err, &ke) {
		return explain(err, "").Text
	}
	return i18n.T("conn.unusable")
}

// closeConnection drops the current connection; closing it (the in-process sandbox
// waits for calls in flight) happens off the UI goroutine.
func (u *UI) closeConnection() {
	if c := u.conn; c != nil && c.Close != nil {
		go c.Close()
	}
	u.conn = nil
}

// gateway returns the connected gateway, or nil while connecting or after a failure.
func (u *UI) gateway() Gateway {
	if u.conn == nil {
		return nil
	}
	return u.conn.Gateway
}
