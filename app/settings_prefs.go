// Settings: the merchant's rules (retention, photos, consent, pass mark, language,
// automatic steps) and About.

package app

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/service"
	"kycdesk/widgets"
)

// showSettings shows the merchant's settings (settings.json). Settings in doubt leave
// the retention empty: the clerk or IT must choose it again (a default would shorten a
// merchant's longer retention); the history's last value is suggested.
func (s *settingsScreen) showSettings(st service.SettingsState) {
	s.retention.SetText(strconv.Itoa(st.Settings.RetentionDays))
	s.retention.SetPlaceHolder("")
	s.images.SetChecked(st.Settings.KeepImages)
	s.consentReq.SetChecked(st.Settings.ConsentRequired)
	s.consentText.SetText(st.Settings.ConsentText)
	if st.Problem != nil {
		s.retention.SetText("")
		if st.Problem.LastRetentionDays > 0 {
			s.retention.SetPlaceHolder(i18n.T("set.retention_last", st.Problem.LastRetentionDays))
		}
		if st.Settings.ConsentText == "" {
			s.consentText.SetText(i18n.T("consent.text"))
		}
		s.prefsMsg.SetText(i18n.T("set.settings_in_doubt"))
	}
}

// doSavePrefs saves the rules. A language switch re-labels every screen in place: the
// customer in progress, a call in flight and an unknown-outcome warning all stay.
// Retention, photo keeping and consent live in the data directory, where the headless
// commands read them too; they take effect at once.
func (s *settingsScreen) doSavePrefs() {
	th, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s.threshold.Text), ",", ".", 1), 64)
	if err != nil || th <= 0 || th > 100 {
		s.prefsMsg.SetText(i18n.T("set.bad_threshold"))
		return
	}
	days, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s.retention.Text, ".", "")))
	if err != nil || days < 1 || days > 3650 {
		s.prefsMsg.SetText(i18n.T("set.bad_retention"))
		return
	}
	text := strings.TrimSpace(s.consentText.Text)
	if s.consentReq.Checked && text == "" {
		s.prefsMsg.SetText(i18n.T("set.need_consent_text"))
		return
	}
	if text == "" {
		text = i18n.T("consent.text") // kept for when consent is asked for again
	}
	s.u.prefs.SetString(prefThreshold, strconv.FormatFloat(th, 'f', -1, 64))
	s.u.prefs.SetBool(prefAutoStart, s.autoStart.Checked)
	s.u.prefs.SetBool(prefAutoVal, s.autoVal.Checked)
	lang := i18n.ID
	if s.language.Selected == i18n.EN.Name() {
		lang = i18n.EN
	}
	s.u.setLanguage(lang)
	s.prefsMsg.SetText(i18n.T("set.prefs_saved"))
	for _, sc := range s.u.screens() {
		if f, ok := sc.(*flow); ok {
			f.update() // the tips follow the automatic-start setting
		}
	}
	owner := s.u.deps.Settings
	if owner == nil {
		return
	}
	hs := service.Settings{RetentionDays: days, KeepImages: s.images.Checked, ConsentRequired: s.consentReq.Checked, ConsentText: text}
	go func() {
		err := owner.SaveSettings(context.Background(), hs)
		uiDo(func() {
			if err != nil {
				s.prefsMsg.SetText(i18n.T("set.prefs_failed"))
				return
			}
			// The consent in force and the standing problems follow at once.
			s.u.loadConsent()
			if s.u.bannerRender != nil && s.u.banner.Visible() {
				s.u.hideBanner()
			}
			s.u.checkProblems()
		})
	}()
}

func (s *settingsScreen) showAbout() {
	heic, native := photo.HEICDecoder()
	heic = strings.TrimPrefix(heic, "system ") // "libheif 1.15 (libheif.so.1)": the kind says the rest
	kind := i18n.T("about.heic_wasm")
	if native {
		kind = i18n.T("about.heic_native")
	}
	text := widget.NewLabel(i18n.T("about.body", s.u.deps.Version) + "\n\n" + i18n.T("about.heic", heic, kind))
	text.Wrapping = fyne.TextWrapWord
	m := widgets.NewModal(s.u.win, i18n.T("set.about"), container.NewVScroll(text),
		[]widgets.ModalButton{{Label: i18n.T("action.close"), Importance: widget.HighImportance}}, 0, 0)
	m.Show()
	ws := s.u.win.Canvas().Size()
	m.Resize(fyne.NewSize(fyne.Min(640, ws.Width*0.9), fyne.Min(480, ws.Height*0.85)))
}
