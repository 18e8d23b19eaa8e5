//go:build windows || (cgo && ((linux && !android) || (darwin && !ios)))

package widgets

import (
	"sync"

	"golang.design/x/clipboard"
)

var (
	clipInitOnce sync.Once
	clipInitErr  error
)

// platformClipboardImage reads a PNG image from the system clipboard through
// golang.design/x/clipboard. Init opens its own X11 connection on Linux (libX11 is
// loaded at run time); it fails cleanly under Wayland without XWayland or with no
// display, and then only path pasting works.
func platformClipboardImage() ([]byte, error) {
	clipInitOnce.Do(func() { clipInitErr = clipboard.Init() })
	if clipInitErr != nil {
		return nil, ErrNoClipboardImage
	}
	return clipboard.Read(clipboard.FmtImage), nil
}
