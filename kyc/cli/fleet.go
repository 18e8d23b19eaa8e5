package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"kycdesk/kyc/vault"
)

// runFleet: kycdesk fleet check FILE | install FILE [--to PATH] | remove [--user-data --yes].
// For IT and installers (the MSI runs install and remove as SYSTEM): the fleet's
// read-only profiles file, checked with the app's own rules before it is deployed.
func runFleet(_ context.Context, env *Env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError(env, "fleet", "want a sub-command: check FILE, install FILE or remove")
	}
	sub, args := args[0], args[1:]
	file := ""
	if sub == "check" || sub == "install" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError(env, "fleet "+sub, "want the fleet profiles file, e.g. `kycdesk fleet %s profiles.json`", sub)
		}
		file, args = args[0], args[1:]
	}
	fs := newFlags(env, "fleet "+sub, "check FILE | install FILE [--to PATH] | remove [--user-data --yes]")
	to := fs.String("to", "", "where to install (default: the machine-wide path the app reads, "+vault.SystemProfilesPath()+")")
	userData := fs.Bool("user-data", false, "remove: also every local user's KYC Desk data (history, profiles)")
	yes := fs.Bool("yes", false, "remove --user-data: confirm")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	switch sub {
	case "check", "install":
		var fc vault.FleetCheck
		var err error
		if sub == "check" {
			fc, err = vault.CheckSystemFile(file)
		} else {
			fc, err = vault.InstallSystemFile(file, *to)
		}
		if *asJSON {
			names := []string{}
			for _, p := range fc.Profiles {
				names = append(names, p.Name)
			}
			out := map[string]any{"file": file, "profiles": names, "default": fc.Default, "problems": append([]string{}, fc.Problems...)}
			if err != nil {
				out["error"] = err.Error()
			}
			code := writeJSON(env.Stdout, out)
			if err != nil || len(fc.Problems) > 0 {
				return ExitUsage
			}
			return code
		}
		for _, p := range fc.Problems {
			fmt.Fprintf(env.Stderr, "problem: %s\n", p)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk fleet %s: %v\n", sub, err)
			return ExitUsage
		}
		if len(fc.Problems) > 0 {
			fmt.Fprintf(env.Stderr, "kycdesk fleet check: %s has %d problem(s); the app would skip what they name\n", file, len(fc.Problems))
			return ExitUsage
		}
		for _, p := range fc.Profiles {
			px := ""
			if p.Proxy != "" {
				px = ", proxy " + p.ProxySetting().String()
			}
			def := ""
			if p.Name == fc.Default {
				def = " (default)"
			}
			fmt.Fprintf(env.Stdout, "  %s%s: %s%s\n", p.Name, def, p.ServerURL, px)
		}
		if sub == "install" {
			dst := *to
			if dst == "" {
				dst = vault.SystemProfilesPath()
			}
			fmt.Fprintf(env.Stdout, "Fleet profiles installed to %s.\n", dst)
		} else {
			fmt.Fprintf(env.Stdout, "%s is a valid fleet profiles file.\n", file)
		}
		return ExitOK
	case "remove":
		if *userData && !*yes {
			return usageError(env, "fleet remove", "--user-data erases every user's call history, the record of billed calls: add --yes to confirm")
		}
		// The users' data first: if it cannot all be erased (a running app holds the
		// history open), the fleet file stays too and the uninstall can simply be re-run.
		var erased []string
		if *userData {
			dirs, err := vault.AllUsersDataDirs()
			if err != nil {
				fmt.Fprintf(env.Stderr, "kycdesk fleet remove: cannot list the users' data: %v\n", err)
				return ExitInternal
			}
			for _, d := range dirs {
				if err := removeTree(d); err != nil {
					fmt.Fprintf(env.Stderr, "kycdesk fleet remove: %v (is KYC Desk still running?)\n", err)
					return ExitInternal
				}
				erased = append(erased, d)
			}
		}
		removed, err := vault.RemoveSystemFile(*to)
		if err != nil {
			fmt.Fprintf(env.Stderr, "kycdesk fleet remove: %v\n", err)
			return ExitInternal
		}
		if *asJSON {
			return writeJSON(env.Stdout, map[string]any{"fleet_file_removed": removed, "user_data_removed": append([]string{}, erased...)})
		}
		fmt.Fprintf(env.Stdout, "Fleet profiles file removed: %v.\n", removed)
		for _, d := range erased {
			fmt.Fprintf(env.Stdout, "Removed %s.\n", d)
		}
		return ExitOK
	}
	return usageError(env, "fleet", "unknown sub-command %q (want check, install or remove)", sub)
}

// removeTree is os.RemoveAll, then file by file when that fails: RemoveAll's handle-based
// deletion is refused by some file systems and by Wine ("Invalid function"), where a
// plain delete of each file works.
func removeTree(dir string) error {
	if os.RemoveAll(dir) == nil {
		return nil
	}
	var paths []string
	_ = filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return nil
	})
	for i := len(paths) - 1; i >= 0; i-- { // children before their directory
		if err := os.Remove(paths[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
