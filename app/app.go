// Package app is KYC Desk's desktop application: window, screens, state and wiring. It
// receives a fyne.App and never creates one, so every screen runs under fyne's test app.
//
// Threading (DESIGN.md): Fyne callbacks run on the UI goroutine and never do I/O;
// background work runs in goroutines and applies its result in one fyne.Do.
package app

import (
	// Repairs LANG=C.UTF-8 before Fyne's initialiser reads it (see the package).
	_ "kycdesk/app/locale"

	"context"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/camera"
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
)

// Title is the main window's title; CI finds the window by it.
const Title = "KYC Desk"

// Preference keys.
const (
	prefLang      = "lang"
	prefThreshold = "face.threshold"
	prefWelcomed  = "welcomed"
)

// DefaultThreshold is the face score at or above which a selfie passes (0–100 scale,
// what Dukcapil face-match resellers commonly use).
const DefaultThreshold = 75.0

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

	profileLabel *widget.Label
	badge        fyne.CanvasObject
	banner       *widgets.Banner
	tabs         *container.AppTabs

	// cameraOK is true once a camera was found; intakes show their Camera button then.
	cameraOK bool
	intakes  []*intake

	onboarding *onboarding
	single     []*singleScreen
	history    *historyScreen
	settings   *settingsScreen
}

// New builds the main window. Call ShowAndRun on the result's Window.
func New(a fyne.App, deps Deps) *UI {
	i18n.RegisterFyne()
	a.SetIcon(resources.Icon)
	u := &UI{app: a, deps: deps, prefs: a.Preferences()}
	i18n.Set(i18n.Parse(u.prefs.StringWithFallback(prefLang, string(i18n.SystemLang()))))
	u.win = a.NewWindow(Title)
	u.win.SetMaster()
	u.win.Resize(fyne.NewSize(1180, 780))
	u.build()
	u.installShortcuts()
	u.win.SetOnDropped(u.dropped)
	u.win.SetCloseIntercept(func() {
		for _, in := range u.intakes {
			in.closeCamera()
		}
		u.closeConnection()
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
	u.firstScreen()
	u.loadProfile(u.deps.StartProfile)
	u.findCamera()
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

// build (re)creates every screen in the current language.
func (u *UI) build() {
	for _, in := range u.intakes {
		in.closeCamera()
	}
	u.intakes = nil
	u.profileLabel = widget.NewLabel("")
	u.badge = sandboxBadge()
	u.badge.Hide()
	u.banner = widgets.NewBanner()
	u.onboarding = nil // built by firstScreen, once the window is on screen
	// The other screens are built when first shown: building and laying out every
	// screen (icons, text measurement) is most of the start-up time otherwise.
	u.single = make([]*singleScreen, 3)
	u.history, u.settings = nil, nil
	items := []*container.TabItem{
		container.NewTabItemWithIcon(i18n.T("tab.new"), theme.AccountIcon(), container.NewStack()),
		container.NewTabItemWithIcon(i18n.T("tab.liveness"), theme.VisibilityIcon(), container.NewStack()),
		container.NewTabItemWithIcon(i18n.T("tab.ocr"), theme.DocumentIcon(), container.NewStack()),
		container.NewTabItemWithIcon(i18n.T("tab.validation"), theme.ConfirmIcon(), container.NewStack()),
		container.NewTabItemWithIcon(i18n.T("tab.history"), theme.HistoryIcon(), container.NewStack()),
		container.NewTabItemWithIcon(i18n.T("tab.settings"), theme.SettingsIcon(), container.NewStack()),
	}
	u.tabs = container.NewAppTabs(items...)
	u.tabs.OnSelected = func(t *container.TabItem) {
		i := u.tabs.SelectedIndex()
		if holder, ok := t.Content.(*fyne.Container); ok && i > 0 && len(holder.Objects) == 0 {
			holder.Objects = []fyne.CanvasObject{u.screen(i)}
			holder.Refresh()
		}
		switch i {
		case tabHistory:
			u.history.reload()
		case tabSettings:
			u.settings.reload()
		}
	}
	title := widget.NewLabelWithStyle(Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	icon := canvas.NewImageFromResource(resources.IconSmall)
	icon.SetMinSize(fyne.NewSize(28, 28))
	icon.FillMode = canvas.ImageFillContain
	header := container.NewHBox(icon, title, layout.NewSpacer(), u.profileLabel, u.badge)
	u.win.SetContent(container.NewBorder(container.NewVBox(header, u.banner), nil, nil, nil, u.tabs))
	u.showHeader()
}

// screen builds (once) and returns the content of tab i > 0.
func (u *UI) screen(i int) fyne.CanvasObject {
	switch {
	case i >= tabLiveness && i <= tabValidation:
		return u.singleScreen(i).content
	case i == tabHistory:
		if u.history == nil {
			u.history = newHistoryScreen(u)
		}
		return u.history.content
	case i == tabSettings:
		if u.settings == nil {
			u.settings = newSettingsScreen(u)
		}
		return u.settings.content
	}
	return u.firstScreen().content
}

// firstScreen builds (once) the New customer screen and puts it in its tab. New defers
// it until the app has started, so the window appears without waiting for it: laying
// out this screen is most of the start-up time.
func (u *UI) firstScreen() *onboarding {
	if u.onboarding == nil {
		u.onboarding = newOnboarding(u)
		u.onboarding.showSamples(u.conn != nil && u.conn.Sandbox)
		holder := u.tabs.Items[tabNew].Content.(*fyne.Container)
		holder.Objects = []fyne.CanvasObject{u.onboarding.content}
		holder.Refresh()
	}
	return u.onboarding
}

// singleScreen builds (once) and returns a single-product screen.
func (u *UI) singleScreen(i int) *singleScreen {
	k := i - tabLiveness
	if u.single[k] == nil {
		u.single[k] = []func(*UI) *singleScreen{newLivenessScreen, newOCRScreen, newValidationScreen}[k](u)
	}
	return u.single[k]
}

// rebuild switches the language: every screen is rebuilt. The current customer is
// cleared (its data must not survive anyway once the screen goes).
func (u *UI) rebuild() {
	if u.onboarding != nil {
		u.onboarding.clear()
	}
	for _, s := range u.single {
		if s != nil {
			s.clear() // cancels its call and drops the result: the old screen is going
		}
	}
	u.build()
	u.firstScreen()
	u.installShortcuts()
	u.tabs.SelectIndex(tabSettings)
}

func (u *UI) showHeader() {
	name := u.profile.Name
	if name == "" {
		name = "…"
	}
	server := ""
	if u.conn != nil && !u.conn.Sandbox {
		server = " · " + u.conn.Server
	}
	u.profileLabel.SetText(i18n.T("header.profile", name) + server)
	sandbox := u.conn != nil && u.conn.Sandbox
	if sandbox {
		u.badge.Show()
	} else {
		u.badge.Hide()
	}
	if u.onboarding != nil {
		u.onboarding.showSamples(sandbox)
	}
}

// sandboxBadge is a bold, coloured SANDBOX marker so demo results are never taken for
// real ones.
func sandboxBadge() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.NRGBA{R: 0xd9, G: 0x77, B: 0x06, A: 0xff})
	bg.CornerRadius = theme.InputRadiusSize()
	txt := canvas.NewText(" SANDBOX ", color.White)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewStack(bg, container.NewPadded(txt))
}

// loadProfile reads the profiles and connects, off the UI goroutine (file and keyring
// access, and the in-process sandbox's socket).
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
			switch {
			case cerr != nil:
				u.banner.ShowMessage(widgets.Error, i18n.T("conn.failed", p.Name, cerr.Error()),
					widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings})
			case err != nil:
				u.banner.ShowMessage(widgets.Warning, i18n.T("profiles.damaged", err.Error()),
					widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings})
			case !u.prefs.Bool(prefWelcomed):
				u.banner.ShowMessage(widgets.Neutral, i18n.T("welcome"),
					widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings},
					widgets.Action{Label: i18n.T("action.dismiss"), Do: func() { u.prefs.SetBool(prefWelcomed, true); u.banner.Hide() }})
			}
		})
	}()
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

