package app

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// settingsScreen edits profiles, the token (through the keyring: typed into a password
// entry, never shown again but for its last four characters), the language, the face
// pass mark, the flow's automatic steps, retention and photo keeping, and shows About.
// Profiles and token on the left, the rules on the right: the whole screen fits the
// counter's window without scrolling.
type settingsScreen struct {
	u    *UI
	root fyne.CanvasObject

	snap        vault.Snapshot
	pick        *widget.Select
	name        *widgets.Entry
	server      *widgets.Entry
	timeout     *widgets.Entry
	note        *widgets.Entry
	proxyMode   *widget.Select
	proxyURL    *widgets.Entry
	proxyStatus *widget.Label
	proxyUser   *widgets.Entry
	proxyPass   *widget.Entry
	proxyKey    string // the proxy whose credentials the form shows ("host:port")
	proxySave   *widgets.Button
	proxyClear  *widgets.Button
	proxyCreds  *fyne.Container
	source      *widget.Label
	saveProfile *widgets.Button
	removeBtn   *widgets.Button
	useBtn      *widgets.Button
	tokenStatus *widget.Label
	token       *widget.Entry
	saveToken   *widgets.Button
	clearToken  *widgets.Button
	message     *widget.Label

	language    *widget.Select
	threshold   *widgets.Entry
	retention   *widgets.Entry
	images      *widget.Check
	consentReq  *widget.Check
	consentText *widgets.Entry
	autoStart   *widget.Check
	autoVal     *widget.Check
	savePrefs   *widgets.Button
	about       *widgets.Button
	prefsMsg    *widget.Label

	profileForm, tokenForm, prefsForm *widget.Form
	profilesTitle, prefsTitle         *widget.Label
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	s.pick = widget.NewSelect(nil, s.choose)
	s.name = widgets.NewEntry()
	s.server = widgets.NewEntry()
	s.server.SetPlaceHolder("https://kyc.example.co.id")
	s.timeout = widgets.NewEntry()
	s.timeout.SetPlaceHolder("60")
	s.note = widgets.NewEntry()
	s.proxyMode = widget.NewSelect(nil, func(string) { s.proxyModeChanged() })
	s.proxyURL = widgets.NewEntry()
	s.proxyURL.SetPlaceHolder("http://proxy.kantor:3128")
	s.proxyStatus = wrapLabel()
	s.proxyUser = widgets.NewEntry()
	s.proxyPass = widget.NewPasswordEntry()
	s.proxySave = widgets.NewButton("", theme.LoginIcon(), s.doSaveProxyCreds)
	s.proxyClear = widgets.NewButton("", theme.DeleteIcon(), s.doClearProxyCreds)
	s.proxyCreds = container.NewVBox(container.NewGridWithColumns(2, s.proxyUser, s.proxyPass), container.NewHBox(s.proxySave, s.proxyClear))
	s.proxyCreds.Hide()
	s.source = widget.NewLabel("")
	s.saveProfile = widgets.NewButton("", theme.DocumentSaveIcon(), s.doSaveProfile)
	s.removeBtn = widgets.NewButton("", theme.DeleteIcon(), s.doRemove)
	s.useBtn = widgets.NewButton("", theme.ConfirmIcon(), s.doUse)
	s.useBtn.Importance = widget.HighImportance
	s.tokenStatus = wrapLabel()
	s.token = widget.NewPasswordEntry()
	s.token.OnSubmitted = func(string) { s.doSaveToken() }
	s.saveToken = widgets.NewButton("", theme.LoginIcon(), s.doSaveToken)
	s.clearToken = widgets.NewButton("", theme.DeleteIcon(), s.doClearToken)
	s.message = wrapLabel()

	s.language = widget.NewSelect(nil, nil)
	s.threshold = widgets.NewEntry()
	s.threshold.SetText(number(u.threshold()))
	s.retention = widgets.NewEntry()
	s.retention.SetText(strconv.Itoa(service.DefaultRetentionDays))
	s.images = widget.NewCheck("", nil)
	s.consentReq = widget.NewCheck("", nil)
	s.consentText = widgets.NewMultiLineEntry()
	s.consentText.SetMinRowsVisible(3)
	s.autoStart = widget.NewCheck("", nil)
	s.autoStart.SetChecked(u.autoStart())
	s.autoVal = widget.NewCheck("", nil)
	s.autoVal.SetChecked(u.autoValidate())
	s.savePrefs = widgets.NewButton("", theme.DocumentSaveIcon(), s.doSavePrefs)
	s.savePrefs.Importance = widget.HighImportance
	s.about = widgets.NewButton("", theme.InfoIcon(), s.showAbout)
	s.prefsMsg = wrapLabel()

	s.profileForm = widget.NewForm(
		widget.NewFormItem("", s.pick),
		widget.NewFormItem("", s.name),
		widget.NewFormItem("", s.server),
		widget.NewFormItem("", s.timeout),
		widget.NewFormItem("", s.note),
		widget.NewFormItem("", container.NewGridWithColumns(2, s.proxyMode, s.proxyURL)),
		widget.NewFormItem("", container.NewVBox(s.proxyStatus, s.proxyCreds)),
		widget.NewFormItem("", s.source),
	)
	s.tokenForm = widget.NewForm(
		widget.NewFormItem("", s.tokenStatus),
		widget.NewFormItem("", s.token),
	)
	s.prefsForm = widget.NewForm(
		widget.NewFormItem("", s.language),
		widget.NewFormItem("", s.threshold),
		widget.NewFormItem("", s.retention),
	)
	s.profilesTitle, s.prefsTitle = heading(), heading()
	left := container.NewVBox(s.profilesTitle, s.profileForm,
		container.NewHBox(s.useBtn, s.saveProfile, s.removeBtn),
		s.tokenForm, container.NewHBox(s.saveToken, s.clearToken), s.message)
	right := container.NewVBox(s.prefsTitle, s.prefsForm, s.images, s.autoStart, s.autoVal, s.consentReq, s.consentText,
		container.NewHBox(s.savePrefs, s.about), s.prefsMsg)
	s.root = vscroll(container.NewPadded(columns(0.55, left, right)))
	s.retranslate()
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.root }

