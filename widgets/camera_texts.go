package widgets

import (
	"errors"

	"kycdesk/kyc/camera"
)

// CameraTexts are the user-visible strings of a CameraView. The app passes them translated
// (Indonesian first); DefaultCameraTexts are English, and any field left empty falls back to
// its default. Every error text tells the clerk what to do next, and reminds them that Open /
// Paste still work.
type CameraTexts struct {
	Capture  string // "Ambil / Capture" button (also Space or Enter)
	Accept   string // keep the still
	Retake   string
	Cancel   string // leave camera mode
	Retry    string // shown with an error
	Device   string // the camera picker's placeholder
	Starting string // while the camera starts

	HintSelfie string // under the preview in selfie mode
	HintID     string // under the preview in eKTP mode

	NoCamera    string
	Permission  string
	Busy        string
	Unplugged   string
	Unsupported string
	Failed      string // anything else
}

// DefaultCameraTexts returns the English defaults.
func DefaultCameraTexts() CameraTexts {
	return CameraTexts{
		Capture:  "Capture",
		Accept:   "Use photo",
		Retake:   "Retake",
		Cancel:   "Cancel",
		Retry:    "Try again",
		Device:   "Camera",
		Starting: "Starting the camera…",

		HintSelfie: "Face inside the oval, looking at the camera. Space or Enter: capture.",
		HintID:     "eKTP inside the frame, flat and sharp, no glare. Space or Enter: capture.",

		NoCamera:    "No camera found. Connect a camera and try again, or use Open / Paste.",
		Permission:  "Access to the camera was refused. Allow camera access for this app in the system's privacy settings, then try again — or use Open / Paste.",
		Busy:        "The camera is in use by another program (a video call?). Close it, then try again — or use Open / Paste.",
		Unplugged:   "The camera was disconnected. Check its cable, then try again — or use Open / Paste.",
		Unsupported: "Camera capture is not available on this computer. Use Open / Paste.",
		Failed:      "The camera could not be started. Try again, or use Open / Paste.",
	}
}

// withDefaults fills empty fields from the English defaults.
func (t CameraTexts) withDefaults() CameraTexts {
	d := DefaultCameraTexts()
	for _, p := range []struct{ v, def *string }{
		{&t.Capture, &d.Capture}, {&t.Accept, &d.Accept}, {&t.Retake, &d.Retake}, {&t.Cancel, &d.Cancel},
		{&t.Retry, &d.Retry}, {&t.Device, &d.Device}, {&t.Starting, &d.Starting},
		{&t.HintSelfie, &d.HintSelfie}, {&t.HintID, &d.HintID},
		{&t.NoCamera, &d.NoCamera}, {&t.Permission, &d.Permission}, {&t.Busy, &d.Busy},
		{&t.Unplugged, &d.Unplugged}, {&t.Unsupported, &d.Unsupported}, {&t.Failed, &d.Failed},
	} {
		if *p.v == "" {
			*p.v = *p.def
		}
	}
	return t
}

// message is the text for a camera error.
func (t CameraTexts) message(err error) string {
	switch {
	case errors.Is(err, camera.ErrNoCamera):
		return t.NoCamera
	case errors.Is(err, camera.ErrPermission):
		return t.Permission
	case errors.Is(err, camera.ErrBusy):
		return t.Busy
	case errors.Is(err, camera.ErrUnplugged):
		return t.Unplugged
	case errors.Is(err, camera.ErrUnsupported):
		return t.Unsupported
	default:
		return t.Failed
	}
}
