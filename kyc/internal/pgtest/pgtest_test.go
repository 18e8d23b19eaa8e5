package pgtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// The server answers over the socket (trust) and refuses TCP without a
// password; it survives a restart on the same port.
func TestServerLifecycle(t *testing.T) {
	s, db := Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := s.Admin(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `CREATE ROLE counter LOGIN PASSWORD 'pw-123'`); err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)

	tcp := func(pw string) error {
		cfg, err := pgx.ParseConfig("host=127.0.0.1 user=counter sslmode=disable dbname=" + db)
		if err != nil {
			return err
		}
		cfg.Port, cfg.Password = uint16(s.Port), pw
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			conn.Close(ctx)
		}
		return err
	}
	if err := tcp("wrong"); err == nil {
		t.Fatal("TCP login with a wrong password succeeded")
	}
	if err := tcp("pw-123"); err != nil {
		t.Fatalf("TCP login: %v", err)
	}
	port := s.Port
	if err := s.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Port != port {
		t.Fatalf("port changed across restart: %d → %d", port, s.Port)
	}
	if err := tcp("pw-123"); err != nil {
		t.Fatalf("after restart: %v", err)
	}
}
