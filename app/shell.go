package app

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/resources"
	"kycdesk/widgets"
)

// tabKeys are the tabs' title keys, in tab order.
var tabKeys = [tabCount]string{"tab.new", "tab.liveness", "tab.ocr", "tab.validation", "tab.history", "tab.settings"}

// screen is what the shell needs of a tab's content. Optional capabilities are found
// by type assertion (customerScreen).
type screen interface {
	content() fyne.CanvasObject
	// retranslate re-labels the screen in the current language, keeping its state.
	retranslate()
	// focus puts the keyboard focus where the clerk works next on this screen.
	focus()
}

// customerScreen is a screen that serves a customer: it runs calls, takes images and
// clears for the next customer.
type customerScreen interface {
	screen
	runNext()
	next()
	cancel()
	activeZone() *intake
	zones() []*intake
}

// build creates the shell: header, banner and tabs. The tabs' screens are built when
// first shown (building and laying out every screen is most of the start-up time).
func (u *UI) build() {
	u.header = newHeader()
	u.banner = widgets.NewBanner()
	items := make([]*container.TabItem, tabCount)
	icons := []fyne.Resource{theme.AccountIcon(), theme.VisibilityIcon(), theme.DocumentIcon(),
		theme.ConfirmIcon(), theme.HistoryIcon(), theme.SettingsIcon()}
	for i := range items {
		items[i] = container.NewTabItemWithIcon(i18n.T(tabKeys[i]), icons[i], container.NewStack())
	}
	u.tabs = container.NewAppTabs(items...)
	u.tabs.OnSelected = func(*container.TabItem) { u.showTab(u.tabs.SelectedIndex()) }
	u.win.SetContent(container.NewBorder(container.NewVBox(u.header.content, u.banner), nil, nil, nil, u.tabs))
	u.showHeader()
}

// showTab builds the tab's screen on first show, refreshes what it lists, and gives it
// the focus.
func (u *UI) showTab(i int) {
	holder, ok := u.tabs.Items[i].Content.(*fyne.Container)
	if ok && len(holder.Objects) == 0 {
		holder.Objects = []fyne.CanvasObject{u.screen(i).content()}
		holder.Refresh()
	}
	switch i {
	case tabHistory:
		u.history.reload()
	case tabSettings:
		u.settings.reload()
	case tabHeadOffice:
		u.headOffice.reload()
	}
	u.screen(i).focus()
}

// screen builds (once) and returns tab i's screen.
func (u *UI) screen(i int) screen {
	switch {
	case i >= tabLiveness && i <= tabValidation:
		return u.productScreen(i)
	case i == tabHistory:
		if u.history == nil {
			u.history = newHistoryScreen(u)
		}
		return u.history
	case i == tabSettings:
		if u.settings == nil {
			u.settings = newSettingsScreen(u)
		}
		return u.settings
	case i == tabHeadOffice && u.hoItem != nil:
		if u.headOffice == nil {
			u.headOffice = newHeadOfficeScreen(u)
			u.headOffice.setProfile(u.profile)
		}
		return u.headOffice
	}
	return u.firstScreen()
}

// screens returns the screens built so far.
func (u *UI) screens() []screen {
	var out []screen
	if u.flow != nil {
		out = append(out, u.flow)
	}
	for _, s := range u.single {
		if s != nil {
			out = append(out, s)
		}
	}
	if u.history != nil {
		out = append(out, u.history)
	}
	if u.settings != nil {
		out = append(out, u.settings)
	}
	if u.headOffice != nil {
		out = append(out, u.headOffice)
	}
	return out
}

// customerScreens returns the built screens that serve customers.
func (u *UI) customerScreens() []customerScreen {
	var out []customerScreen
	for _, s := range u.screens() {
		if c, ok := s.(customerScreen); ok {
			out = append(out, c)
		}
	}
	return out
}

// currentCustomerScreen is the selected tab's screen when it serves customers.
func (u *UI) currentCustomerScreen() customerScreen {
	i := u.tabs.SelectedIndex()
	if i > tabValidation {
		return nil
	}
	c, _ := u.screen(i).(customerScreen)
	return c
}

// firstScreen builds (once) the New customer flow and puts it in its tab. New defers
// it until the app has started, so the window appears without waiting for it.
func (u *UI) firstScreen() *flow {
	if u.flow == nil {
		u.flow = newFlow(u)
		holder := u.tabs.Items[tabNew].Content.(*fyne.Container)
		holder.Objects = []fyne.CanvasObject{u.flow.content()}
		holder.Refresh()
		u.flow.showSamples(u.conn != nil && u.conn.Sandbox)
	}
	return u.flow
}

// productScreen builds (once) and returns a single-product screen.
func (u *UI) productScreen(i int) *productScreen {
	k := i - tabLiveness
	if u.single[k] == nil {
		u.single[k] = newProductScreen(u, productKinds[k])
	}
	return u.single[k]
}

