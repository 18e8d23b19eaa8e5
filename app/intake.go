package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"

	"kycdesk/app/i18n"
	"kycdesk/kyc/photo"
	"kycdesk/widgets"
)

// intake owns one image zone: it prepares whatever the clerk brings in (drop, open,
// paste) through kyc/photo — the one path every image takes — off the UI goroutine,
// and keeps the prepared result for the step that sends it.
type intake struct {
	kind     photo.Kind
	titleKey string
	u        *UI
	zone     *widgets.ImageZone
	cam      *widgets.CameraView // while camera mode is open
	view     *fyne.Container     // what screens lay out: the zone, or the camera in its place
	prepared *photo.Prepared     // UI goroutine only
	gen      int                 // bumps on every new image, so a stale preparation is dropped
	cancel   context.CancelFunc
	onChange func()
	// onReady is called when an image the clerk brought in has been prepared (the flow
	// may start its call); not after a clear or a failed preparation.
	onReady func()
}

func newIntake(u *UI, kind photo.Kind, titleKey string, onChange func()) *intake {
	in := &intake{kind: kind, titleKey: titleKey, u: u, onChange: onChange}
	in.zone = widgets.NewImageZone(i18n.T(titleKey), u.win)
	in.view = container.NewStack(in.zone)
	in.zone.OnCamera = in.openCamera
	in.zone.SetCameraAvailable(u.cameraOK)
	in.zone.SetOpener(u.openFileDialog)
	u.intakes = append(u.intakes, in)
	in.zone.SetTexts(zoneTexts())
	in.zone.OnFile = in.loadURI
	in.zone.OnData = func(data []byte, _ string) {
		in.load(func(ctx context.Context) (*photo.Prepared, error) { return photo.Prepare(ctx, data, kind) })
	}
	in.zone.OnRemove = in.clear
	return in
}

// retranslate re-labels the zone (and an open camera view) and its findings.
func (in *intake) retranslate() {
	in.zone.SetTitle(i18n.T(in.titleKey))
	in.zone.SetTexts(zoneTexts())
	if in.cam != nil {
		in.cam.SetTexts(cameraTexts())
	}
	if p := in.prepared; p != nil {
		in.zone.SetPreview(in.zone.Image(), caption(p), badges(p.Findings))
	}
}

func zoneTexts() widgets.ImageZoneTexts {
	return widgets.ImageZoneTexts{
		Hint: i18n.T("zone.hint"), Open: i18n.T("zone.open"), Paste: i18n.T("zone.paste"),
		Camera: i18n.T("zone.camera"), Replace: i18n.T("zone.replace"), Remove: i18n.T("zone.remove"),
		Cancel: i18n.T("action.cancel"),
		Busy:   i18n.T("zone.preparing"), Pasting: i18n.T("zone.pasting"), PasteEmpty: i18n.T("zone.paste_empty"),
	}
}

// loadURI prepares a file the clerk dropped or opened. Local files are checked for
// size before they are read; other URIs are read through a bounded reader.
func (in *intake) loadURI(u fyne.URI) {
	kind := in.kind
	in.load(func(ctx context.Context) (*photo.Prepared, error) {
		if u.Scheme() == "file" {
			return photo.PrepareFile(ctx, u.Path(), kind)
		}
		r, err := storage.Reader(u)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, photo.MaxFileBytes+1))
		if err != nil {
			return nil, err
		}
		return photo.Prepare(ctx, data, kind)
	})
}

// load runs prepare in a goroutine and shows the result. Called on the UI goroutine.
func (in *intake) load(prepare func(ctx context.Context) (*photo.Prepared, error)) {
	if in.cancel != nil {
		in.cancel()
	}
	in.gen++
	gen := in.gen
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	in.prepared = nil
	in.zone.SetBusy(i18n.T("zone.preparing"))
	in.changed()
	// A large photo (a HEIC, tile by tile) reports how far it is; the zone shows it and
	// Cancel (the zone's Remove) stops it within a tile.
	ctx = photo.WithProgress(ctx, func(p photo.Progress) {
		f, thumb := p.Fraction(), p.Preview
		uiDo(func() {
			if gen == in.gen {
				in.zone.SetProgress(f, thumb)
			}
		})
	})
	go func() {
		p, err := prepare(ctx)
		var thumb image.Image
		if err == nil {
			thumb, _ = jpeg.Decode(bytes.NewReader(p.JPEG))
		}
		uiDo(func() {
			if gen != in.gen {
				return // a newer image replaced this one
			}
			cancel()
			in.cancel = nil
			if err != nil {
				if ctx.Err() == nil {
					in.zone.SetError(explain(err, "").Text)
				} else {
					in.zone.Clear()
				}
				in.changed()
				return
			}
			in.prepared = p
			in.zone.SetPreview(thumb, caption(p), badges(p.Findings))
			in.changed()
			if in.onReady != nil {
				in.onReady()
			}
		})
	}()
}

