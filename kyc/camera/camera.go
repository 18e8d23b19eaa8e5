// Package camera captures stills from a webcam for the eKTP and the selfie.
//
// The rest of the app only sees the small Source/Stream interfaces below, so that every screen
// and widget can be tested with the fake in camera/cameratest. The real driver (driver_md.go)
// wraps github.com/pion/mediadevices' camera driver: V4L2 on Linux, DirectShow on Windows,
// AVFoundation on macOS. Where that driver cannot be built (no cgo, another OS) the package still
// compiles with a Source that reports ErrUnsupported, and the app simply hides its camera button.
//
// This package imports no Fyne: frame conversion for the preview lives here too (convert.go),
// the widget only puts the result on the canvas.
package camera

import (
	"context"
	"fmt"
	"image"
	"time"
)

// Mode is one capture format a camera offers.
type Mode struct {
	Width  int
	Height int
	FPS    float64 // 0 when the driver does not say (Windows DirectShow)
	Format string  // pixel format as the driver names it: "YUYV", "NV12", "MJPEG", …
}

// Pixels is the frame area, the main criterion when choosing a mode.
func (m Mode) Pixels() int { return m.Width * m.Height }

// String is what the camera picker shows: "1920×1080" (plus the frame rate when known).
func (m Mode) String() string {
	if m.Width == 0 || m.Height == 0 {
		return "?"
	}
	if m.FPS > 0 {
		return fmt.Sprintf("%d×%d %g fps", m.Width, m.Height, m.FPS)
	}
	return fmt.Sprintf("%d×%d", m.Width, m.Height)
}

// Device is one camera found on this PC.
type Device struct {
	// ID is stable across restarts (a V4L2 by-id/by-path name, a DirectShow moniker, an
	// AVFoundation unique ID), so it can be remembered in the preferences.
	ID   string
	Name string // for people: "HD Webcam C270"
	// Modes the camera offers. Empty when the camera could not be opened to ask it (most often:
	// permission denied); Open then returns the reason.
	Modes []Mode
}

// Best is the mode Open would choose by default (zero Mode when none is known).
func (d Device) Best() Mode { return BestMode(d.Modes, Mode{}) }

// Source finds and opens cameras.
type Source interface {
	// List returns the cameras present now. No camera is not an error: an empty list, nil error.
	List(ctx context.Context) ([]Device, error)
	// Open starts capturing from the camera with that ID ("" = the first one) in the best mode
	// within want (see BestMode; a zero want means up to 1920×1080). Errors wrap ErrNoCamera,
	// ErrPermission, ErrBusy, ErrUnsupported or ErrOpen. The stream is also closed — and the
	// camera released — when ctx is cancelled.
	Open(ctx context.Context, id string, want Mode) (Stream, error)
}

// Stream is a running camera.
type Stream interface {
	// Next blocks until the next frame and returns it at full resolution. The image belongs to
	// the stream and stays valid only until the next call to Next or Close: copy it (Clone) to
	// keep it. Frames that arrive while nobody calls Next are dropped, never queued, so a slow
	// consumer always gets a recent frame. When the camera goes away Next returns an error
	// wrapping ErrUnplugged; after Close or a cancelled Open context, ErrClosed; when ctx is
	// cancelled, ctx.Err() (the stream stays usable). Only one goroutine may call Next.
	Next(ctx context.Context) (image.Image, error)
	// Mode is the mode actually being captured.
	Mode() Mode
	// Close stops capturing and releases the camera. It may block for up to one frame interval
	// (or a driver's read timeout when the camera has stalled), so UI code calls it from a
	// goroutine. Safe to call more than once and from any goroutine.
	Close() error
}

// availableTimeout bounds Available: listing must never hold up the screen that asks.
const availableTimeout = 3 * time.Second

// Available reports whether src has at least one camera, for showing or hiding the camera
// button. Any error (unsupported platform, driver failure, timeout) counts as "no camera": the
// other ways of bringing an image in keep working. Call it from a goroutine, not a UI callback:
// on some drivers listing opens each device.
func Available(ctx context.Context, src Source) bool {
	if src == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, availableTimeout)
	defer cancel()
	type result struct {
		n   int
		err error
	}
	ch := make(chan result, 1) // buffered: a driver stuck past the timeout must not leak a blocked send
	go func() {
		devs, err := src.List(ctx)
		ch <- result{len(devs), err}
	}()
	select {
	case r := <-ch:
		return r.err == nil && r.n > 0
	case <-ctx.Done():
		return false
	}
}
