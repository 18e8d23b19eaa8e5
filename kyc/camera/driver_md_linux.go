//go:build cgo && linux && !nocamera

package camera

import (
	"errors"
	"strings"
	"syscall"

	mdcamera "github.com/pion/mediadevices/pkg/driver/camera"
)

// rescanOnList: the V4L2 driver's Initialize clears and re-registers, so it is safe to call again.
const rescanOnList = true

// classifyOpen maps V4L2 open/format/stream-on errors (errno values) to our classes.
func classifyOpen(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EACCES, syscall.EPERM:
			return ErrPermission // not in the "video" group, or a sandbox denies the device
		case syscall.EBUSY:
			return ErrBusy
		case syscall.ENOSPC:
			return ErrBusy // USB bandwidth taken by another camera on the same bus
		case syscall.ENOENT, syscall.ENODEV, syscall.ENXIO:
			return ErrNoCamera
		}
	}
	return ErrOpen
}

// classifyRead: every read failure during capture means the camera is gone or stalled (ENODEV
// after an unplug, the driver's 5 s read timeout).
func classifyRead(err error) error { return wrap(ErrUnplugged, "read", err) }

// prettyLabel turns "usb-Vendor_Camera-video-index0;video0" into "Vendor Camera".
func prettyLabel(label string) string {
	name, _, _ := strings.Cut(label, mdcamera.LabelSeparator)
	name = strings.TrimPrefix(name, "usb-")
	if i := strings.Index(name, "-video-index"); i > 0 {
		name = name[:i]
	}
	name = strings.ReplaceAll(name, "_", " ")
	if name == "" {
		return label
	}
	return name
}