func (u *UI) showNotConnected() {
	msg := i18n.T("conn.pending")
	if u.connErr != nil {
		msg = i18n.T("conn.failed", u.profile.Name, u.connErr.Error())
	}
	u.banner.ShowMessage(widgets.Error, msg, widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings})
}

// showProblem puts a failed call's explanation in the banner with its next step.
func (u *UI) showProblem(p problem, retry func()) {
	var actions []widgets.Action
	switch p.Next {
	case nextSettings:
		actions = append(actions, widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings})
	case nextRetrySame:
		actions = append(actions, widgets.Action{Label: i18n.T("action.retry_same"), Do: retry})
	case nextRetryLater:
		actions = append(actions, widgets.Action{Label: i18n.T("action.retry"), Do: retry})
	case nextNewKeys:
		actions = append(actions, widgets.Action{Label: i18n.T("action.new_keys"), Do: u.startNewKeys})
	}
	actions = append(actions, widgets.Action{Label: i18n.T("action.dismiss"), Do: u.banner.Hide})
	u.banner.ShowMessage(p.Severity, p.Text, actions...)
}

// keyManager is the part of the history that manages its encryption keys.
type keyManager interface {
	StartNewKeys(ctx context.Context) error
}

// startNewKeys replaces a lost history key after the clerk confirms: rows sealed under
// the old key stay on disk, unreadable until that key returns to the keyring.
func (u *UI) startNewKeys() {
	km, ok := u.deps.History.(keyManager)
	if !ok {
		return
	}
	dialog.ShowConfirm(i18n.T("keys.title"), i18n.T("keys.body"), func(yes bool) {
		if !yes {
			return
		}
		go func() {
			err := km.StartNewKeys(context.Background())
			uiDo(func() {
				if err != nil {
					u.banner.ShowMessage(widgets.Error, i18n.T("keys.failed", err.Error()))
					return
				}
				u.banner.ShowMessage(widgets.OK, i18n.T("keys.done"), widgets.Action{Label: i18n.T("action.dismiss"), Do: u.banner.Hide})
			})
		}()
	}, u.win)
}

