// Package hqdb connects KYC Desk to the head office's PostgreSQL: the
// counters' sender (kyc/sync) and the head office's reports (kyc/hq) share
// its connection rules and its error taxonomy.
//
// TLS is never weakened: to any host but loopback the connection is TLS 1.2+
// with the server's certificate verified against the system roots (plus the
// merchant's own CA file, if given) and its name checked; there is no
// fallback to plain text. Only to loopback (127.0.0.0/8, ::1, localhost, a
// Unix socket) may TLS be off, because nothing leaves the machine.
package hqdb

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TLSMode chooses how a connection is encrypted.
type TLSMode string

// TLS modes. Non-loopback hosts always use TLSVerify whatever is asked.
const (
	TLSAuto    TLSMode = ""        // verify to remote hosts, off to loopback
	TLSVerify  TLSMode = "verify"  // TLS with full certificate and host name verification
	TLSDisable TLSMode = "disable" // loopback only
)

// DefaultPort is PostgreSQL's.
const DefaultPort = 5432

// Target is where and as whom to connect. It never comes from a file with
// its password: Password is filled from the OS keyring at connect time.
type Target struct {
	Host     string // host name, IP, or an absolute Unix socket directory
	Port     int    // 0: 5432
	Database string
	User     string
	Password string
	// CAFile is a PEM file of extra roots (a merchant's private CA); the
	// system roots are always trusted too.
	CAFile string
	TLS    TLSMode
	// ConnectTimeout bounds dialling and the handshake; 0: 10 s.
	ConnectTimeout time.Duration
	// ApplicationName shows in pg_stat_activity ("kycdesk sync OUT-12/1").
	ApplicationName string
}

// ParseServer splits "host", "host:port", "[::1]:port" or a socket directory.
func ParseServer(s string) (host string, port int, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", 0, errors.New("server is empty")
	}
	if strings.HasPrefix(s, "/") {
		return s, 0, nil
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		// No port.
		return strings.Trim(s, "[]"), 0, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 || n > 65535 {
		return "", 0, fmt.Errorf("server %q: bad port", s)
	}
	return h, n, nil
}

// IsLoopback reports whether host never leaves the machine.
func IsLoopback(host string) bool {
	if strings.HasPrefix(host, "/") || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// ConnConfig builds a pgx configuration for t, applying the TLS rule.
func (t Target) ConnConfig() (*pgx.ConnConfig, error) {
	if t.Host == "" || t.Database == "" || t.User == "" {
		return nil, newErr(CodeConfig, "connect", errors.New("server, database and user are required"))
	}
	mode := t.TLS
	loop := IsLoopback(t.Host)
	switch {
	case mode == TLSAuto && loop, mode == TLSDisable && loop:
		mode = TLSDisable
	case mode == TLSDisable:
		return nil, newErr(CodeConfig, "connect", fmt.Errorf("TLS cannot be turned off to %s: only loopback connections may be unencrypted", t.Host))
	case mode == TLSAuto, mode == TLSVerify:
		mode = TLSVerify
	default:
		return nil, newErr(CodeConfig, "connect", fmt.Errorf("unknown TLS mode %q", t.TLS))
	}
	// Only the fixed, harmless part goes through the parser; everything else
	// is set field by field so nothing is quoted into a connection string.
	cfg, err := pgx.ParseConfig("sslmode=disable")
	if err != nil {
		return nil, newErr(CodeConfig, "connect", err)
	}
	cfg.Host = t.Host
	cfg.Port = uint16(t.Port)
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
	}
	cfg.Database, cfg.User, cfg.Password = t.Database, t.User, t.Password
	cfg.ConnectTimeout = t.ConnectTimeout
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	cfg.Fallbacks = nil
	cfg.TLSConfig = nil
	if mode == TLSVerify {
		tc, err := tlsConfig(t)
		if err != nil {
			return nil, err
		}
		cfg.TLSConfig = tc
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	app := t.ApplicationName
	if app == "" {
		app = "kycdesk"
	}
	cfg.RuntimeParams["application_name"] = app
	return cfg, nil
}

func tlsConfig(t Target) (*tls.Config, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, newErr(CodeConfig, "connect", fmt.Errorf("CA file: %w", err))
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, newErr(CodeConfig, "connect", fmt.Errorf("CA file %s holds no PEM certificate", t.CAFile))
		}
	}
	host := strings.Trim(t.Host, "[]")
	return &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots, ServerName: host}, nil
}

// Connect opens one connection to t.
func Connect(ctx context.Context, t Target) (*pgx.Conn, error) {
	cfg, err := t.ConnConfig()
	if err != nil {
		return nil, err
	}
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, Classify("connect", err)
	}
	return c, nil
}

// FromSection builds a Target from a profile's section fields (vault's
// SyncSection or HeadOfficeSection); the password is filled in later.
func FromSection(server, database, user, caFile, tls string) (Target, error) {
	host, port, err := ParseServer(server)
	if err != nil {
		return Target{}, newErr(CodeConfig, "connect", err)
	}
	return Target{Host: host, Port: port, Database: database, User: user, CAFile: caFile, TLS: TLSMode(tls)}, nil
}
