//go:build !cgo || !(linux || windows || darwin) || nocamera

package camera

import (
	"context"
)

// Supported reports whether this build has a camera driver.
const Supported = false

// Default is the platform's camera Source: here one that has no camera. Builds without cgo, on
// other systems, or with the nocamera tag end up here; the app then hides its camera button.
func Default() Source { return unsupportedSource{} }

type unsupportedSource struct{}

func (unsupportedSource) List(ctx context.Context) ([]Device, error) {
	return nil, &Error{Kind: ErrUnsupported, Op: "list"}
}

func (unsupportedSource) Open(ctx context.Context, id string, want Mode) (Stream, error) {
	return nil, &Error{Kind: ErrUnsupported, Op: "open"}
}
