//go:build linux

package vault

import (
	"errors"
	"net"
	"os/exec"
	"testing"

	dbus "github.com/godbus/dbus/v5"
)

// The errors below are the shapes go-keyring v0.2.8 returns on Linux,
// observed against dbus-run-session with and without gnome-keyring.
func TestClassifyLinux(t *testing.T) {
	cases := []struct {
		err  error
		want Code
	}{
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), CodeLocked},
		{&net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}, CodeUnavailable},
		{&exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, CodeUnavailable},
		{errors.New("dbus: couldn't determine address of session bus"), CodeUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"}, CodeUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ExecFailed"}, CodeUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied"}, CodeAccessDenied},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, CodeLocked},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, CodeTimeout},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject"}, CodeNotFound},
		{dbus.Error{Name: "org.example.Other"}, CodeKeyring},
		{errors.New("The name org.freedesktop.secrets was not provided by any .service files"), CodeUnavailable},
	}
	for _, c := range cases {
		if got := classify(c.err); got != c.want {
			t.Errorf("classify(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

func TestLinuxPreflight(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	if err := platformPreflight(); err != nil {
		t.Fatalf("with address: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	// Without an address the answer depends on /run/user/<uid>/bus; either
	// way it must not start anything, and a failure is CodeUnavailable.
	if err := platformPreflight(); err != nil && classify(err) != CodeUnavailable {
		t.Fatalf("preflight error %v classified as %s", err, classify(err))
	}
	b := SystemBackend()
	if b.Name() != "Secret Service" {
		t.Fatalf("name = %q", b.Name())
	}
}
