package camera

import "errors"

// The failure classes the UI distinguishes, each with its own advice for the clerk. Test with
// errors.Is; the concrete error is usually an *Error carrying the driver's cause.
var (
	// ErrNoCamera: no camera with that ID (none plugged in, or it was unplugged before Open).
	ErrNoCamera = errors.New("camera: no camera found")
	// ErrPermission: the OS refused access (Linux: not in the "video" group; Windows/macOS:
	// camera access turned off in the privacy settings).
	ErrPermission = errors.New("camera: permission denied")
	// ErrBusy: another application is using the camera.
	ErrBusy = errors.New("camera: in use by another application")
	// ErrUnplugged: the camera went away or stopped sending frames during capture.
	ErrUnplugged = errors.New("camera: disconnected")
	// ErrUnsupported: this build has no camera driver for this platform.
	ErrUnsupported = errors.New("camera: not supported on this platform")
	// ErrOpen: the camera could not be started for a reason the driver does not classify.
	ErrOpen = errors.New("camera: could not be started")
	// ErrClosed: the stream was closed (Close, or the Open context was cancelled).
	ErrClosed = errors.New("camera: stream closed")
)

// Error is a classified camera failure: errors.Is(err, Kind) holds, and errors.As/Unwrap reach
// the driver's own error. Messages carry device names at most, never image data.
type Error struct {
	Kind error  // one of the Err* sentinels above
	Op   string // "list", "open", "read", "close"
	Err  error  // the driver's error, may be nil
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Op != "" {
		s += " (" + e.Op + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes both the class and the cause to errors.Is/As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// wrap classifies err as kind unless it already carries a class.
func wrap(kind error, op string, err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

// Classify returns the sentinel err belongs to (ErrOpen when it has none), for code that maps
// errors to messages with a switch.
func Classify(err error) error {
	for _, k := range []error{ErrNoCamera, ErrPermission, ErrBusy, ErrUnplugged, ErrUnsupported, ErrClosed, ErrOpen} {
		if errors.Is(err, k) {
			return k
		}
	}
	return ErrOpen
}
