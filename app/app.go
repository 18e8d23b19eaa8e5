// Package app is KYC Desk's desktop application: window, screens, state and wiring. It
// receives a fyne.App and never creates one, so every screen runs under fyne's test app.
//
// Threading (DESIGN.md): Fyne callbacks run on the UI goroutine and never do I/O;
// background work runs in goroutines and applies its result in one fyne.Do.
//
// Structure: the shell (this file, shell.go, connection.go, shortcuts.go) holds the
// window, header, banner, tabs and keys; each tab is a screen behind the small screen
// interface (screen.go); New customer is a step flow (flow*.go) over the product steps
// (calls.go); the single-product screens share one shape (products.go). A language switch
// re-labels every screen in place (retranslate), so nothing the clerk has on screen — a
// customer in progress, a call in flight — is lost.
package app

import (
	// Repairs LANG=C.UTF-8 before Fyne's initialiser reads it (see the package).
	_ "kycdesk/app/locale"

	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/photo"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
	"kycdesk/resources"
	"kycdesk/widgets"
)

// uiDo applies a goroutine's result on the UI goroutine. It is fyne.Do; tests replace
// it with a queue that the test goroutine drains, because fyne's test driver runs
// fyne.Do in the calling goroutine.
var uiDo = fyne.Do

// Tab indexes.
const (
	tabNew = iota
	tabLiveness
	tabOCR
	tabValidation
	tabHistory
	tabSettings
	tabCount
	// tabHeadOffice (Kantor pusat) follows the fixed tabs, present only while the
	// profile has a head_office section (headoffice_tab.go).
	tabHeadOffice = tabCount
)

// Title is the main window's title; CI finds the window by it.
const Title = "KYC Desk"

// Preference keys.
const (
	prefLang      = "lang"
	prefThreshold = "face.threshold"
	prefWelcomed  = "welcomed"
	prefAutoStart = "autostart"    // a photo brought in starts its step's call
	prefAutoVal   = "autovalidate" // validation follows a passed liveness
	prefLastDir   = "dialog.lastdir"
)

// DefaultThreshold is the face score at or above which a selfie passes (0–100 scale,
// what Dukcapil face-match resellers commonly use).
const DefaultThreshold = 75.0

// DefaultSize is the window's content size on a 1366×768 counter screen (the work area
// less a title bar); Fit shrinks it to smaller screens.
var DefaultSize = fyne.NewSize(1280, 660)

// UI is the running application window.
type UI struct {
	app   fyne.App
	win   fyne.Window
	deps  Deps
	prefs fyne.Preferences

	profile vault.Profile
	conn    *Connection // UI goroutine only
	connErr error
	connGen int // the latest profile load; older ones are dropped when they finish

	header *header
	banner *widgets.Banner
	// bannerRender re-shows the banner's message in the current language (a language
	// switch keeps an unknown-outcome warning up, translated).
	bannerRender func()
	tabs         *container.AppTabs

	// cameraOK is true once a camera was found; intakes show their Camera button then.
	cameraOK bool
	intakes  []*intake

	// consent is the merchant's consent setting as last read.
	consent consentState

	flow     *flow
	single   [3]*productScreen
	history  *historyScreen
	settings *settingsScreen

	// hoItem is the Kantor pusat tab while shown; headOffice its screen, built on first
	// show.
	hoItem     *container.TabItem
	headOffice *headOfficeScreen
	// syncState is the counter's head office sync as last reported (header line).
	syncState service.SyncState
}

