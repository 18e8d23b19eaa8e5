package instance

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestSecondStartRaisesTheFirst(t *testing.T) {
	dir := t.TempDir()
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	raised := make(chan struct{}, 1)
	first.OnRaise(func() { raised <- struct{}{} })

	// The second start is another process, as in real life (flock is per open file, so
	// a second Acquire in this process would also be refused; a process is the honest test).
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSecondStart$")
	cmd.Env = append(os.Environ(), "INSTANCE_HELPER_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	select {
	case <-raised:
	case <-time.After(5 * time.Second):
		t.Fatal("the first instance was not asked to come to the front")
	}

	// After the first closes, a new start becomes the window.
	first.Close()
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after close: %v", err)
	}
	again.Close()
}

// TestHelperSecondStart is run as a child process by TestSecondStartRaisesTheFirst.
func TestHelperSecondStart(t *testing.T) {
	dir := os.Getenv("INSTANCE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process")
	}
	_, err := Acquire(dir)
	if !errors.Is(err, ErrRunning) {
		t.Fatalf("second Acquire: %v, want ErrRunning", err)
	}
}

// A socket left behind by a killed process does not stop the next start.
func TestStaleSocketIsReplaced(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, socketName), []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if in.ln == nil {
		t.Fatal("no socket")
	}
}
