//go:build linux

package vault

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"

	dbus "github.com/godbus/dbus/v5"
)

const platformKeyringName = "Secret Service"

// platformPreflight refuses to let go-keyring autolaunch a session bus: with
// no bus address and no per-user bus socket there is no unlocked keyring to
// talk to, and dbus-launch would leave stray daemons behind.
func platformPreflight() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		return nil
	}
	return errPreflight
}

// classifyPlatform reads the Secret Service errors as go-keyring v0.2.8
// produces them: D-Bus connection errors (no bus), D-Bus error names (no
// secrets service, access denied, locked, no reply) and the plain error
// "failed to unlock correct collection" that go-keyring returns when the
// unlock prompt was dismissed or could not be shown.
func classifyPlatform(err error) Code {
	var de dbus.Error
	if errors.As(err, &de) {
		switch name := de.Name; {
		case name == "org.freedesktop.DBus.Error.ServiceUnknown",
			name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn"):
			return CodeUnavailable
		case name == "org.freedesktop.DBus.Error.AccessDenied":
			return CodeAccessDenied
		case name == "org.freedesktop.Secret.Error.IsLocked":
			return CodeLocked
		case name == "org.freedesktop.DBus.Error.NoReply", name == "org.freedesktop.DBus.Error.Timeout":
			return CodeTimeout
		case name == "org.freedesktop.Secret.Error.NoSuchObject":
			return CodeNotFound
		}
	}
	var ne *net.OpError
	var ee *exec.Error
	var xe *exec.ExitError
	switch {
	case errors.As(err, &ne), errors.As(err, &ee), errors.As(err, &xe):
		return CodeUnavailable // no bus socket, or dbus-launch missing/failing
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "failed to unlock correct collection"):
		return CodeLocked
	case strings.Contains(msg, "couldn't determine address of session bus"),
		strings.Contains(msg, "dbus: authentication failed"),
		strings.Contains(msg, "ServiceUnknown"),
		strings.Contains(msg, "was not provided by any .service files"):
		return CodeUnavailable
	}
	return CodeKeyring
}
