//go:build !linux && !darwin

package heifdec

import (
	"errors"
	"runtime"
)

// Native is not bound on this OS: Windows has no system libheif (its HEIF support is the Windows
// Imaging Component with Microsoft's HEIF/HEVC extensions, a different API), so the WASM backend
// decodes there.
func Native() (Decoder, error) {
	return nil, errors.New("heifdec: no native libheif binding on " + runtime.GOOS)
}
