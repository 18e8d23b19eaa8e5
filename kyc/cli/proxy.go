package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// runProxy: kycdesk proxy status|set|clear. How a profile's gateway is reached, and the
// proxy's user name and password in the keyring (per proxy host:port, for the current
// user, like the token). The password is read from stdin, never from an argument.
func runProxy(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError(env, "proxy", "want a sub-command: status, set or clear (e.g. `kycdesk proxy status --profile Production`)")
	}
	sub := args[0]
	fs := newFlags(env, "proxy "+sub, "status [--profile NAME] [--json] | set [--profile NAME | --proxy HOST:PORT] --user NAME (password on stdin) | clear [--profile NAME | --proxy HOST:PORT]")
	profile := fs.String("profile", "", "profile whose gateway is meant (default: the active profile)")
	addr := fs.String("proxy", "", "the proxy itself, host:port or URL (set, clear; default: the one the profile uses)")
	user := fs.String("user", "", "proxy user name (set)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args[1:]); code >= 0 {
		return code
	}
	if sub != "status" && sub != "set" && sub != "clear" {
		return usageError(env, "proxy", "unknown sub-command %q (want status, set or clear)", sub)
	}
	v, err := openVault(env)
	if err != nil {
		return vaultFailure(env, "proxy", err)
	}
	var p vault.Profile
	if *profile != "" {
		p, err = v.Profile(*profile)
	} else {
		p, err = v.Active()
	}
	if err != nil {
		return vaultFailure(env, "proxy "+sub, err)
	}
	key := ""
	if *addr != "" {
		if key, err = vault.ProxyKey(*addr); err != nil {
			return usageError(env, "proxy "+sub, "%v", err)
		}
	}
	st, err := service.CheckProxy(ctx, v, p)
	if err != nil {
		return usageError(env, "proxy "+sub, "%v", err)
	}
	if key == "" {
		key = st.Key
	}

	switch sub {
	case "status":
		if st.CredentialsErr != nil {
			fmt.Fprintf(env.Stderr, "warning: cannot read the proxy credentials: %v\n", st.CredentialsErr)
		}
		if *asJSON {
			out := map[string]any{"profile": st.Profile, "server": st.Server, "setting": st.Setting,
				"direct": st.Route.Proxy == nil, "via": st.Route.Via}
			if st.Route.Proxy != nil {
				out["proxy"] = st.Route.Proxy.Redacted()
				out["credentials"] = st.User != ""
				if st.User != "" {
					out["user"] = st.User
				}
			}
			if st.Route.Note != "" {
				out["note"] = st.Route.Note
			}
			return writeJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "Profile %q (%s), proxy setting %q:\n", st.Profile, st.Server, st.Setting)
		if st.Route.Proxy == nil {
			fmt.Fprintf(env.Stdout, "  calls go direct (%s)\n", st.Route.Via)
		} else {
			fmt.Fprintf(env.Stdout, "  calls go through %s (%s)\n", st.Route.Proxy.Redacted(), st.Route.Via)
			if st.User != "" {
				fmt.Fprintf(env.Stdout, "  credentials: user %q, stored for %s\n", st.User, st.Key)
			} else {
				fmt.Fprintf(env.Stdout, "  credentials: none stored for %s (set them with `kycdesk proxy set --user NAME` if the proxy asks)\n", st.Key)
			}
		}
		if st.Route.Note != "" {
			fmt.Fprintf(env.Stdout, "  note: %s\n", st.Route.Note)
		}
		return ExitOK
	case "set":
		if key == "" {
			return usageError(env, "proxy set", "profile %q does not use a proxy (%s); name the proxy with --proxy HOST:PORT", p.Name, st.Route.Via)
		}
		if strings.TrimSpace(*user) == "" {
			return usageError(env, "proxy set", "give the proxy user name with --user NAME (the password is read from stdin)")
		}
		pw, err := readProxyPassword(env, key)
		if err != nil {
			return usageError(env, "proxy set", "%v", err)
		}
		if err := v.SetProxyCredentials(ctx, key, *user, pw); err != nil {
			return proxyVaultFailure(env, "proxy set", err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, map[string]any{"proxy": key, "user": strings.TrimSpace(*user), "stored": true})
		}
		fmt.Fprintf(env.Stdout, "Credentials for proxy %s (user %q) stored in the %s.\n", key, strings.TrimSpace(*user), v.KeyringName())
		return ExitOK
	default: // clear
		if key == "" {
			return usageError(env, "proxy clear", "profile %q does not use a proxy (%s); name the proxy with --proxy HOST:PORT", p.Name, st.Route.Via)
		}
		removed, err := v.ClearProxyCredentials(ctx, key)
		if err != nil {
			return proxyVaultFailure(env, "proxy clear", err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, map[string]any{"proxy": key, "removed": removed})
		}
		if removed {
			fmt.Fprintf(env.Stdout, "Credentials for proxy %s removed from the %s.\n", key, v.KeyringName())
		} else {
			fmt.Fprintf(env.Stdout, "No credentials were stored for proxy %s.\n", key)
		}
		return ExitOK
	}
}

// readProxyPassword reads the password like a token: hidden on a terminal, else stdin.
func readProxyPassword(env *Env, key string) (string, error) {
	if env.StdinIsTerminal() && env.ReadPassword != nil {
		fmt.Fprintf(env.Stderr, "Password for proxy %s (input hidden): ", key)
		b, err := env.ReadPassword()
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("cannot read the password from the terminal: %v", err)
		}
		return string(b), nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, vault.MaxTokenBytes*2))
	if err != nil {
		return "", fmt.Errorf("cannot read the password from stdin: %v", err)
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return "", errors.New("no password on stdin: pipe it in, e.g. `kycdesk proxy set --user kasir1 < password.txt`")
	}
	return pw, nil
}

// proxyVaultFailure: bad input is a usage error, keyring trouble as for tokens.
func proxyVaultFailure(env *Env, cmd string, err error) int {
	if vault.CodeOf(err) == "" {
		return usageError(env, cmd, "%v", err)
	}
	return vaultFailure(env, cmd, err)
}
