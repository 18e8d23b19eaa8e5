//go:build linux

package faulttest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// errKind returns the error kind of a --json call's output.
func errKind(t *testing.T, r result) string {
	t.Helper()
	i := strings.Index(r.stdout, `"kind": "`)
	if i < 0 {
		return ""
	}
	rest := r.stdout[i+len(`"kind": "`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// refsOf lists the references on record.
func refsOf(rows []map[string]any) map[string]string {
	out := map[string]string{}
	for _, r := range rows {
		out[r["cust_ref_no"].(string)] = r["outcome"].(string)
	}
	return out
}

// TestFullDisk: with no room left for the history, a call is refused before anything
// is sent and nothing already recorded is damaged; with room again, everything works.
// As root the data directory is a 1 MB tmpfs filled to the brim; otherwise (or as
// well) the process runs with a 4 KB file size limit (RLIMIT_FSIZE, SIGXFSZ ignored),
// which fails every write past that size the same way.
func TestFullDisk(t *testing.T) {
	needBinary(t)
	sb := startSandbox(t, 0)
	img := selfie(t)

	t.Run("file size limit", func(t *testing.T) {
		d := newDesk(t, filepath.Join(t.TempDir(), "home"), "KYCDESK_SERVER="+sb.url, "KYCDESK_TOKEN=sandbox-demo-token")
		if r := d.run(liveness(img, "fd-before")...); r.code != 0 {
			t.Fatalf("first call: %d %s", r.code, r.stdout)
		}
		limited := []string{"bash", "-c", `trap '' XFSZ; ulimit -f 4; exec "$@"`, "limited"}
		r := d.runWith(limited, liveness(img, "fd-full")...)
		checkRefusedThenRecovered(t, d, sb, r, img)
	})

	t.Run("tmpfs", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("mounting a tmpfs needs root; the file size limit case covers this")
		}
		mnt := t.TempDir()
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a tmpfs here (%v: %s); the file size limit case covers this", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
		d := newDesk(t, filepath.Join(mnt, "home"), "KYCDESK_SERVER="+sb.url, "KYCDESK_TOKEN=sandbox-demo-token")
		if r := d.run(liveness(img, "fd-before")...); r.code != 0 {
			t.Fatalf("first call: %d %s", r.code, r.stdout)
		}
		filler := filepath.Join(mnt, "filler")
		fill(t, filler)
		r := d.run(liveness(img, "fd-full")...)
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		checkRefusedThenRecovered(t, d, sb, r, img)
	})
}

// fill writes path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte{0xAB}, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			t.Fatal(err)
		}
	}
}

