// Command kycdesk is KYC Desk: without arguments the desktop app, with a command the
// headless tools (see `kycdesk help`).
package main

import (
	// First: repairs LANG=C.UTF-8 before Fyne's initialiser reads it (see the package).
	_ "kycdesk/app/locale"

	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"kycdesk/app"
	"kycdesk/app/instance"
	"kycdesk/glcheck"
	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/cli"
	"kycdesk/kyc/hq"
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
	// One window per user: a second start brings the first to the front and ends.
	var inst *instance.Instance
	if dir, err := vault.DataDir(); err == nil {
		inst, err = instance.Acquire(dir)
		switch {
		case errors.Is(err, instance.ErrRunning):
			fmt.Fprintln(os.Stderr, "kycdesk: KYC Desk is already open; its window was brought to the front.")
			return 0
		case err == nil:
			defer inst.Close()
		}
	}
	a := fyneapp.NewWithID(AppID)
	// Before any window: a PC without OpenGL gets a message, not a silent hang ("lang" is
	// the app's language preference, app/app.go).
	if code := glcheck.Ensure(a.Preferences().String("lang")); code != 0 {
		return code
	}
	deps, closeDeps := guiDeps(*profile)
	defer closeDeps()
	prefs := a.Preferences()
	deps.OnStarted = func(w fyne.Window) { restoreGeometry(w, prefs) }
	deps.OnClose = func(w fyne.Window) { saveGeometry(w, prefs) }
	deps.UIMap = os.Getenv("KYCDESK_UIMAP") // the walkthrough's map of the controls
	ui := app.New(a, deps)
	if inst != nil {
		inst.OnRaise(func() { fyne.Do(ui.Raise) })
	}
	ui.Window().ShowAndRun()
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
		Connect: func(p vault.Profile) (*app.Connection, error) {
			c, err := desk.Connect(context.Background(), service.Target{Profile: p})
			if err != nil {
				return nil, err
			}
			return &app.Connection{Gateway: c, Server: c.Server, Sandbox: c.Sandbox, Unencrypted: c.Unencrypted, Close: c.Close}, nil
		},
	}
	if v, err := desk.Vault(); err == nil {
		deps.CheckProxy = func(ctx context.Context, p vault.Profile) (service.ProxyStatus, error) {
			return service.CheckProxy(ctx, v, p)
		}
		// Kantor pusat: the profile's head_office section, its password from the keyring.
		deps.OpenHeadOffice = func(ctx context.Context, p vault.Profile) (app.HeadOffice, error) {
			c, err := hq.OpenProfile(ctx, v, p)
			if err != nil {
				return nil, err // (not a nil *hq.Client in an interface)
			}
			return c, nil
		}
	}
	deps.Sync = desk // the head office sender of the connected profile, for the header
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
