package app

import (
	"os"
	"path/filepath"

	"kycdesk/app/i18n"
	"kycdesk/widgets"
)

// fileDialogTexts are the file dialog's strings in the current language.
func fileDialogTexts() widgets.FileDialogTexts {
	return widgets.FileDialogTexts{
		OpenTitle: i18n.T("file.open_title"), SaveTitle: i18n.T("file.save_title"),
		Open: i18n.T("file.open"), Save: i18n.T("file.save"), Cancel: i18n.T("action.cancel"),
		Up: i18n.T("file.up"), PathHint: i18n.T("file.path_hint"),
		Home: i18n.T("file.home"), Desktop: i18n.T("file.desktop"), Downloads: i18n.T("file.downloads"),
		Pictures: i18n.T("file.pictures"), Documents: i18n.T("file.documents"),
		Empty: i18n.T("file.empty"), NotFound: i18n.T("file.not_found"), Unreadable: i18n.T("file.unreadable"),
		OverwriteTitle: i18n.T("file.overwrite_title"), Overwrite: i18n.T("file.overwrite"), Replace: i18n.T("file.replace"),
		Time: dateTime,
		Size: func(n int64) string { return humanBytes(int(n)) },
	}
}

// openFileDialog shows the app's own open dialog on the folder last used (else the
// Pictures or Downloads folder), its newest image chosen.
func (u *UI) openFileDialog(chosen func(path string)) {
	d := widgets.NewFileDialog(u.win, fileDialogTexts(), false, widgets.ImageExtensions, func(p string) {
		u.prefs.SetString(prefLastDir, filepath.Dir(p))
		chosen(p)
	})
	d.Show(u.startDir(), "")
}

// saveFileDialog shows the app's save dialog with a suggested name.
func (u *UI) saveFileDialog(name string, chosen func(path string)) {
	d := widgets.NewFileDialog(u.win, fileDialogTexts(), true, nil, func(p string) {
		u.prefs.SetString(prefLastDir, filepath.Dir(p))
		chosen(p)
	})
	d.Show(u.startDir(), name)
}

// startDir is where the file dialogs open: the last folder used, else Pictures,
// Downloads or the home folder. (os.Stat of a local folder: quick enough here.)
func (u *UI) startDir() string {
	if d := u.prefs.String(prefLastDir); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	for _, sub := range []string{"Pictures", "Downloads"} {
		p := filepath.Join(home, sub)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
	}
	return home
}

// showError shows a message the clerk closes with Enter or Esc.
func (u *UI) showError(title, body string) {
	widgets.ShowMessage(u.win, title, body, i18n.T("action.close"))
}
