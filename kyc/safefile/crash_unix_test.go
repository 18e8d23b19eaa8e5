//go:build !windows

package safefile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const envCrashChild = "KYCDESK_SAFEFILE_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(envCrashChild); path != "" {
		_ = WriteWith(path, func(w io.Writer) error {
			_, _ = w.Write([]byte(strings.Repeat("new ", 4096)))
			fmt.Println("WRITING")
			time.Sleep(time.Minute)
			return nil
		})
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// TestKilledMidWriteKeepsOldContent: SIGKILL while the new content is half
// written leaves the old file whole.
func TestKilledMidWriteKeepsOldContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	if err := Write(path, []byte(`{"retention_days": 365}`)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashChild+"="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "WRITING\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("child: %q %v", line, err)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if b, _ := os.ReadFile(path); string(b) != `{"retention_days": 365}` {
		t.Fatalf("after a kill mid-write: %q", b)
	}
}

// A device or a pipe is written in place, never replaced: `--out /dev/null` run as root
// once renamed a temporary file over /dev/null.
func TestDeviceIsWrittenInPlace(t *testing.T) {
	before, err := os.Lstat("/dev/null")
	if err != nil || before.Mode()&os.ModeCharDevice == 0 {
		t.Skip("no /dev/null character device here")
	}
	if err := Write("/dev/null", []byte("x")); err != nil {
		t.Fatal(err)
	}
	after, err := os.Lstat("/dev/null")
	if err != nil || after.Mode()&os.ModeCharDevice == 0 || !os.SameFile(before, after) {
		t.Fatalf("/dev/null was replaced: %v %v", after.Mode(), err)
	}
	// A symbolic link keeps being a link; its target gets the content.
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}
