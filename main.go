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
	"time"

	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"kycdesk/app"
	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/cli"
	"kycdesk/kyc/service"
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
	deps, closeDeps := guiDeps(*profile)
	defer closeDeps()
	app.New(a, deps).Window().ShowAndRun()
	return 0
}

// guiDeps builds the window's real dependencies from the one wiring point the
// headless commands use too (service.Open): profiles and keyring, settings (one
// owner, applied live), the history and a Connect that records every call. The
// history opens on first use (the window connects once it is up), so the window
// shows at once; nothing in Deps is ever nil: a data directory or a history that
// cannot be used answers with an error saying why, which the window shows.
func guiDeps(profile string) (app.Deps, func()) {
	// An error leaves a Desk whose every method reports it (Problems too).
	desk, _ := service.Open(service.Options{UserAgent: "KYCDesk/" + kyc.Version})
	records := desk.Records()
	deps := app.Deps{
		Version: kyc.Version, StartProfile: profile, Camera: camera.Default(),
		Profiles: desk.Profiles(), History: records, Photos: records, Exporter: records,
		Settings: desk, Consent: desk, Problems: desk,
		LoadSettings: func() service.Settings { return desk.Settings().Settings },
		SaveSettings: func(s service.Settings) error { return desk.SaveSettings(context.Background(), withConsentOf(desk, s)) },
		Connect: func(p vault.Profile) (*app.Connection, error) {
			c, err := desk.Connect(context.Background(), service.Target{Profile: p})
			if err != nil {
				return nil, err
			}
			return &app.Connection{Gateway: c, Server: c.Server, Sandbox: c.Sandbox, Unencrypted: c.Unencrypted, Close: c.Close}, nil
		},
	}
	// Maintenance (integrity check, recovery of calls interrupted elsewhere, retention)
	// starts once the window is surely up, so it never competes with showing it.
	mctx, stopMaintenance := context.WithCancel(context.Background())
	go func() {
		select {
		case <-mctx.Done():
			return
		case <-time.After(10 * time.Second):
		}
		desk.RunMaintenance(mctx, 6*time.Hour, nil)
	}()
	return deps, func() {
		stopMaintenance()
		desk.Close()
	}
}

// withConsentOf completes settings from today's Settings form, which knows only the
// retention and photo keeping, with the consent settings in force (the defaults while
// the settings are in doubt), so saving the form never drops the consent text.
func withConsentOf(desk *service.Desk, s service.Settings) service.Settings {
	if s.ConsentText != "" {
		return s
	}
	cur := desk.Settings()
	base := cur.Settings
	if !cur.OK() {
		base = service.DefaultSettings()
	}
	s.ConsentRequired, s.ConsentText, s.ConsentVersion = base.ConsentRequired, base.ConsentText, base.ConsentVersion
	return s
}
