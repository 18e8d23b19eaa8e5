package app

import (
	"context"
	"io"
	"time"

	"fyne.io/fyne/v2"

	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/history"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/service"
	"kycdesk/kyc/vault"
)

// Gateway runs the three products (service.Service in production, a fake in tests).
type Gateway interface {
	Liveness(context.Context, kyc.LivenessRequest) (*kyc.LivenessResult, error)
	Recognize(context.Context, kyc.RecognizeRequest) (*kyc.RecognizeResult, error)
	Validate(context.Context, kyc.ValidationRequest) (*kyc.ValidationResult, error)
}

// Connection is a gateway bound to one profile.
type Connection struct {
	Gateway
	Server  string // URL, or "sandbox"
	Sandbox bool
	// Unencrypted is true when the calls go over plain http to another machine (a
	// LAN gateway; loopback does not count): the window shows a persistent badge on
	// the profile ("tidak terenkripsi") for as long as this connection is in use.
	// service.ProfileUnencrypted(p) answers the same before connecting (profile lists).
	Unencrypted bool
	Close       func()
}

// History is what the history screen reads (service.Records in production: never
// nil; while the history cannot be opened every method returns an error saying why,
// a *service.UnavailableError). The production value also implements
// StartNewKeys, KeyStatus and Check (see service.Records).
type History interface {
	List(ctx context.Context, f history.Filter) (history.Page, error)
	Count(ctx context.Context, f history.Filter) (int, error)
	Get(ctx context.Context, id int64, personal bool) (history.Record, error)
	Export(ctx context.Context, w io.Writer, opt history.ExportOptions) (int, error)
}

// Profiles is the settings screen's view of the vault (vault.Vault in production): the
// service's profile store.
type Profiles = service.ProfileStore

// SettingsOwner is the one owner of the merchant's settings (service.Desk in
// production). Settings re-reads settings.json if another process saved it and
// reports, in SettingsState.Problem, settings that cannot be trusted (damaged,
// invalid, lost): the window then shows a banner with the problem and a repair
// action (the Settings form, which must ask for the retention rather than fill in
// a default, then SaveSettings). SaveSettings validates, writes crash-safely and
// applies at once (retention, photo keeping, consent); it returns a
// *service.SettingsError for a bad value. Both touch the disk: call them off the UI
// goroutine.
type SettingsOwner interface {
	Settings() service.SettingsState
	SaveSettings(ctx context.Context, s service.Settings) error
}

// ConsentSource gives the consent dialog what it shows (service.Desk in
// production). Before a customer's first paid call, when Required, the window shows
// Text (Version for the record), and on the clerk's confirmation keeps
// policy.Confirm() (a service.Consent: time, text, version, OS user) until the next
// customer, wrapping every call's context in service.WithConsent(ctx, consent). A
// call without it is refused (kind service.KindConsentRequired, nothing sent). The
// error (settings in doubt) means no paid call can be made until the settings are
// repaired.
type ConsentSource interface {
	ConsentPolicy() (service.ConsentPolicy, error)
}

// ProblemSource lists the standing problems for the window's banner (service.Desk in
// production): settings in doubt, history unavailable, damaged history set aside or
// found while running, history keys unavailable, data directory unusable. Each has a
// Code to translate and an English Message saying what to do. It may open the
// history: call it off the UI goroutine (at start, and after a call fails with
// history_unavailable or settings_invalid).
type ProblemSource interface {
	Problems(ctx context.Context) []service.Problem
}

// KeptPhotos opens the photos kept with a call (service.Records in production), for
// the History details: history.Record.Images lists the kinds kept; KeptImages
// decrypts them on demand (JPEG bytes, exactly what was sent). Off the UI goroutine.
type KeptPhotos interface {
	KeptImages(ctx context.Context, id int64) ([]history.KeptImage, error)
}