func (s *settingsScreen) focus() { s.u.win.Canvas().Focus(s.name) }

// retranslate re-labels the screen, keeping what the clerk typed and chose.
func (s *settingsScreen) retranslate() {
	s.profilesTitle.SetText(i18n.T("set.profiles"))
	s.prefsTitle.SetText(i18n.T("set.prefs"))
	for i, k := range []string{"set.profile", "set.name", "set.server", "set.timeout", "set.note", "set.proxy", "", ""} {
		if k != "" {
			s.profileForm.Items[i].Text = i18n.T(k)
		}
	}
	s.profileForm.Refresh()
	s.tokenForm.Items[0].Text = i18n.T("set.token")
	s.tokenForm.Refresh()
	for i, k := range []string{"set.language", "set.threshold", "set.retention"} {
		s.prefsForm.Items[i].Text = i18n.T(k)
	}
	s.prefsForm.Refresh()
	s.saveProfile.SetText(i18n.T("set.save_profile"))
	s.removeBtn.SetText(i18n.T("set.remove_profile"))
	s.useBtn.SetText(i18n.T("set.use_profile"))
	s.token.SetPlaceHolder(i18n.T("set.token_placeholder"))
	setOptions(s.proxyMode, []string{i18n.T("set.proxy_system"), i18n.T("set.proxy_direct"), i18n.T("set.proxy_url")})
	s.proxyUser.SetPlaceHolder(i18n.T("set.proxy_user"))
	s.proxyPass.SetPlaceHolder(i18n.T("set.proxy_password"))
	s.proxySave.SetText(i18n.T("set.proxy_save"))
	s.proxyClear.SetText(i18n.T("set.proxy_clear"))
	s.saveToken.SetText(i18n.T("set.save_token"))
	s.clearToken.SetText(i18n.T("set.clear_token"))
	names := []string{}
	for _, l := range i18n.Langs {
		names = append(names, l.Name())
	}
	s.language.Options = names
	s.language.SetSelected(i18n.Current().Name())
	s.images.Text = i18n.T("set.keep_images")
	s.images.Refresh()
	s.autoStart.Text = i18n.T("set.autostart")
	s.autoStart.Refresh()
	s.autoVal.Text = i18n.T("set.autovalidate")
	s.autoVal.Refresh()
	s.consentReq.Text = i18n.T("set.consent_required")
	s.consentReq.Refresh()
	s.savePrefs.SetText(i18n.T("set.save_prefs"))
	s.about.SetText(i18n.T("set.about"))
	if len(s.pick.Options) > 0 {
		opts := append([]string(nil), s.pick.Options...)
		opts[len(opts)-1] = i18n.T("set.new_profile")
		sel := s.pick.SelectedIndex()
		s.pick.Options = opts
		if sel >= 0 {
			// Showing the same profile again re-labels its source and token lines.
			s.pick.SetSelectedIndex(sel)
			s.choose(s.pick.Selected)
		}
	}
	s.message.SetText("")
	s.prefsMsg.SetText("")
}

