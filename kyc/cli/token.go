package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"kycdesk/kyc/vault"
)

// runToken: kycdesk token set|status|clear [--profile NAME] [--json].
func runToken(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError(env, "token", "want a sub-command: set, status or clear (e.g. `kycdesk token set --profile Production < token.txt`)")
	}
	if args[0] == "show" {
		return usageError(env, "token", "the token is never shown; `kycdesk token status` says whether one is stored and its last four characters")
	}
	sub := args[0]
	fs := newFlags(env, "token "+sub, "[--profile NAME] [--json]")
	profile := fs.String("profile", "", "profile whose token this is (default: the active profile)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args[1:]); code >= 0 {
		return code
	}
	v, err := openVault(env)
	if err != nil {
		return vaultFailure(env, "token", err)
	}
	name := *profile
	if name == "" {
		p, err := v.Active()
		if err != nil {
			return vaultFailure(env, "token", err)
		}
		name = p.Name
	}
	p, err := v.Profile(name)
	if err != nil {
		return vaultFailure(env, "token", err)
	}
	switch sub {
	case "set":
		raw, err := readToken(env, p.Name)
		if err != nil {
			return usageError(env, "token set", "%v", err)
		}
		if err := v.SetToken(ctx, p.Name, raw); err != nil {
			if vault.CodeOf(err) == vault.CodeSandbox {
				// Say what works instead of a dead end.
				fmt.Fprintf(env.Stderr, "kycdesk token set: the %s profile is the built-in sandbox and needs no token. "+
					"To store a gateway's token, make a profile for it: `kycdesk profile add NAME --server URL`, "+
					"then `kycdesk token set --profile NAME`\n", p.Name)
				return ExitUsage
			}
			return vaultFailure(env, "token set", err)
		}
		st, err := v.TokenStatus(ctx, p.Name)
		if err != nil {
			return vaultFailure(env, "token set", err)
		}
		return printTokenStatus(env, st, *asJSON, "stored")
	case "status":
		st, err := v.TokenStatus(ctx, p.Name)
		if err != nil {
			return vaultFailure(env, "token status", err)
		}
		return printTokenStatus(env, st, *asJSON, "")
	case "clear":
		removed, err := v.ClearToken(ctx, p.Name)
		if err != nil {
			return vaultFailure(env, "token clear", err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, map[string]any{"profile": p.Name, "removed": removed})
		}
		if removed {
			fmt.Fprintf(env.Stdout, "Token of profile %q removed from the %s.\n", p.Name, v.KeyringName())
		} else {
			fmt.Fprintf(env.Stdout, "No token was stored for profile %q.\n", p.Name)
		}
		return ExitOK
	}
	return usageError(env, "token", "unknown sub-command %q (want set, status or clear)", sub)
}

// readToken takes the token from stdin: without echo when stdin is a terminal, else
// the whole of stdin (a pipe or a file), bounded.
func readToken(env *Env, profile string) (string, error) {
	if env.StdinIsTerminal() && env.ReadPassword != nil {
		fmt.Fprintf(env.Stderr, "Token for profile %q (input hidden): ", profile)
		b, err := env.ReadPassword()
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("cannot read the token from the terminal: %v", err)
		}
		return string(b), nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, vault.MaxTokenBytes*4))
	if err != nil {
		return "", fmt.Errorf("cannot read the token from stdin: %v", err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", errors.New("no token on stdin: pipe it in, e.g. `kycdesk token set < token.txt`")
	}
	return string(b), nil
}

func printTokenStatus(env *Env, st vault.TokenStatus, asJSON bool, verb string) int {
	if asJSON {
		return writeJSON(env.Stdout, map[string]any{
			"profile": st.Profile, "stored": st.Stored, "where": st.Where, "last4": st.Last4, "sandbox": st.Sandbox,
		})
	}
	switch {
	case st.Stored && verb != "":
		fmt.Fprintf(env.Stdout, "Token for profile %q %s in the %s (…%s).\n", st.Profile, verb, st.Where, st.Last4)
	case st.Stored:
		fmt.Fprintf(env.Stdout, "Profile %q: token set, from the %s, ending …%s.\n", st.Profile, st.Where, st.Last4)
	case st.Sandbox:
		fmt.Fprintf(env.Stdout, "Profile %q uses the built-in sandbox and needs no token.\n", st.Profile)
	default:
		fmt.Fprintf(env.Stdout, "Profile %q: no token stored. %s.\n", st.Profile, tokenHelp(st.Profile))
		return ExitUnauthorized
	}
	return ExitOK
}

// vaultFailure prints a vault error with what to do, and maps it to an exit code:
// bad input 2, keyring trouble 4 (the token cannot be had), anything else 1.
func vaultFailure(env *Env, cmd string, err error) int {
	msg := err.Error()
	var ve *vault.Error
	if errors.As(err, &ve) {
		msg = ve.Message("en")
		if ve.Subject != "" {
			msg = fmt.Sprintf("%s (%s)", msg, ve.Subject)
		}
	}
	fmt.Fprintf(env.Stderr, "kycdesk %s: %s\n", cmd, msg)
	switch vault.CodeOf(err) {
	case vault.CodeTokenEmpty, vault.CodeTokenInvalid, vault.CodeTokenTooLong, vault.CodeTokenTooShort, vault.CodeProfileNotFound,
		vault.CodeProfileInvalid, vault.CodeProfileReadOnly, vault.CodeSandbox:
		return ExitUsage
	case vault.CodeUnavailable, vault.CodeLocked, vault.CodeAccessDenied, vault.CodeTimeout, vault.CodeKeyring, vault.CodeNotFound:
		return ExitUnauthorized
	}
	return ExitInternal
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ExitInternal
	}
	return ExitOK
}
