package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// Target says which gateway to connect to and as whom.
type Target struct {
	// Profile is the profile to use (the window passes the one chosen). A zero
	// Profile is resolved from ProfileName and Server (see Resolve).
	Profile vault.Profile
	// ProfileName names the profile when Profile is zero ("" → the active one, or
	// the one whose server matches Server).
	ProfileName string
	// Server overrides the profile's server ("" keeps it; "sandbox" is the built-in
	// one). The commands pass --server, else KYCDESK_SERVER.
	Server string
	// Timeout overrides the profile's whole-call timeout (0 keeps it; default 60 s).
	Timeout time.Duration
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
	// Unencrypted is true when calls go over plain http to another machine (a LAN
	// gateway): the window badges the profile "tidak terenkripsi" for as long as it
	// is connected, the commands say so with every answer.
	Unencrypted bool
	// Profile is the profile the calls are recorded under.
	Profile vault.Profile
	close   func()
}

// Close stops the in-process sandbox, if one was started. It does not close the
// history, which the Desk owns.
func (c *Connection) Close() {
	if c.close != nil {
		c.close()
	}
}

// ProfileUnencrypted reports whether a profile's gateway is reached over plain http
// to another machine, before connecting (for a badge in a profile list).
func ProfileUnencrypted(p vault.Profile) bool {
	return !p.IsSandbox() && kyc.IsUnencrypted(p.ServerURL)
}

// Resolved is the profile and server a command will use.
type Resolved struct {
	Profile vault.Profile
	// Server is the URL to call, or "sandbox".
	Server string
	// AdHoc is set when no profile has Server and KYCDESK_TOKEN supplies the token
	// (scripts, CI): the calls are recorded under the server's URL.
	AdHoc bool
}

// Resolve picks the profile and server for a call. Without a server override it is
// the named profile, else the active one. With one, the token must be that server's:
// the profile whose server matches is used (the named one if it matches, else the
// active one if it matches, else the only one that does). When no profile has the
// server, KYCDESK_TOKEN is used if set; otherwise the error says exactly how to make
// a profile for it. A keyring token is never sent to a server that is not its
// profile's.
func (d *Desk) Resolve(profileName, server string) (Resolved, error) {
	v, err := d.Vault()
	if err != nil {
		return Resolved{}, err
	}
	snap, err := v.Snapshot()
	if err != nil {
		return Resolved{}, invalid(err.Error())
	}
	name := strings.TrimSpace(profileName)
	var named *vault.Profile
	if name != "" {
		p, ok := snap.Find(name)
		if !ok {
			return Resolved{}, invalid(fmt.Sprintf("no profile is named %q; see `kycdesk profile list`", name))
		}
		named = &p
	}
	server = strings.TrimSpace(server)
	if server == "" {
		if named != nil {
			return Resolved{Profile: *named, Server: shown(named.ServerURL)}, nil
		}
		p, _ := snap.Find(snap.Active)
		return Resolved{Profile: p, Server: shown(p.ServerURL)}, nil
	}
	if IsSandbox(server) {
		if named != nil && !named.IsSandbox() {
			// Any profile may try the built-in sandbox; it never gets a keyring token.
			return Resolved{Profile: *named, Server: "sandbox"}, nil
		}
		return Resolved{Profile: vault.Sandbox(), Server: "sandbox"}, nil
	}
	u, err := kyc.ParseServerURL(server)
	if err != nil {
		return Resolved{}, err
	}
	want := u.String()
	var matches []vault.Profile
	for _, p := range snap.Profiles {
		if pu, err := kyc.ParseServerURL(p.ServerURL); err == nil && sameServer(pu.String(), want) {
			matches = append(matches, p)
		}
	}
	pick := func(n string) (vault.Profile, bool) {
		for _, p := range matches {
			if strings.EqualFold(p.Name, n) {
				return p, true
			}
		}
		return vault.Profile{}, false
	}
	if named != nil {
		if p, ok := pick(named.Name); ok {
			return Resolved{Profile: p, Server: want}, nil
		}
		return Resolved{}, invalid(fmt.Sprintf("profile %q is for %s, not %s: use the profile of %s (--profile NAME), "+
			"or make one: `kycdesk profile add NAME --server %s`", named.Name, shown(named.ServerURL), want, want, want))
	}
	if p, ok := pick(snap.Active); ok {
		return Resolved{Profile: p, Server: want}, nil
	}
	switch len(matches) {
	case 1:
		return Resolved{Profile: matches[0], Server: want}, nil
	case 0:
		if strings.TrimSpace(d.opts.Getenv(vault.EnvToken)) != "" {
			return Resolved{Profile: vault.Profile{Name: want, ServerURL: want}, Server: want, AdHoc: true}, nil
		}
		return Resolved{}, &kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeFailed, Message: NoProfileHelp(want)}
	}
	names := make([]string, len(matches))
	for i, p := range matches {
		names[i] = fmt.Sprintf("%q", p.Name)
	}
	return Resolved{}, invalid(fmt.Sprintf("several profiles use %s (%s): choose one with --profile NAME, or make it active with `kycdesk profile use NAME`",
		want, strings.Join(names, ", ")))
}

