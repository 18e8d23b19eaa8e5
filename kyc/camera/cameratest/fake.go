// Package cameratest provides a fake camera.Source that feeds frames made from a still image,
// with scripted failures, so that widgets and flows can be tested on machines without a camera.
// Its streams go through camera.NewReaderStream, the same code as the real driver's.
package cameratest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"image"
	"image/color"
	"image/png"
	"sync"
	"time"

	"github.com/disintegration/imaging"

	"kycdesk/kyc/camera"
)

//go:embed testdata/sample-selfie-astronaut.png
var selfiePNG []byte

var (
	selfieOnce sync.Once
	selfieImg  image.Image
)

// Selfie is the sample selfie (512×512, NASA astronaut portrait, public domain).
func Selfie() image.Image {
	selfieOnce.Do(func() {
		img, err := png.Decode(bytes.NewReader(selfiePNG))
		if err != nil {
			panic("cameratest: embedded sample selfie: " + err.Error())
		}
		selfieImg = img
	})
	return selfieImg
}

// ErrFakeUnplug is the driver-level error a fake stream's read fails with when scripted to
// unplug; streams report it wrapped in camera.ErrUnplugged.
var ErrFakeUnplug = errors.New("cameratest: device removed")

// DefaultDevice is the one camera New offers: a 1080p webcam with a slow uncompressed 1080p
// mode, as many USB 2 cameras have, so that BestMode's choice is exercised.
func DefaultDevice(fps float64) camera.Device {
	return camera.Device{ID: "fake-cam-0", Name: "Fake Camera", Modes: []camera.Mode{
		{Width: 640, Height: 480, FPS: fps, Format: "YUYV"},
		{Width: 1280, Height: 720, FPS: fps, Format: "YUYV"},
		{Width: 1920, Height: 1080, FPS: fps, Format: "YUYV"},
		{Width: 3840, Height: 2160, FPS: fps, Format: "MJPEG"},
	}}
}

// Source is a scriptable fake camera. Set its fields before use; they are read under its lock,
// so a test may also change them between opens.
type Source struct {
	mu sync.Mutex
	// Devices is what List returns.
	Devices []camera.Device
	// ListErr, when set, is returned by List.
	ListErr error
	// OpenErr, when set, is returned by Open (e.g. camera.ErrPermission, camera.ErrBusy).
	OpenErr error
	// OpenDelay makes Open take this long (honouring ctx), like a real camera starting up.
	OpenDelay time.Duration
	// UnplugAfter > 0: the stream's read fails with ErrFakeUnplug after that many frames.
	UnplugAfter int
	// StallAfter > 0: the stream silently stops delivering after that many frames, as
	// DirectShow does when a camera is pulled out; the stream's watchdog must notice.
	StallAfter int
	// NeverStart: the stream opens but no frame ever comes (a camera held by another program
	// under DirectShow); the stream's watchdog must report camera.ErrBusy.
	NeverStart bool
	// FrameTimeout is passed to the stream (0: camera.DefaultFrameTimeout).
	FrameTimeout time.Duration

	img    image.Image
	fps    float64
	frames map[camera.Mode][]byte // YUYV, built once per mode

	opened, active, delivered int
	lastID                    string
}

// New returns a fake with one camera (DefaultDevice) showing img at fps frames per second.
func New(img image.Image, fps float64) *Source {
	if fps <= 0 {
		fps = 30
	}
	return &Source{Devices: []camera.Device{DefaultDevice(fps)}, img: img, fps: fps, frames: map[camera.Mode][]byte{}}
}

// List implements camera.Source.
func (s *Source) List(ctx context.Context) ([]camera.Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ListErr != nil {
		return nil, s.ListErr
	}
	out := make([]camera.Device, len(s.Devices))
	copy(out, s.Devices)
	return out, nil
}

