package kyc

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// attempt is the raw result of one request on the wire.
type attempt struct {
	status     int
	header     http.Header
	body       []byte
	err        *Error // transport-level failure, nil when an HTTP answer arrived
	retryable  bool   // certainly not processed: safe to send again
	retryAfter time.Duration
}

// call runs one product call: token, body, bounded retries, status classification.
// It fills m as it goes so the caller can record the call whatever happens.
func (c *Client) call(ctx context.Context, m *Meta, p Product, ref string, body map[string]string) (*answer, error) {
	start := c.now()
	m.Product, m.CustRefNo, m.Unencrypted = p, c.refOrNew(ref), c.Unencrypted()
	defer func() { m.Duration = c.now().Sub(start) }()
	body["cust_ref_no"] = m.CustRefNo

	fail := func(e *Error) (*answer, error) {
		m.Outcome = e.Outcome
		e.Attempts, e.HTTPStatus = m.Attempts, m.HTTPStatus
		return nil, e
	}

	token, err := c.readToken(ctx)
	if err != nil {
		return fail(err)
	}
	payload, jerr := json.Marshal(body)
	if jerr != nil {
		return fail(invalidInput("cannot encode the request: %v", jerr))
	}

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	for {
		m.Attempts++
		at := c.once(ctx, p, token, payload)
		m.HTTPStatus = at.status
		e := at.err
		if e == nil {
			var a *answer
			a, e = c.classify(at)
			if e == nil {
				m.TrxID, m.RefID, m.Timestamp, m.Status = a.meta.TrxID, a.meta.RefID, a.meta.Timestamp, a.meta.Status
				return a, nil
			}
		}
		if !at.retryable || m.Attempts >= c.maxAttempts {
			if at.retryable && m.Attempts > 1 {
				e.Message += fmt.Sprintf(" (gave up after %d attempts)", m.Attempts)
			}
			return fail(e)
		}
		wait := at.retryAfter
		if wait <= 0 {
			wait = c.backoff(m.Attempts)
		}
		if c.now().Add(wait).Sub(start) > c.retryBudget {
			e.Message += fmt.Sprintf(" (gave up after %d attempts: the next try would pass the %s retry budget)", m.Attempts, c.retryBudget)
			return fail(e)
		}
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			// Waiting would only turn a clean "unavailable" into a timeout.
			e.Message += fmt.Sprintf(" (gave up after %d attempts: the next try would pass the call's timeout)", m.Attempts)
			return fail(e)
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			// Nothing from the attempts so far was processed, so the call failed cleanly.
			return fail(ctxError(ctx, serr, false))
		}
	}
}

// readToken asks the token source and checks what it gave without ever echoing it.
func (c *Client) readToken(ctx context.Context) (string, *Error) {
	if c.token == nil {
		return "", &Error{Kind: KindUnauthorized, Outcome: OutcomeFailed, Message: "no token configured"}
	}
	tok, err := c.token(ctx)
	if err != nil {
		// The source's error text is its own (keyring messages); it cannot hold the token
		// it failed to read, but scrub it against a partial read anyway.
		return "", &Error{Kind: KindUnauthorized, Outcome: OutcomeFailed, Message: "could not read the token", Err: scrub(err, tok)}
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", &Error{Kind: KindUnauthorized, Outcome: OutcomeFailed, Message: "no token set"}
	}
	for i := 0; i < len(tok); i++ {
		if b := tok[i]; b < 0x21 || b > 0x7e {
			return "", &Error{Kind: KindUnauthorized, Outcome: OutcomeFailed,
				Message: "the token contains spaces or characters an HTTP header cannot carry; set it again"}
		}
	}
	return tok, nil
}

// once sends one request and reads at most MaxResponseBytes of the answer.
func (c *Client) once(ctx context.Context, p Product, token string, payload []byte) attempt {
	var wrote atomic.Bool
	h := &hop{}
	ctx = context.WithValue(ctx, hopKey{}, h)
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	}
	u := *c.base
	u.Path = c.base.Path + p.path()
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, u.String(), bytes.NewReader(payload))
	if err != nil {
		return attempt{err: invalidInput("cannot build the request: %v", err)}
	}
	req.Header.Set("token", token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return c.transportFailure(ctx, scrub(scrub(err, token), h.secret()), wrote.Load(), h)
	}
	defer resp.Body.Close()
	at := attempt{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode == http.StatusProxyAuthRequired && h.name() != "" {
		// A plain-http gateway through a proxy: the proxy answers the request itself.
		pe := &ProxyError{Proxy: h.name(), Status: resp.StatusCode, CredentialsSent: h.sentAuth}
		for _, a := range resp.Header.Values("Proxy-Authenticate") {
			scheme, _, _ := strings.Cut(strings.TrimSpace(a), " ")
			pe.Authenticate = append(pe.Authenticate, scheme)
		}
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		pa, _ := proxyFailure(pe, h)
		pa.status, pa.header = at.status, at.header
		return pa
	}
	if resp.StatusCode == http.StatusServiceUnavailable {
		// 503 is the one answer that promises the call was not processed.
		at.retryable, at.retryAfter = true, parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	if resp.StatusCode != http.StatusOK {
		// Only a 200 body is ever interpreted; don't read more of an error page than needed.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return at
	}
	at.body, err = io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		// The gateway answered 200 and the connection died mid-body: it processed the call.
		at.err = ctxError(ctx, scrub(err, token), true)
		if at.err.Kind == KindConnection {
			at.err.Message = "the connection was lost while reading the gateway's answer (the call may have been billed)"
		}
	} else if len(at.body) > MaxResponseBytes {
		at.err = malformed("the answer is larger than %d bytes", MaxResponseBytes)
	}
	return at
}

