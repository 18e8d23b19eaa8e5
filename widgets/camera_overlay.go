package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// The framing guides drawn over the live preview, scaled to where the picture actually is
// (the preview is letter-boxed inside the view).

// eKTP (ISO/IEC 7810 ID-1) card size and corner radius, in millimetres.
const (
	camCardWidthMM  = 85.6
	camCardHeightMM = 54.0
	camCardRadiusMM = 3.18
)

const (
	camOvalSegments   = 48
	camOvalHeightFrac = 0.78 // of the picture height: the face fills the frame, with hair and chin
	camOvalAspect     = 0.75 // width / height of a face
	camCardFrac       = 0.86 // of the picture: room around the card so its edges are visible
	camGuideWidth     = 3
)

var camGuideColour = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xd0}

// cameraOverlay holds both guides; the layout shows the one for the current kind.
type cameraOverlay struct {
	oval   []*canvas.Line
	card   *canvas.Rectangle
	aspect float32 // picture width / height; 0 until the first frame (no guide then)
	kind   CameraKind
}

func newCameraOverlay() (*cameraOverlay, *fyne.Container) {
	o := &cameraOverlay{card: canvas.NewRectangle(color.Transparent)}
	o.card.StrokeColor = camGuideColour
	o.card.StrokeWidth = camGuideWidth
	objs := []fyne.CanvasObject{o.card}
	for range camOvalSegments {
		l := canvas.NewLine(camGuideColour)
		l.StrokeWidth = camGuideWidth
		o.oval = append(o.oval, l)
		objs = append(objs, l)
	}
	return o, container.New(o, objs...)
}

// picture is where a picture of aspect o.aspect sits when fitted (contain) into size.
func (o *cameraOverlay) picture(size fyne.Size) (fyne.Position, fyne.Size) {
	w, h := size.Width, size.Height
	if o.aspect <= 0 || w <= 0 || h <= 0 {
		return fyne.Position{}, fyne.Size{}
	}
	if w/h > o.aspect {
		w = h * o.aspect
	} else {
		h = w / o.aspect
	}
	return fyne.NewPos((size.Width-w)/2, (size.Height-h)/2), fyne.NewSize(w, h)
}

// Layout implements fyne.Layout.
func (o *cameraOverlay) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	pos, pic := o.picture(size)
	showOval := o.kind == CameraSelfie && !pic.IsZero()
	showCard := o.kind == CameraIDCard && !pic.IsZero()
	for _, l := range o.oval {
		l.Hidden = !showOval
	}
	o.card.Hidden = !showCard
	centre := fyne.NewPos(pos.X+pic.Width/2, pos.Y+pic.Height/2)
	if showOval {
		ry := pic.Height * camOvalHeightFrac / 2
		rx := min(ry*camOvalAspect, pic.Width*0.45)
		pt := func(i int) fyne.Position {
			a := 2 * math.Pi * float64(i) / camOvalSegments
			return fyne.NewPos(centre.X+rx*float32(math.Cos(a)), centre.Y+ry*float32(math.Sin(a)))
		}
		for i, l := range o.oval {
			l.Position1, l.Position2 = pt(i), pt(i+1)
		}
	}
	if showCard {
		w := pic.Width * camCardFrac
		h := w * camCardHeightMM / camCardWidthMM
		if maxH := pic.Height * camCardFrac; h > maxH {
			h = maxH
			w = h * camCardWidthMM / camCardHeightMM
		}
		o.card.CornerRadius = w * camCardRadiusMM / camCardWidthMM
		o.card.Move(fyne.NewPos(centre.X-w/2, centre.Y-h/2))
		o.card.Resize(fyne.NewSize(w, h))
	}
}

// MinSize implements fyne.Layout: the guides take no room of their own.
func (o *cameraOverlay) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
