package widgets

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ZoneState is what an ImageZone currently shows.
type ZoneState int

// The states of an ImageZone.
const (
	ZoneEmpty ZoneState = iota // no image: the drop hint
	ZoneBusy                   // an image is being prepared
	ZoneReady                  // a prepared image: preview, caption, badges
	ZoneError                  // the last image could not be used: the message
)

// PreviewBox is the box the preview thumbnail is fitted into, keeping its aspect ratio.
var PreviewBox = fyne.NewSize(320, 240)

// ImageZoneTexts are the user-visible strings an ImageZone shows besides its title. The
// app passes translated texts through SetTexts; DefaultImageZoneTexts are English.
type ImageZoneTexts struct {
	Hint       string // the empty state's drop hint
	Open       string // the Open button (empty and error states)
	Replace    string // the same button once an image is shown
	Paste      string
	Camera     string
	Remove     string
	Cancel     string // the Remove button while an image is being prepared (it cancels)
	Busy       string // used when SetBusy is given ""
	Pasting    string // shown while the clipboard is read
	PasteEmpty string // the clipboard held neither an image nor an image file's path
}

// DefaultImageZoneTexts returns the English defaults.
func DefaultImageZoneTexts() ImageZoneTexts {
	return ImageZoneTexts{
		Hint:       "Drop a photo here, or Open / Paste",
		Open:       "Open…",
		Replace:    "Replace…",
		Paste:      "Paste",
		Camera:     "Camera",
		Remove:     "Remove",
		Cancel:     "Cancel",
		Busy:       "Preparing…",
		Pasting:    "Reading the clipboard…",
		PasteEmpty: "The clipboard holds no image and no image file path.",
	}
}

// ImageZone is the image intake zone of every screen: a drop area with Open, Paste and
// Camera buttons, then a busy state, a preview with caption and finding badges, or an
// error. It only reports what arrives (OnFile, OnData, OnCamera, OnRemove); decoding and
// checking are the app's job, which then calls SetBusy, SetPreview or SetError.
//
// All methods must be called on the UI goroutine (see the package documentation).
type ImageZone struct {
	widget.BaseWidget

	// OnFile receives a file chosen in the file dialog, dropped on the zone or pasted as
	// a path. The app reads and prepares it in a goroutine.
	OnFile func(uri fyne.URI)
	// OnData receives image bytes pasted from the platform clipboard (PNG) with a
	// suggested file name. The bytes are not checked beyond being non-empty.
	OnData func(data []byte, name string)
	// OnCamera is called by the Camera button (shown after SetCameraAvailable(true)).
	OnCamera func()
	// OnRemove is called after the Remove button cleared the zone; the app forgets the
	// image and cancels any preparation in flight.
	OnRemove func()

	parent fyne.Window
	texts  ImageZoneTexts
	state  ZoneState
	box    fyne.Size // the preview's smallest box

	title     *widget.Label
	frame     *canvas.Rectangle
	emptyBox  *fyne.Container
	hint      *widget.Label
	busyBox   *fyne.Container
	activity  *widget.Activity
	busyLabel *widget.Label
	busyBar   *widget.ProgressBar
	busyThumb *canvas.Image
	readyBox  *fyne.Container
	preview   *canvas.Image
	zoom      *ZoomImage // the preview when the zone is zoomable
	center    *fyne.Container
	caption   *widget.Label
	badges    *fyne.Container
	errorBox  *fyne.Container
	errLabel  *widget.Label
	notice    *widget.Label
	openBtn   *Button
	pasteBtn  *Button
	cameraBtn *Button
	removeBtn *Button
	content   fyne.CanvasObject

	// showOpenDialog opens the file dialog; a seam so tests can choose a file.
	showOpenDialog func(chosen func(fyne.URI))
	// do applies a goroutine's result on the UI goroutine (fyne.Do; a seam for tests).
	do func(func())
	// pasting is true while a Paste is resolved in a goroutine.
	pasting bool
}

// NewImageZone returns an empty zone titled title. parent is the window the file dialog
// opens over.
func NewImageZone(title string, parent fyne.Window) *ImageZone {
	z := &ImageZone{parent: parent, texts: DefaultImageZoneTexts(), do: Do, box: PreviewBox}
	z.showOpenDialog = z.fileDialog
	z.ExtendBaseWidget(z)
	z.build(title)
	z.apply()
	return z
}

