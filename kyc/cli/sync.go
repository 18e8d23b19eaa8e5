package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/hqsync"
	"kycdesk/kyc/vault"
)

// SyncConfig is hqsync.ConfigFromProfile (kept for the commands' tests).
func SyncConfig(v *vault.Vault, p vault.Profile) (hqsync.Config, error) {
	return hqsync.ConfigFromProfile(v, p)
}

// runSync: kycdesk sync status|now|password [--profile NAME] [--json].
func runSync(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError(env, "sync", "want a sub-command: status, now or password")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "password":
		return runSecret(ctx, env, "sync password", args, func(v *vault.Vault, p, pw string) error {
			return v.SetSyncPassword(ctx, p, pw)
		})
	case "status", "now":
	default:
		return usageError(env, "sync", "unknown sub-command %q", sub)
	}
	cmd := "sync " + sub
	fs := newFlags(env, cmd, "[--profile NAME] [--json]")
	profile := fs.String("profile", "", "profile (default: the active one)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	desk, err := openDesk(env)
	if err != nil {
		return vaultFailure(env, cmd, err)
	}
	defer desk.Close()
	v, err := desk.Vault()
	if err != nil {
		return vaultFailure(env, cmd, err)
	}
	p, err := profileFor(env, v, *profile)
	if err != nil {
		return vaultFailure(env, cmd, err)
	}
	type status struct {
		Profile    string `json:"profile"`
		Configured bool   `json:"configured"`
		Server     string `json:"server,omitempty"`
		Database   string `json:"database,omitempty"`
		Outlet     string `json:"outlet,omitempty"`
		Counter    string `json:"counter,omitempty"`
		Password   bool   `json:"password_stored"`
		Reachable  bool   `json:"reachable"`
		// Waiting are this profile's events not yet delivered; LastSync the last
		// complete sync (push and pull) by the window or a command.
		Waiting  int    `json:"waiting"`
		LastSync string `json:"last_sync,omitempty"`
		// Sent and Resolutions: what `sync now` did.
		Sent        *int   `json:"sent,omitempty"`
		Resolutions *int   `json:"resolutions,omitempty"`
		Error       string `json:"error,omitempty"`
		ErrorCode   string `json:"error_kind,omitempty"`
	}
	st := status{Profile: p.Name, Configured: p.Sync != nil}
	code := ExitOK
	fail := func(err error) {
		st.Error = err.Error()
		var he *hqdb.Error
		if errors.As(err, &he) {
			st.ErrorCode = string(he.Code)
		}
		code = headOfficeExit(err)
	}
	if p.Sync != nil {
		st.Server, st.Database, st.Outlet, st.Counter = p.Sync.Server, p.Sync.Database, p.Sync.Outlet, p.Sync.Counter
		_, perr := v.SyncPassword(ctx, p.Name)
		st.Password = perr == nil
		if sub == "now" {
			res, err := desk.SyncNow(ctx, p)
			st.Reachable = err == nil
			sent, pulled := res.Sent+res.Ignored, res.Resolutions
			st.Sent, st.Resolutions = &sent, &pulled
			if err != nil {
				fail(err)
			}
		} else {
			cfg, err := SyncConfig(v, p)
			if err == nil {
				_, _, err = hqsync.Check(ctx, cfg)
			}
			st.Reachable = err == nil
			if err != nil {
				fail(err)
			}
		}
		if q, err := desk.SyncQueue(ctx, p.Name); err == nil {
			st.Waiting = q.Waiting
			if !q.LastSync.IsZero() {
				st.LastSync = q.LastSync.Format(time.RFC3339)
			}
		} else if st.Error == "" {
			fail(err)
			code = ExitFailed
		}
	}
	if *asJSON {
		writeJSON(env.Stdout, st)
		return code
	}
	if !st.Configured {
		fmt.Fprintf(env.Stdout, "profile %s: no sync section; this counter's calls are not sent to head office\n", p.Name)
		if sub == "now" {
			return ExitUsage
		}
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "profile %s: outlet %s counter %s → %s/%s\n", p.Name, st.Outlet, st.Counter, st.Server, st.Database)
	fmt.Fprintf(env.Stdout, "password in keyring: %v\n", st.Password)
	if st.Reachable {
		fmt.Fprintln(env.Stdout, "head office: reachable, login registered for this outlet and counter")
	} else {
		fmt.Fprintf(env.Stdout, "head office: %s\n", st.Error)
	}
	if st.Sent != nil {
		fmt.Fprintf(env.Stdout, "delivered now: %d events; resolutions received: %d\n", *st.Sent, *st.Resolutions)
	}
	last := "never"
	if st.LastSync != "" {
		last = st.LastSync
	}
	fmt.Fprintf(env.Stdout, "waiting to be sent: %d events; last complete sync: %s\n", st.Waiting, last)
	return code
}

func headOfficeExit(err error) int {
	var he *hqdb.Error
	if errors.As(err, &he) {
		switch he.Code {
		case hqdb.CodeConfig, hqdb.CodeInvalid, hqdb.CodeNotFound, hqdb.CodeNotUnknown, hqdb.CodeOutletMismatch, hqdb.CodeNotRegistered:
			return ExitUsage
		case hqdb.CodeAuth, hqdb.CodeDenied:
			return ExitUnauthorized
		case hqdb.CodeUnavailable, hqdb.CodeTLS:
			return ExitFailed
		}
	}
	return ExitInternal
}