// transportFailure classifies an error from http.Client.Do. sent says whether the whole
// request reached the socket: after that the gateway may have processed it. h says
// which proxy, if any, the attempt went through.
func (c *Client) transportFailure(ctx context.Context, err error, sent bool, h *hop) attempt {
	if ctx.Err() != nil {
		return attempt{err: ctxError(ctx, err, sent)}
	}
	if !sent {
		if at, ok := proxyFailure(err, h); ok {
			return at
		}
	}
	if sent {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return attempt{err: errorf(KindTimeout, OutcomeUnknown, err,
				"no answer from the gateway in time after the request was sent (the call may have been billed)")}
		}
		return attempt{err: errorf(KindConnection, OutcomeUnknown, err,
			"the connection was lost after the request was sent (the call may have been billed)")}
	}
	if isCertificateError(err) {
		return attempt{err: errorf(KindConnection, OutcomeFailed, err,
			"the gateway's TLS certificate is not trusted by this PC; nothing was sent (check the server URL, the PC's clock, or ask IT)")}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return attempt{retryable: true, err: errorf(KindConnection, OutcomeFailed, err,
			"cannot find the gateway's host name; nothing was sent (check the server URL and the network)")}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		kind, msg := KindConnection, "cannot connect to the gateway; nothing was sent (check the network and the server URL)"
		if opErr.Timeout() {
			kind, msg = KindTimeout, "connecting to the gateway timed out; nothing was sent"
		}
		return attempt{retryable: true, err: errorf(kind, OutcomeFailed, err, "%s", msg)}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return attempt{err: errorf(KindTimeout, OutcomeFailed, err, "the connection to the gateway timed out before the request was sent")}
	}
	if p := h.name(); p != "" {
		return attempt{err: errorf(KindConnection, OutcomeFailed, err, "the request could not be sent to the gateway through the proxy %s", p)}
	}
	return attempt{err: errorf(KindConnection, OutcomeFailed, err, "the request could not be sent to the gateway")}
}

// ctxError reports a cancelled or expired context. sent decides the outcome.
func ctxError(ctx context.Context, cause error, sent bool) *Error {
	outcome, billed := OutcomeFailed, "; nothing was sent"
	if sent {
		outcome, billed = OutcomeUnknown, " after the request was sent (the call may have been billed)"
	}
	if isCanceled(ctx, cause) {
		return errorf(KindCanceled, outcome, cause, "cancelled%s", billed)
	}
	if errors.Is(cause, context.DeadlineExceeded) || ctx.Err() != nil {
		return errorf(KindTimeout, outcome, cause, "the call timed out%s", billed)
	}
	return errorf(KindConnection, outcome, cause, "the connection failed%s", billed)
}

func isCertificateError(err error) bool {
	var (
		unknownAuth *x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		hostErrP    *x509.HostnameError
		invalid     x509.CertificateInvalidError
		invalidP    *x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
		sysRoots    x509.SystemRootsError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &hostErrP) ||
		errors.As(err, &invalid) || errors.As(err, &invalidP) || errors.As(err, &verify) ||
		errors.As(err, &sysRoots)
}

// classify turns an HTTP answer into a decoded answer or a typed error.
func (c *Client) classify(at attempt) (*answer, *Error) {
	switch s := at.status; {
	case s == http.StatusOK:
		a, e := decodeAnswer(at.body)
		if e != nil {
			return nil, e
		}
		return a, nil
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return nil, errorf(KindUnauthorized, OutcomeRejected, nil,
			"the gateway refused the token (HTTP %d): set the merchant's token again", s)
	case s == http.StatusNotFound:
		return nil, errorf(KindNotFound, OutcomeRejected, nil,
			"the server has no such endpoint (HTTP 404): check the server URL")
	case s >= 300 && s < 400:
		loc := at.header.Get("Location")
		return nil, errorf(KindNotFound, OutcomeFailed, nil,
			"the server redirected the call (HTTP %d to %q); nothing was processed: check the server URL", s, truncate(loc, 200))
	case s == http.StatusServiceUnavailable:
		return nil, errorf(KindUnavailable, OutcomeFailed, nil, "the gateway is temporarily unavailable (HTTP 503); nothing was billed, try again in a minute")
	case s == http.StatusTooManyRequests:
		return nil, errorf(KindUnavailable, OutcomeFailed, nil, "the gateway is rate-limiting this merchant (HTTP 429); nothing was billed, try again in a minute")
	case s == http.StatusGatewayTimeout:
		return nil, errorf(KindGatewayTimeout, OutcomeUnknown, nil,
			"the gateway timed out waiting for the registry (HTTP 504); the call may have been billed")
	case s == http.StatusBadRequest || s == http.StatusRequestEntityTooLarge || s == http.StatusUnprocessableEntity:
		return nil, errorf(KindInvalidInput, OutcomeRejected, nil, "the gateway refused the request as invalid (HTTP %d)", s)
	case s >= 400 && s < 500:
		return nil, errorf(KindGatewayError, OutcomeRejected, nil, "the gateway refused the request (HTTP %d)", s)
	case s >= 500:
		return nil, errorf(KindServerError, OutcomeUnknown, nil,
			"the gateway had an internal error (HTTP %d); the call may have been billed", s)
	default:
		return nil, malformed("unexpected HTTP status %d", s)
	}
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