// New builds the main window. Call ShowAndRun on the result's Window.
func New(a fyne.App, deps Deps) *UI {
	u := &UI{app: a, deps: deps, prefs: a.Preferences()}
	i18n.Set(i18n.Parse(u.prefs.StringWithFallback(prefLang, string(i18n.SystemLang()))))
	i18n.RegisterFyne(i18n.Current())
	a.SetIcon(resources.Icon)
	u.win = a.NewWindow(Title)
	u.win.SetMaster()
	u.win.Resize(DefaultSize)
	u.build()
	u.watchSync()
	u.installShortcuts()
	u.win.SetOnDropped(u.dropped)
	u.win.SetCloseIntercept(func() {
		for _, in := range u.intakes {
			in.closeCamera()
		}
		if u.deps.OnClose != nil {
			u.deps.OnClose(u.win)
		}
		u.closeConnection()
		if u.headOffice != nil {
			u.headOffice.closeConn()
		}
		u.win.Close()
	})
	// Everything not needed to put the window on screen waits until the app has started:
	// the first screen, the profile's connection (the history, the sandbox) and the
	// camera search would otherwise compete with the window for the CPU.
	a.Lifecycle().SetOnStarted(func() { go uiDo(u.started) })
	return u
}

// started builds the first screen and starts connecting; New arranges for it to run once
// the app is up (tests call it themselves: fyne's test app has no lifecycle).
func (u *UI) started() {
	go service.OSUser() // looked up once, off the UI goroutine (it may read files or ask the OS)
	go photo.WarmHEIC() // the HEIC decoder ready before the first iPhone photo arrives
	u.firstScreen()
	u.loadProfile(u.deps.StartProfile)
	u.checkProblems() // then the consent setting

	u.findCamera()
	if u.deps.OnStarted != nil {
		u.deps.OnStarted(u.win)
	}
	if u.deps.UIMap != "" {
		u.startUIMap(u.deps.UIMap)
	}
	u.flow.focus()
}

// findCamera looks for a webcam off the UI goroutine; the Camera buttons appear only
// when one is present.
func (u *UI) findCamera() {
	src := u.deps.Camera
	if src == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ok := camera.Available(ctx, src)
		uiDo(func() {
			u.cameraOK = ok
			for _, in := range u.intakes {
				in.zone.SetCameraAvailable(ok)
			}
		})
	}()
}

// newRef generates a customer reference.
func (u *UI) newRef() string {
	if u.deps.NewRef != nil {
		return u.deps.NewRef()
	}
	return kyc.NewRefNo()
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// Raise brings the window to the front (a second start of the app asks for it).
func (u *UI) Raise() {
	u.win.Show()
	u.win.RequestFocus()
}

// threshold is the face-score pass mark (setting).
func (u *UI) threshold() float64 {
	v, err := strconv.ParseFloat(u.prefs.StringWithFallback(prefThreshold, ""), 64)
	if err != nil || v <= 0 || v > 100 {
		return DefaultThreshold
	}
	return v
}

// autoStart reports whether a photo brought in starts its step's call at once (the
// bringing in is the clerk's explicit action; a photo with warnings still asks).
func (u *UI) autoStart() bool { return u.prefs.BoolWithFallback(prefAutoStart, true) }

// autoValidate reports whether validation follows a passed liveness check.
func (u *UI) autoValidate() bool { return u.prefs.BoolWithFallback(prefAutoVal, false) }

// setLanguage switches every screen, Fyne's own strings and the menu to l, keeping
// whatever the clerk has on screen.
func (u *UI) setLanguage(l i18n.Lang) {
	if l == i18n.Current() {
		return
	}
	i18n.Set(l)
	i18n.RegisterFyne(l)
	u.prefs.SetString(prefLang, string(l))
	u.retranslate()
}

// retranslate re-labels the shell and every screen built so far.
func (u *UI) retranslate() {
	for i, key := range tabKeys {
		u.tabs.Items[i].Text = i18n.T(key)
	}
	if u.hoItem != nil {
		u.hoItem.Text = i18n.T("tab.head_office")
	}
	u.tabs.Refresh()
	u.header.retranslate()
	u.rerenderBanner()
	for _, s := range u.screens() {
		s.retranslate()
	}
	for _, in := range u.intakes {
		in.retranslate()
	}
	u.installShortcuts()
}
