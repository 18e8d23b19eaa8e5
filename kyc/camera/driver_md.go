//go:build cgo && (linux || windows || darwin) && !nocamera

package camera

import (
	"context"
	"errors"
	"image"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pion/mediadevices/pkg/driver"
	mdcamera "github.com/pion/mediadevices/pkg/driver/camera"
	"github.com/pion/mediadevices/pkg/frame"
	"github.com/pion/mediadevices/pkg/prop"
)

// The real driver: github.com/pion/mediadevices' camera driver package only (not the WebRTC
// stack around it). Importing it registers the cameras present at start-up (its init); List
// rescans where the driver supports it (Linux).
//
// The driver objects keep a small state machine (closed → opened → running) that is not safe
// for two users, so one mutex serialises probing and opening, and a camera this app is already
// streaming from is reported busy instead of being re-opened.

// Supported reports whether this build has a camera driver.
const Supported = true

// Default is the platform's camera Source.
func Default() Source { return defaultSource }

var defaultSource = &mdSource{inUse: map[string]bool{}, known: map[string]Device{}}

type mdSource struct {
	mu    sync.Mutex
	inUse map[string]bool   // driver label → streaming now
	known map[string]Device // last listing, reused for cameras in use (they cannot be probed)
}

// discardOlderThan: after a pause longer than this (review screen), the driver drops its queued
// frames, so the next preview and capture are of now rather than of when we last looked.
const discardOlderThan = 250 * time.Millisecond

func (s *mdSource) List(ctx context.Context) ([]Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rescanOnList && len(s.inUse) == 0 {
		mdcamera.Initialize() // pick up cameras plugged in since start-up
	}
	var out []Device
	seen := map[string]bool{}
	for _, d := range cameras() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		label := d.Info().Label
		if seen[label] {
			continue
		}
		seen[label] = true
		if s.inUse[label] {
			if dev, ok := s.known[label]; ok {
				out = append(out, dev)
			}
			continue
		}
		dev := Device{ID: label, Name: displayName(d.Info())}
		if err := d.Open(); err != nil {
			// A camera we may not open is still a camera: listing it lets Open explain why.
			// Other failures are nodes that are no cameras at all (V4L2 metadata nodes).
			if errors.Is(classifyOpen(err), ErrPermission) {
				out = append(out, dev)
			}
			continue
		}
		dev.Modes = modesOf(d.Properties())
		_ = d.Close()
		if len(dev.Modes) == 0 {
			continue // opens, but offers no format we can decode (metadata node, IR sensor)
		}
		s.known[label] = dev
		out = append(out, dev)
	}
	if out == nil {
		out = []Device{} // "no camera" is an empty list, not an error
	}
	return out, nil
}

// cameras returns the registered video drivers, the system's preferred camera first.
func cameras() []driver.Driver {
	ds := driver.GetManager().Query(driver.FilterAnd(driver.FilterVideoRecorder(), driver.FilterDeviceType(driver.Camera)))
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Info(), ds[j].Info()
		if a.Priority != b.Priority {
			return a.Priority > b.Priority
		}
		return a.Label < b.Label
	})
	return ds
}

func (s *mdSource) Open(ctx context.Context, id string, want Mode) (Stream, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var d driver.Driver
	for _, c := range cameras() {
		if id == "" || c.Info().Label == id {
			d = c
			break
		}
	}
	if d == nil {
		return nil, &Error{Kind: ErrNoCamera, Op: "open"}
	}
	label := d.Info().Label
	if s.inUse[label] {
		return nil, &Error{Kind: ErrBusy, Op: "open", Err: errors.New("already open in this application")}
	}
	if err := d.Open(); err != nil {
		return nil, wrap(classifyOpen(err), "open", err)
	}
	props := d.Properties()
	mode := BestMode(modesOf(props), want)
	p, ok := propFor(props, mode)
	if !ok {
		_ = d.Close()
		return nil, &Error{Kind: ErrOpen, Op: "open", Err: errors.New("no usable video format")}
	}
	p.DiscardFramesOlderThan = discardOlderThan
	rec, ok := d.(driver.VideoRecorder)
	if !ok {
		_ = d.Close()
		return nil, &Error{Kind: ErrOpen, Op: "open", Err: errors.New("not a video recorder")}
	}
	r, err := rec.VideoRecord(p) // closes the driver itself on error
	if err != nil {
		return nil, wrap(classifyOpen(err), "start", err)
	}
	if err := ctx.Err(); err != nil {
		_ = d.Close()
		return nil, err
	}
	s.inUse[label] = true

	var release func() // only the stream's reader goroutine touches it
	read := func() (image.Image, error) {
		if release != nil {
			release()
			release = nil
		}
		img, rel, err := r.Read()
		if err != nil {
			return nil, err
		}
		release = rel
		return img, nil
	}
	closeFn := func() error {
		err := d.Close()
		s.mu.Lock()
		delete(s.inUse, label)
		s.mu.Unlock()
		return err
	}
	return NewReaderStream(ctx, ReaderConfig{Mode: mode, Read: read, Close: closeFn, ReadError: classifyRead}), nil
}

// modesOf converts the driver's properties to Modes, dropping formats we cannot decode and
// duplicates.
func modesOf(props []prop.Media) []Mode {
	var out []Mode
	seen := map[Mode]bool{}
	for _, p := range props {
		if _, err := frame.NewDecoder(p.FrameFormat); err != nil || p.FrameFormat == frame.FormatZ16 {
			continue // Z16 is a depth map, not a picture
		}
		m := Mode{Width: p.Width, Height: p.Height, FPS: float64(p.FrameRate), Format: string(p.FrameFormat)}
		if m.Width <= 0 || m.Height <= 0 || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, m)
	}
	return out
}

func propFor(props []prop.Media, m Mode) (prop.Media, bool) {
	for _, p := range props {
		if p.Width == m.Width && p.Height == m.Height && string(p.FrameFormat) == m.Format && float64(p.FrameRate) == m.FPS {
			return p, true
		}
	}
	return prop.Media{}, false
}

// displayName makes the driver's names fit for a picker. Linux gives "name;bus info", Windows
// only a moniker path, macOS a proper name.
func displayName(info driver.Info) string {
	if name, _, _ := strings.Cut(info.Name, mdcamera.LabelSeparator); strings.TrimSpace(name) != "" {
		return strings.TrimSpace(name)
	}
	return prettyLabel(info.Label)
}
