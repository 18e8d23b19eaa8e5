// Package pgtest starts a throwaway PostgreSQL server for tests and
// benchmarks: Debian's `postgresql` package, initdb in a temporary
// directory, pg_ctl start on 127.0.0.1 on a free port (and a Unix socket in
// the same directory), stopped and deleted afterwards. No mocks: the head
// office code is tested against the real engine merchants run.
//
// initdb and postgres refuse to run as root, and CI runs as root, so when the
// test process is root the server runs as the `postgres` system user the
// package creates (its directory is handed over to that user).
//
// Authentication: the Unix socket trusts everyone (the superuser "kyc_admin"
// connects through it, like IT on the server itself); TCP on loopback asks
// for a SCRAM password, so the counters' and head office's logins are tested
// the way they connect in production.
//
// When PostgreSQL is not installed, Start skips the test, unless
// KYCDESK_REQUIRE_PG=1 (set by `make unit`), when it fails: CI must never
// pass by skipping the head office tests.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the bootstrap superuser initdb creates.
const Superuser = "kyc_admin"

// EnvRequire makes a missing PostgreSQL a failure instead of a skip.
const EnvRequire = "KYCDESK_REQUIRE_PG"

// EnvBinDir overrides where the PostgreSQL binaries are looked for.
const EnvBinDir = "KYCDESK_PG_BIN"

// Options tune the server. The zero value is the fast test setup.
type Options struct {
	// Durable keeps fsync on (benchmarks that report ingest rates must
	// measure a server that flushes its commits to disk).
	Durable bool
	// Settings are extra postgresql.conf lines ("shared_buffers = '512MB'").
	Settings []string
	// DataFiles are written into the data directory after initdb, readable
	// by the server only (TLS certificate and key for ssl_cert_file…).
	DataFiles map[string][]byte
	// Dir is where the cluster lives; "" makes a temporary directory that
	// Stop removes. A given Dir is kept (benchmark data reused across runs).
	Dir string
}

// Server is one running PostgreSQL cluster.
type Server struct {
	BinDir  string
	DataDir string
	SockDir string
	Port    int

	base    string // directory holding data and socket; removed on Stop if temporary
	keep    bool
	runAs   *account // the postgres system user when the tests run as root
	logFile string
	mu      sync.Mutex
	running bool
}

// account is a system user to run the server as.
type account struct{ uid, gid int }

// ErrNotInstalled is returned by New when no PostgreSQL binaries are found.
var ErrNotInstalled = errors.New("pgtest: PostgreSQL is not installed (apt-get install postgresql, or run .ci/deps.sh)")

// FindBinDir returns the directory of initdb, pg_ctl and postgres: $KYCDESK_PG_BIN,
// else the newest /usr/lib/postgresql/N/bin, else the directory of initdb on PATH.
func FindBinDir() (string, error) {
	if d := os.Getenv(EnvBinDir); d != "" {
		return d, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNotInstalled
}

func versionOf(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// New creates and starts a cluster. Call Stop when done.
func New(ctx context.Context, opt Options) (*Server, error) {
	if runtime.GOOS == "windows" {
		return nil, errors.New("pgtest: the throwaway server runs on Linux and macOS only")
	}
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	s := &Server{BinDir: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root needs the postgres system user (installed with the postgresql package): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.runAs = &account{uid: uid, gid: gid}
	}
	if opt.Dir != "" {
		s.base, s.keep = opt.Dir, true
		if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
			return nil, err
		}
	} else {
		// Not t.TempDir(): its parents are 0700 root and the postgres user
		// must reach the directory. A short path, too: a Unix socket path
		// is limited to about 100 bytes.
		tmp := os.TempDir()
		if fi, err := os.Stat(tmp); s.runAs != nil && (err != nil || fi.Mode().Perm()&0o001 == 0) {
			tmp = "/tmp" // TMPDIR that the postgres user cannot enter
		}
		if s.base, err = os.MkdirTemp(tmp, "kycpg-"); err != nil {
			return nil, err
		}
	}
	s.DataDir = filepath.Join(s.base, "data")
	s.SockDir = filepath.Join(s.base, "sock")
	s.logFile = filepath.Join(s.base, "server.log")
	if err := os.MkdirAll(s.SockDir, 0o700); err != nil {
		return nil, s.fail(err)
	}
	if err := s.chown(s.base, s.SockDir); err != nil {
		return nil, s.fail(err)
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, "PG_VERSION")); err != nil {
		if err := s.initdb(ctx, opt); err != nil {
			return nil, s.fail(err)
		}
	}
	if err := s.Start(ctx); err != nil {
		return nil, s.fail(err)
	}
	return s, nil
}

func (s *Server) fail(err error) error {
	if !s.keep {
		_ = os.RemoveAll(s.base)
	}
	return err
}

func (s *Server) chown(paths ...string) error {
	if s.runAs == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, s.runAs.uid, s.runAs.gid); err != nil {
			return fmt.Errorf("pgtest: hand %s to the postgres user: %w", p, err)
		}
	}
	return nil
}

