package widgets

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ProgressTick is how often CallProgress updates its elapsed time.
const ProgressTick = 100 * time.Millisecond

// CallProgressTexts are CallProgress's user-visible strings.
type CallProgressTexts struct {
	Cancel string
	// Elapsed formats the elapsed time, for example "3.4 s" (English) or "3,4 dtk".
	Elapsed func(time.Duration) string
}

// DefaultCallProgressTexts returns the English defaults.
func DefaultCallProgressTexts() CallProgressTexts {
	return CallProgressTexts{
		Cancel: "Cancel",
		Elapsed: func(d time.Duration) string {
			return fmt.Sprintf("%.1f s", d.Seconds())
		},
	}
}

// CallProgress shows a call in flight: an activity indicator, what is being done, the
// elapsed time ticking every ProgressTick and a Cancel button. Hidden when stopped.
//
// The ticker is a goroutine that only waits; every change to the widget happens in
// fyne.Do on the UI goroutine. Stop ends the goroutine. All methods must be called on
// the UI goroutine (see the package documentation).
type CallProgress struct {
	widget.BaseWidget

	texts    CallProgressTexts
	activity *widget.Activity
	label    *widget.Label
	elapsed  *widget.Label
	cancel   *widget.Button
	content  fyne.CanvasObject

	onCancel func()
	started  time.Time
	running  bool
	gen      uint64        // which Start the pending ticks belong to
	stop     chan struct{} // closed by Stop to end the ticker goroutine

	// seams for tests
	now       func() time.Time
	newTicker func() (<-chan time.Time, func())
	do        func(func())
	exited    func() // called when a ticker goroutine ends
}

// NewCallProgress returns a stopped (hidden) progress line.
func NewCallProgress() *CallProgress {
	p := &CallProgress{
		texts: DefaultCallProgressTexts(),
		now:   time.Now,
		newTicker: func() (<-chan time.Time, func()) {
			t := time.NewTicker(ProgressTick)
			return t.C, t.Stop
		},
		do: Do,
	}
	p.ExtendBaseWidget(p)
	p.activity = widget.NewActivity()
	p.label = widget.NewLabel("")
	p.elapsed = widget.NewLabel("")
	p.elapsed.TextStyle.Monospace = true
	p.cancel = widget.NewButtonWithIcon(p.texts.Cancel, theme.CancelIcon(), p.tapCancel)
	p.content = container.NewHBox(p.activity, p.label, p.elapsed, p.cancel)
	p.BaseWidget.Hide()
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *CallProgress) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	return widget.NewSimpleRenderer(p.content)
}

// SetTexts replaces the strings.
func (p *CallProgress) SetTexts(t CallProgressTexts) {
	if t.Elapsed == nil {
		t.Elapsed = DefaultCallProgressTexts().Elapsed
	}
	p.texts = t
	p.cancel.SetText(t.Cancel)
	if p.running {
		p.elapsed.SetText(t.Elapsed(p.now().Sub(p.started)))
	}
}

// Start shows label and starts the clock; cancel is called (once) by the Cancel button,
// and should cancel the call's context. Starting again restarts the clock.
func (p *CallProgress) Start(label string, cancel func()) {
	p.halt()
	p.running = true
	p.gen++
	p.onCancel = cancel
	p.started = p.now()
	p.label.SetText(label)
	p.elapsed.SetText(p.texts.Elapsed(0))
	p.cancel.Enable()
	p.activity.Start()
	p.BaseWidget.Show()

	gen := p.gen
	stop := make(chan struct{})
	p.stop = stop
	ticks, stopTicker := p.newTicker()
	exited := p.exited
	go func() {
		defer func() {
			stopTicker()
			if exited != nil {
				exited()
			}
		}()
		for {
			select {
			case <-stop:
				return
			case <-ticks:
				p.do(func() { p.tick(gen) })
			}
		}
	}()
}

// tick runs on the UI goroutine; ticks queued before a Stop or a new Start are dropped.
func (p *CallProgress) tick(gen uint64) {
	if !p.running || gen != p.gen {
		return
	}
	p.elapsed.SetText(p.texts.Elapsed(p.now().Sub(p.started)))
}

// Stop stops the clock and the ticker goroutine and hides the line.
func (p *CallProgress) Stop() {
	p.halt()
	p.BaseWidget.Hide()
}

// Running reports whether a call is shown.
func (p *CallProgress) Running() bool { return p.running }

// Elapsed reports the elapsed time text shown.
func (p *CallProgress) Elapsed() string { return p.elapsed.Text }

func (p *CallProgress) halt() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	p.running = false
	p.onCancel = nil
	p.activity.Stop()
}

// tapCancel calls the cancel function once; the line stays (disabled) until the app
// calls Stop when the call has actually ended.
func (p *CallProgress) tapCancel() {
	cancel := p.onCancel
	p.onCancel = nil
	p.cancel.Disable()
	if cancel != nil {
		cancel()
	}
}

// Cancel presses Cancel (the app binds Esc to it).
func (p *CallProgress) Cancel() {
	if p.running && !p.cancel.Disabled() {
		p.tapCancel()
	}
}