// Open implements camera.Source.
func (s *Source) Open(ctx context.Context, id string, want camera.Mode) (camera.Stream, error) {
	s.mu.Lock()
	delay, openErr := s.OpenDelay, s.OpenErr
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if openErr != nil {
		return nil, &camera.Error{Kind: camera.Classify(openErr), Op: "open", Err: openErr}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dev, ok := s.find(id)
	if !ok {
		return nil, &camera.Error{Kind: camera.ErrNoCamera, Op: "open"}
	}
	mode := camera.BestMode(dev.Modes, want)
	buf := s.frameFor(mode)
	st := &fakeReader{src: s, buf: buf, mode: mode, interval: time.Duration(float64(time.Second) / s.fps),
		unplugAfter: s.UnplugAfter, stallAfter: s.StallAfter, neverStart: s.NeverStart, closed: make(chan struct{})}
	s.opened++
	s.active++
	s.lastID = dev.ID
	return camera.NewReaderStream(ctx, camera.ReaderConfig{
		Mode: mode, Read: st.read, Close: st.close, FrameTimeout: s.FrameTimeout,
	}), nil
}

func (s *Source) find(id string) (camera.Device, bool) {
	for _, d := range s.Devices {
		if id == "" || d.ID == id {
			return d, true
		}
	}
	return camera.Device{}, false
}

// frameFor renders the image into a frame of the mode's size — filling it, as a person close to
// a webcam does, anchored at the top so that a portrait keeps its head — packed as YUYV.
func (s *Source) frameFor(m camera.Mode) []byte {
	if b, ok := s.frames[m]; ok {
		return b
	}
	var frame image.Image = subImage{image.NewUniform(color.RGBA{0x80, 0x80, 0x80, 0xff}), image.Rect(0, 0, m.Width, m.Height)}
	if s.img != nil {
		frame = imaging.Fill(s.img, m.Width, m.Height, imaging.Top, imaging.Linear)
	}
	b, _, _ := camera.EncodeYUYV(frame)
	s.frames[m] = b
	return b
}

// Opened is how many streams were opened; Active how many are not yet released; Delivered how
// many frames all streams have produced.
func (s *Source) Opened() int    { s.mu.Lock(); defer s.mu.Unlock(); return s.opened }
func (s *Source) Active() int    { s.mu.Lock(); defer s.mu.Unlock(); return s.active }
func (s *Source) Delivered() int { s.mu.Lock(); defer s.mu.Unlock(); return s.delivered }

// LastOpenedID is the ID of the camera most recently opened.
func (s *Source) LastOpenedID() string { s.mu.Lock(); defer s.mu.Unlock(); return s.lastID }

// Set changes the scripted behaviour under the source's lock (for tests that change it while
// a view may be using the source).
func (s *Source) Set(f func(s *Source)) { s.mu.Lock(); defer s.mu.Unlock(); f(s) }

// WaitReleased waits until every stream has been released, or the timeout passes.
func (s *Source) WaitReleased(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for s.Active() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// subImage bounds an infinite image.
type subImage struct {
	image.Image
	r image.Rectangle
}

func (s subImage) Bounds() image.Rectangle { return s.r }

// fakeReader is the driver side of one fake stream.
type fakeReader struct {
	src         *Source
	buf         []byte
	mode        camera.Mode
	interval    time.Duration
	unplugAfter int
	stallAfter  int
	neverStart  bool

	n      int // frames read (only the pump goroutine touches n, next and img)
	next   time.Time
	img    *image.YCbCr
	closed chan struct{}
	once   sync.Once
}

func (r *fakeReader) read() (image.Image, error) {
	select {
	case <-r.closed:
		return nil, camera.ErrClosed
	default:
	}
	if r.unplugAfter > 0 && r.n >= r.unplugAfter {
		return nil, ErrFakeUnplug
	}
	if r.neverStart || (r.stallAfter > 0 && r.n >= r.stallAfter) {
		<-r.closed // silence until someone closes the device
		return nil, camera.ErrClosed
	}
	// Pace like a sensor: one frame per interval, however fast we are asked.
	now := time.Now()
	if r.next.IsZero() || r.next.Before(now.Add(-r.interval)) {
		r.next = now // first frame, or we fell behind: do not burst to catch up
	}
	if wait := r.next.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-r.closed:
			t.Stop()
			return nil, camera.ErrClosed
		}
	}
	r.next = r.next.Add(r.interval)
	img, err := camera.DecodeYUYV(r.img, r.buf, r.mode.Width, r.mode.Height)
	if err != nil {
		return nil, err
	}
	r.img = img
	r.n++
	r.src.mu.Lock()
	r.src.delivered++
	r.src.mu.Unlock()
	return img, nil
}

func (r *fakeReader) close() error {
	r.once.Do(func() {
		close(r.closed)
		r.src.mu.Lock()
		r.src.active--
		r.src.mu.Unlock()
	})
	return nil
}