// run executes one of the server's binaries (as the postgres user when root).
func (s *Server) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(s.BinDir, name), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = s.base
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	if s.runAs != nil {
		runAs(cmd, *s.runAs)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: %s %s: %w\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

func (s *Server) initdb(ctx context.Context, opt Options) error {
	if err := s.run(ctx, "initdb", "-D", s.DataDir, "-U", Superuser, "-E", "UTF8", "--locale=C",
		"--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"); err != nil {
		return err
	}
	conf := []string{
		"listen_addresses = '127.0.0.1'",
		"unix_socket_directories = '" + s.SockDir + "'",
		"max_connections = 1200",
		"shared_buffers = '128MB'",
		"timezone = 'UTC'",
		"log_min_messages = warning",
		"log_min_error_statement = panic",
		"password_encryption = 'scram-sha-256'",
	}
	if !opt.Durable {
		// Safe against the server process dying (the faults tests kill
		// it), not against the machine losing power: commits reach the
		// OS before they are acknowledged, the OS is not asked to flush.
		conf = append(conf, "fsync = off", "full_page_writes = off")
	}
	conf = append(conf, opt.Settings...)
	for name, data := range opt.DataFiles {
		p := filepath.Join(s.DataDir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return err
		}
		if err := s.chown(p); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(filepath.Join(s.DataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString("\n# pgtest\n" + strings.Join(conf, "\n") + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before the server binds it; Start retries on a new port then.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the server (again, after Stop with keep or Kill). The port
// is kept across restarts so clients can reconnect to the same address.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return nil
	}
	var last error
	for try := 0; try < 5; try++ {
		if s.Port == 0 || try > 0 {
			p, err := freePort()
			if err != nil {
				return err
			}
			s.Port = p
		}
		last = s.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", s.DataDir, "-l", s.logFile,
			"-o", fmt.Sprintf("-p %d", s.Port))
		if last == nil {
			s.running = true
			return nil
		}
		if !s.portTaken() {
			break
		}
	}
	return fmt.Errorf("%w\nserver log:\n%s", last, s.logTail())
}

func (s *Server) portTaken() bool {
	b, _ := os.ReadFile(s.logFile)
	return bytes.Contains(b, []byte("Address already in use"))
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logFile)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Stop shuts the server down ("fast": sessions are disconnected, work in
// progress rolls back, as when a DBA restarts it).
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return nil
	}
	err := s.run(ctx, "pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", s.DataDir)
	if err == nil {
		s.running = false
	}
	return err
}

// Kill stops the server the hard way ("immediate": no checkpoint, like a
// crash); Start then runs crash recovery.
func (s *Server) Kill(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return nil
	}
	err := s.run(ctx, "pg_ctl", "stop", "-w", "-t", "60", "-m", "immediate", "-D", s.DataDir)
	if err == nil {
		s.running = false
	}
	return err
}

// Restart stops and starts the server on the same port.
func (s *Server) Restart(ctx context.Context) error {
	if err := s.Stop(ctx); err != nil {
		return err
	}
	return s.Start(ctx)
}

// Close stops the server and removes its directory (unless Options.Dir was given).
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.Stop(ctx)
	if !s.keep {
		if rerr := os.RemoveAll(s.base); err == nil {
			err = rerr
		}
	}
	return err
}

// CPUTime is the CPU time (user + system) the server has used: the
// postmaster's own and that of every backend that has exited, read from
// /proc (Linux). Benchmarks report it next to the wall time, since the
// server is not a child of the test process.
func (s *Server) CPUTime() (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join(s.DataDir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	pid := strings.SplitN(string(b), "\n", 2)[0]
	stat, err := os.ReadFile("/proc/" + strings.TrimSpace(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// Fields after the ")" that closes the command name: utime is the 12th,
	// then stime, cutime, cstime (clock ticks, 100 per second on Linux).
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	var ticks int64
	for _, i := range []int{11, 12, 13, 14} {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// AdminDSN connects as the superuser through the Unix socket.
func (s *Server) AdminDSN(database string) string {
	if database == "" {
		database = "postgres"
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", s.SockDir, s.Port, Superuser, database)
}

// Admin opens a superuser connection to database.
func (s *Server) Admin(ctx context.Context, database string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, s.AdminDSN(database))
}

// CreateDatabase makes a fresh database with a random name and returns it.
func (s *Server) CreateDatabase(ctx context.Context, prefix string) (string, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := strings.ToLower(prefix) + "_" + hex.EncodeToString(b)
	c, err := s.Admin(ctx, "")
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return name, err
}

// shared is one server per test binary (initdb costs a second or two).
var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns the test binary's server, starting it on first use, or
// skips the test if PostgreSQL is not installed (fails under
// KYCDESK_REQUIRE_PG=1). Call StopShared from TestMain after m.Run.
func Shared(tb testing.TB) *Server {
	tb.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared.srv, shared.err = New(ctx, Options{})
	})
	if shared.err != nil {
		if errors.Is(shared.err, ErrNotInstalled) && os.Getenv(EnvRequire) != "1" {
			tb.Skip(shared.err.Error())
		}
		tb.Fatal(shared.err)
	}
	return shared.srv
}

// StopShared stops the shared server, if one was started.
func StopShared() {
	if shared.srv != nil {
		_ = shared.srv.Close()
	}
}

// Database returns a new empty database on the shared server, named after the test.
func Database(tb testing.TB) (*Server, string) {
	tb.Helper()
	s := Shared(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name, err := s.CreateDatabase(ctx, "t")
	if err != nil {
		tb.Fatal(err)
	}
	return s, name
}
