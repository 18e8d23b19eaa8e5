package history

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestPragmas(t *testing.T) {
	s := openTest(t, t.TempDir(), newMemKeys(), nil)
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1",
		"busy_timeout": "5000", "secure_delete": "1"}
	for p, w := range want {
		var got string
		if err := s.db.QueryRow(`PRAGMA ` + p).Scan(&got); err != nil || got != w {
			t.Errorf("PRAGMA %s = %q, %v; want %q", p, got, err, w)
		}
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(s.Path())
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("db mode = %v, %v", st.Mode().Perm(), err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, newMemKeys(), nil)
	if _, err := s.db.Exec(`INSERT INTO schema_migrations VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(context.Background(), Options{Dir: dir, Keys: newMemKeys()}); err == nil {
		t.Fatal("opened a database from the future")
	}
}

func TestParseDay(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	for _, s := range []string{"2026-03-01", "01-03-2026"} {
		d, err := ParseDay(s, wib)
		if err != nil || !d.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, wib)) {
			t.Errorf("ParseDay(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := ParseDay("1/3/2026", nil); err == nil {
		t.Error("accepted 1/3/2026")
	}
	if d, err := ParseDay("2026-03-01", nil); err != nil || d.Location() != time.Local {
		t.Error("default location")
	}
}

func TestParseUntilIncludesTheDay(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	for _, s := range []string{"2026-03-01", "01-03-2026", " 01-03-2026 "} {
		d, err := ParseUntil(s, wib)
		if err != nil || !d.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, wib)) {
			t.Errorf("ParseUntil(%q) = %v, %v", s, d, err)
		}
	}
	exact := "2026-03-01T10:00:00+07:00"
	if d, err := ParseUntil(exact, wib); err != nil || !d.Equal(time.Date(2026, 3, 1, 10, 0, 0, 0, wib)) {
		t.Errorf("ParseUntil(%q) = %v, %v", exact, d, err)
	}
	if _, err := ParseUntil("31-02-2026", wib); err == nil {
		t.Error("31 February accepted")
	}
}
