package app

import (
	"errors"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// updateHeadOfficeTab shows the Kantor pusat tab while the profile has a head_office
// section (and the app can open one), and hides it otherwise; a profile with another
// head office gets a fresh connection.
func (u *UI) updateHeadOfficeTab() {
	want := u.profile.HeadOffice != nil && u.deps.OpenHeadOffice != nil
	switch {
	case want && u.hoItem == nil:
		u.hoItem = container.NewTabItemWithIcon(i18n.T("tab.head_office"), theme.StorageIcon(), container.NewStack())
		u.tabs.Append(u.hoItem)
		u.installShortcuts() // Ctrl+7
	case !want && u.hoItem != nil:
		if u.tabs.SelectedIndex() == tabHeadOffice {
			u.tabs.SelectIndex(tabNew)
		}
		u.tabs.Remove(u.hoItem)
		u.hoItem = nil
		u.installShortcuts()
		if u.headOffice != nil {
			u.headOffice.closeConn()
			u.headOffice = nil
		}
	}
	if want && u.headOffice != nil {
		u.headOffice.setProfile(u.profile)
		if u.tabs.SelectedIndex() == tabHeadOffice {
			u.headOffice.reload()
		}
	}
}

// watchSync follows the counter's head office sync for the header's status line.
func (u *UI) watchSync() {
	src := u.deps.Sync
	if src == nil {
		return
	}
	src.OnSyncChange(func(st service.SyncState) {
		uiDo(func() {
			u.syncState = st
			u.showSync()
		})
	})
	go func() {
		st := src.SyncState()
		uiDo(func() {
			if !u.syncState.Active() {
				u.syncState = st
				u.showSync()
			}
		})
	}()
}

// showSync shows the head office line in the header: last sync, changes waiting, or
// what stops it. Hidden while the connected profile does not report its calls.
func (u *UI) showSync() {
	l := u.header.sync
	st := u.syncState
	if !st.Active() || u.profile.Name != st.Profile {
		l.Hide()
		return
	}
	text, imp := syncText(st, time.Now())
	l.Importance = imp
	l.SetText(text)
	l.Show()
}

// syncText is the status line's text and colour.
func syncText(st service.SyncState, now time.Time) (string, widget.Importance) {
	waiting := count(st.Waiting)
	switch st.State {
	case hqsync.StateError:
		return i18n.T("sync.error", syncReason(st.Err)), widget.DangerImportance
	case hqsync.StateOffline:
		return i18n.T("sync.offline", waiting), widget.WarningImportance
	}
	if st.Waiting > 0 {
		return i18n.T("sync.waiting", waiting), widget.MediumImportance
	}
	if st.LastSync.IsZero() {
		return i18n.T("sync.starting"), widget.MediumImportance
	}
	return i18n.T("sync.ok", shortTime(st.LastSync, now)), widget.SuccessImportance
}

// shortTime is a time of today as 14:03, of another day as 01-12 14:03.
func shortTime(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("02-01 15:04")
}

// syncReason names what stops the sync, briefly (the header has little room).
func syncReason(err error) string {
	if errors.Is(err, vault.ErrNotFound) { // the counter's (or head office's) password is not in the keyring
		return i18n.T("sync.reason.password_missing")
	}
	var he *hqdb.Error
	if errors.As(err, &he) {
		if w := i18n.T("sync.reason." + string(he.Code)); w != "sync.reason."+string(he.Code) {
			return w
		}
	}
	return i18n.T("sync.reason.other")
}
