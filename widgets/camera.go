package widgets

import (
	"image"
	"image/color"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/kyc/camera"
)

// CameraKind selects the framing guide and the preview's mirroring.
type CameraKind int

const (
	// CameraSelfie: an oval for the face; the preview is mirrored, as people expect of a
	// camera facing them (the capture is not).
	CameraSelfie CameraKind = iota
	// CameraIDCard: a frame with the eKTP's 85.6 × 54 mm proportions; never mirrored, so the
	// card's text reads normally.
	CameraIDCard
)

// CameraState is what a CameraView currently shows.
type CameraState int

// The states of a CameraView.
const (
	CameraIdle     CameraState = iota // not started, or closed
	CameraStarting                    // listing and opening the camera
	CameraPreview                     // live preview; Capture available
	CameraReview                      // a still is shown for Accept / Retake
	CameraError                       // a message and Try again
)

// Preview size bounds: enough for a sharp picture in the image zone, small enough that the
// per-frame conversion and texture upload stay cheap.
const (
	camPreviewMaxW = 640
	camPreviewMaxH = 480
)

// CameraView is the image zone's camera mode: a live preview with a framing guide, a camera
// picker remembered per PC, Capture (Space or Enter), then Accept / Retake. Accept hands the
// full-resolution still to OnCapture, which the app runs through kyc/photo like a dropped file.
//
// Frames are read and converted in the view's own goroutine (camera_session.go); only the
// latest frame is kept, and a frame is dropped while the previous one has not reached the
// screen, so a slow UI never builds a queue. Camera errors are shown inside the view with Try
// again; the rest of the screen (Open / Paste) is unaffected. The camera is released on
// Accept, Cancel and Close.
//
// All methods must be called on the UI goroutine; OnCapture and OnCancel are called there.
type CameraView struct {
	widget.BaseWidget

	// OnCapture receives the accepted still: full resolution (up to 1920×1080), upright and
	// not mirrored. The view has released the camera.
	OnCapture func(img image.Image)
	// OnCancel is called when the clerk leaves camera mode (Cancel, or Escape during the
	// preview); the view has released the camera.
	OnCancel func()

	src     camera.Source
	kind    CameraKind
	prefs   fyne.Preferences
	prefKey string
	texts   CameraTexts

	state    CameraState
	err      error           // the error shown in CameraError
	devices  []camera.Device // as last listed
	options  []string        // picker labels, parallel to devices
	deviceID string          // the camera in use, or to use ("" = remembered or first)
	still    image.Image     // the capture under review
	aspect   float32         // picture aspect of the current stream, for the guides

	sess      *cameraSession  // the running session; nil when idle
	lastEnded <-chan struct{} // closed when the last session started has ended
	shown     atomic.Int64    // frames that reached the canvas (tests and measurements)

	// do applies a goroutine's result on the UI goroutine (fyne.Do; a seam for tests).
	do func(func())

	content       fyne.CanvasObject
	picture       *canvas.Image
	overlay       *cameraOverlay
	overlayBox    *fyne.Container
	messagePane   *fyne.Container
	message       *widget.Label
	activity      *widget.Activity
	hint          *widget.Label
	picker        *widget.Select
	captureBtn    *widget.Button
	acceptBtn     *widget.Button
	retakeBtn     *widget.Button
	cancelBtn     *widget.Button
	retryBtn      *widget.Button
	settingPicker bool // the view itself is changing the picker's selection
}

// NewCameraView returns an idle view over src; Start begins the preview. prefs and prefKey
// (e.g. "camera.device") remember the chosen camera on this PC; prefs may be nil.
func NewCameraView(src camera.Source, kind CameraKind, prefs fyne.Preferences, prefKey string) *CameraView {
	v := &CameraView{src: src, kind: kind, prefs: prefs, prefKey: prefKey, texts: DefaultCameraTexts(), do: Do}
	v.ExtendBaseWidget(v)
	v.build()
	v.apply()
	return v
}

