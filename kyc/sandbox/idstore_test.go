package sandbox

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The child side of TestIDsUniqueAcrossProcesses: hand out ids from the
// store named in the environment, at a frozen clock, and print them.
func TestIDStoreChild(t *testing.T) {
	path := os.Getenv("SANDBOX_ID_STORE_CHILD")
	if path == "" {
		t.Skip("helper process only")
	}
	s := New(Config{IDStore: path, Now: func() time.Time { return sampleTime }})
	for range 200 {
		trx, ref := s.nextIDs(sampleTime)
		fmt.Println(trx, ref)
	}
}

// Processes sharing the id store, all in the same second, never repeat a
// trx_id or a ref_id; nor does a process started afterwards (a restart).
func TestIDsUniqueAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), IDStoreFile)
	var mu sync.Mutex
	var lines []string
	run := func() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIDStoreChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SANDBOX_ID_STORE_CHILD="+path)
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("child: %v", err)
			return
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		mu.Lock()
		defer mu.Unlock()
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 {
				lines = append(lines, sc.Text())
			}
		}
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); run() }()
	}
	wg.Wait()
	run() // a restart
	if len(lines) != 800 {
		t.Fatalf("got %d id pairs, want 800", len(lines))
	}
	trx, ref := map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		if !trxIDPattern.MatchString(f[0]) || !refIDPattern.MatchString(f[1]) {
			t.Fatalf("not the vendor's format: %q", l)
		}
		if trx[f[0]] || ref[f[1]] {
			t.Fatalf("repeated: %q", l)
		}
		trx[f[0]], ref[f[1]] = true, true
	}
}

// Without a store (or when it cannot be opened) ids stay unique in the process.
func TestIDsWithoutStore(t *testing.T) {
	s := New(Config{IDStore: filepath.Join(t.TempDir(), "no-such-dir", "\x00bad"), Now: func() time.Time { return sampleTime }})
	seen := map[string]bool{}
	for range 50 {
		trx, ref := s.nextIDs(sampleTime)
		if seen[trx] || seen[ref] {
			t.Fatalf("repeated %s %s", trx, ref)
		}
		seen[trx], seen[ref] = true, true
	}
}
