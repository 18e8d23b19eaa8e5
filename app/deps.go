package app

import (
	"context"
	"io"
	"time"

	"fyne.io/fyne/v2"

	"kycdesk/kyc"
	"kycdesk/kyc/camera"
	"kycdesk/kyc/history"
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
	// Unencrypted is true for a plain http:// server on another machine: the header
	// says so for as long as the profile is in use.
	Unencrypted bool
	Close       func()
}

// History is what the history screen reads (history.Store in production).
type History interface {
	List(ctx context.Context, f history.Filter) (history.Page, error)
	Count(ctx context.Context, f history.Filter) (int, error)
	Get(ctx context.Context, id int64, personal bool) (history.Record, error)
	Export(ctx context.Context, w io.Writer, opt history.ExportOptions) (int, error)
}

// Profiles is the settings screen's view of the vault (vault.Vault in production).
type Profiles interface {
	Snapshot() (vault.Snapshot, error)
	SetActive(name string) error
	SaveProfile(p vault.Profile) error
	RemoveProfile(name string) error
	SetToken(ctx context.Context, profile, raw string) error
	ClearToken(ctx context.Context, profile string) (bool, error)
	TokenStatus(ctx context.Context, profile string) (vault.TokenStatus, error)
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
	// LoadSettings and SaveSettings read and write the history settings shared with the
	// headless commands (service.Settings in the data directory); nil hides nothing, the
	// settings then are not saved. Both do file I/O: the app calls them off the UI goroutine.
	LoadSettings func() service.Settings
	SaveSettings func(service.Settings) error
	// NewRef generates a customer reference; nil uses kyc.NewRefNo.
	NewRef func() string
	// OnStarted is called once the window is up (main restores the window's size and
	// position there); OnClose before it closes (main saves them). Both run on the UI
	// goroutine; nil does nothing.
	OnStarted func(fyne.Window)
	OnClose   func(fyne.Window)
	// ConsentPolicy says whether each customer's consent must be confirmed before the
	// first paid call, and with which text (the merchant's setting). nil: required, with
	// the default text. It is called on the UI goroutine and must not do I/O.
	ConsentPolicy func() ConsentPolicy
	// WithConsent attaches a customer's recorded consent to a call's context, so the
	// history records it with the call; nil records nothing.
	WithConsent func(context.Context, Consent) context.Context
	// UIMap, when set, names a file the app keeps writing its controls' places to, for
	// the walkthrough script (make walkthrough); see uimap.go.
	UIMap string
	// OSUser names the person signed in to the PC (recorded with the consent); nil uses
	// the process's user.
	OSUser func() string
}

// ConsentPolicy is the merchant's consent setting.
type ConsentPolicy struct {
	Required bool
	Text     string // what the clerk reads to the customer
	Version  string // which text it was, recorded with each call
}

// Consent is one customer's confirmed consent: when, to which text, confirmed by whom.
type Consent struct {
	At      time.Time
	Version string
	Text    string
	User    string
}