// header is the line above the banner: the app's name, the profile, its badges, and
// the head office sync while the profile reports its calls.
type header struct {
	profile     *widget.Label
	sync        *widget.Label
	sandbox     fyne.CanvasObject
	unencrypted *widget.Label
	content     fyne.CanvasObject
}

func newHeader() *header {
	h := &header{profile: widget.NewLabel(""), sync: widget.NewLabel("")}
	h.sync.Hide()
	title := widget.NewLabelWithStyle(Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	icon := canvas.NewImageFromResource(resources.IconSmall)
	icon.SetMinSize(fyne.NewSize(24, 24))
	icon.FillMode = canvas.ImageFillContain
	h.sandbox = badge(" SANDBOX ", color.NRGBA{R: 0xd9, G: 0x77, B: 0x06, A: 0xff})
	h.sandbox.Hide()
	h.unencrypted = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.unencrypted.Importance = widget.DangerImportance
	h.unencrypted.Hide()
	h.content = container.NewHBox(icon, title, layout.NewSpacer(), h.profile, h.sync, h.unencrypted, h.sandbox)
	return h
}

func (h *header) retranslate() {
	h.unencrypted.SetText("⚠ " + i18n.T("header.unencrypted"))
}

// badge is a bold, coloured marker (SANDBOX) so demo results are never taken for real
// ones.
func badge(text string, bg color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(bg)
	r.CornerRadius = theme.InputRadiusSize()
	txt := canvas.NewText(text, color.White)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewStack(r, container.NewPadded(txt))
}

// showHeader shows the profile, the server of a production profile, and the badges.
func (u *UI) showHeader() {
	name := u.profile.Name
	if name == "" {
		name = "…"
	}
	server := ""
	if u.conn != nil && !u.conn.Sandbox {
		server = " · " + u.conn.Server
	}
	u.header.profile.SetText(i18n.T("header.profile", name) + server)
	sandbox := u.conn != nil && u.conn.Sandbox
	showIf(u.header.sandbox, sandbox)
	u.header.retranslate()
	u.showSync()
	showIf(u.header.unencrypted, u.conn != nil && u.conn.Unencrypted)
	if u.flow != nil {
		u.flow.showSamples(sandbox)
	}
}

// sandbox reports whether the connected profile is the built-in sandbox (no charges).
func (u *UI) sandbox() bool { return u.conn != nil && u.conn.Sandbox }

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// showBanner shows the banner through render (which calls u.banner.ShowMessage with
// translated texts) and keeps render, so a language switch shows it again translated.
func (u *UI) showBanner(render func()) {
	u.bannerRender = render
	render()
}

// hideBanner hides the banner (a new call, the next customer, Dismiss).
func (u *UI) hideBanner() {
	u.bannerRender = nil
	u.banner.Hide()
}

func (u *UI) rerenderBanner() {
	if u.bannerRender != nil && u.banner.Visible() {
		u.bannerRender()
		return
	}
	u.hideBanner()
}

func (u *UI) dismissAction() widgets.Action {
	return widgets.Action{Label: i18n.T("action.dismiss"), Do: u.hideBanner}
}

func (u *UI) settingsAction() widgets.Action {
	return widgets.Action{Label: i18n.T("action.settings"), Do: u.openSettings}
}

func (u *UI) showNotConnected() {
	u.showBanner(func() {
		msg := i18n.T("conn.pending")
		if u.connErr != nil {
			msg = i18n.T("conn.failed", u.profile.Name, explainConn(u.connErr))
		}
		u.banner.ShowMessage(widgets.Error, msg, u.settingsAction())
	})
}

// showProblem puts a failed call's explanation in the banner with its next step.
// explainNow re-explains the failure in the current language (a language switch).
func (u *UI) showProblem(explainNow func() problem, retry func()) {
	u.showBanner(func() {
		p := explainNow()
		var actions []widgets.Action
		switch p.Next {
		case nextSettings:
			actions = append(actions, u.settingsAction())
		case nextRetrySame:
			actions = append(actions, widgets.Action{Label: i18n.T("action.retry_same"), Do: retry})
		case nextRetryLater:
			actions = append(actions, widgets.Action{Label: i18n.T("action.retry"), Do: retry})
		case nextNewKeys:
			actions = append(actions, widgets.Action{Label: i18n.T("action.new_keys"), Do: u.startNewKeys})
		}
		actions = append(actions, u.dismissAction())
		u.banner.ShowMessage(p.Severity, p.Text, actions...)
	})
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
	widgets.ShowConfirm(u.win, i18n.T("keys.title"), i18n.T("keys.body"), i18n.T("keys.confirm"), i18n.T("action.cancel"), func(yes bool) {
		if !yes {
			return
		}
		go func() {
			err := km.StartNewKeys(context.Background())
			uiDo(func() {
				if err != nil {
					u.showBanner(func() { u.banner.ShowMessage(widgets.Error, i18n.T("keys.failed")) })
					return
				}
				u.showBanner(func() { u.banner.ShowMessage(widgets.OK, i18n.T("keys.done"), u.dismissAction()) })
			})
		}()
	})
}

func (u *UI) openSettings() { u.tabs.SelectIndex(tabSettings) }
