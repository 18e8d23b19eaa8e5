package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// EnvServer overrides the profile's gateway address.
const EnvServer = "KYCDESK_SERVER"

func versionString() string { return kyc.Version }

// common holds the flags every gateway command takes.
type common struct {
	server  string
	profile string
	json    bool
	timeout time.Duration
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.server, "server", "", `gateway base URL, or "sandbox" for the built-in offline gateway (env KYCDESK_SERVER; default: the active profile's)`)
	fs.StringVar(&c.profile, "profile", "", "profile to use (default: the active profile)")
	fs.BoolVar(&c.json, "json", false, "print exactly one JSON object on stdout")
	fs.DurationVar(&c.timeout, "timeout", 0, "whole-call timeout, retries included (default: the profile's, else 60s)")
}

// Caller is what the commands call: the client, wrapped by the history's write-ahead
// record when one is open.
type Caller interface {
	Liveness(context.Context, kyc.LivenessRequest) (*kyc.LivenessResult, error)
	Recognize(context.Context, kyc.RecognizeRequest) (*kyc.RecognizeResult, error)
	Validate(context.Context, kyc.ValidationRequest) (*kyc.ValidationResult, error)
}

// target is a resolved gateway: where, as whom, and how to clean up.
type target struct {
	profile  vault.Profile
	server   string // what the user sees: a URL, or "sandbox"
	client   *kyc.Client
	caller   Caller
	vault    *vault.Vault
	shutdown func()
}

func (t *target) close() {
	if t.shutdown != nil {
		t.shutdown()
	}
}

// openVault opens the profiles and keyring for env.
func openVault(env *Env) (*vault.Vault, error) {
	return vault.New(vault.Options{Backend: env.Keyring, SystemFile: env.SystemProfiles, Getenv: env.Getenv})
}

// resolveTarget picks the profile (--profile, else the active one), the server
// (--server, else KYCDESK_SERVER, else the profile's) and the token (KYCDESK_TOKEN,
// else the profile's keyring entry; the in-process sandbox needs none). It starts the
// in-process sandbox when the server is the sandbox.
func resolveTarget(ctx context.Context, env *Env, c common) (*target, *kyc.Error) {
	v, err := openVault(env)
	if err != nil {
		return nil, &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	var p vault.Profile
	if c.profile != "" {
		p, err = v.Profile(c.profile)
	} else {
		p, err = v.Active()
	}
	if err != nil {
		return nil, &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	server := strings.TrimSpace(c.server)
	if server == "" {
		server = strings.TrimSpace(env.Getenv(EnvServer))
	}
	if server == "" {
		server = p.ServerURL
	}
	t := &target{profile: p, server: server, vault: v}

	timeout := c.timeout
	if timeout <= 0 {
		timeout = p.Timeout
	}
	if timeout <= 0 {
		timeout = kyc.DefaultTimeout
	}
	tokens := kyc.TokenSource(v.TokenSource(p.Name))

	if isSandbox(server) {
		cfg := sandbox.DefaultConfig()
		if env.Sandbox != nil {
			cfg = *env.Sandbox
		}
		_, url, stop, err := sandbox.StartLoopback(cfg)
		if err != nil {
			return nil, &kyc.Error{Kind: kyc.KindConnection, Outcome: kyc.OutcomeFailed, Message: "cannot start the built-in sandbox: " + err.Error()}
		}
		t.server = "sandbox"
		t.shutdown = func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = stop(ctx)
		}
		server = url
		// The sandbox's demo token is public; KYCDESK_TOKEN still wins so a user can try
		// the sandbox's other documented tokens.
		if tok := strings.TrimSpace(env.Getenv(vault.EnvToken)); tok != "" {
			tokens = kyc.StaticToken(tok)
		} else {
			tokens = kyc.StaticToken(sandbox.DefaultToken)
		}
	}
	client, err := kyc.NewClient(server,
		kyc.WithTimeout(timeout),
		kyc.WithTokenSource(tokens),
		kyc.WithUserAgent("KYCDesk/"+kyc.Version),
	)
	if err != nil {
		t.close()
		var ke *kyc.Error
		if errors.As(err, &ke) {
			return nil, ke
		}
		return nil, &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	t.client = client
	store, err := openHistory(ctx, env, v)
	if err != nil {
		t.close()
		return nil, &kyc.Error{Kind: service.KindHistory, Outcome: kyc.OutcomeFailed,
			Message: "the call history cannot be opened, so nothing was sent: " + err.Error()}
	}
	prev := t.shutdown
	t.shutdown = func() {
		store.Close()
		if prev != nil {
			prev()
		}
	}
	t.caller = &service.Service{Client: client, History: store, Profile: p.Name}
	return t, nil
}

func isSandbox(server string) bool {
	s := strings.ToLower(strings.TrimSpace(server))
	return s == "sandbox" || s == vault.SandboxURL
}

// tokenHelp says how to set a token, for exit code 4.
func tokenHelp(profile string) string {
	return fmt.Sprintf("set the merchant's token with `kycdesk token set --profile %q` (reads stdin), or export KYCDESK_TOKEN for scripts", profile)
}

// openHistory opens the call history in the vault's data directory, its keys in the
// keyring. Opening also turns the pending rows of dead processes into "unknown".
func openHistory(ctx context.Context, env *Env, v *vault.Vault) (*history.Store, error) {
	return history.Open(ctx, history.Options{Dir: v.Dir(), Keys: v})
}