func (u *UI) openSettings() { u.tabs.SelectIndex(tabSettings) }

// threshold is the face-score pass mark (setting).
func (u *UI) threshold() float64 {
	v, err := strconv.ParseFloat(u.prefs.StringWithFallback(prefThreshold, ""), 64)
	if err != nil || v <= 0 || v > 100 {
		return DefaultThreshold
	}
	return v
}

// installShortcuts binds the clerk's keys: Ctrl+O open, Ctrl+V paste, Ctrl+Enter run
// the current step, Ctrl+N next customer, Ctrl+1…6 screens, Esc cancel.
func (u *UI) installShortcuts() {
	mod := fyne.KeyModifierShortcutDefault
	key := func(k fyne.KeyName) fyne.Shortcut { return &desktop.CustomShortcut{KeyName: k, Modifier: mod} }
	item := func(label string, k fyne.KeyName, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = key(k)
		return it
	}
	// The shortcuts live in the main menu: Fyne gives menu shortcuts precedence over the
	// focused widget, so they work while the clerk is typing in a field, and the menu
	// shows them to whoever does not know them yet.
	customer := fyne.NewMenu(i18n.T("menu.customer"),
		item(i18n.T("menu.open"), fyne.KeyO, func() {
			if z := u.activeZone(); z != nil {
				z.zone.Open()
			}
		}),
		item(i18n.T("menu.run"), fyne.KeyReturn, u.runCurrent),
		item(i18n.T("menu.next"), fyne.KeyN, u.nextCustomer),
		fyne.NewMenuItem(i18n.T("menu.cancel"), u.cancelAll),
	)
	var screens []*fyne.MenuItem
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6} {
		i := i
		screens = append(screens, item(u.tabs.Items[i].Text, k, func() { u.tabs.SelectIndex(i) }))
	}
	u.win.SetMainMenu(fyne.NewMainMenu(customer, fyne.NewMenu(i18n.T("menu.screens"), screens...)))

	c := u.win.Canvas()
	c.AddShortcut(key(fyne.KeyEnter), func(fyne.Shortcut) { u.runCurrent() }) // keypad Enter
	// Ctrl+V goes to the focused entry when there is one (text), else to the image zone.
	c.AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) {
		if z := u.activeZone(); z != nil {
			z.zone.Paste(u.app.Clipboard())
		}
	})
	// Esc cancels the call in flight. Starting a call leaves no widget focused, so the
	// key reaches the window.
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			u.cancelAll()
		}
	})
}

// nextCustomer clears the screen in use for the next customer (Ctrl+N); from History or
// Settings it goes to New customer.
func (u *UI) nextCustomer() {
	if i := u.tabs.SelectedIndex(); i >= tabLiveness && i <= tabValidation {
		u.singleScreen(i).renew()
		return
	}
	u.tabs.SelectIndex(tabNew)
	u.firstScreen().next()
}

// activeZone is the image zone Ctrl+O and Ctrl+V go to on the current screen.
func (u *UI) activeZone() *intake {
	switch i := u.tabs.SelectedIndex(); {
	case i == tabNew:
		return u.firstScreen().activeZone()
	case i >= tabLiveness && i <= tabValidation:
		return u.singleScreen(i).zone()
	}
	return nil
}

func (u *UI) runCurrent() {
	switch i := u.tabs.SelectedIndex(); {
	case i == tabNew:
		u.firstScreen().runNext()
	case i >= tabLiveness && i <= tabValidation:
		u.singleScreen(i).runNow()
	}
}

func (u *UI) cancelAll() {
	if u.onboarding != nil {
		u.onboarding.cancel()
	}
	for _, s := range u.single {
		if s != nil {
			s.cancel()
		}
	}
}

// dropped routes files dropped on the window to the image zone under the pointer, or
// to the current screen's active zone.
func (u *UI) dropped(pos fyne.Position, uris []fyne.URI) {
	widgets.DropHandler(func() []widgets.DropTarget {
		var ts []widgets.DropTarget
		for _, in := range u.visibleZones() {
			ts = append(ts, in.zone)
		}
		return ts
	}, func() widgets.DropTarget {
		if z := u.activeZone(); z != nil {
			return z.zone
		}
		return nil
	})(pos, uris)
}

func (u *UI) visibleZones() []*intake {
	switch i := u.tabs.SelectedIndex(); {
	case i == tabNew:
		o := u.firstScreen()
		return []*intake{o.ocr.in, o.live.in}
	case i >= tabLiveness && i <= tabValidation:
		return []*intake{u.singleScreen(i).zone()}
	}
	return nil
}