func checkRefusedThenRecovered(t *testing.T, d *desk, sb *sandbox, r result, img string) {
	t.Helper()
	if r.code != 5 || errKind(t, r) != "history_unavailable" {
		t.Fatalf("call with a full disk: exit %d (want 5, history_unavailable)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "the disk is full") {
		t.Errorf("the message does not say the disk is full:\n%s", r.stdout)
	}
	if len(sb.answers(t)["fd-full"]) != 0 {
		t.Fatal("a call that could not be recorded reached the gateway")
	}
	if c := d.run("history", "--check"); c.code != 0 {
		t.Fatalf("history damaged by the full disk: %s", c.stderr)
	}
	refs := refsOf(d.exportRows())
	if refs["fd-before"] != "success" {
		t.Fatalf("the earlier record is gone: %v", refs)
	}
	if _, ok := refs["fd-full"]; ok {
		t.Errorf("the refused call is on record as %q", refs["fd-full"])
	}
	if r := d.run(liveness(img, "fd-after")...); r.code != 0 {
		t.Fatalf("call after space came back: %d %s", r.code, r.stdout)
	}
}

// TestDamagedSettingsNeverPurge: settings.json damaged three ways; a 200-day-old
// record (past the 90-day default) survives every command, each command says what
// is wrong and how to repair it, paid calls wait for the repair, and the repair as
// the message words it works.
func TestDamagedSettingsNeverPurge(t *testing.T) {
	needBinary(t)
	sb := startSandbox(t, 0)
	img := selfie(t)
	for name, body := range map[string]string{
		"truncated":   `{"retention_days": 36`,
		"garbage":     "\x89PNG not settings at all",
		"wrong types": `{"retention_days": "365", "keep_images": "no"}`,
	} {
		t.Run(name, func(t *testing.T) {
			d := newDesk(t, filepath.Join(t.TempDir(), "home"), "KYCDESK_SERVER="+sb.url, "KYCDESK_TOKEN=sandbox-demo-token")
			if r := d.run(liveness(img, "old")...); r.code != 0 {
				t.Fatalf("first call: %d %s", r.code, r.stdout)
			}
			ageRecords(t, filepath.Join(d.home, "history.db"), 200*24*time.Hour)
			settings := filepath.Join(d.home, "settings.json")
			if err := os.WriteFile(settings, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}

			r := d.run("history")
			if r.code != 1 || !strings.Contains(r.stderr, "settings.json") || !strings.Contains(r.stderr, "kycdesk settings set --retention-days") {
				t.Fatalf("history: exit %d\n%s", r.code, r.stderr)
			}
			if refsOf(d.exportRows())["old"] == "" {
				t.Fatal("the old record was purged under settings nobody chose")
			}
			call := d.run(liveness(img, "while-damaged")...)
			if call.code != 2 || errKind(t, call) != "settings_invalid" || len(sb.answers(t)["while-damaged"]) != 0 {
				t.Fatalf("call with damaged settings: exit %d\n%s", call.code, call.stdout)
			}
			if r := d.run("settings", "set", "--retention-days", "365"); r.code != 0 {
				t.Fatalf("repair: %d %s %s", r.code, r.stdout, r.stderr)
			}
			if refsOf(d.exportRows())["old"] == "" {
				t.Fatal("the old record was purged by the repair to 365 days")
			}
			if r := d.run(liveness(img, "repaired")...); r.code != 0 {
				t.Fatalf("call after the repair: %d %s", r.code, r.stdout)
			}
			// A chosen shorter retention applies at once.
			if r := d.run("settings", "set", "--retention-days", "30"); r.code != 0 {
				t.Fatal(r.stderr)
			}
			if refs := refsOf(d.exportRows()); refs["old"] != "" || refs["repaired"] == "" {
				t.Fatalf("after choosing 30 days: %v", refs)
			}
		})
	}
}

// ageRecords moves every record back by d, as if made that long ago.
func ageRecords(t *testing.T, path string, d time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `UPDATE calls SET created_at = created_at - ?`, d.Milliseconds()); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedHistoryKeptAside: history.db torn, cut short or replaced by garbage; the
// next command keeps it aside byte for byte, says so, and a new history works.
func TestDamagedHistoryKeptAside(t *testing.T) {
	needBinary(t)
	sb := startSandbox(t, 0)
	img := selfie(t)
	damage := map[string]func(path string) error{
		"cut short": func(path string) error {
			st, err := os.Stat(path)
			if err != nil {
				return err
			}
			return os.Truncate(path, st.Size()/2+512)
		},
		"torn page": func(path string) error {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, 8192), 4096)
			return err
		},
		"garbage": func(path string) error { return os.WriteFile(path, bytes.Repeat([]byte("garbage!"), 4096), 0o600) },
	}
	for name, hurt := range damage {
		t.Run(name, func(t *testing.T) {
			d := newDesk(t, filepath.Join(t.TempDir(), "home"), "KYCDESK_SERVER="+sb.url, "KYCDESK_TOKEN=sandbox-demo-token")
			for i := 0; i < 8; i++ {
				if r := d.run(liveness(img, fmt.Sprintf("before-%d", i))...); r.code != 0 {
					t.Fatalf("call: %d %s", r.code, r.stdout)
				}
			}
			// Checkpoint so the whole history is in history.db (a clean start does it).
			if r := d.run("history", "--check"); r.code != 0 {
				t.Fatal(r.stderr)
			}
			checkpoint(t, filepath.Join(d.home, "history.db"))
			path := filepath.Join(d.home, "history.db")
			if err := hurt(path); err != nil {
				t.Fatal(err)
			}
			damaged, _ := os.ReadFile(path)

			r := d.run("history")
			if !strings.Contains(r.stderr, "kept aside as") || !strings.Contains(r.stderr, "history-damaged-") {
				t.Fatalf("history after damage: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			kept, _ := filepath.Glob(filepath.Join(d.home, "history-damaged-*.db"))
			if len(kept) != 1 {
				t.Fatalf("kept aside: %v", kept)
			}
			if b, _ := os.ReadFile(kept[0]); !bytes.Equal(b, damaged) {
				t.Fatal("the damaged history was not kept as it was")
			}
			if r := d.run(liveness(img, "after")...); r.code != 0 {
				t.Fatalf("call on the new history: %d %s %s", r.code, r.stdout, r.stderr)
			} else if !strings.Contains(r.stderr, "history-damaged-") {
				t.Errorf("later commands do not mention the damaged history kept aside:\n%s", r.stderr)
			}
			if refs := refsOf(d.exportRows()); refs["after"] != "success" {
				t.Fatalf("new history: %v", refs)
			}
			if r := d.run("history", "--check"); r.code != 0 {
				t.Fatal(r.stderr)
			}
		})
	}
}

func checkpoint(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
}