// openCamera shows the camera view in the zone's place. A still the clerk accepts
// takes the same path as a dropped file (kyc/photo, with its findings).
func (in *intake) openCamera() {
	if in.u.deps.Camera == nil || in.cam != nil {
		return
	}
	kind := widgets.CameraSelfie
	if in.kind == photo.KindID {
		kind = widgets.CameraIDCard
	}
	v := widgets.NewCameraView(in.u.deps.Camera, kind, in.u.prefs, "camera.device")
	v.SetTexts(cameraTexts())
	v.OnCapture = func(img image.Image) {
		in.closeCamera()
		in.load(func(ctx context.Context) (*photo.Prepared, error) { return photo.PrepareImage(ctx, img, in.kind) })
	}
	v.OnCancel = in.closeCamera
	in.cam = v
	in.view.Objects = []fyne.CanvasObject{v}
	in.view.Refresh()
	v.Start()
}

// closeCamera releases the camera (Close never blocks) and shows the zone again.
func (in *intake) closeCamera() {
	if in.cam == nil {
		return
	}
	in.cam.Close()
	in.cam = nil
	in.view.Objects = []fyne.CanvasObject{in.zone}
	in.view.Refresh()
}

func cameraTexts() widgets.CameraTexts {
	return widgets.CameraTexts{
		Capture: i18n.T("cam.capture"), Accept: i18n.T("cam.accept"), Retake: i18n.T("cam.retake"),
		Cancel: i18n.T("action.cancel"), Retry: i18n.T("action.retry"), Device: i18n.T("cam.device"),
		Starting: i18n.T("cam.starting"), HintSelfie: i18n.T("cam.hint_selfie"), HintID: i18n.T("cam.hint_id"),
		NoCamera: i18n.T("cam.no_camera"), Permission: i18n.T("cam.permission"), Busy: i18n.T("cam.busy"),
		Unplugged: i18n.T("cam.unplugged"), Unsupported: i18n.T("cam.unsupported"), Failed: i18n.T("cam.failed"),
	}
}

// clear forgets the image (Remove, next customer): nothing of it stays in memory
// that the UI holds.
func (in *intake) clear() {
	in.closeCamera()
	if in.cancel != nil {
		in.cancel()
		in.cancel = nil
	}
	in.gen++
	in.prepared = nil
	in.zone.Clear()
	in.changed()
}

func (in *intake) changed() {
	if in.onChange != nil {
		in.onChange()
	}
}

// ready reports whether a prepared image without blocking findings is there.
func (in *intake) ready() bool { return in.prepared != nil && len(in.prepared.Blocking()) == 0 }

// warnings lists the findings the clerk must confirm before sending.
func (in *intake) warnings() []string {
	if in.prepared == nil {
		return nil
	}
	var out []string
	for _, f := range in.prepared.Warnings() {
		out = append(out, findingText(f))
	}
	return out
}

func caption(p *photo.Prepared) string {
	return fmt.Sprintf("%d×%d px · %s · JPEG q%d", p.Width, p.Height, humanBytes(len(p.JPEG)), p.Quality)
}

func badges(fs []photo.Finding) []widgets.Badge {
	if len(fs) == 0 {
		return []widgets.Badge{{Text: i18n.T("zone.checks_ok"), Severity: widgets.OK}}
	}
	out := make([]widgets.Badge, 0, len(fs))
	for _, f := range fs {
		sev := widgets.Warning
		if f.Severity == photo.SeverityError {
			sev = widgets.Error
		}
		out = append(out, widgets.Badge{Text: findingText(f), Severity: sev})
	}
	return out
}

func findingText(f photo.Finding) string {
	if i18n.Current() == i18n.EN {
		return f.MessageEN
	}
	return f.MessageID
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20:
		return number(float64(n*10/(1<<20))/10) + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// joinLines is for dialogs listing findings.
func joinLines(lines []string) string { return "• " + strings.Join(lines, "\n• ") }
