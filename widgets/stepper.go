package widgets

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// StepStatus is what a Stepper says of one step.
type StepStatus int

// The statuses of a step.
const (
	StepTodo     StepStatus = iota // not done yet
	StepBusy                       // its call is running
	StepDone                       // done, nothing to note
	StepWarning                    // done with a warning, or outdated: run again
	StepFailed                     // failed or answered "no"
	StepUnknown                    // outcome unknown: may have been charged
	StepDisabled                   // not available (for example no consent yet)
)

// Stepper is the step indicator of a guided flow: numbered steps in a row, the current
// one emphasised, each marked with its status by icon and colour (never colour alone).
// A click on a step calls OnSelect; the app owns navigation and keys.
//
// All methods must be called on the UI goroutine (see the package documentation).
type Stepper struct {
	widget.BaseWidget

	// OnSelect is called with a step's index when the clerk clicks it.
	OnSelect func(i int)

	items   []*stepItem
	current int
	box     *fyne.Container
}

// NewStepper returns a stepper with the given step titles, the first one current.
func NewStepper(titles ...string) *Stepper {
	s := &Stepper{}
	s.ExtendBaseWidget(s)
	s.box = container.NewHBox()
	for i, t := range titles {
		if i > 0 {
			sep := widget.NewIcon(theme.NavigateNextIcon())
			s.box.Add(sep)
		}
		it := newStepItem(s, i, t)
		s.items = append(s.items, it)
		s.box.Add(it)
	}
	s.SetCurrent(0)
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *Stepper) CreateRenderer() fyne.WidgetRenderer {
	s.ExtendBaseWidget(s)
	return widget.NewSimpleRenderer(s.box)
}

// SetCurrent emphasises step i.
func (s *Stepper) SetCurrent(i int) {
	s.current = i
	for j, it := range s.items {
		it.current = j == i
		it.Refresh()
	}
}

// Current returns the emphasised step.
func (s *Stepper) Current() int { return s.current }

// SetStatus sets step i's status.
func (s *Stepper) SetStatus(i int, st StepStatus) {
	if i >= 0 && i < len(s.items) {
		s.items[i].status = st
		s.items[i].Refresh()
	}
}

// Status returns step i's status.
func (s *Stepper) Status(i int) StepStatus {
	if i >= 0 && i < len(s.items) {
		return s.items[i].status
	}
	return StepTodo
}

// SetTitle renames step i (a language switch).
func (s *Stepper) SetTitle(i int, title string) {
	if i >= 0 && i < len(s.items) {
		s.items[i].title = title
		s.items[i].Refresh()
	}
}

// Title returns step i's title.
func (s *Stepper) Title(i int) string {
	if i >= 0 && i < len(s.items) {
		return s.items[i].title
	}
	return ""
}

// stepItem is one step: a disc with its number or status icon, and its title.
type stepItem struct {
	widget.BaseWidget
	s       *Stepper
	index   int
	title   string
	status  StepStatus
	current bool
	hovered bool

	disc  *canvas.Circle
	num   *canvas.Text
	icon  *canvas.Image
	label *canvas.Text
	under *canvas.Rectangle
}

func newStepItem(s *Stepper, i int, title string) *stepItem {
	it := &stepItem{s: s, index: i, title: title}
	it.ExtendBaseWidget(it)
	it.disc = canvas.NewCircle(color.Transparent)
	it.num = canvas.NewText(strconv.Itoa(i+1), color.White)
	it.num.TextStyle.Bold = true
	it.num.Alignment = fyne.TextAlignCenter
	it.icon = canvas.NewImageFromResource(nil)
	it.icon.FillMode = canvas.ImageFillContain
	it.label = canvas.NewText(title, color.White)
	it.under = canvas.NewRectangle(color.Transparent)
	return it
}

// Tapped implements fyne.Tappable.
func (it *stepItem) Tapped(*fyne.PointEvent) {
	if it.s.OnSelect != nil && it.status != StepDisabled {
		it.s.OnSelect(it.index)
	}
}

// MouseIn, MouseMoved and MouseOut implement desktop.Hoverable (a hover tint).
func (it *stepItem) MouseIn(*desktop.MouseEvent)    { it.hovered = true; it.Refresh() }
func (it *stepItem) MouseMoved(*desktop.MouseEvent) {}
func (it *stepItem) MouseOut()                      { it.hovered = false; it.Refresh() }

