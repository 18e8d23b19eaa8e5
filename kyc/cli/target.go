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
	profile vault.Profile
	server  string // what the user sees: a URL, or "sandbox"
	caller  Caller
	close   func()
}

// openVault opens the profiles and keyring for env.
func openVault(env *Env) (*vault.Vault, error) {
	return vault.New(vault.Options{Backend: env.Keyring, SystemFile: env.SystemProfiles, Getenv: env.Getenv})
}

// resolveTarget picks the profile (--profile, else the active one), the server
// (--server, else KYCDESK_SERVER, else the profile's) and connects through the
// history, the same way the app does (service.Connect).
func resolveTarget(ctx context.Context, env *Env, c common) (*target, *kyc.Error) {
	local := func(err error) *kyc.Error {
		var ke *kyc.Error
		if errors.As(err, &ke) {
			return ke
		}
		return &kyc.Error{Kind: kyc.KindInvalidInput, Outcome: kyc.OutcomeFailed, Message: err.Error()}
	}
	v, err := openVault(env)
	if err != nil {
		return nil, local(err)
	}
	var p vault.Profile
	if c.profile != "" {
		p, err = v.Profile(c.profile)
	} else {
		p, err = v.Active()
	}
	if err != nil {
		return nil, local(err)
	}
	server := strings.TrimSpace(c.server)
	if server == "" {
		server = strings.TrimSpace(env.Getenv(EnvServer))
	}
	store, err := openHistory(ctx, env, v)
	if err != nil {
		return nil, &kyc.Error{Kind: service.KindHistory, Outcome: kyc.OutcomeFailed,
			Message: "the call history cannot be opened, so nothing was sent: " + err.Error()}
	}
	sb := env.Sandbox
	conn, err := service.Connect(v, store, service.Target{
		Profile: p, Server: server, Timeout: c.timeout, EnvToken: env.Getenv(vault.EnvToken),
		Sandbox: sb, UserAgent: "KYCDesk/" + kyc.Version, KeepImages: service.LoadSettings(v.Dir()).KeepImages,
	})
	if err != nil {
		store.Close()
		return nil, local(err)
	}
	return &target{profile: p, server: conn.Server, caller: conn, close: func() {
		conn.Close()
		store.Close()
	}}, nil
}

// tokenHelp says how to set a token, for exit code 4.
func tokenHelp(profile string) string {
	return fmt.Sprintf("set the merchant's token with `kycdesk token set --profile %q` (reads stdin), or export KYCDESK_TOKEN for scripts", profile)
}

// openHistory opens the call history in the vault's data directory, its keys in the
// keyring. Opening also turns the pending rows of dead processes into "unknown".
func openHistory(ctx context.Context, env *Env, v *vault.Vault) (*history.Store, error) {
	st := service.LoadSettings(v.Dir())
	return history.Open(ctx, history.Options{Dir: v.Dir(), Keys: v, Retention: st.Retention(), StoreImages: st.KeepImages})
}