// NoProfileHelp is the message for a server no profile has and no token for: every
// step it names works as written.
func NoProfileHelp(server string) string {
	return fmt.Sprintf("no profile has the server %s, so there is no token for it. Make one: "+
		"`kycdesk profile add NAME --server %s`, store its token with `kycdesk token set --profile NAME` (reads stdin), "+
		"then `kycdesk profile use NAME` (or pass --profile NAME). For scripts, export KYCDESK_TOKEN instead", server, server)
}

func sameServer(a, b string) bool { return strings.EqualFold(a, b) }

// shown is how a profile's server is shown: its URL, or "sandbox".
func shown(serverURL string) string {
	if IsSandbox(serverURL) {
		return "sandbox"
	}
	return serverURL
}

func invalid(msg string) *kyc.Error {
	return &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: msg}
}

// Connect builds the client for t (starting the in-process sandbox when the server is
// the sandbox) and wraps it in a Service that records every call in the history and
// follows the settings live (consent, photo keeping). The token comes from
// KYCDESK_TOKEN, else the profile's keyring entry; the in-process sandbox never gets
// a keyring token (a merchant's real token must not be sent to a demo gateway), only
// KYCDESK_TOKEN or the sandbox's public demo token. The history is opened here: a
// connection that cannot record never sends (the error then has kind
// history_unavailable).
func (d *Desk) Connect(ctx context.Context, t Target) (*Connection, error) {
	v, err := d.Vault()
	if err != nil {
		return nil, err
	}
	r := Resolved{Profile: t.Profile, Server: strings.TrimSpace(t.Server)}
	if r.Profile.Name == "" {
		if r, err = d.Resolve(t.ProfileName, t.Server); err != nil {
			return nil, err
		}
	} else if r.Server == "" {
		r.Server = shown(r.Profile.ServerURL)
	}
	store, err := d.History(ctx)
	if err != nil {
		msg := "the call history cannot be opened, so nothing can be sent"
		if errors.Is(err, history.ErrDiskFull) {
			msg = "the disk is full: the call history cannot be written, so nothing can be sent. Free some space, then try again"
		}
		return nil, &kyc.Error{Kind: KindHistory, Outcome: kyc.OutcomeFailed, Message: msg, Err: err}
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = r.Profile.Timeout
	}
	if timeout <= 0 {
		timeout = kyc.DefaultTimeout
	}
	server := r.Server
	conn := &Connection{Server: server, Profile: r.Profile}
	envToken := d.opts.Getenv(vault.EnvToken)
	var tokens kyc.TokenSource = v.TokenSource(r.Profile.Name)
	if r.AdHoc {
		tok, err := vault.NormalizeToken(envToken)
		if err != nil {
			return nil, tokenError(err)
		}
		tokens = kyc.StaticToken(tok)
	}
	if IsSandbox(server) {
		cfg := sandbox.DefaultConfig()
		if d.opts.Sandbox != nil {
			cfg = *d.opts.Sandbox
		}
		tok := sandbox.DefaultToken
		if strings.TrimSpace(envToken) != "" {
			if tok, err = vault.NormalizeToken(envToken); err != nil {
				return nil, tokenError(err)
			}
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
		tokens = kyc.StaticToken(tok)
	}
	ua := d.opts.UserAgent
	if ua == "" {
		ua = "KYCDesk/" + kyc.Version
	}
	opts := []kyc.Option{kyc.WithTimeout(timeout), kyc.WithTokenSource(tokens), kyc.WithUserAgent(ua)}
	if !conn.Sandbox {
		// The profile's proxy (system, direct or a URL), its credentials from the keyring.
		opts = append(opts, proxyOptions(v, r.Profile)...)
	}
	client, err := kyc.NewClient(server, opts...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.Unencrypted = client.Unencrypted()
	conn.Service = &Service{Client: client, History: store, Profile: r.Profile.Name, Policy: d.CallPolicy}
	if !r.AdHoc {
		// A profile with a sync section reports its calls to head office: each is
		// queued with its record and the sender is kicked after it.
		conn.Service.Sync = r.Profile.Sync != nil
		conn.Service.AfterCall = d.kickSync
		d.startSync(r.Profile)
	}
	return conn, nil
}

// tokenError turns a refused KYCDESK_TOKEN into the client's "no usable token" error.
func tokenError(err error) *kyc.Error {
	msg := err.Error()
	if ve, ok := err.(*vault.Error); ok {
		msg = ve.Message("en") + " (" + vault.EnvToken + ")"
	}
	return &kyc.Error{Kind: kyc.KindUnauthorized, Outcome: kyc.OutcomeFailed, Message: msg, Err: err}
}