func (z *ImageZone) build(title string) {
	z.title = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	showIf(z.title, title != "")

	z.frame = canvas.NewRectangle(color.Transparent)
	z.frame.StrokeWidth = 1
	z.frame.CornerRadius = theme.InputRadiusSize()

	dropIcon := canvas.NewImageFromResource(theme.NewThemedResource(theme.FileImageIcon()))
	dropIcon.FillMode = canvas.ImageFillContain
	dropIcon.SetMinSize(fyne.NewSquareSize(40))
	z.hint = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	z.emptyBox = container.NewCenter(container.NewVBox(dropIcon, z.hint))

	z.activity = widget.NewActivity()
	z.busyLabel = widget.NewLabel("")
	z.busyBar = widget.NewProgressBar()
	z.busyBar.Hide()
	z.busyThumb = canvas.NewImageFromImage(nil)
	z.busyThumb.FillMode = canvas.ImageFillContain
	z.busyThumb.Hide()
	// While a large photo (a HEIC) is prepared: its embedded thumbnail at once, and a bar
	// that moves tile by tile.
	z.busyBox = container.NewBorder(nil, container.NewVBox(container.NewCenter(container.NewHBox(z.activity, z.busyLabel)), z.busyBar),
		nil, nil, z.busyThumb)

	z.preview = canvas.NewImageFromImage(nil)
	z.preview.FillMode = canvas.ImageFillContain
	z.preview.ScaleMode = canvas.ImageScaleSmooth
	z.caption = widget.NewLabel("")
	z.caption.Wrapping = fyne.TextWrapWord
	z.badges = NewBadgeRow(nil)
	// Caption and badges go under the preview, where they have the zone's full width;
	// the preview takes the rest of the zone, whatever size the screen gives it.
	z.center = container.NewStack(z.preview)
	z.readyBox = container.NewBorder(nil, container.NewVBox(z.caption, z.badges), nil, nil, z.center)

	z.errLabel = widget.NewLabel("")
	z.errLabel.Importance = widget.DangerImportance
	z.errLabel.Wrapping = fyne.TextWrapWord
	z.errorBox = container.NewBorder(nil, nil,
		container.NewVBox(widget.NewIcon(Error.Icon())), nil, z.errLabel)

	z.notice = widget.NewLabel("")
	z.notice.Importance = widget.WarningImportance
	z.notice.Wrapping = fyne.TextWrapWord

	z.openBtn = NewButton("", theme.FolderOpenIcon(), z.Open)
	z.pasteBtn = NewButton("", theme.ContentPasteIcon(), func() {
		z.Paste(fyne.CurrentApp().Clipboard())
	})
	z.cameraBtn = NewButton("", theme.MediaPhotoIcon(), func() {
		if z.OnCamera != nil {
			z.OnCamera()
		}
	})
	z.cameraBtn.Hide()
	z.removeBtn = NewButton("", theme.DeleteIcon(), z.remove)

	// The state boxes share one stack with a minimum height, so the zone keeps its
	// place on the screen when it changes state.
	spacer := canvas.NewRectangle(color.Transparent)
	spacer.SetMinSize(fyne.NewSize(0, 96))
	states := container.NewStack(spacer, z.emptyBox, z.busyBox, z.readyBox, z.errorBox)
	buttons := container.NewHBox(z.openBtn, z.pasteBtn, z.cameraBtn, layout.NewSpacer(), z.removeBtn)
	// The states take the zone's free height: a screen that gives the zone room gets a
	// large preview.
	body := container.NewBorder(z.title, container.NewVBox(z.notice, buttons), nil, nil, states)
	z.content = container.NewStack(z.frame, container.NewPadded(body))
}

// CreateRenderer implements fyne.Widget.
func (z *ImageZone) CreateRenderer() fyne.WidgetRenderer {
	z.ExtendBaseWidget(z)
	return newThemedRenderer(z, z.content, z.applyFrame)
}

func (z *ImageZone) applyFrame() {
	th, v := z.Theme(), variant()
	z.frame.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if z.state == ZoneError {
		z.frame.StrokeColor = th.Color(theme.ColorNameError, v)
	}
}

// State reports what the zone shows.
func (z *ImageZone) State() ZoneState { return z.state }

// Image returns the image the preview holds, nil when none (after Clear or SetError).
func (z *ImageZone) Image() image.Image { return z.preview.Image }

// SetTitle changes the zone's title ("" hides it).
func (z *ImageZone) SetTitle(title string) {
	z.title.SetText(title)
	showIf(z.title, title != "")
}

// SetPreviewBox sets the smallest box the preview keeps (the zone may show it larger
// when it has room); the default is PreviewBox.
func (z *ImageZone) SetPreviewBox(box fyne.Size) {
	z.box = box
	if z.preview.Image != nil {
		z.preview.SetMinSize(fitInto(z.preview.Image, box))
		z.preview.Refresh()
	}
}

// SetZoomable makes the preview a ZoomImage (wheel, drag and keys zoom and pan), for a
// card whose small print the clerk reads.
func (z *ImageZone) SetZoomable(on bool) {
	if on && z.zoom == nil {
		z.zoom = NewZoomImage()
		z.zoom.SetImage(z.preview.Image)
		z.center.Objects = []fyne.CanvasObject{z.zoom}
	} else if !on && z.zoom != nil {
		z.zoom.SetImage(nil)
		z.zoom = nil
		z.center.Objects = []fyne.CanvasObject{z.preview}
	}
	z.center.Refresh()
}