// HistoryExporter writes an export to a file crash-safely and owner-only
// (service.Records in production): the History screen's Export should pass the
// chosen file's path here instead of writing into the dialog's stream.
type HistoryExporter interface {
	ExportFile(ctx context.Context, path string, opt history.ExportOptions) (int, error)
}

// HeadOffice is what the Kantor pusat screen reads and does at head office (a
// *hq.Client in production, opened from the profile's head_office section; a fake in
// tests). Every method goes over the network: off the UI goroutine. Errors are
// *hqdb.Error (a Code the screen translates); Resolve needs a kyc_hq_write login and
// otherwise fails with hqdb.CodeDenied.
type HeadOffice interface {
	Settings(ctx context.Context) (hq.Settings, error)
	Summary(ctx context.Context, f hq.Filter, by ...hq.Dimension) ([]hq.SummaryRow, error)
	CallsPerDay(ctx context.Context, f hq.Filter) ([]hq.SummaryRow, error)
	QuotaUse(ctx context.Context, f hq.Filter) ([]hq.QuotaDay, error)
	Unknowns(ctx context.Context, f hq.Filter, opt hq.UnknownOptions) ([]hq.Call, error)
	Resolve(ctx context.Context, k hq.CallKey, resolution, note string) error
	Counters(ctx context.Context) ([]hq.Counter, error)
	SilentCounters(ctx context.Context, quiet time.Duration) ([]hq.Counter, error)
	ExportCSV(ctx context.Context, w io.Writer, f hq.Filter) (int, error)
	Close()
}

// SyncSource is the counter's link to head office (service.Desk in production): the
// state of the sender of the connected profile, for the status line. OnSyncChange's
// function is called from other goroutines (the window wraps it in uiDo).
type SyncSource interface {
	SyncState() service.SyncState
	OnSyncChange(func(service.SyncState))
}

// Deps is everything the window needs from outside. main builds the real ones; tests
// pass fakes.
type Deps struct {
	Profiles Profiles
	History  History
	// Connect builds a gateway for a profile (starting the in-process sandbox for the
	// Sandbox profile). It may block (keyring, sockets): the app calls it off the UI
	// goroutine.
	Connect func(p vault.Profile) (*Connection, error)
	// Version is shown in About.
	Version string
	// StartProfile, if set, is used instead of the active profile at start.
	StartProfile string
	// Camera lists and opens webcams; nil hides the camera buttons.
	Camera camera.Source
	// Settings owns the settings: state, problems, validated live saving.
	Settings SettingsOwner
	// Consent gives the consent dialog its text and version.
	Consent ConsentSource
	// Problems lists the standing problems for the banner.
	Problems ProblemSource
	// Photos opens the photos kept with a call (History details).
	Photos KeptPhotos
	// Exporter writes history exports to files crash-safely.
	Exporter HistoryExporter
	// NewRef generates a customer reference; nil uses kyc.NewRefNo.
	NewRef func() string
	// OnStarted is called once the window is up (main restores the window's size and
	// position there); OnClose before it closes (main saves them). Both run on the UI
	// goroutine; nil does nothing.
	OnStarted func(fyne.Window)
	OnClose   func(fyne.Window)
	// CheckProxy says how calls to a profile's gateway would go (direct, or through
	// which proxy and its stored user); it may read the OS's settings and the keyring:
	// off the UI goroutine. nil shows no proxy status.
	CheckProxy func(ctx context.Context, p vault.Profile) (service.ProxyStatus, error)
	// UIMap, when set, names a file the app keeps writing its controls' places to, for
	// the walkthrough script (make walkthrough); see uimap.go.
	UIMap string
	// OpenHeadOffice connects to head office with a profile's head_office section (the
	// password from the keyring). It blocks (network): the app calls it off the UI
	// goroutine. nil, or a profile without the section, hides the Kantor pusat tab.
	OpenHeadOffice func(ctx context.Context, p vault.Profile) (HeadOffice, error)
	// Sync is the counter's head office sync, shown in the header while the connected
	// profile reports its calls; nil shows nothing.
	Sync SyncSource
}
