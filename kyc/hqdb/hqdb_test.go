package hqdb_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

func TestTLSRule(t *testing.T) {
	for _, c := range []struct {
		host    string
		mode    hqdb.TLSMode
		wantTLS bool
		wantErr bool
	}{
		{"127.0.0.1", hqdb.TLSAuto, false, false},
		{"localhost", hqdb.TLSAuto, false, false},
		{"::1", hqdb.TLSDisable, false, false},
		{"/var/run/postgresql", hqdb.TLSAuto, false, false},
		{"127.0.0.1", hqdb.TLSVerify, true, false},
		{"hq-db.example.co.id", hqdb.TLSAuto, true, false},
		{"10.1.2.3", hqdb.TLSAuto, true, false},
		{"hq-db.example.co.id", hqdb.TLSDisable, false, true},
		{"10.1.2.3", "prefer", false, true},
	} {
		cfg, err := hqdb.Target{Host: c.host, Database: "d", User: "u", TLS: c.mode}.ConnConfig()
		if (err != nil) != c.wantErr {
			t.Errorf("%s %q: error %v", c.host, c.mode, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, hqdb.ErrConfig) {
				t.Errorf("%s %q: %v is not a config error", c.host, c.mode, err)
			}
			continue
		}
		if got := cfg.TLSConfig != nil; got != c.wantTLS || len(cfg.Fallbacks) != 0 {
			t.Errorf("%s %q: TLS %v (fallbacks %d)", c.host, c.mode, got, len(cfg.Fallbacks))
		}
		if cfg.TLSConfig != nil && (cfg.TLSConfig.InsecureSkipVerify || cfg.TLSConfig.ServerName != c.host || cfg.TLSConfig.MinVersion < 0x0303) {
			t.Errorf("%s: weak TLS config %+v", c.host, cfg.TLSConfig)
		}
	}
	if _, err := (hqdb.Target{Host: "h"}).ConnConfig(); !errors.Is(err, hqdb.ErrConfig) {
		t.Errorf("incomplete target: %v", err)
	}
	for s, want := range map[string]string{"db.example:6432": "db.example", "[::1]:5433": "::1", "10.0.0.1": "10.0.0.1"} {
		if h, _, err := hqdb.ParseServer(s); err != nil || h != want {
			t.Errorf("ParseServer(%q) = %q, %v", s, h, err)
		}
	}
}

// makeCA returns a CA certificate (PEM) and a signer for server certificates.
func makeCA(t *testing.T) (caPEM []byte, sign func(hosts ...string) (certPEM, keyPEM []byte)) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test merchant CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return caPEM, func(hosts ...string) ([]byte, []byte) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		st := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: hosts[0]},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
		for _, h := range hosts {
			if ip := net.ParseIP(h); ip != nil {
				st.IPAddresses = append(st.IPAddresses, ip)
			} else {
				st.DNSNames = append(st.DNSNames, h)
			}
		}
		d, err := x509.CreateCertificate(rand.Reader, st, ca, &k.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		kd, _ := x509.MarshalECPrivateKey(k)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd})
	}
}

// Against a server with TLS: the merchant's CA is trusted and the link is
// encrypted; a certificate from another CA, or for another name, is refused.
func TestTLSAgainstServer(t *testing.T) {
	if _, err := pgtest.FindBinDir(); err != nil && os.Getenv(pgtest.EnvRequire) != "1" {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	caPEM, sign := makeCA(t)
	cert, key := sign("127.0.0.1")
	srv, err := pgtest.New(ctx, pgtest.Options{
		DataFiles: map[string][]byte{"server.crt": cert, "server.key": key},
		Settings:  []string{"ssl = on", "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	admin, err := srv.Admin(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `CREATE ROLE app LOGIN PASSWORD 'pw'`); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)

	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, caPEM, 0o600)
	otherCA, _ := makeCA(t)
	otherFile := filepath.Join(dir, "other.pem")
	os.WriteFile(otherFile, otherCA, 0o600)

	target := hqdb.Target{Host: "127.0.0.1", Port: srv.Port, Database: "postgres", User: "app", Password: "pw", TLS: hqdb.TLSVerify, CAFile: caFile}
	c, err := hqdb.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	var ssl bool
	if err := c.QueryRow(ctx, `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).Scan(&ssl); err != nil || !ssl {
		t.Fatalf("not encrypted: %v %v", ssl, err)
	}
	c.Close(ctx)

	target.CAFile = otherFile
	if _, err := hqdb.Connect(ctx, target); !errors.Is(err, hqdb.ErrTLS) {
		t.Fatalf("another CA: %v", err)
	}
	target.CAFile, target.Host = caFile, "localhost" // the certificate names 127.0.0.1 only
	if _, err := hqdb.Connect(ctx, target); !errors.Is(err, hqdb.ErrTLS) {
		t.Fatalf("wrong name: %v", err)
	}
	target.CAFile = filepath.Join(dir, "missing.pem")
	if _, err := hqdb.Connect(ctx, target); !errors.Is(err, hqdb.ErrConfig) {
		t.Fatalf("missing CA file: %v", err)
	}

	// A server without TLS is refused, never used in plain text.
	plain := pgtest.Shared(t)
	_, err = hqdb.Connect(ctx, hqdb.Target{Host: "127.0.0.1", Port: plain.Port, Database: "postgres", User: "x", Password: "y", TLS: hqdb.TLSVerify})
	if !errors.Is(err, hqdb.ErrTLS) {
		t.Fatalf("server without TLS: %v", err)
	}
}

// Nothing listening: the sender's "offline, try later", not a settings error.
func TestUnreachableIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = hqdb.Connect(ctx, hqdb.Target{Host: "127.0.0.1", Port: port, Database: "d", User: "u", Password: "p"})
	var he *hqdb.Error
	if !errors.Is(err, hqdb.ErrUnavailable) || !errors.As(err, &he) || !he.Temporary() {
		t.Fatalf("closed port: %v", err)
	}
}