func (v *CameraView) build() {
	backdrop := canvas.NewRectangle(color.Black)
	backdrop.SetMinSize(fyne.NewSize(320, 240))
	v.picture = canvas.NewImageFromImage(nil)
	v.picture.FillMode = canvas.ImageFillContain
	v.picture.ScaleMode = canvas.ImageScaleFastest // already downscaled: no filter pass per frame
	v.overlay, v.overlayBox = newCameraOverlay()
	v.overlay.kind = v.kind

	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Alignment = fyne.TextAlignCenter
	v.activity = widget.NewActivity()
	v.retryBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), v.Start)
	v.messagePane = container.NewStack(
		canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)),
		container.NewPadded(container.NewVBox(layout.NewSpacer(), container.NewCenter(v.activity),
			v.message, container.NewCenter(v.retryBtn), layout.NewSpacer())))

	v.hint = widget.NewLabel("")
	v.hint.Wrapping = fyne.TextWrapWord
	v.hint.Alignment = fyne.TextAlignCenter

	v.picker = widget.NewSelect(nil, v.pickerChanged)
	v.captureBtn = widget.NewButtonWithIcon("", theme.MediaPhotoIcon(), v.Capture)
	v.captureBtn.Importance = widget.HighImportance
	v.acceptBtn = widget.NewButtonWithIcon("", theme.ConfirmIcon(), v.Accept)
	v.acceptBtn.Importance = widget.HighImportance
	v.retakeBtn = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), v.Retake)
	v.cancelBtn = widget.NewButtonWithIcon("", theme.CancelIcon(), v.Cancel)

	stage := container.NewStack(backdrop, v.picture, v.overlayBox, v.messagePane)
	buttons := container.NewHBox(v.cancelBtn, layout.NewSpacer(), v.retakeBtn, v.captureBtn, v.acceptBtn)
	v.content = container.NewBorder(v.picker, container.NewVBox(v.hint, buttons), nil, nil, stage)
}

// CreateRenderer implements fyne.Widget.
func (v *CameraView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// State is what the view shows now.
func (v *CameraView) State() CameraState { return v.state }

// Err is the camera error shown in CameraError (test it with errors.Is against camera.Err*).
func (v *CameraView) Err() error { return v.err }

// Still is the capture under review (CameraReview), else nil.
func (v *CameraView) Still() image.Image { return v.still }

// Released is closed once every goroutine of the view has ended and the camera is released:
// after Close, Accept or Cancel, or after an error. Never wait for it on the UI goroutine.
func (v *CameraView) Released() <-chan struct{} {
	if v.lastEnded == nil {
		c := make(chan struct{})
		close(c)
		return c
	}
	return v.lastEnded
}

// SetTexts replaces the user-visible strings; empty fields keep the English defaults.
func (v *CameraView) SetTexts(t CameraTexts) {
	v.texts = t.withDefaults()
	v.apply()
	v.refreshOptions()
}

// SetKind switches the framing guide and the preview's mirroring (from the next frame).
func (v *CameraView) SetKind(k CameraKind) {
	v.kind = k
	v.overlay.kind = k
	if v.sess != nil {
		v.sess.mirror.Store(k == CameraSelfie)
	}
	v.overlayBox.Refresh()
	v.apply()
}

// Start lists the cameras and starts the preview from the remembered camera (or the first).
// Calling it again restarts (this is what Try again does).
func (v *CameraView) Start() {
	v.stopSession()
	if v.deviceID == "" && v.prefs != nil && v.prefKey != "" {
		v.deviceID = v.prefs.String(v.prefKey)
	}
	v.startSession()
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(v); c != nil {
			c.Focus(v) // so that Space / Enter capture without reaching for the mouse
		}
	}
}

// Close stops the preview and releases the camera in the background; it never blocks. The
// view can be started again.
func (v *CameraView) Close() {
	v.stopSession()
	v.still = nil
	v.err = nil
	v.picture.Image = nil
	v.picture.Refresh()
	v.setState(CameraIdle)
}

// Capture takes the next frame as the still and shows it for review.
func (v *CameraView) Capture() {
	if v.state != CameraPreview || v.sess == nil {
		return
	}
	v.sess.capture.Store(true)
	v.captureBtn.Disable() // until the still arrives: one press, one capture
}

// Accept hands the still to OnCapture and releases the camera.
func (v *CameraView) Accept() {
	if v.state != CameraReview || v.still == nil {
		return
	}
	img := v.still
	v.Close()
	if v.OnCapture != nil {
		v.OnCapture(img)
	}
}

// Retake drops the still and resumes the preview.
func (v *CameraView) Retake() {
	if v.state != CameraReview || v.sess == nil {
		return
	}
	v.still = nil
	v.setState(CameraPreview)
	select {
	case v.sess.resume <- struct{}{}:
	default: // already resuming
	}
}

// Cancel leaves camera mode: releases the camera and calls OnCancel.
func (v *CameraView) Cancel() {
	v.Close()
	if v.OnCancel != nil {
		v.OnCancel()
	}
}

// FocusGained implements fyne.Focusable.
func (v *CameraView) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (v *CameraView) FocusLost() {}

// TypedRune implements fyne.Focusable.
func (v *CameraView) TypedRune(rune) {}

// TypedKey implements fyne.Focusable: Space or Enter captures (and Enter accepts a still),
// Escape retakes a still or leaves camera mode.
func (v *CameraView) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeySpace:
		v.Capture()
	case fyne.KeyReturn, fyne.KeyEnter:
		if v.state == CameraReview {
			v.Accept()
		} else {
			v.Capture()
		}
	case fyne.KeyEscape:
		if v.state == CameraReview {
			v.Retake()
		} else {
			v.Cancel()
		}
	}
}
