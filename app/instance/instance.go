// Package instance keeps one KYC Desk window per user: the first start takes a lock in
// the data directory and listens on a socket beside it; a second start (a double
// double-click, a second shortcut) finds the lock taken, asks the first to come to the
// front, and exits. Two windows on the same data would leave the clerk unsure which
// one holds the customer. The headless commands never take the lock: they run
// alongside the window.
//
// It imports no Fyne: main wires Raise to the window.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrRunning means another instance holds the lock; it was asked to come to the front.
var ErrRunning = errors.New("instance: KYC Desk is already running for this user")

// Files in the data directory.
const (
	lockName   = "window.lock"
	socketName = "window.sock"
	raiseMsg   = "raise\n"
)

// Instance is the primary instance's hold on the data directory.
type Instance struct {
	lock   *os.File
	ln     net.Listener
	sock   string
	mu     sync.Mutex
	raise  func()
	closed chan struct{}
}

// Acquire makes this process the one window for dir, or, when another process already
// is, asks that one to come to the front and returns ErrRunning (wrapped with what
// happened when the other could not be reached).
func Acquire(dir string) (*Instance, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			if rerr := askToRaise(filepath.Join(dir, socketName)); rerr != nil {
				return nil, fmt.Errorf("%w (it did not answer: %v)", ErrRunning, rerr)
			}
			return nil, ErrRunning
		}
		return nil, err
	}
	in := &Instance{lock: f, sock: filepath.Join(dir, socketName), closed: make(chan struct{})}
	// A socket left by a process that died is stale: the lock proves nobody serves it.
	_ = os.Remove(in.sock)
	if ln, err := net.Listen("unix", in.sock); err == nil {
		_ = os.Chmod(in.sock, 0o600)
		in.ln = ln
		go in.serve()
	}
	// Without a socket (a path too long for one, an old Windows) this is still the only
	// window; a second start then only says that the app runs already.
	return in, nil
}

// OnRaise sets what a second start asks for; it runs on the listener's goroutine.
func (in *Instance) OnRaise(f func()) {
	in.mu.Lock()
	in.raise = f
	in.mu.Unlock()
}

func (in *Instance) serve() {
	for {
		c, err := in.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || line != raiseMsg {
				return
			}
			in.mu.Lock()
			f := in.raise
			in.mu.Unlock()
			if f != nil {
				f()
			}
			_, _ = c.Write([]byte("ok\n"))
		}()
	}
}

// Close releases the lock and the socket.
func (in *Instance) Close() {
	if in.ln != nil {
		in.ln.Close()
		_ = os.Remove(in.sock)
	}
	unlockFile(in.lock)
	in.lock.Close()
}

func askToRaise(sock string) error {
	c, err := net.DialTimeout("unix", sock, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := c.Write([]byte(raiseMsg)); err != nil {
		return err
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(reply) != "ok" {
		return fmt.Errorf("unexpected reply %q", reply)
	}
	return nil
}