// reload reads the profiles off the UI goroutine (a file) and shows them, with the
// current profile chosen.
func (s *settingsScreen) reload() { s.reloadAndPick("") }

// reloadAndPick is reload, then shows the named profile (after a save).
func (s *settingsScreen) reloadAndPick(pick string) {
	if s.u.deps.Profiles == nil {
		return
	}
	owner := s.u.deps.Settings
	go func() {
		snap, err := s.u.deps.Profiles.Snapshot()
		var st *service.SettingsState
		if owner != nil {
			v := owner.Settings()
			st = &v
		}
		uiDo(func() {
			if st != nil {
				s.showSettings(*st)
			}
			if err != nil {
				s.message.SetText(i18n.T("profiles.damaged"))
				return
			}
			s.snap = snap
			opts := []string{}
			for _, p := range snap.Profiles {
				opts = append(opts, p.Name)
			}
			opts = append(opts, i18n.T("set.new_profile"))
			s.pick.Options = opts
			current := pick
			if current == "" {
				current = s.pick.Selected
			}
			if _, ok := snap.Find(current); !ok {
				current = s.u.profile.Name
			}
			if current == "" {
				current = snap.Active
			}
			s.pick.SetSelected(current)
			if len(snap.Warnings) > 0 {
				s.message.SetText(i18n.T("profiles.warnings", len(snap.Warnings)))
			}
		})
	}()
}

// choose shows one profile in the form (or an empty form for a new one).
func (s *settingsScreen) choose(name string) {
	p, ok := s.snap.Find(name)
	if !ok {
		p = vault.Profile{Source: vault.SourceUser}
	}
	s.name.SetText(p.Name)
	s.server.SetText(p.ServerURL)
	if p.IsSandbox() {
		s.server.SetText(i18n.T("set.sandbox_server"))
	}
	s.timeout.SetText("")
	if p.Timeout > 0 {
		s.timeout.SetText(strconv.Itoa(int(p.Timeout / time.Second)))
	}
	s.note.SetText(p.Note)
	if p.IsSandbox() {
		s.note.SetText(i18n.T("set.sandbox_note"))
	}
	editable := p.Source == vault.SourceUser
	s.showProxySetting(p.Proxy)
	for _, e := range []*widgets.Entry{s.name, s.server, s.timeout, s.note, s.proxyURL} {
		enable(e, editable)
	}
	enable(s.proxyMode, editable && !p.IsSandbox())
	if s.proxyMode.SelectedIndex() != 2 {
		s.proxyURL.Disable()
	}
	s.checkProxy(p, ok)
	enable(s.saveProfile, editable)
	enable(s.removeBtn, editable && ok)
	enable(s.useBtn, ok)
	s.source.SetText(i18n.T("set.source."+string(p.Source)) + activeMark(p.Name == s.u.profile.Name))
	s.showToken(p, ok)
}

type enabler interface {
	Enable()
	Disable()
}

func enable(w enabler, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

func activeMark(active bool) string {
	if active {
		return " · " + i18n.T("set.active")
	}
	return ""
}

// background runs a vault operation off the UI goroutine and reports it.
func (s *settingsScreen) background(op func() error, okText string, after func()) {
	s.message.SetText(i18n.T("set.working"))
	go func() {
		err := op()
		uiDo(func() {
			if err != nil {
				s.message.SetText(vaultMessage(err))
				return
			}
			s.message.SetText(okText)
			if after != nil {
				after()
			}
		})
	}()
}
