package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"kycdesk/app/i18n"
	"kycdesk/widgets"
)

// installShortcuts binds the clerk's keys: Ctrl+O open, Ctrl+V paste, Ctrl+Enter run
// the current step, Ctrl+PageUp/PageDown move between steps, Ctrl+N next customer,
// Ctrl+1…6 screens, Esc cancel, Ctrl+Q quit. It is called again after a language switch
// (the menu's labels).
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
	quit := item(i18n.T("menu.quit"), fyne.KeyQ, func() { u.win.Close() })
	quit.IsQuit = true // Fyne adds an English "Quit" to the first menu otherwise
	customer := fyne.NewMenu(i18n.T("menu.customer"),
		item(i18n.T("menu.open"), fyne.KeyO, u.openImage),
		item(i18n.T("menu.run"), fyne.KeyReturn, u.runCurrent),
		item(i18n.T("menu.prev_step"), fyne.KeyPageUp, func() { u.stepBy(-1) }),
		item(i18n.T("menu.next_step"), fyne.KeyPageDown, func() { u.stepBy(1) }),
		item(i18n.T("menu.next"), fyne.KeyN, u.nextCustomer),
		fyne.NewMenuItem(i18n.T("menu.cancel"), u.cancelAll),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	var screens []*fyne.MenuItem
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6} {
		i := i
		screens = append(screens, item(i18n.T(tabKeys[i]), k, func() { u.tabs.SelectIndex(i) }))
	}
	if u.hoItem != nil {
		screens = append(screens, item(i18n.T("tab.head_office"), fyne.Key7, func() {
			if u.hoItem != nil {
				u.tabs.SelectIndex(tabHeadOffice)
			}
		}))
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
	// Keys no widget took: Esc answers an open dialog or cancels the call in flight,
	// Enter answers an open dialog with its default.
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		m := widgets.TopModal(u.win)
		switch ev.Name {
		case fyne.KeyEscape:
			if m != nil {
				m.Escape()
				return
			}
			u.cancelAll()
		case fyne.KeyReturn, fyne.KeyEnter:
			if m != nil {
				m.Enter()
			}
		}
	})
}

// openImage opens the file dialog of the zone the current screen takes an image in.
func (u *UI) openImage() {
	if z := u.activeZone(); z != nil {
		z.zone.Open()
	}
}

// nextCustomer clears every screen for the next customer (Ctrl+N): personal data must
// not linger on any tab. From History or Settings it goes to New customer.
func (u *UI) nextCustomer() {
	if widgets.TopModal(u.win) != nil {
		return
	}
	for _, s := range u.customerScreens() {
		s.next()
	}
	u.hideBanner()
	if u.currentCustomerScreen() == nil {
		u.tabs.SelectIndex(tabNew)
	}
	if c := u.currentCustomerScreen(); c != nil {
		c.focus()
	}
}

// stepBy moves the New customer flow one step back or forth.
func (u *UI) stepBy(d int) {
	if u.tabs.SelectedIndex() == tabNew && u.flow != nil {
		u.flow.show(u.flow.page + d)
	}
}

// activeZone is the image zone Ctrl+O and Ctrl+V go to on the current screen.
func (u *UI) activeZone() *intake {
	if c := u.currentCustomerScreen(); c != nil {
		return c.activeZone()
	}
	return nil
}

func (u *UI) runCurrent() {
	if widgets.TopModal(u.win) != nil {
		return
	}
	if c := u.currentCustomerScreen(); c != nil {
		c.runNext()
	}
}

func (u *UI) cancelAll() {
	for _, s := range u.customerScreens() {
		s.cancel()
	}
}

// dropped routes files dropped on the window to the image zone under the pointer, or
// to the current screen's active zone.
func (u *UI) dropped(pos fyne.Position, uris []fyne.URI) {
	widgets.DropHandler(func() []widgets.DropTarget {
		var ts []widgets.DropTarget
		if c := u.currentCustomerScreen(); c != nil {
			for _, in := range c.zones() {
				ts = append(ts, in.zone)
			}
		}
		return ts
	}, func() widgets.DropTarget {
		if z := u.activeZone(); z != nil {
			return z.zone
		}
		return nil
	})(pos, uris)
}
