package service

import (
	"context"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// Target says which gateway to connect to and as whom.
type Target struct {
	Profile vault.Profile
	// Server overrides the profile's server ("" keeps it; "sandbox" is the built-in one).
	Server string
	// Timeout overrides the profile's whole-call timeout (0 keeps it; default 60 s).
	Timeout time.Duration
	// EnvToken is KYCDESK_TOKEN's value: it wins over the keyring everywhere.
	EnvToken string
	// Sandbox configures the in-process sandbox; nil uses sandbox.DefaultConfig().
	Sandbox *sandbox.Config
	// UserAgent overrides "KYCDesk/<version>".
	UserAgent string
	// KeepImages records the images sent (see Service.KeepImages).
	KeepImages bool
}

// IsSandbox reports whether a server value means the built-in sandbox.
func IsSandbox(server string) bool {
	s := strings.ToLower(strings.TrimSpace(server))
	return s == "sandbox" || s == vault.SandboxURL
}

// Connection is a ready Service plus what the user should be told about it.
type Connection struct {
	*Service
	// Server is what to show: the URL, or "sandbox".
	Server string
	// Sandbox is true for the built-in offline gateway.
	Sandbox bool
	close   func()
}

// Close stops the in-process sandbox, if one was started. It does not close the
// history store, which the caller owns.
func (c *Connection) Close() {
	if c.close != nil {
		c.close()
	}
}

// Connect builds the client for t (starting the in-process sandbox when the server is
// the sandbox) and wraps it in a Service writing to store. The token comes from
// KYCDESK_TOKEN, else the profile's keyring entry; the in-process sandbox never gets a
// keyring token (a merchant's real token must not be sent to a demo gateway), only
// KYCDESK_TOKEN or the sandbox's public demo token.
func Connect(v *vault.Vault, store *history.Store, t Target) (*Connection, error) {
	server := strings.TrimSpace(t.Server)
	if server == "" {
		server = t.Profile.ServerURL
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = t.Profile.Timeout
	}
	if timeout <= 0 {
		timeout = kyc.DefaultTimeout
	}
	conn := &Connection{Server: server}
	var tokens kyc.TokenSource = v.TokenSource(t.Profile.Name)
	if IsSandbox(server) {
		cfg := sandbox.DefaultConfig()
		if t.Sandbox != nil {
			cfg = *t.Sandbox
		}
		_, url, stop, err := sandbox.StartLoopback(cfg)
		if err != nil {
			return nil, &kyc.Error{Kind: kyc.KindConnection, Outcome: kyc.OutcomeFailed, Message: "cannot start the built-in sandbox: " + err.Error()}
		}
		conn.close = func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = stop(ctx)
		}
		conn.Server, conn.Sandbox, server = "sandbox", true, url
		tok := strings.TrimSpace(t.EnvToken)
		if tok == "" {
			tok = sandbox.DefaultToken
		}
		tokens = kyc.StaticToken(tok)
	}
	opts := []kyc.Option{kyc.WithTimeout(timeout), kyc.WithTokenSource(tokens)}
	if t.UserAgent != "" {
		opts = append(opts, kyc.WithUserAgent(t.UserAgent))
	}
	if !conn.Sandbox {
		opts = append(opts, proxyOptions(v, t.Profile)...)
	}
	client, err := kyc.NewClient(server, opts...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.Service = &Service{Client: client, History: store, Profile: t.Profile.Name, KeepImages: t.KeepImages}
	return conn, nil
}
