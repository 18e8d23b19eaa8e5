package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Serve lets calls in flight finish after its
// context ends.
const ShutdownGrace = 5 * time.Second

// LoopbackAddr is the default address of `kycdesk sandbox`.
const LoopbackAddr = "127.0.0.1:8787"

// httpServer wraps the handler with timeouts. There is no write timeout
// shorter than sbx-slow's delay: that scenario must be able to answer late.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // a 10 MB body over a slow link
		WriteTimeout:      s.cfg.SlowDelay + 2*time.Minute,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// Listen serves the sandbox on addr (host:port; port 0 picks a free one) in
// a background goroutine. It returns the base URL to give the client
// (http://host:port, no trailing slash) and a shutdown function that stops
// accepting, waits for calls in flight until ctx ends, then closes what is
// left (an sbx-slow call in flight is cut off).
func (s *Server) Listen(addr string) (baseURL string, shutdown func(context.Context) error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	srv := s.httpServer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed after Shutdown
	}()
	shutdown = func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if err != nil {
			_ = srv.Close()
		}
		<-done
		return err
	}
	return "http://" + ln.Addr().String(), shutdown, nil
}

// StartLoopback starts a sandbox with cfg on a free 127.0.0.1 port, for the
// GUI's built-in Sandbox profile. The caller calls shutdown when the app
// closes.
func StartLoopback(cfg Config) (srv *Server, baseURL string, shutdown func(context.Context) error, err error) {
	srv = New(cfg)
	baseURL, shutdown, err = srv.Listen("127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	return srv, baseURL, shutdown, nil
}

// Serve runs a standalone sandbox on addr until ctx ends (the CLI passes a
// signal.NotifyContext), printing to out the URL, the accepted tokens and
// the scenario triggers. It then shuts down gracefully, giving calls in
// flight ShutdownGrace to finish. A clean stop returns nil.
func Serve(ctx context.Context, addr string, cfg Config, out io.Writer) error {
	if addr == "" {
		addr = LoopbackAddr
	}
	s := New(cfg)
	baseURL, shutdown, err := s.Listen(addr)
	if err != nil {
		return err
	}
	writeBanner(out, baseURL, !isLoopback(addr))
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("sandbox: shutdown: %w", err)
	}
	fmt.Fprintln(out, "Sandbox gateway stopped.")
	return nil
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeBanner tells a user how to talk to the sandbox. Printing the tokens
// is deliberate: they are public, documented test values.
func writeBanner(out io.Writer, baseURL string, exposed bool) {
	fmt.Fprintf(out, "KYC Desk sandbox gateway (offline, specimen data only) at %s\n", baseURL)
	if exposed {
		fmt.Fprintln(out, "WARNING: listening beyond this computer; the sandbox has no real security. Use it for training only.")
	}
	fmt.Fprintf(out, "\nTry:  KYCDESK_SERVER=%s KYCDESK_TOKEN=%s kycdesk liveness --image selfie.jpg --consent\n", baseURL, DefaultToken)
	fmt.Fprintln(out, "\nTokens:")
	for _, t := range BuiltinTokenDocs {
		fmt.Fprintf(out, "  %-24s %s\n", t.Token, t.Effect)
	}
	fmt.Fprintln(out, "\nScenario triggers (cust_ref_no prefix, any case, e.g. --ref sbx-504-0001):")
	for _, sc := range Scenarios {
		fmt.Fprintf(out, "  %-20s %s\n", sc.Trigger, sc.Effect)
	}
	fmt.Fprintln(out, "\nSpecimen people for validate (invented; all of them are in the README):")
	for _, p := range specimens[:3] {
		fmt.Fprintf(out, "  --nik %s --name %q --birth-date %s --birth-place %q\n", p.NIK, p.Name, p.BirthDate, p.BirthPlace)
	}
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
}
