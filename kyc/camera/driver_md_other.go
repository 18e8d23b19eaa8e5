//go:build cgo && (windows || darwin) && !nocamera

package camera

import (
	"regexp"
	"strings"
)

// rescanOnList is false: the DirectShow and AVFoundation drivers' Initialize only adds, so
// calling it again would list every camera twice. Cameras plugged in after start-up appear on
// the next start.
const rescanOnList = false

// classifyOpen maps the drivers' error texts, which carry no codes: DirectShow's "failed to
// enum device" means the camera is not there any more; AVFoundation reports authorisation
// problems in words. Anything else is ErrOpen, whose advice covers busy and privacy settings.
func classifyOpen(err error) error {
	s := strings.ToLower(err.Error())
	switch {
	case strings.Contains(s, "denied"), strings.Contains(s, "not authorized"), strings.Contains(s, "authoriz"):
		return ErrPermission
	case strings.Contains(s, "in use"), strings.Contains(s, "busy"):
		return ErrBusy
	case strings.Contains(s, "enum device"), strings.Contains(s, "no device"), strings.Contains(s, "not found"):
		return ErrNoCamera
	}
	return ErrOpen
}

func classifyRead(err error) error { return wrap(ErrUnplugged, "read", err) }

var vidPid = regexp.MustCompile(`(?i)vid_([0-9a-f]{4})&pid_([0-9a-f]{4})`)

// prettyLabel: DirectShow gives a moniker path such as
// `@device:pnp:\\?\usb#vid_046d&pid_0825&mi_00#…`; show the USB IDs rather than the path.
func prettyLabel(label string) string {
	if m := vidPid.FindStringSubmatch(label); m != nil {
		return "USB camera " + strings.ToLower(m[1]) + ":" + strings.ToLower(m[2])
	}
	if label == "" {
		return "Camera"
	}
	return label
}
