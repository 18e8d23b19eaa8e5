// Package cli implements KYC Desk's headless commands. They are a public interface
// (DESIGN.md, "Headless commands"): the command names, flags, exit codes and the --json
// object stay stable. Every command shares its code path with the GUI: the same client,
// image preparation, profiles, keyring and history.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"kycdesk/kyc/sandbox"
	"kycdesk/kyc/vault"
)

// Exit codes, part of the public contract.
const (
	ExitOK           = 0 // the gateway answered SUCCESSFUL, whatever the verdict
	ExitUsage        = 2 // bad usage or bad local input; nothing sent
	ExitRejected     = 3 // rejected by the gateway (ERROR envelope, other 4xx)
	ExitUnauthorized = 4 // unauthorized, or no token
	ExitFailed       = 5 // failed, not billed (404, unreachable, 503 after retries)
	ExitUnknown      = 6 // outcome unknown: may have been billed
	// ExitInternal is for local failures that are nobody's input (a history database
	// that cannot be written, say). Nothing was sent.
	ExitInternal = 1
)

// Env is everything a command touches outside its arguments, so tests can run every
// command in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Keyring replaces the OS keyring (tests); nil uses the system's.
	Keyring vault.Backend
	// SystemProfiles overrides the path of the fleet's read-only profiles file.
	SystemProfiles string
	// Sandbox configures the in-process sandbox gateway; nil uses sandbox.DefaultConfig.
	Sandbox *sandbox.Config
	// StdinIsTerminal reports whether stdin is a terminal (token set hides the input).
	StdinIsTerminal func() bool
	// ReadPassword reads a line from the terminal without echo.
	ReadPassword func() ([]byte, error)
}

func (e *Env) fill() {
	if e.Stdin == nil {
		e.Stdin = os.Stdin
	}
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.StdinIsTerminal == nil {
		e.StdinIsTerminal = func() bool { return false }
	}
}

// command is one sub-command.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) int
}

func commands() []command {
	return []command{
		{"liveness", "passive liveness on a selfie", runLiveness},
		{"recognize", "read an eKTP (ID recognize / OCR)", runRecognize},
		{"validate", "check a person against the civil registry", runValidate},
		{"prepare", "prepare an image exactly as it would be sent (no network)", runPrepare},
		{"sandbox", "run the offline sandbox gateway", runSandbox},
		{"token", "set, check (status) or clear a profile's token in the OS keyring", runToken},
		{"history", "list, export, check or erase the call history", runHistory},
		{"profile", "list, add, remove profiles or choose the active one", runProfile},
		{"settings", "show or set retention, photo keeping and consent (also repairs settings.json)", runSettings},
		{"proxy", "how a profile's gateway is reached; proxy credentials in the OS keyring", runProxy},
		{"fleet", "check, install or remove the fleet's read-only profiles file (IT)", runFleet},
		{"report", "head office: calls per outlet, counter, product, day; unknown outcomes; quota", runReport},
		{"hq", "head office setup and actions (init, add-counter, resolve, export, invoice…)", runHQ},
		{"sync", "this counter's link to head office (status, password)", runSync},
	}
}

// IsCommand reports whether name is a headless command (main uses it to decide between
// the GUI and the CLI).
func IsCommand(name string) bool {
	switch name {
	case "help", "-h", "--help", "-help", "version", "--version", "-version":
		return true
	}
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run executes args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	env.fill()
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		usage(env.Stdout)
		return ExitOK
	case "version", "--version", "-version":
		fmt.Fprintf(env.Stdout, "kycdesk %s\n", versionString())
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, &env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "kycdesk: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "KYC Desk %s: eKTP OCR, passive liveness and ID validation through the WideKYC gateway.\n\n", versionString())
	fmt.Fprintln(w, "Usage:\n  kycdesk                 start the desktop app\n  kycdesk COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Gateway commands (liveness, recognize, validate) take: --server URL (env KYCDESK_SERVER;
  "sandbox" = built-in offline gateway), --profile NAME, --json, --timeout DURATION, and
  --consent (the customer consented; required while the settings require consent).
  Run "kycdesk COMMAND -h" for a command's flags.
Token: env KYCDESK_TOKEN if set, else the token in the OS keyring of the profile whose
  server is --server / KYCDESK_SERVER (else of --profile, else of the active profile).
  No profile for a server yet? kycdesk profile add NAME --server URL,
  kycdesk token set --profile NAME, kycdesk profile use NAME.
Data directory: env KYCDESK_HOME if set, else the per-user config directory.
Exit codes: 0 success, 1 local failure or settings in doubt (see kycdesk settings),
  2 bad input (nothing sent), 3 rejected by the gateway, 4 unauthorized or no token,
  5 failed (not billed), 6 outcome unknown (may be billed).`)
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(env *Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: kycdesk %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and refuses stray positional arguments (a mistyped flag value
// must not be silently ignored). It returns the exit code to use, or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "kycdesk %s: unexpected argument %q\n", fs.Name(), strings.Join(fs.Args(), " "))
		// A photo given without its flag is the likeliest slip: say where it goes.
		if img := fs.Lookup("image"); img != nil && img.Value.String() == "" && !strings.HasPrefix(fs.Arg(0), "-") {
			fmt.Fprintf(fs.Output(), "the photo goes after --image: --image %s\n", fs.Arg(0))
		}
		return ExitUsage
	}
	return -1
}

// usageError prints a usage problem and returns ExitUsage.
func usageError(env *Env, cmd, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "kycdesk %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return ExitUsage
}
