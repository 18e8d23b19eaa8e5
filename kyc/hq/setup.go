package hq

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"kycdesk/kyc/hqdb"
)

//go:embed schema.sql
var schemaSQL string

// SchemaSQL is the SQL IT runs once (idempotent) in the head office database.
func SchemaSQL() string { return schemaSQL }

// Init applies SchemaSQL through conn, which must be a superuser or the
// database owner with CREATEROLE.
func Init(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.PgConn().Exec(ctx, schemaSQL).ReadAll(); err != nil {
		return hqdb.Classify("init", err)
	}
	return nil
}

// Roles a login can be given.
const (
	RoleCounter = "kyc_counter"  // a counter PC: sends its calls, reads its resolutions
	RoleRead    = "kyc_hq_read"  // head office, read-only
	RoleWrite   = "kyc_hq_write" // head office, resolves unknown outcomes, imports invoices
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$`)

// ValidID checks an outlet or counter id: letters, digits, ".", "_", "-",
// at most 48 characters (they become part of login names and file names).
func ValidID(kind, id string) error {
	if !idPattern.MatchString(id) {
		return hqdb.NewError(hqdb.CodeInvalid, "setup", fmt.Errorf("%s id %q: use 1–48 letters, digits, '.', '_' or '-'", kind, id))
	}
	return nil
}

// CounterLogin is the conventional login of a counter: kyc_c_<outlet>_<counter>,
// lower-case (PostgreSQL folds unquoted names).
func CounterLogin(outlet, counter string) string {
	clean := func(s string) string { return strings.NewReplacer(".", "_", "-", "_").Replace(strings.ToLower(s)) }
	l := "kyc_c_" + clean(outlet) + "_" + clean(counter)
	if len(l) > 63 {
		l = l[:63]
	}
	return l
}

// NewPassword makes a random password for a login (24 bytes, URL-safe base64).
func NewPassword() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// AddCounterSQL is the SQL that registers one counter PC: its login (created,
// or its password reset when it exists: a reinstalled PC) and its outlet and
// counter ids. The password goes into that PC's keyring (kycdesk sync password).
func AddCounterSQL(outlet, counter, login, password string) (string, error) {
	if err := ValidID("outlet", outlet); err != nil {
		return "", err
	}
	if err := ValidID("counter", counter); err != nil {
		return "", err
	}
	if login == "" {
		login = CounterLogin(outlet, counter)
	}
	id := pgx.Identifier{login}.Sanitize()
	var b strings.Builder
	fmt.Fprintf(&b, "DO $$ BEGIN\n  IF EXISTS (SELECT FROM pg_roles WHERE rolname = %s) THEN\n", quoteLiteral(login))
	fmt.Fprintf(&b, "    ALTER ROLE %s LOGIN PASSWORD %s;\n  ELSE\n", id, quoteLiteral(password))
	fmt.Fprintf(&b, "    CREATE ROLE %s LOGIN PASSWORD %s CONNECTION LIMIT 4;\n  END IF;\nEND $$;\n", id, quoteLiteral(password))
	fmt.Fprintf(&b, "GRANT %s TO %s;\n", RoleCounter, id)
	fmt.Fprintf(&b, "INSERT INTO kyc.counters (login, outlet_id, counter_id) VALUES (%s, %s, %s)\n"+
		"  ON CONFLICT (outlet_id, counter_id) DO UPDATE SET login = EXCLUDED.login;\n",
		quoteLiteral(login), quoteLiteral(outlet), quoteLiteral(counter))
	return b.String(), nil
}

// AddOfficeUserSQL creates (or resets the password of) a head office login
// with RoleRead, or RoleWrite when it may resolve and import invoices.
func AddOfficeUserSQL(login, password string, write bool) (string, error) {
	if !idPattern.MatchString(login) {
		return "", hqdb.NewError(hqdb.CodeInvalid, "setup", fmt.Errorf("login %q: use letters, digits, '.', '_' or '-'", login))
	}
	role := RoleRead
	if write {
		role = RoleWrite
	}
	id := pgx.Identifier{login}.Sanitize()
	return fmt.Sprintf("DO $$ BEGIN\n  IF EXISTS (SELECT FROM pg_roles WHERE rolname = %s) THEN\n"+
		"    ALTER ROLE %s LOGIN PASSWORD %s;\n  ELSE\n    CREATE ROLE %s LOGIN PASSWORD %s;\n  END IF;\nEND $$;\nGRANT %s TO %s;\n",
		quoteLiteral(login), id, quoteLiteral(password), id, quoteLiteral(password), role, id), nil
}

// Exec runs SQL made by this package (several statements) through an admin connection.
func Exec(ctx context.Context, conn *pgx.Conn, sql string) error {
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		return hqdb.Classify("setup", err)
	}
	return nil
}

// Maintain creates the coming months' partitions (run daily; idempotent).
func (c *Client) Maintain(ctx context.Context) (int, error) {
	var n int
	if err := c.pool.QueryRow(ctx, `SELECT kyc.maintain()`).Scan(&n); err != nil {
		return 0, hqdb.Classify("maintain", err)
	}
	return n, nil
}
