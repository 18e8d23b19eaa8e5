// CameraView: what it shows in each state (live frames, the still to review, an error),
// the device picker, and the state machine that switches between them.

package widgets

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"

	"kycdesk/kyc/camera"
)

// showFrame puts a preview frame on the canvas.
func (v *CameraView) showFrame(frame *image.RGBA) {
	if v.state == CameraStarting {
		v.setState(CameraPreview)
	}
	if v.state != CameraPreview {
		return
	}
	if a := float32(frame.Rect.Dx()) / float32(frame.Rect.Dy()); a != v.aspect {
		v.aspect = a
		v.overlay.aspect = a
		v.overlayBox.Refresh()
	}
	v.picture.Image = frame
	v.picture.Refresh()
	v.shown.Add(1)
}

// showReview shows the still (as a preview-size copy) for Accept / Retake.
func (v *CameraView) showReview(still image.Image, preview *image.RGBA) {
	if v.state != CameraPreview {
		return
	}
	v.still = still
	v.picture.Image = preview
	v.picture.Refresh()
	v.setState(CameraReview)
}

// showError shows a camera failure; the session has ended (or is ending) by itself.
func (v *CameraView) showError(err error) {
	v.sess = nil
	v.err = err
	v.still = nil
	v.picture.Image = nil
	v.picture.Refresh()
	v.setState(CameraError)
}

// setDevices fills the picker after a listing.
func (v *CameraView) setDevices(devs []camera.Device, id string) {
	v.devices = devs
	v.deviceID = id
	v.refreshOptions()
	v.apply()
}

func (v *CameraView) refreshOptions() {
	v.options = make([]string, len(v.devices))
	seen := map[string]int{}
	sel := -1
	for i, d := range v.devices {
		label := d.Name
		if best := d.Best(); best.Width > 0 {
			label = fmt.Sprintf("%s — %d×%d", d.Name, best.Width, best.Height)
		}
		if seen[label]++; seen[label] > 1 { // two identical webcams
			label = fmt.Sprintf("%s (%d)", label, seen[label])
		}
		v.options[i] = label
		if d.ID == v.deviceID {
			sel = i
		}
	}
	v.settingPicker = true
	v.picker.PlaceHolder = v.texts.Device
	v.picker.SetOptions(v.options)
	if sel >= 0 {
		v.picker.SetSelectedIndex(sel)
	} else {
		v.picker.ClearSelected()
	}
	v.settingPicker = false
}

// pickerChanged switches to the chosen camera and remembers it for this PC.
func (v *CameraView) pickerChanged(string) {
	if v.settingPicker {
		return
	}
	i := v.picker.SelectedIndex()
	if i < 0 || i >= len(v.devices) || v.devices[i].ID == v.deviceID {
		return
	}
	v.deviceID = v.devices[i].ID
	if v.prefs != nil && v.prefKey != "" {
		v.prefs.SetString(v.prefKey, v.deviceID)
	}
	v.stopSession()
	v.startSession()
}

func (v *CameraView) setState(s CameraState) {
	v.state = s
	v.apply()
}

// apply makes the widgets show the current state and texts.
func (v *CameraView) apply() {
	t := v.texts
	v.captureBtn.SetText(t.Capture)
	v.acceptBtn.SetText(t.Accept)
	v.retakeBtn.SetText(t.Retake)
	v.cancelBtn.SetText(t.Cancel)
	v.retryBtn.SetText(t.Retry)
	if v.kind == CameraIDCard {
		v.hint.SetText(t.HintID)
	} else {
		v.hint.SetText(t.HintSelfie)
	}

	s := v.state
	camShow(v.picker, len(v.devices) > 0 && s != CameraIdle)
	if s == CameraReview {
		v.picker.Disable()
	} else {
		v.picker.Enable()
	}
	camShow(v.hint, s == CameraPreview)
	camShow(v.captureBtn, s == CameraStarting || s == CameraPreview)
	if s == CameraPreview {
		v.captureBtn.Enable()
	} else {
		v.captureBtn.Disable()
	}
	camShow(v.acceptBtn, s == CameraReview)
	camShow(v.retakeBtn, s == CameraReview)
	camShow(v.overlayBox, s == CameraPreview)
	camShow(v.messagePane, s == CameraStarting || s == CameraError)
	camShow(v.retryBtn, s == CameraError)
	camShow(v.activity, s == CameraStarting)
	if s == CameraStarting {
		v.activity.Start()
		v.message.SetText(t.Starting)
	} else {
		v.activity.Stop()
	}
	if s == CameraError {
		v.message.SetText(t.message(v.err))
	}
}

// camShow sets an object's visibility, refreshing only on change.
func camShow(o fyne.CanvasObject, visible bool) {
	if visible && !o.Visible() {
		o.Show()
	} else if !visible && o.Visible() {
		o.Hide()
	}
}
