// Package hqchart draws the head office's charts as PNG images with
// gonum/plot: calls per day by outcome, and the daily quota use. It knows
// nothing of Fyne; the Kantor pusat screen shows the images (canvas.Image
// from the bytes) and `kycdesk report --chart` writes them to files.
package hqchart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"kycdesk/kyc/hq"
)

// Size of a chart in pixels (at 96 dpi).
type Size struct{ Width, Height int }

// DefaultSize fits the Kantor pusat screen at 1366×768.
var DefaultSize = Size{Width: 900, Height: 320}

// Labels are the texts on a chart (the screen passes its language's).
type Labels struct {
	Title                                 string
	Success, Rejected, Failed, Unknown    string
	Pending, Billable, MaybeBilled, Quota string
	Calls                                 string // y axis
}

// English labels; the app passes Indonesian ones from its translations.
var English = Labels{Title: "", Success: "success", Rejected: "rejected", Failed: "failed", Unknown: "unknown",
	Pending: "pending", Billable: "billable", MaybeBilled: "maybe billed (unknown)", Quota: "daily quota", Calls: "calls"}

// Outcome colours: the app's status colours (success green, rejected amber,
// failed grey, unknown red).
var (
	colSuccess  = color.RGBA{0x2e, 0x7d, 0x32, 0xff}
	colRejected = color.RGBA{0xf9, 0xa8, 0x25, 0xff}
	colFailed   = color.RGBA{0x90, 0x90, 0x90, 0xff}
	colUnknown  = color.RGBA{0xc6, 0x28, 0x28, 0xff}
	colPending  = color.RGBA{0x15, 0x65, 0xc0, 0xff}
	colQuota    = color.RGBA{0x00, 0x00, 0x00, 0xff}
)

// ErrNoData is returned for an empty series (the screen shows a text instead).
var ErrNoData = errors.New("hqchart: nothing to draw")

// dayLabels shortens "2026-03-14" to "14-03" (day first, as dates are written here) and thins labels so they never overlap.
func dayLabels(days []string, width int) []string {
	out := make([]string, len(days))
	step := 1
	if max := width / 45; max > 0 && len(days) > max {
		step = (len(days) + max - 1) / max
	}
	for i, d := range days {
		if i%step == 0 && len(d) == 10 {
			out[i] = d[8:10] + "-" + d[5:7]
		}
	}
	return out
}

// countTicks labels the y axis with whole numbers only (calls are counted: a label
// "2.5" would also show an English decimal point on the Indonesian screen).
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Label != "" && t.Value != math.Trunc(t.Value) {
			t.Label = ""
		}
		out = append(out, t)
	}
	return out
}

func init() {
	// Sans serif, as the app's own text (gonum/plot defaults to Liberation Serif).
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
}

// render draws p; legend is how many lines its legend has (top left): the y axis
// gets room above the highest bar for them, so the legend never covers data.
func render(p *plot.Plot, size Size, legend int) ([]byte, error) {
	p.Y.Tick.Marker = countTicks{}
	if p.Y.Max > 0 {
		p.Y.Max *= 1 + 0.09*float64(legend+1)
	}
	if size.Width <= 0 || size.Height <= 0 {
		size = DefaultSize
	}
	w, err := p.WriterTo(vg.Length(size.Width)*vg.Inch/96, vg.Length(size.Height)*vg.Inch/96, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CallsPerDay draws stacked bars of calls per day by outcome from a summary
// broken down by day only (hq.ByDay), one bar per row.
func CallsPerDay(rows []hq.SummaryRow, l Labels, size Size) ([]byte, error) {
	if len(rows) == 0 {
		return nil, ErrNoData
	}
	days := make([]string, len(rows))
	series := map[string]plotter.Values{}
	for _, k := range []string{"success", "rejected", "failed", "unknown", "pending"} {
		series[k] = make(plotter.Values, len(rows))
	}
	for i, r := range rows {
		if r.Day == "" {
			return nil, fmt.Errorf("hqchart: rows must be broken down by day")
		}
		days[i] = r.Day
		series["success"][i] = float64(r.Success)
		series["rejected"][i] = float64(r.Rejected)
		series["failed"][i] = float64(r.Failed)
		series["unknown"][i] = float64(r.Unknown)
		series["pending"][i] = float64(r.Pending)
	}
	p := plot.New()
	p.Title.Text = l.Title
	p.Y.Label.Text = l.Calls
	p.Y.Min = 0
	width := vg.Points(float64(size.Width) * 0.55 / float64(len(rows)+1))
	if width > vg.Points(28) {
		width = vg.Points(28)
	}
	var below *plotter.BarChart
	legend := 0
	for _, s := range []struct {
		key, label string
		col        color.Color
	}{{"success", l.Success, colSuccess}, {"rejected", l.Rejected, colRejected}, {"failed", l.Failed, colFailed},
		{"unknown", l.Unknown, colUnknown}, {"pending", l.Pending, colPending}} {
		if sum(series[s.key]) == 0 {
			continue
		}
		b, err := plotter.NewBarChart(series[s.key], width)
		if err != nil {
			return nil, err
		}
		b.Color, b.LineStyle.Width = s.col, 0
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(s.label, b)
		legend++
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.NominalX(dayLabels(days, size.Width)...)
	return render(p, size, legend)
}

// QuotaUse draws billable calls per day (and the unknown ones that may be
// billed on top) against the daily quota as a line.
func QuotaUse(days []hq.QuotaDay, l Labels, size Size) ([]byte, error) {
	if len(days) == 0 {
		return nil, ErrNoData
	}
	bill, maybe := make(plotter.Values, len(days)), make(plotter.Values, len(days))
	labels := make([]string, len(days))
	quota := make(plotter.XYs, 0, len(days))
	for i, d := range days {
		bill[i], maybe[i], labels[i] = float64(d.Billable), float64(d.MaybeBilled), d.Day
		if d.Quota > 0 {
			quota = append(quota, plotter.XY{X: float64(i), Y: float64(d.Quota)})
		}
	}
	p := plot.New()
	p.Title.Text = l.Title
	p.Y.Label.Text = l.Calls
	p.Y.Min = 0
	width := vg.Points(float64(size.Width) * 0.55 / float64(len(days)+1))
	if width > vg.Points(28) {
		width = vg.Points(28)
	}
	b, err := plotter.NewBarChart(bill, width)
	if err != nil {
		return nil, err
	}
	b.Color, b.LineStyle.Width = colSuccess, 0
	p.Add(b)
	p.Legend.Add(l.Billable, b)
	if sum(maybe) > 0 {
		m, err := plotter.NewBarChart(maybe, width)
		if err != nil {
			return nil, err
		}
		m.Color, m.LineStyle.Width = colUnknown, 0
		m.StackOn(b)
		p.Add(m)
		p.Legend.Add(l.MaybeBilled, m)
	}
	if len(quota) > 0 {
		line, err := plotter.NewLine(quota)
		if err != nil {
			return nil, err
		}
		line.Color = colQuota
		line.Width = vg.Points(1.5)
		line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(line)
		p.Legend.Add(l.Quota, line)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.NominalX(dayLabels(labels, size.Width)...)
	return render(p, size, 3)
}

func sum(v plotter.Values) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
