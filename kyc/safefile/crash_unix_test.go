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
