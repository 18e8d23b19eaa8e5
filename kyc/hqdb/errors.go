package hqdb

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Code classifies head office errors for the UI (a translated message) and
// the commands (an exit code) without parsing text.
type Code string

// Error codes.
const (
	CodeConfig         Code = "config"          // the connection settings are incomplete or unsafe
	CodeUnavailable    Code = "unavailable"     // the server cannot be reached or went away: try later
	CodeTLS            Code = "tls"             // the server's certificate was refused
	CodeAuth           Code = "auth"            // wrong login or password
	CodeDenied         Code = "denied"          // the login may not do this
	CodeSchemaMissing  Code = "schema_missing"  // kycdesk hq init was not run in this database
	CodeNotRegistered  Code = "not_registered"  // the login is not a registered counter
	CodeOutletMismatch Code = "outlet_mismatch" // this PC's outlet/counter differ from the login's
	CodeInvalid        Code = "invalid"         // bad input (resolution, note, dates)
	CodeNotFound       Code = "not_found"       // no such call or import
	CodeNotUnknown     Code = "not_unknown"     // only calls with an unknown outcome are resolved
	CodeCanceled       Code = "canceled"        // the caller gave up
	CodeServer         Code = "server"          // anything else the server reported
)

// Sentinels for errors.Is; an *Error matches the sentinel of its Code.
var (
	ErrConfig         = errors.New("hqdb: bad connection settings")
	ErrUnavailable    = errors.New("hqdb: head office database unavailable")
	ErrTLS            = errors.New("hqdb: server certificate refused")
	ErrAuth           = errors.New("hqdb: login refused")
	ErrDenied         = errors.New("hqdb: permission denied")
	ErrSchemaMissing  = errors.New("hqdb: head office schema missing")
	ErrNotRegistered  = errors.New("hqdb: counter not registered")
	ErrOutletMismatch = errors.New("hqdb: outlet or counter mismatch")
	ErrInvalid        = errors.New("hqdb: invalid input")
	ErrNotFound       = errors.New("hqdb: not found")
	ErrNotUnknown     = errors.New("hqdb: outcome is not unknown")
	ErrCanceled       = errors.New("hqdb: canceled")
	ErrServer         = errors.New("hqdb: server error")
)

var sentinels = map[Code]error{
	CodeConfig: ErrConfig, CodeUnavailable: ErrUnavailable, CodeTLS: ErrTLS, CodeAuth: ErrAuth,
	CodeDenied: ErrDenied, CodeSchemaMissing: ErrSchemaMissing, CodeNotRegistered: ErrNotRegistered,
	CodeOutletMismatch: ErrOutletMismatch, CodeInvalid: ErrInvalid, CodeNotFound: ErrNotFound,
	CodeNotUnknown: ErrNotUnknown, CodeCanceled: ErrCanceled, CodeServer: ErrServer,
}

// Error is every error of the head office packages. Its text never contains
// a password (pgx does not put it in errors; Target.Password is never formatted).
type Error struct {
	Code Code
	Op   string // "connect", "ingest", "resolve", "report"…
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("head office %s: %s", e.Op, e.Code)
	}
	return fmt.Sprintf("head office %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() []error { return []error{sentinels[e.Code], e.Err} }

// Temporary reports whether trying again later may succeed (the sender backs
// off and retries these; the others need someone to fix something).
func (e *Error) Temporary() bool { return e.Code == CodeUnavailable || e.Code == CodeServer }

func newErr(code Code, op string, err error) *Error { return &Error{Code: code, Op: op, Err: err} }

// NewError makes an *Error (for the packages built on this one).
func NewError(code Code, op string, err error) *Error { return newErr(code, op, err) }

// Classify turns a pgx/network error into an *Error.
func Classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var he *Error
	if errors.As(err, &he) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return newErr(CodeCanceled, op, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return newErr(codeOf(pe), op, err)
	}
	var (
		ue  x509.UnknownAuthorityError
		he2 x509.HostnameError
		ce  x509.CertificateInvalidError
		ve  *tls.CertificateVerificationError
	)
	if errors.As(err, &ue) || errors.As(err, &he2) || errors.As(err, &ce) || errors.As(err, &ve) {
		return newErr(CodeTLS, op, err)
	}
	if strings.Contains(err.Error(), "server refused TLS connection") {
		return newErr(CodeTLS, op, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || isConnErr(err) {
		return newErr(CodeUnavailable, op, err)
	}
	return newErr(CodeServer, op, err)
}

func isConnErr(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	s := err.Error()
	for _, frag := range []string{"connection refused", "connection reset", "broken pipe", "EOF", "conn closed", "closed pool", "no route to host", "i/o timeout"} {
		if strings.Contains(s, frag) {
			return true
		}
	}
	return false
}

func codeOf(pe *pgconn.PgError) Code {
	switch pe.Code {
	case "KY001":
		return CodeNotRegistered
	case "KY002":
		return CodeOutletMismatch
	case "KY003":
		return CodeInvalid
	case "KY004":
		return CodeNotFound
	case "KY005":
		return CodeNotUnknown
	case "28P01", "28000":
		return CodeAuth
	case "42501":
		return CodeDenied
	case "3F000", "42P01", "42883":
		return CodeSchemaMissing
	case "3D000":
		return CodeConfig // database does not exist
	case "22P02", "22007", "22008", "22023":
		return CodeInvalid
	}
	switch pe.Code[:2] {
	case "08", "57", "53": // connection exception, operator intervention (shutdown), insufficient resources
		return CodeUnavailable
	case "40": // serialization failure, deadlock: try again
		return CodeUnavailable
	}
	return CodeServer
}
