//go:build !windows && !darwin

package glcheck

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// notifications is a fake org.freedesktop.Notifications server on a private bus.
type notifications struct{ got chan [2]string }

func (n *notifications) Notify(app string, id uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	n.got <- [2]string{summary, body}
	return 7, nil
}

// The notification reaches a real D-Bus (a private dbus-daemon) and a server that
// owns org.freedesktop.Notifications, as a desktop's notification daemon does.
func TestDesktopNotification(t *testing.T) {
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon not installed (Debian: dbus)")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start dbus-daemon:", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	addr = strings.TrimSpace(addr)

	srv, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	n := &notifications{got: make(chan [2]string, 1)}
	if err := srv.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := srv.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatal(reply, err)
	}

	title, body := Message(&Problem{Kind: NoOpenGL}, "id")
	if err := notify(addr, title, body); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-n.got:
		if g[0] != title || !strings.Contains(g[1], "Perintah tanpa jendela") {
			t.Errorf("got %q", g)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification arrived")
	}

	// No bus at all: a quick error, never a hang or an autolaunched bus.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	start := time.Now()
	if err := notify("unix:path="+os.TempDir()+"/no-such-bus", title, body); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("dead bus: %v after %v", err, time.Since(start))
	}
}
