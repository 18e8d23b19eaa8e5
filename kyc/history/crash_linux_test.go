//go:build linux

package history

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash tests re-run this test binary as a child that does the work
// named in envChild and is killed with SIGKILL at the interesting moment.
const (
	envChild    = "KYCDESK_HISTORY_CHILD"
	envChildDir = "KYCDESK_HISTORY_CHILD_DIR"
)

// TestMain lets the test binary act as the child.
func TestMain(m *testing.M) {
	if mode := os.Getenv(envChild); mode != "" {
		runChild(mode, os.Getenv(envChildDir))
		return
	}
	os.Exit(m.Run())
}

// childKeys is a fixed key source so parent and child share keys.
type childKeys struct{}

func (childKeys) Key(_ context.Context, name string, _ bool) ([]byte, error) {
	k := make([]byte, 32)
	copy(k, name)
	return k, nil
}

func runChild(mode, dir string) {
	ctx := context.Background()
	switch mode {
	case "track":
		s, err := Open(ctx, Options{Dir: dir, Keys: childKeys{}})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		_, _ = s.Track(ctx, validationCall("KILLED-REF"), func(context.Context) Completion {
			fmt.Println("SENDING") // the pending row is committed: the parent may kill now
			time.Sleep(time.Minute)
			return Completion{Outcome: OutcomeSuccess}
		})
	case "diskfull":
		// The store is open; then no write past 4 KB succeeds (a file size limit,
		// the way a full disk fails writes): the pending row cannot be committed.
		s, err := Open(ctx, Options{Dir: dir, Keys: childKeys{}})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 4096, Max: 4096}); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		sent := false
		_, err = s.Track(ctx, validationCall("FULL-REF"), func(context.Context) Completion {
			sent = true
			return Completion{Outcome: OutcomeSuccess}
		})
		fmt.Printf("SENT=%v FULL=%v ERR=%v\n", sent, errors.Is(err, ErrDiskFull), err)
		os.Exit(0)
	case "migrate":
		migrationHook = func(v int) {
			fmt.Println("MIGRATING", v) // inside the migration's transaction
			time.Sleep(time.Minute)
		}
		_, _ = Open(ctx, Options{Dir: dir, Keys: childKeys{}})
	}
	os.Exit(3)
}

// startChild runs the child and waits for the line starting with want.
func startChild(t *testing.T, mode, dir, want string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envChildDir+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		if !strings.HasPrefix(l, want) {
			cmd.Process.Kill()
			t.Fatalf("child said %q, want %q", l, want)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child did not reach the kill point")
	}
	return cmd
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

func TestCrashAfterPendingCommitBecomesUnknown(t *testing.T) {
	dir := t.TempDir()
	cmd := startChild(t, "track", dir, "SENDING")

	// While the child is alive, its call must stay pending for us.
	s, err := Open(context.Background(), Options{Dir: dir, Keys: childKeys{}})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.ByRef(context.Background(), "KILLED-REF", false)
	if err != nil || len(recs) != 1 || recs[0].Outcome != OutcomePending {
		t.Fatalf("while child alive: %+v %v", recs, err)
	}
	s.Close()

	kill(t, cmd)

	s, err = Open(context.Background(), Options{Dir: dir, Keys: childKeys{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err = s.ByRef(context.Background(), "KILLED-REF", true)
	if err != nil || len(recs) != 1 {
		t.Fatalf("after kill: %+v %v", recs, err)
	}
	r := recs[0]
	if r.Outcome != OutcomeUnknown || r.ErrorKind != KindInterrupted || r.Note != NoteInterrupted ||
		r.Personal.NIK != testNIK || r.NIKMasked != "3671********0004" {
		t.Fatalf("record = %+v, personal = %+v", r, r.Personal)
	}
	locks, _ := filepath.Glob(filepath.Join(dir, ownersDir, "*.lock"))
	if len(locks) != 1 { // only ours: the dead child's was removed
		t.Fatalf("owner files = %v", locks)
	}
}

func TestCrashMidMigrationStillOpens(t *testing.T) {
	dir := t.TempDir()
	cmd := startChild(t, "migrate", dir, "MIGRATING 1")
	kill(t, cmd)
	s, err := Open(context.Background(), Options{Dir: dir, Keys: childKeys{}})
	if err != nil {
		t.Fatalf("open after a killed migration: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("version = %d, %v", v, err)
	}
	track(t, s, validationCall("AFTER"), okCompletion("T"))
}

// TestFullDiskRefusesBeforeSending: when the pending row cannot be written, send is
// never called, the error says the disk is full, and the history is intact after.
func TestFullDiskRefusesBeforeSending(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(context.Background(), Options{Dir: dir, Keys: childKeys{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		track(t, s, validationCall(fmt.Sprint("BEFORE-", i)), okCompletion("T"))
	}
	s.Close()
	cmd := startChild(t, "diskfull", dir, "SENT=false FULL=true")
	_ = cmd.Wait()
	s, err = Open(context.Background(), Options{Dir: dir, Keys: childKeys{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if found, err := s.Check(context.Background(), false); err != nil || len(found) > 0 {
		t.Fatalf("after the full disk: %v %v", found, err)
	}
	p, err := s.List(context.Background(), Filter{Limit: 100})
	if err != nil || len(p.Records) != 20 {
		t.Fatalf("%d records, %v", len(p.Records), err)
	}
	if recs, _ := s.ByRef(context.Background(), "FULL-REF", false); len(recs) != 0 {
		t.Fatalf("the refused call is on record: %+v", recs)
	}
}
