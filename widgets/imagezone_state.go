// ImageZone's states (empty, busy, preview, error) and what each shows.

package widgets

import (
	"image"

	"fyne.io/fyne/v2"
)

func (z *ImageZone) remove() {
	z.Clear()
	if z.OnRemove != nil {
		z.OnRemove()
	}
}

func (z *ImageZone) releasePreview() {
	if z.zoom != nil {
		z.zoom.SetImage(nil)
	}
	z.preview.Image = nil
	z.preview.Resource = nil
	z.preview.SetMinSize(fyne.NewSize(0, 0))
	// Refreshing frees the texture the driver made from the image.
	z.preview.Refresh()
	z.caption.SetText("")
	setBadges(z.badges, nil)
}

func (z *ImageZone) setNotice(text string) {
	z.notice.SetText(text)
	z.notice.Hidden = text == ""
	z.notice.Refresh()
}

func (z *ImageZone) setState(s ZoneState) {
	z.state = s
	z.setNotice("")
	z.apply()
}

// apply makes the visible parts and labels match the state and the texts.
func (z *ImageZone) apply() {
	t := z.texts
	z.hint.SetText(t.Hint)
	z.pasteBtn.SetText(t.Paste)
	z.cameraBtn.SetText(t.Camera)
	z.removeBtn.SetText(t.Remove)
	if z.state == ZoneBusy && t.Cancel != "" {
		z.removeBtn.SetText(t.Cancel)
	}
	if z.state != ZoneBusy && z.busyThumb.Image != nil {
		z.busyThumb.Image = nil // the early thumbnail is the customer's photo too
		z.busyThumb.Refresh()
	}
	z.openBtn.SetText(t.Open)
	if z.state == ZoneReady {
		z.openBtn.SetText(t.Replace)
	}
	if z.state == ZoneBusy && z.busyLabel.Text == "" {
		z.busyLabel.SetText(t.Busy)
	}

	show := showIf
	show(z.emptyBox, z.state == ZoneEmpty)
	show(z.busyBox, z.state == ZoneBusy)
	show(z.readyBox, z.state == ZoneReady)
	show(z.errorBox, z.state == ZoneError)
	show(z.removeBtn, z.state != ZoneEmpty)
	if z.state == ZoneBusy {
		z.activity.Start()
	} else {
		z.activity.Stop()
	}
	// While an image is prepared only Remove (which cancels) stays active, so that a
	// second image cannot race the first.
	for _, b := range []*Button{z.openBtn, z.pasteBtn, z.cameraBtn} {
		if z.state == ZoneBusy || z.pasting {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	z.Refresh()
}

// fitInto returns the size img takes when fitted into box keeping its aspect ratio,
// never larger than the image itself.
func fitInto(img image.Image, box fyne.Size) fyne.Size {
	if img == nil {
		return fyne.NewSize(0, 0)
	}
	b := img.Bounds()
	w, h := float32(b.Dx()), float32(b.Dy())
	if w <= 0 || h <= 0 {
		return fyne.NewSize(0, 0)
	}
	scale := fyne.Min(box.Width/w, box.Height/h)
	if scale > 1 {
		scale = 1
	}
	return fyne.NewSize(w*scale, h*scale)
}
