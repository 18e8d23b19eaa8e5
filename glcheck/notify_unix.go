//go:build !windows && !darwin

package glcheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// show raises a desktop notification (org.freedesktop.Notifications, which GNOME,
// KDE, Xfce, Cinnamon and MATE all serve): a clerk who double-clicked the menu entry
// has no terminal to read stderr in. Without a session bus it does nothing.
func show(title, body string) {
	if err := notify(sessionBus(), title, body); err != nil {
		fmt.Fprintf(os.Stderr, "kycdesk: no desktop notification (%v)\n", err)
	}
}

// sessionBus finds the session bus without autolaunching one (godbus would start
// dbus-launch, leaving a stray bus behind).
func sessionBus() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	if p := fmt.Sprintf("/run/user/%d/bus", os.Getuid()); fileExists(p) {
		return "unix:path=" + p
	}
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// notify sends one critical notification, waiting at most two seconds.
func notify(addr, title, body string) error {
	if addr == "" {
		return errors.New("no session D-Bus")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := dbus.Connect(addr, dbus.WithContext(ctx))
	if err != nil {
		return err
	}
	defer conn.Close()
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(2)), "desktop-entry": dbus.MakeVariant("id.kycdesk.desk")}
	call := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications").CallWithContext(ctx,
		"org.freedesktop.Notifications.Notify", 0,
		"KYC Desk", uint32(0), "dialog-error", title, body, []string{}, hints, int32(0))
	return call.Err
}