func (it *stepItem) CreateRenderer() fyne.WidgetRenderer {
	it.ExtendBaseWidget(it)
	return &stepRenderer{it: it}
}

type stepRenderer struct{ it *stepItem }

const stepDisc = 24

func (r *stepRenderer) metrics() (pad float32, text float32) {
	th := r.it.Theme()
	return th.Size(theme.SizeNamePadding), th.Size(theme.SizeNameText)
}

func (r *stepRenderer) MinSize() fyne.Size {
	pad, ts := r.metrics()
	st := fyne.TextStyle{Bold: true}
	tw := fyne.MeasureText(r.it.title, ts, st).Width
	return fyne.NewSize(pad+stepDisc+pad+tw+pad, stepDisc+2*pad+3)
}

func (r *stepRenderer) Layout(s fyne.Size) {
	it := r.it
	pad, _ := r.metrics()
	top := (s.Height - 3 - stepDisc) / 2
	it.disc.Move(fyne.NewPos(pad, top))
	it.disc.Resize(fyne.NewSquareSize(stepDisc))
	it.num.Move(fyne.NewPos(pad, top+(stepDisc-it.num.MinSize().Height)/2))
	it.num.Resize(fyne.NewSize(stepDisc, it.num.MinSize().Height))
	it.icon.Move(fyne.NewPos(pad+4, top+4))
	it.icon.Resize(fyne.NewSquareSize(stepDisc - 8))
	lh := it.label.MinSize().Height
	it.label.Move(fyne.NewPos(pad+stepDisc+pad, top+(stepDisc-lh)/2))
	it.label.Resize(fyne.NewSize(s.Width-(pad+stepDisc+2*pad), lh))
	it.under.Move(fyne.NewPos(0, s.Height-3))
	it.under.Resize(fyne.NewSize(s.Width, 3))
}

func (r *stepRenderer) Refresh() {
	it := r.it
	th, v := it.Theme(), variant()
	fg := th.Color(theme.ColorNameForeground, v)
	muted := th.Color(theme.ColorNamePlaceHolder, v)
	var disc color.Color = th.Color(theme.ColorNameDisabled, v)
	var icon fyne.Resource
	switch it.status {
	case StepBusy:
		disc, icon = th.Color(theme.ColorNamePrimary, v), theme.ViewRefreshIcon()
	case StepDone:
		disc, icon = th.Color(theme.ColorNameSuccess, v), theme.ConfirmIcon()
	case StepWarning:
		disc, icon = th.Color(theme.ColorNameWarning, v), theme.WarningIcon()
	case StepFailed:
		disc, icon = th.Color(theme.ColorNameError, v), theme.CancelIcon()
	case StepUnknown:
		disc, icon = th.Color(theme.ColorNameWarning, v), theme.QuestionIcon()
	}
	if it.current && it.status == StepTodo {
		disc = th.Color(theme.ColorNamePrimary, v)
	}
	it.disc.FillColor = disc
	if icon != nil {
		it.icon.Resource = theme.NewColoredResource(icon, theme.ColorNameBackground)
		it.icon.Show()
		it.num.Hide()
	} else {
		it.icon.Resource = nil
		it.icon.Hide()
		it.num.Show()
	}
	it.num.Color = th.Color(theme.ColorNameBackground, v)
	it.num.TextSize = th.Size(theme.SizeNameText)
	it.label.Text = it.title
	it.label.TextSize = th.Size(theme.SizeNameText)
	it.label.TextStyle.Bold = it.current
	it.label.Color = fg
	if !it.current && it.status == StepTodo || it.status == StepDisabled {
		it.label.Color = muted
	}
	it.under.FillColor = color.Transparent
	switch {
	case it.current:
		it.under.FillColor = th.Color(theme.ColorNamePrimary, v)
	case it.hovered && it.status != StepDisabled:
		it.under.FillColor = th.Color(theme.ColorNameHover, v)
	}
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *stepRenderer) Objects() []fyne.CanvasObject {
	it := r.it
	return []fyne.CanvasObject{it.under, it.disc, it.num, it.icon, it.label}
}

func (r *stepRenderer) Destroy() {}
