package app

import (
	"context"
	"io"

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
	Close   func()
}

// History is what the history screen reads (history.Store in production).
type History interface {
	List(ctx context.Context, f history.Filter) (history.Page, error)
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
}
