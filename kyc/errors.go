package kyc

import (
	"errors"
	"fmt"
	"strings"
)

// Outcome says what a call did to the merchant's bill. It is the one fact the clerk
// and the outlet's reconciliation need about every call, so it is decided for every
// call, including the ones that never left the PC.
type Outcome string

const (
	// OutcomeSuccess: the gateway answered SUCCESSFUL with a body we fully understood.
	OutcomeSuccess Outcome = "success"
	// OutcomeRejected: the gateway answered and refused (ERROR envelope, 401, 404, other
	// 4xx). Not billed.
	OutcomeRejected Outcome = "rejected"
	// OutcomeFailed: the request never reached the gateway's product (bad local input,
	// no token, DNS, refused connection, TLS, 503 after retries). Not billed.
	OutcomeFailed Outcome = "failed"
	// OutcomeUnknown: the request was sent and no usable answer came back (timeout after
	// sending, connection lost, 500, 504, a body we could not understand). It may have
	// been billed; it is never retried automatically.
	OutcomeUnknown Outcome = "unknown"
)

// Billable reports whether a call with this outcome may appear on the merchant's bill.
func (o Outcome) Billable() bool { return o == OutcomeSuccess || o == OutcomeUnknown }

// ErrorKind names a class of failure. The values are part of the headless commands'
// public JSON contract (DESIGN.md); keep them stable.
type ErrorKind string

const (
	KindInvalidInput        ErrorKind = "invalid_input"
	KindUnauthorized        ErrorKind = "unauthorized"
	KindProductNotActivated ErrorKind = "product_not_activated"
	KindQuotaExceeded       ErrorKind = "quota_exceeded"
	KindProductNotApproved  ErrorKind = "product_not_approved"
	KindGatewayError        ErrorKind = "gateway_error"
	KindNotFound            ErrorKind = "not_found"
	KindServerError         ErrorKind = "server_error"
	KindUnavailable         ErrorKind = "unavailable"
	KindGatewayTimeout      ErrorKind = "gateway_timeout"
	KindTimeout             ErrorKind = "timeout"
	KindConnection          ErrorKind = "connection"
	KindMalformedResponse   ErrorKind = "malformed_response"
	// KindCanceled: the caller cancelled (the clerk pressed Cancel, Ctrl+C). Its outcome
	// is failed when nothing had been sent and unknown when the request was out.
	KindCanceled ErrorKind = "canceled"
)

// Error is the one error type every client method returns. Match a kind with
// errors.Is(err, kyc.ErrQuotaExceeded) or inspect it with errors.As.
//
// Its text never contains the token: the token only ever travels in a request header,
// and every message built from lower-level errors is scrubbed of it as well.
type Error struct {
	Kind    ErrorKind
	Outcome Outcome
	// HTTPStatus is the status of the last answer, 0 when none came.
	HTTPStatus int
	// Description is the gateway's own text from an ERROR envelope, if any.
	Description string
	// Attempts counts the tries made, connection failures included (0: none was made).
	Attempts int
	// Message is a short English explanation meant for logs and the --json output.
	Message string
	// Err is the underlying cause, if any (already scrubbed of the token).
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes the sentinel values below match any *Error of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && t.Outcome == "" && t.Message == ""
}

// Sentinels for errors.Is. Only their Kind is compared.
var (
	ErrInvalidInput        = &Error{Kind: KindInvalidInput}
	ErrUnauthorized        = &Error{Kind: KindUnauthorized}
	ErrProductNotActivated = &Error{Kind: KindProductNotActivated}
	ErrQuotaExceeded       = &Error{Kind: KindQuotaExceeded}
	ErrProductNotApproved  = &Error{Kind: KindProductNotApproved}
	ErrGatewayError        = &Error{Kind: KindGatewayError}
	ErrNotFound            = &Error{Kind: KindNotFound}
	ErrServerError         = &Error{Kind: KindServerError}
	ErrUnavailable         = &Error{Kind: KindUnavailable}
	ErrGatewayTimeout      = &Error{Kind: KindGatewayTimeout}
	ErrTimeout             = &Error{Kind: KindTimeout}
	ErrConnection          = &Error{Kind: KindConnection}
	ErrMalformedResponse   = &Error{Kind: KindMalformedResponse}
	ErrCanceled            = &Error{Kind: KindCanceled}
)

// KindOf returns the kind of a client error, or "" for nil and foreign errors.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// OutcomeOf returns the outcome a (possibly nil) client error implies.
func OutcomeOf(err error) Outcome {
	if err == nil {
		return OutcomeSuccess
	}
	var e *Error
	if errors.As(err, &e) && e.Outcome != "" {
		return e.Outcome
	}
	// A foreign error cannot tell whether anything was sent: assume the worst.
	return OutcomeUnknown
}

// invalidInput builds a failed, nothing-sent error about the caller's own input.
func invalidInput(format string, args ...any) *Error {
	return &Error{Kind: KindInvalidInput, Outcome: OutcomeFailed, Message: fmt.Sprintf(format, args...)}
}

// scrubbed wraps err so its text never shows secret. It keeps err reachable through
// Unwrap for errors.Is/As on standard types (net.Error, x509 errors, context errors).
type scrubbed struct {
	err    error
	secret string
}

func (s scrubbed) Error() string { return scrubText(s.err.Error(), s.secret) }

// minScrubAnywhere is the secret length from which every occurrence is replaced,
// even inside a longer word. Shorter secrets (the vault refuses tokens under 12
// bytes, but a token source may still hand one over) are replaced only where they
// stand as a whole word: replacing every "t" in "https://…" would turn the message
// into "h[REDACTED][REDACTED]ps://…", hiding what went wrong while protecting
// nothing a one-letter secret could have leaked.
const minScrubAnywhere = 12

// scrubText replaces secret in msg with [REDACTED].
func scrubText(msg, secret string) string {
	if secret == "" {
		return msg
	}
	if len(secret) >= minScrubAnywhere {
		return strings.ReplaceAll(msg, secret, "[REDACTED]")
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, secret)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := i + len(secret)
		whole := (i == 0 || !wordByte(msg[i-1])) && (end == len(msg) || !wordByte(msg[end]))
		b.WriteString(msg[:i])
		if whole {
			b.WriteString("[REDACTED]")
		} else {
			b.WriteString(secret)
		}
		msg = msg[end:]
	}
}

// wordByte reports whether c can be part of a token-like word.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

func (s scrubbed) Unwrap() error { return s.err }

func scrub(err error, secret string) error {
	if err == nil {
		return nil
	}
	return scrubbed{err: err, secret: secret}
}