// Zoom returns the zoomable preview, nil unless SetZoomable(true).
func (z *ImageZone) Zoom() *ZoomImage { return z.zoom }

// SetOpener replaces the file dialog Open shows: open is called with a function that
// takes the chosen file's path (the app's own dialog: translated, with the last folder).
func (z *ImageZone) SetOpener(open func(chosen func(path string))) {
	z.showOpenDialog = func(chosen func(fyne.URI)) {
		open(func(p string) { chosen(storage.NewFileURI(p)) })
	}
}

// PasteButton returns the Paste button.
func (z *ImageZone) PasteButton() fyne.CanvasObject { return z.pasteBtn }

// OpenButton returns the Open button (focus after the next customer).
func (z *ImageZone) OpenButton() fyne.Focusable { return z.openBtn }

// SetTexts replaces the zone's strings (for a language switch).
func (z *ImageZone) SetTexts(t ImageZoneTexts) {
	z.texts = t
	z.apply()
}

// SetCameraAvailable shows or hides the Camera button.
func (z *ImageZone) SetCameraAvailable(ok bool) {
	if ok {
		z.cameraBtn.Show()
	} else {
		z.cameraBtn.Hide()
	}
}

// SetBusy shows the busy state with text ("" means the default "Preparing…"). The
// previous preview is released: it no longer describes the image in hand.
func (z *ImageZone) SetBusy(text string) {
	z.releasePreview()
	if text == "" {
		text = z.texts.Busy
	}
	z.busyLabel.SetText(text)
	z.busyBar.SetValue(0)
	z.busyBar.Hide()
	z.busyThumb.Image = nil
	z.busyThumb.Hide()
	z.setState(ZoneBusy)
}

// SetProgress shows how far the preparation is (0–1) and, when given, an early
// thumbnail of the photo (a HEIC's embedded one). Only in the busy state.
func (z *ImageZone) SetProgress(fraction float64, thumb image.Image) {
	if z.state != ZoneBusy {
		return
	}
	z.busyBar.SetValue(fraction)
	z.busyBar.Show()
	if thumb != nil {
		z.busyThumb.Image = thumb
		z.busyThumb.SetMinSize(fitInto(thumb, fyne.NewSize(160, 120)))
		z.busyThumb.Show()
		z.busyThumb.Refresh()
	}
}

// Progress reports the preparation's progress shown (0–1).
func (z *ImageZone) Progress() float64 { return z.busyBar.Value }

// HasBusyThumbnail reports whether an early thumbnail is shown while busy.
func (z *ImageZone) HasBusyThumbnail() bool { return z.busyThumb.Image != nil && z.busyThumb.Visible() }

// RemoveButton returns the Remove button (Cancel while an image is prepared).
func (z *ImageZone) RemoveButton() *Button { return z.removeBtn }

// SetPreview shows a prepared image: img as a thumbnail fitted into PreviewBox, the
// caption (for example "1280×960 px · 412 KB · JPEG q88") and the findings. Pass a
// thumbnail-sized img: the zone scales it while drawing but does not shrink it in memory.
func (z *ImageZone) SetPreview(img image.Image, caption string, badges []Badge) {
	z.preview.Image = img
	z.preview.Resource = nil
	z.preview.SetMinSize(fitInto(img, z.box))
	z.preview.Refresh()
	if z.zoom != nil {
		z.zoom.SetImage(img)
	}
	z.caption.SetText(caption)
	setBadges(z.badges, badges)
	z.setState(ZoneReady)
}

// SetError shows msg in the zone with the intake buttons kept, and releases any preview.
func (z *ImageZone) SetError(msg string) {
	z.releasePreview()
	z.errLabel.SetText(msg)
	z.setState(ZoneError)
}

// Clear empties the zone and releases the preview image so that no personal data stays
// referenced after the customer has gone.
func (z *ImageZone) Clear() {
	z.releasePreview()
	z.errLabel.SetText("")
	z.setState(ZoneEmpty)
}

// Open shows the file dialog filtered to ImageExtensions; a chosen file goes to OnFile.
// The app binds Ctrl+O to it.
func (z *ImageZone) Open() {
	z.showOpenDialog(z.deliverFile)
}

func (z *ImageZone) fileDialog(chosen func(fyne.URI)) {
	parent := z.parent
	if parent == nil {
		if ws := fyne.CurrentApp().Driver().AllWindows(); len(ws) > 0 {
			parent = ws[0]
		} else {
			return
		}
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, parent)
			return
		}
		if rc == nil {
			return // cancelled
		}
		uri := rc.URI()
		// The app opens the file itself, off the UI goroutine; this handle is not needed.
		_ = rc.Close()
		chosen(uri)
	}, parent)
	d.SetFilter(storage.NewExtensionFileFilter(ImageExtensions))
	d.Show()
}

// deliverFile hands a file to the app.
func (z *ImageZone) deliverFile(uri fyne.URI) {
	z.setNotice("")
	if uri != nil && z.OnFile != nil {
		z.OnFile(uri)
	}
}
