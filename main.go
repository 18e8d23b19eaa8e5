// Command kycdesk is KYC Desk: without arguments the desktop app, with a command the
// headless tools (see `kycdesk help`).
package main

import (
	"errors"
	// First: repairs LANG=C.UTF-8 before Fyne's initialiser reads it (see the package).
	_ "kycdesk/app/locale"

	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"golang.org/x/term"

	"kycdesk/app"
	"kycdesk/app/instance"
	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/cli"
	"kycdesk/kyc/history"
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
	deps, closeDeps := guiDeps(a.Preferences(), *profile)
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

// guiDeps builds the window's real dependencies: the vault (profiles, keyring), the
// history and a Connect that reaches a profile's gateway through the history, exactly
// as the headless commands do (service.Connect). The history opens in the background
// (SQLite, migrations, its keys from the keyring) so the window shows at once; whatever
// needs it waits for it off the UI goroutine. A history that cannot be opened is not
// fatal to the window (it says so); calls then refuse to go out unrecorded.
func guiDeps(prefs fyne.Preferences, profile string) (app.Deps, func()) {
	deps := app.Deps{Version: kyc.Version, StartProfile: profile, Camera: camera.Default()}
	v, err := vault.New(vault.Options{})
	if err != nil {
		deps.Profiles = brokenProfiles{err}
		deps.Connect = func(vault.Profile) (*app.Connection, error) { return nil, err }
		return deps, func() {}
	}
	deps.Profiles = v
	mctx, stopMaintenance := context.WithCancel(context.Background())
	h := &lazyHistory{open: func() (*history.Store, error) {
		st := service.LoadSettings(v.Dir())
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		store, err := history.Open(ctx, history.Options{Dir: v.Dir(), Keys: v, Retention: st.Retention(),
			StoreImages: st.KeepImages})
		if err == nil {
			go store.RunMaintenance(mctx, 6*time.Hour, func(error) {})
		}
		return store, err
	}}
	deps.History = h
	deps.LoadSettings = func() service.Settings { return service.LoadSettings(v.Dir()) }
	deps.SaveSettings = func(s service.Settings) error { return service.SaveSettings(v.Dir(), s) }
	deps.Connect = func(p vault.Profile) (*app.Connection, error) {
		store, err := h.get()
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		c, err := service.Connect(v, store, service.Target{Profile: p, EnvToken: os.Getenv(vault.EnvToken),
			UserAgent: "KYCDesk/" + kyc.Version, KeepImages: service.LoadSettings(v.Dir()).KeepImages})
		if err != nil {
			return nil, err
		}
		return &app.Connection{Gateway: c, Server: c.Server, Sandbox: c.Sandbox, Unencrypted: c.Client.Unencrypted(), Close: c.Close}, nil
	}
	return deps, func() {
		stopMaintenance()
		if store, err := h.opened(); err == nil && store != nil {
			store.Close()
		}
	}
}

// lazyHistory opens the history on first use (the app connects once its window is up),
// so the window never waits for SQLite or the keyring. A failed open is tried again on
// the next use (a keyring prompt answered late, a database briefly locked by a command).
// Its methods are only called off the UI goroutine.
type lazyHistory struct {
	open  func() (*history.Store, error)
	mu    sync.Mutex
	store *history.Store
}

func (l *lazyHistory) get() (*history.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil {
		s, err := l.open()
		if err != nil {
			return nil, err
		}
		l.store = s
	}
	return l.store, nil
}

// opened returns the store if it was opened, without opening it.
func (l *lazyHistory) opened() (*history.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil {
		return nil, errors.New("history not opened")
	}
	return l.store, nil
}

func (l *lazyHistory) List(ctx context.Context, f history.Filter) (history.Page, error) {
	s, err := l.get()
	if err != nil {
		return history.Page{}, err
	}
	return s.List(ctx, f)
}

func (l *lazyHistory) Count(ctx context.Context, f history.Filter) (int, error) {
	s, err := l.get()
	if err != nil {
		return 0, err
	}
	return s.Count(ctx, f)
}

func (l *lazyHistory) Image(ctx context.Context, id int64, kind string) ([]byte, error) {
	s, err := l.get()
	if err != nil {
		return nil, err
	}
	return s.Image(ctx, id, kind)
}

func (l *lazyHistory) Get(ctx context.Context, id int64, personal bool) (history.Record, error) {
	s, err := l.get()
	if err != nil {
		return history.Record{}, err
	}
	return s.Get(ctx, id, personal)
}

func (l *lazyHistory) Export(ctx context.Context, w io.Writer, opt history.ExportOptions) (int, error) {
	s, err := l.get()
	if err != nil {
		return 0, err
	}
	return s.Export(ctx, w, opt)
}

func (l *lazyHistory) StartNewKeys(ctx context.Context) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.StartNewKeys(ctx)
}

// brokenProfiles reports why the data directory could not be used.
type brokenProfiles struct{ err error }

func (b brokenProfiles) Snapshot() (vault.Snapshot, error) { return vault.Snapshot{}, b.err }
func (b brokenProfiles) SetActive(string) error            { return b.err }
func (b brokenProfiles) SaveProfile(vault.Profile) error   { return b.err }
func (b brokenProfiles) RemoveProfile(string) error        { return b.err }
func (b brokenProfiles) SetToken(context.Context, string, string) error {
	return b.err
}
func (b brokenProfiles) ClearToken(context.Context, string) (bool, error) { return false, b.err }
func (b brokenProfiles) TokenStatus(context.Context, string) (vault.TokenStatus, error) {
	return vault.TokenStatus{}, b.err
}
