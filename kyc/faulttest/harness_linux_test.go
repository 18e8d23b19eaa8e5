//go:build linux

package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// bin is the kycdesk binary under test.
var bin string

func TestMain(m *testing.M) {
	flag.Parse() // setup asks testing.Short
	code, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		os.Exit(1)
	}
	if code >= 0 {
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// setup finds or builds the binary. KYCDESK_BIN (the Makefile passes the one it
// built) wins; otherwise it is built from this module, which takes a while the first
// time (Fyne).
func setup() (int, error) {
	if b := os.Getenv("KYCDESK_BIN"); b != "" {
		abs, err := filepath.Abs(b)
		if err != nil {
			return 1, err
		}
		if _, err := os.Stat(abs); err != nil {
			return 1, fmt.Errorf("KYCDESK_BIN: %w", err)
		}
		bin = abs
		return -1, nil
	}
	if testing.Short() {
		return -1, nil
	}
	dir, err := os.MkdirTemp("", "kycdesk-faulttest-bin-")
	if err != nil {
		return 1, err
	}
	bin = filepath.Join(dir, "kycdesk")
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, "kycdesk")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return 1, fmt.Errorf("building kycdesk: %w", err)
	}
	return -1, nil
}

func needBinary(t *testing.T) {
	t.Helper()
	if bin == "" {
		t.Skip("-short without KYCDESK_BIN: the fault tests need the real binary")
	}
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
	killed         bool
}

// desk is one installation: a data directory, the environment the binary runs in.
type desk struct {
	t    *testing.T
	home string
	env  []string
}

func newDesk(t *testing.T, home string, extra ...string) *desk {
	t.Helper()
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"KYCDESK_HOME=" + home, "PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8"}
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return &desk{t: t, home: home, env: append(env, extra...)}
}

// run runs kycdesk to completion.
func (d *desk) run(args ...string) result {
	d.t.Helper()
	return d.runWith(nil, args...)
}

func (d *desk) runWith(wrap []string, args ...string) result {
	d.t.Helper()
	argv := append(append([]string(nil), wrap...), append([]string{bin}, args...)...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = d.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var xe *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &xe):
		r.code = xe.ExitCode()
	default:
		d.t.Fatalf("%v: %v", args, err)
	}
	return r
}

// runKilled starts kycdesk and sends SIGKILL after delay (if it is still running).
func (d *desk) runKilled(delay time.Duration, args ...string) result {
	cmd := exec.Command(bin, args...)
	cmd.Env = d.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		d.t.Error(err)
		return result{code: -1}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	killed := false
	select {
	case err = <-done:
	case <-time.After(delay):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err = <-done
		killed = true
	}
	r := result{stdout: out.String(), stderr: errOut.String(), killed: killed}
	var xe *exec.ExitError
	if errors.As(err, &xe) {
		r.code = xe.ExitCode()
		if ws, ok := xe.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	}
	return r
}

// exportRows reads every record through the binary (which also recovers the
// pending rows of dead processes, as any start does).
func (d *desk) exportRows() []map[string]any {
	d.t.Helper()
	r := d.run("history", "--export", "json")
	if r.code != 0 && r.code != 1 {
		d.t.Fatalf("history --export: exit %d: %s", r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		d.t.Fatalf("history --export: %v\n%s", err, r.stdout)
	}
	return rows
}

// sandbox is a standalone `kycdesk sandbox` with a request log.
type sandbox struct {
	url string
	log string
	cmd *exec.Cmd
}

func startSandbox(t *testing.T, latency time.Duration) *sandbox {
	t.Helper()
	dir := t.TempDir()
	s := &sandbox{log: filepath.Join(dir, "requests.jsonl")}
	s.cmd = exec.Command(bin, "sandbox", "--addr", "127.0.0.1:0", "--latency", latency.String(), "--quota", "-1", "--log", s.log)
	s.cmd.Env = []string{"KYCDESK_HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = s.cmd.Process.Kill()
		t.Fatalf("sandbox: %v", err)
	}
	go func() { _, _ = bufio.NewReader(out).WriteTo(discard{}) }()
	i := strings.Index(line, "http://")
	if i < 0 {
		_ = s.cmd.Process.Kill()
		t.Fatalf("sandbox said %q", line)
	}
	s.url = strings.TrimSpace(line[i:])
	t.Cleanup(s.stop)
	return s
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

func (s *sandbox) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// answer is one line of the sandbox's request log.
type answer struct {
	Ref      string `json:"cust_ref_no"`
	Status   any    `json:"status"`
	Billed   bool   `json:"billed"`
	Answered bool   `json:"answered"`
}

// answers reads the request log: every request that reached the sandbox with a
// reference, by reference.
func (s *sandbox) answers(t *testing.T) map[string][]answer {
	t.Helper()
	b, err := os.ReadFile(s.log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	out := map[string][]answer{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var a answer
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("sandbox log line %q: %v", line, err)
		}
		if a.Ref != "" {
			out[a.Ref] = append(out[a.Ref], a)
		}
	}
	return out
}

// selfie prepares the sample selfie once per test binary (a small JPEG, so a
// burst spends its time in the paths under test, not in decoding).
var (
	selfieOnce sync.Once
	selfiePath string
	selfieErr  error
)

func selfie(t *testing.T) string {
	t.Helper()
	selfieOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kycdesk-faulttest-img-")
		if err != nil {
			selfieErr = err
			return
		}
		selfiePath = filepath.Join(dir, "selfie.jpg")
		cmd := exec.Command(bin, "prepare", "--kind", "selfie", "--image", "../photo/testdata/sample-selfie-astronaut.png", "--out", selfiePath)
		cmd.Env = []string{"KYCDESK_HOME=" + dir, "PATH=" + os.Getenv("PATH")}
		if out, err := cmd.CombinedOutput(); err != nil {
			selfieErr = fmt.Errorf("prepare: %v: %s", err, out)
		}
	})
	if selfieErr != nil {
		t.Fatal(selfieErr)
	}
	return selfiePath
}

func liveness(img, ref string) []string {
	return []string{"liveness", "--image", img, "--force", "--consent", "--json", "--ref", ref, "--timeout", "20s"}
}

var _ = context.Background
