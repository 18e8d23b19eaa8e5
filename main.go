// Command kycdesk is KYC Desk: without arguments the desktop app, with a command the
// headless tools (see `kycdesk help`).
package main

import (
	// First: repairs LANG=C.UTF-8 before Fyne's initialiser reads it (see the package).
	_ "kycdesk/app/locale"

	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"kycdesk/app"
	"kycdesk/kyc/cli"
	"kycdesk/kyc/vault"
)

// AppID is the application's reverse-DNS identifier (also in FyneApp.toml).
const AppID = "id.kycdesk.desk"

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(runCLI(os.Args[1:]))
	}
	os.Exit(runGUI(os.Args[1:]))
}

func runCLI(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fd := int(os.Stdin.Fd())
	return cli.Run(ctx, args, cli.Env{
		StdinIsTerminal: func() bool { return term.IsTerminal(fd) },
		ReadPassword:    func() ([]byte, error) { return term.ReadPassword(fd) },
	})
}

func runGUI(args []string) int {
	fs := flag.NewFlagSet("kycdesk", flag.ContinueOnError)
	profile := fs.String("profile", "", "profile to start with (default: the active profile)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "kycdesk: unknown command %q (see `kycdesk help`)\n", fs.Arg(0))
		return 2
	}
	a := fyneapp.NewWithID(AppID)
	app.NewMainWindow(a, resolveTarget(*profile)).ShowAndRun()
	return 0
}

// resolveTarget reads the profiles (a small local file; no keyring access) before the
// window exists, so the UI goroutine never waits on it.
func resolveTarget(name string) app.Target {
	v, err := vault.New(vault.Options{})
	if err != nil {
		return app.Target{Profile: vault.SandboxName, Server: "sandbox", Sandbox: true, Problem: err.Error()}
	}
	var p vault.Profile
	if name != "" {
		p, err = v.Profile(name)
	} else {
		p, err = v.Active()
	}
	if err != nil {
		return app.Target{Profile: vault.SandboxName, Server: "sandbox", Sandbox: true, Problem: err.Error()}
	}
	server := p.ServerURL
	if p.IsSandbox() {
		server = "sandbox (built-in, offline)"
	}
	return app.Target{Profile: p.Name, Server: server, Sandbox: p.IsSandbox()}
}
