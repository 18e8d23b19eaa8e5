package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/history"
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
	consent bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.server, "server", "", `gateway base URL, or "sandbox" for the built-in offline gateway (env KYCDESK_SERVER; default: the active profile's). The token is the one of the profile with this server`)
	fs.StringVar(&c.profile, "profile", "", "profile to use (default: the active profile, or the one whose server is --server)")
	fs.BoolVar(&c.json, "json", false, "print exactly one JSON object on stdout")
	fs.DurationVar(&c.timeout, "timeout", 0, "whole-call timeout, retries included (default: the profile's, else 60s)")
	fs.BoolVar(&c.consent, "consent", false, "the customer consented to the processing of their data as the settings' consent text says (required while the settings require consent: see `kycdesk settings`)")
}

// Caller is what the commands call: the client, wrapped by the history's write-ahead
// record.
type Caller interface {
	Liveness(context.Context, kyc.LivenessRequest) (*kyc.LivenessResult, error)
	Recognize(context.Context, kyc.RecognizeRequest) (*kyc.RecognizeResult, error)
	Validate(context.Context, kyc.ValidationRequest) (*kyc.ValidationResult, error)
}

// target is a resolved gateway: where, as whom, and how to clean up.
type target struct {
	desk     *service.Desk
	conn     *service.Connection
	profile  vault.Profile
	server   string // what the user sees: a URL, or "sandbox"
	caller   Caller
	envToken bool // KYCDESK_TOKEN is set (it wins over the keyring)
	warnings []string
	close    func()
}

// openDesk opens the data directory the way the window does (service.Open): one
// wiring point for profiles, keyring, settings and history.
func openDesk(env *Env) (*service.Desk, error) {
	return service.Open(service.Options{Keyring: env.Keyring, SystemProfiles: env.SystemProfiles, Getenv: env.Getenv,
		Sandbox: env.Sandbox, UserAgent: "KYCDesk/" + kyc.Version})
}

// openVault opens the profiles and keyring through the desk (the one wiring point).
func openVault(env *Env) (*vault.Vault, error) {
	desk, err := openDesk(env)
	if err != nil {
		return nil, err
	}
	return desk.Vault()
}

// resolveTarget picks the profile and server (see service.Desk.Resolve: --server,
// else KYCDESK_SERVER, picks the profile whose server it is) and connects through
// the history, the same way the app does.
func resolveTarget(ctx context.Context, env *Env, c common) (*target, *kyc.Error) {
	local := func(err error) *kyc.Error {
		var ke *kyc.Error
		if errors.As(err, &ke) {
			return ke
		}
		if errors.Is(err, service.ErrUnavailable) {
			return &kyc.Error{Kind: service.KindHistory, Outcome: kyc.OutcomeFailed, Message: err.Error() + "; nothing was sent"}
		}
		return &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	desk, err := openDesk(env)
	if err != nil {
		return nil, local(err)
	}
	server := strings.TrimSpace(c.server)
	if server == "" {
		server = strings.TrimSpace(env.Getenv(EnvServer))
	}
	conn, err := desk.Connect(ctx, service.Target{ProfileName: c.profile, Server: server, Timeout: c.timeout})
	if err != nil {
		desk.Close()
		return nil, local(err)
	}
	t := &target{desk: desk, conn: conn, profile: conn.Profile, server: conn.Server, caller: conn,
		envToken: strings.TrimSpace(env.Getenv(vault.EnvToken)) != "",
		close:    func() { conn.Close(); desk.Close() }}
	t.warnings = deskWarnings(ctx, desk, service.ProblemSettings) // the call itself refuses with it
	return t, nil
}

// withConsent adds the customer's consent (--consent) to ctx: the settings' current
// text, now, by this OS user. Without --consent, ctx is unchanged and the service
// refuses the call if the settings require consent.
func (t *target) withConsent(ctx context.Context, given bool) (context.Context, error) {
	if !given {
		return ctx, nil
	}
	p, err := t.desk.ConsentPolicy()
	if err != nil {
		return ctx, &kyc.Error{Kind: service.KindSettings, Outcome: kyc.OutcomeFailed, Message: "the settings are in doubt, so nothing was sent", Err: err}
	}
	if !p.Required {
		return ctx, nil // nothing to record: the merchant turned the requirement off
	}
	return service.WithConsent(ctx, p.Confirm()), nil
}

// tokenHelp says how to get a usable token for a call refused before sending (exit 4):
// a command that will work as written, never one that refuses.
func (t *target) tokenHelp() string {
	switch {
	case t.envToken:
		return "KYCDESK_TOKEN is set and wins over the keyring: fix it, or unset it to use the profile's token"
	case t.conn != nil && t.conn.Sandbox:
		return "the built-in sandbox takes its demo token (sandbox-demo-token) or KYCDESK_TOKEN"
	}
	return tokenHelp(t.profile.Name)
}

// tokenHelp says how to store a profile's token.
func tokenHelp(profile string) string {
	return fmt.Sprintf("set the merchant's token with `kycdesk token set --profile %q` (reads stdin), or export KYCDESK_TOKEN for scripts", profile)
}

// deskWarnings are the standing problems a command reports on stderr (settings in
// doubt, a damaged history set aside): they do not stop a call that is safe to make.
func deskWarnings(ctx context.Context, desk *service.Desk, quiet ...service.ProblemCode) []string {
	var out []string
	for _, p := range desk.Problems(ctx) {
		if slices.Contains(quiet, p.Code) {
			continue
		}
		switch p.Code {
		case service.ProblemHistory, service.ProblemDataDir:
			continue // the command itself fails with it
		case service.ProblemHistoryKeys:
			continue // only calls with personal data need the key, and they say so when refused
		}
		out = append(out, p.Message)
	}
	return out
}

// printWarnings writes warnings to stderr, one per line.
func printWarnings(w io.Writer, cmd string, warnings []string) {
	for _, m := range warnings {
		fmt.Fprintf(w, "kycdesk %s: warning: %s\n", cmd, m)
	}
}

// openStore opens the desk and its history for the history and settings commands.
// It reports the desk's standing problems on stderr and returns whether the
// settings are in doubt (the command then exits 1 after doing its work).
func openStore(ctx context.Context, env *Env, cmd string, quiet ...service.ProblemCode) (*service.Desk, *history.Store, bool, int) {
	desk, err := openDesk(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk %s: %v\n", cmd, err)
		return nil, nil, false, ExitInternal
	}
	store, err := desk.History(ctx)
	if err != nil {
		fmt.Fprintf(env.Stderr, "kycdesk %s: %v\n", cmd, err)
		desk.Close()
		return nil, nil, false, ExitInternal
	}
	printWarnings(env.Stderr, cmd, deskWarnings(ctx, desk, quiet...))
	return desk, store, !desk.Settings().OK(), -1
}
