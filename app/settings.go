package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// settingsScreen edits profiles, the token (through the keyring: typed into a password
// entry, never shown again but for its last four characters), the language, the face
// threshold, retention and image keeping, and shows About.
type settingsScreen struct {
	u       *UI
	content fyne.CanvasObject

	snap        vault.Snapshot
	pick        *widget.Select
	name        *widget.Entry
	server      *widget.Entry
	timeout     *widget.Entry
	note        *widget.Entry
	source      *widget.Label
	saveProfile *widget.Button
	removeBtn   *widget.Button
	useBtn      *widget.Button
	tokenStatus *widget.Label
	token       *widget.Entry
	saveToken   *widget.Button
	clearToken  *widget.Button
	message     *widget.Label

	language  *widget.Select
	threshold *widget.Entry
	retention *widget.Entry
	images    *widget.Check
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{u: u}
	s.pick = widget.NewSelect(nil, s.choose)
	s.name = widget.NewEntry()
	s.server = widget.NewEntry()
	s.server.SetPlaceHolder("https://kyc.example.co.id")
	s.timeout = widget.NewEntry()
	s.timeout.SetPlaceHolder("60")
	s.note = widget.NewEntry()
	s.source = widget.NewLabel("")
	s.saveProfile = widget.NewButtonWithIcon(i18n.T("set.save_profile"), theme.DocumentSaveIcon(), s.doSaveProfile)
	s.removeBtn = widget.NewButtonWithIcon(i18n.T("set.remove_profile"), theme.DeleteIcon(), s.doRemove)
	s.useBtn = widget.NewButtonWithIcon(i18n.T("set.use_profile"), theme.ConfirmIcon(), s.doUse)
	s.useBtn.Importance = widget.HighImportance
	s.tokenStatus = widget.NewLabel("")
	s.token = widget.NewPasswordEntry()
	s.token.SetPlaceHolder(i18n.T("set.token_placeholder"))
	s.token.OnSubmitted = func(string) { s.doSaveToken() }
	s.saveToken = widget.NewButtonWithIcon(i18n.T("set.save_token"), theme.LoginIcon(), s.doSaveToken)
	s.clearToken = widget.NewButtonWithIcon(i18n.T("set.clear_token"), theme.DeleteIcon(), s.doClearToken)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord

	names := []string{}
	for _, l := range i18n.Langs {
		names = append(names, l.Name())
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelected(i18n.Current().Name())
	s.threshold = widget.NewEntry()
	s.threshold.SetText(strconv.FormatFloat(u.threshold(), 'f', -1, 64))
	s.retention = widget.NewEntry()
	s.retention.SetText(strconv.Itoa(service.DefaultRetentionDays))
	s.images = widget.NewCheck(i18n.T("set.keep_images"), nil)

	savePrefs := widget.NewButtonWithIcon(i18n.T("set.save_prefs"), theme.DocumentSaveIcon(), s.doSavePrefs)
	about := widget.NewButtonWithIcon(i18n.T("set.about"), theme.InfoIcon(), s.showAbout)

	profileForm := widget.NewForm(
		widget.NewFormItem(i18n.T("set.profile"), s.pick),
		widget.NewFormItem(i18n.T("set.name"), s.name),
		widget.NewFormItem(i18n.T("set.server"), s.server),
		widget.NewFormItem(i18n.T("set.timeout"), s.timeout),
		widget.NewFormItem(i18n.T("set.note"), s.note),
		widget.NewFormItem("", s.source),
	)
	tokenForm := widget.NewForm(
		widget.NewFormItem(i18n.T("set.token"), s.tokenStatus),
		widget.NewFormItem("", s.token),
	)
	prefsForm := widget.NewForm(
		widget.NewFormItem(i18n.T("set.language"), s.language),
		widget.NewFormItem(i18n.T("set.threshold"), s.threshold),
		widget.NewFormItem(i18n.T("set.retention"), s.retention),
		widget.NewFormItem("", s.images),
	)
	s.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle(i18n.T("set.profiles"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		profileForm,
		container.NewHBox(s.useBtn, s.saveProfile, s.removeBtn),
		tokenForm,
		container.NewHBox(s.saveToken, s.clearToken),
		s.message,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(i18n.T("set.prefs"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		prefsForm,
		container.NewHBox(savePrefs, about),
	)))
	return s
}

// reload reads the profiles off the UI goroutine (a file) and shows them, with the
// current profile chosen.
func (s *settingsScreen) reload() { s.reloadAndPick("") }

// reloadAndPick is reload, then shows the named profile (after a save).
func (s *settingsScreen) reloadAndPick(pick string) {
	if s.u.deps.Profiles == nil {
		return
	}
	load := s.u.deps.LoadSettings
	go func() {
		snap, err := s.u.deps.Profiles.Snapshot()
		var hs *service.Settings
		if load != nil {
			v := load()
			hs = &v
		}
		uiDo(func() {
			if hs != nil {
				s.retention.SetText(strconv.Itoa(hs.RetentionDays))
				s.images.SetChecked(hs.KeepImages)
			}
			if err != nil {
				s.message.SetText(i18n.T("profiles.damaged", err.Error()))
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
				current = s.u.profile.Name
			}
			if current == "" {
				current = snap.Active
			}
			s.pick.SetSelected(current)
			if len(snap.Warnings) > 0 {
				s.message.SetText(strings.Join(snap.Warnings, "\n"))
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
	for _, e := range []*widget.Entry{s.name, s.server, s.timeout, s.note} {
		if editable {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	if editable {
		s.saveProfile.Enable()
	} else {
		s.saveProfile.Disable()
	}
	if editable && ok {
		s.removeBtn.Enable()
	} else {
		s.removeBtn.Disable()
	}
	if ok {
		s.useBtn.Enable()
	} else {
		s.useBtn.Disable()
	}
	s.source.SetText(i18n.T("set.source."+string(p.Source)) + activeMark(p.Name == s.u.profile.Name))
	s.showToken(p, ok)
}

func activeMark(active bool) string {
	if active {
		return " · " + i18n.T("set.active")
	}
	return ""
}

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
	return err.Error()
}

// readProfile validates the form.
func (s *settingsScreen) readProfile() (vault.Profile, error) {
	p := vault.Profile{Name: strings.TrimSpace(s.name.Text), ServerURL: strings.TrimRight(strings.TrimSpace(s.server.Text), "/"), Note: strings.TrimSpace(s.note.Text)}
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
	return p, nil
}

func (s *settingsScreen) doSaveProfile() {
	p, err := s.readProfile()
	if err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.background(func() error { return s.u.deps.Profiles.SaveProfile(p) }, i18n.T("set.saved", p.Name), func() {
		s.reloadAndPick(p.Name)
	})
}

func (s *settingsScreen) doRemove() {
	name := s.name.Text
	dialog.ShowConfirm(i18n.T("set.remove_profile"), i18n.T("set.remove_confirm", name), func(ok bool) {
		if !ok {
			return
		}
		s.background(func() error {
			if _, err := s.u.deps.Profiles.ClearToken(context.Background(), name); err != nil && !errors.Is(err, vault.ErrSandbox) {
				return err
			}
			return s.u.deps.Profiles.RemoveProfile(name)
		}, i18n.T("set.removed", name), s.reload)
	}, s.u.win)
}

// doUse makes the chosen profile active and reconnects.
func (s *settingsScreen) doUse() {
	name := s.pick.Selected
	s.background(func() error { return s.u.deps.Profiles.SetActive(name) }, i18n.T("set.now_active", name), func() {
		s.u.loadProfile(name)
		s.reloadAndPick(name)
	})
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

func (s *settingsScreen) doSavePrefs() {
	th, err := strconv.ParseFloat(strings.TrimSpace(s.threshold.Text), 64)
	if err != nil || th <= 0 || th > 100 {
		s.message.SetText(i18n.T("set.bad_threshold"))
		return
	}
	days, err := strconv.Atoi(strings.TrimSpace(s.retention.Text))
	if err != nil || days < 1 || days > 3650 {
		s.message.SetText(i18n.T("set.bad_retention"))
		return
	}
	s.u.prefs.SetString(prefThreshold, strconv.FormatFloat(th, 'f', -1, 64))
	// Retention and photo keeping live in the data directory, where the headless
	// commands read them too; written off the UI goroutine.
	if save := s.u.deps.SaveSettings; save != nil {
		hs := service.Settings{RetentionDays: days, KeepImages: s.images.Checked}
		go func() {
			if err := save(hs); err != nil {
				uiDo(func() { s.message.SetText(err.Error()) })
			}
		}()
	}
	lang := i18n.ID
	if s.language.Selected == i18n.EN.Name() {
		lang = i18n.EN
	}
	s.u.prefs.SetString(prefLang, string(lang))
	if lang != i18n.Current() {
		i18n.Set(lang)
		s.u.rebuild()
		s.u.settings.message.SetText(i18n.T("set.prefs_saved"))
		return
	}
	s.message.SetText(i18n.T("set.prefs_saved"))
}

func (s *settingsScreen) showAbout() {
	text := i18n.T("about.body", s.u.deps.Version)
	d := dialog.NewCustom(i18n.T("set.about"), i18n.T("action.close"), container.NewVScroll(widget.NewLabel(text)), s.u.win)
	d.Resize(fyne.NewSize(620, 460))
	d.Show()
}

var _ = fmt.Sprint
