package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"kycdesk/kyc"
	"kycdesk/kyc/vault"
)

// runProfile: kycdesk profile list | use NAME | add NAME --server URL [--timeout D] [--note S] [--proxy P] | remove NAME.
// Profiles hold no token; `kycdesk token set --profile NAME` stores it in the keyring.
func runProfile(ctx context.Context, env *Env, args []string) int {
	sub := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	name := ""
	if sub != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError(env, "profile "+sub, "want a profile name, e.g. `kycdesk profile %s Production`", sub)
		}
		name, args = args[0], args[1:]
	}
	fs := newFlags(env, "profile "+sub, "list | use NAME | add NAME --server URL [--timeout 60s] [--note TEXT] [--proxy system|direct|URL] | remove NAME")
	server := fs.String("server", "", "gateway base URL (add)")
	timeout := fs.Duration("timeout", 0, "whole-call timeout (add); 0 = default 60s")
	note := fs.String("note", "", "free text for IT (add)")
	proxyFlag := fs.String("proxy", "", `how to reach the gateway (add): "system" (the PC's proxy settings, default), "direct", or a proxy URL such as http://proxy.corp:8080`)
	asJSON := fs.Bool("json", false, "print JSON (list)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	v, err := openVault(env)
	if err != nil {
		return vaultFailure(env, "profile", err)
	}
	switch sub {
	case "list":
		s, err := v.Snapshot()
		if err != nil {
			return vaultFailure(env, "profile list", err)
		}
		for _, w := range s.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		if *asJSON {
			type row struct {
				Name     string `json:"name"`
				Server   string `json:"server"`
				TimeoutS int    `json:"timeout_s,omitempty"`
				Source   string `json:"source"`
				Active   bool   `json:"active"`
				Note     string `json:"note,omitempty"`
				Proxy    string `json:"proxy,omitempty"`
			}
			rows := []row{}
			for _, p := range s.Profiles {
				rows = append(rows, row{p.Name, p.ServerURL, int(p.Timeout / time.Second), string(p.Source), p.Name == s.Active, p.Note, proxyColumn(p)})
			}
			return writeJSON(env.Stdout, rows)
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		withProxy := false // the PROXY column only appears once a profile sets one
		for _, p := range s.Profiles {
			withProxy = withProxy || proxyColumn(p) != ""
		}
		if withProxy {
			fmt.Fprintln(tw, "\tNAME\tSERVER\tSOURCE\tPROXY\tNOTE")
		} else {
			fmt.Fprintln(tw, "\tNAME\tSERVER\tSOURCE\tNOTE")
		}
		for _, p := range s.Profiles {
			mark := ""
			if p.Name == s.Active {
				mark = "*"
			}
			if withProxy {
				px := proxyColumn(p)
				if px == "" {
					px = "system"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, p.Name, p.ServerURL, p.Source, px, p.Note)
			} else {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, p.Name, p.ServerURL, p.Source, p.Note)
			}
		}
		_ = tw.Flush()
		return ExitOK
	case "use":
		if err := v.SetActive(name); err != nil {
			return vaultFailure(env, "profile use", err)
		}
		p, _ := v.Active()
		fmt.Fprintf(env.Stdout, "Active profile: %s (%s)\n", p.Name, p.ServerURL)
		return ExitOK
	case "add":
		if _, err := kyc.ParseServerURL(*server); err != nil {
			return usageError(env, "profile add", "%v", err)
		}
		p := vault.Profile{Name: name, ServerURL: strings.TrimRight(strings.TrimSpace(*server), "/"), Timeout: *timeout, Note: *note,
			Proxy: strings.TrimSpace(*proxyFlag)}
		if err := v.SaveProfile(p); err != nil {
			return vaultFailure(env, "profile add", err)
		}
		fmt.Fprintf(env.Stdout, "Profile %q saved (%s). Store its token with: kycdesk token set --profile %q\n", name, p.ServerURL, name)
		return ExitOK
	case "remove":
		if removed, err := v.ClearToken(ctx, name); err != nil && vault.CodeOf(err) != vault.CodeSandbox {
			return vaultFailure(env, "profile remove", err)
		} else if removed {
			fmt.Fprintf(env.Stdout, "Token of profile %q removed from the keyring.\n", name)
		}
		if err := v.RemoveProfile(name); err != nil {
			return vaultFailure(env, "profile remove", err)
		}
		fmt.Fprintf(env.Stdout, "Profile %q removed.\n", name)
		return ExitOK
	}
	return usageError(env, "profile", "unknown sub-command %q (want list, use, add or remove)", sub)
}

// proxyColumn is a profile's proxy setting for listings: "" for the default (system)
// and for the sandbox, which is always reached directly.
func proxyColumn(p vault.Profile) string {
	if p.IsSandbox() || strings.TrimSpace(p.Proxy) == "" {
		return ""
	}
	return p.ProxySetting().String()
}
