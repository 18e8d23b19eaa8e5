package app

import (
	"bytes"
	"errors"
	"image"
	"image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hq/hqchart"
)

// The Kantor pusat screen's four views (see headoffice.go).

// hoFigures: calls per outlet, counter, product or day, counted by outcome.
type hoFigures struct {
	s        *headOfficeScreen
	root     fyne.CanvasObject
	by       *widget.Select
	byValues []hq.Dimension
	totals   *widget.Label
	table    *widget.Table
	rows     []hq.SummaryRow
	shownBy  hq.Dimension
}

var hoFigureCols = []string{"", "ho.col.total", "ho.col.success", "ho.col.rejected", "ho.col.failed", "ho.col.unknown", "ho.col.billable", "ho.col.open"}

func newHOFigures(s *headOfficeScreen) *hoFigures {
	v := &hoFigures{s: s, byValues: []hq.Dimension{hq.ByOutlet, hq.ByCounter, hq.ByProduct, hq.ByDay}, shownBy: hq.ByOutlet}
	v.by = widget.NewSelect(nil, nil)
	v.totals = wrapLabel()
	v.totals.TextStyle.Bold = true
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(hoFigureCols) }, cellLabel, v.cell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = headerLabel
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row >= 0 || id.Col < 0 {
			return
		}
		key, l := hoFigureCols[id.Col], o.(*widget.Label)
		l.Alignment = fyne.TextAlignTrailing // over the counts
		if id.Col == 0 {
			key, l.Alignment = "ho.by."+string(v.shownBy), fyne.TextAlignLeading
		}
		l.SetText(i18n.T(key))
	}
	v.table.SetColumnWidth(0, 190)
	for i := 1; i < len(hoFigureCols); i++ {
		v.table.SetColumnWidth(i, 106)
	}
	v.root = container.NewBorder(container.NewBorder(nil, nil, v.by, nil, v.totals), nil, nil, nil, v.table)
	return v
}

func (v *hoFigures) retranslate() {
	opts := make([]string, len(v.byValues))
	for i, d := range v.byValues {
		opts[i] = i18n.T("ho.per." + string(d))
	}
	v.by.OnChanged = nil
	setOptions(v.by, opts)
	v.by.OnChanged = func(string) { v.s.reload() }
	v.table.Refresh()
}

// dims is the breakdown chosen.
func (v *hoFigures) dims() []hq.Dimension {
	return []hq.Dimension{v.byValues[max(v.by.SelectedIndex(), 0)]}
}

func (v *hoFigures) show(total hq.Counts, rows []hq.SummaryRow, quota int64) {
	v.rows, v.shownBy = rows, v.dims()[0]
	text := i18n.T("ho.totals", count(int(total.Total)), count(int(total.Billable)), count(int(total.UnknownOpen)))
	if quota > 0 {
		text += " · " + i18n.T("ho.quota", count(int(quota)))
	}
	v.totals.SetText(text)
	v.table.Refresh()
	v.table.ScrollToTop()
}

func (v *hoFigures) cell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.rows) {
		return
	}
	r := v.rows[id.Row]
	l.TextStyle.Bold = id.Col == 0
	l.Alignment = fyne.TextAlignTrailing
	switch id.Col {
	case 0:
		l.Alignment = fyne.TextAlignLeading
		switch v.shownBy {
		case hq.ByOutlet:
			l.SetText(r.Outlet)
		case hq.ByCounter:
			l.SetText(r.Outlet + " / " + r.Counter)
		case hq.ByProduct:
			l.SetText(productWord(r.Product))
		default:
			l.SetText(dayText(r.Day))
		}
		return
	}
	n := []int64{r.Total, r.Success, r.Rejected, r.Failed, r.Unknown, r.Billable, r.UnknownOpen}[id.Col-1]
	l.SetText(count(int(n)))
}

// hoCharts: calls per day by outcome, and quota use against the daily quota. They
// are drawn at the size of their place, off the UI goroutine, and drawn again when
// that place has changed much (the view shown for the first time, another window
// size) or the language has.
type hoCharts struct {
	root        fyne.CanvasObject
	calls       *canvas.Image
	quota       *canvas.Image
	callsNote   *widget.Label
	quotaNote   *widget.Label
	noData      bool
	unavailable bool

	perDay []hq.SummaryRow // the data drawn, for drawing again
	days   []hq.QuotaDay
	drawn  chartSize
	gen    int
}

func newHOCharts() *hoCharts {
	c := &hoCharts{calls: chartImage(), quota: chartImage(), callsNote: widget.NewLabel(""), quotaNote: widget.NewLabel("")}
	for _, l := range []*widget.Label{c.callsNote, c.quotaNote} {
		l.Alignment = fyne.TextAlignCenter
		l.Hide()
	}
	c.root = container.NewGridWithRows(2, container.NewStack(c.calls, container.NewCenter(c.callsNote)),
		container.NewStack(c.quota, container.NewCenter(c.quotaNote)))
	return c
}

// retranslate draws the charts again with the new language's labels.
func (c *hoCharts) retranslate() {
	c.note()
	if c.perDay != nil {
		c.redraw()
	}
}

// chartSize is the size the charts are drawn at (their place on screen).
type chartSize struct{ w, h int }

func (c *hoCharts) size() chartSize {
	s := c.calls.Size()
	if s.Width < 300 || s.Height < 120 {
		return chartSize{900, 260}
	}
	return chartSize{int(s.Width), int(s.Height)}
}

// shown is called when the charts' view is shown: a place much bigger or smaller
// than the one drawn for gets the charts drawn again.
func (c *hoCharts) shown() {
	now, was := c.size(), c.drawn
	if c.perDay == nil || was.w == 0 {
		return
	}
	if d := float64(now.w)/float64(was.w) - 1; d > 0.05 || d < -0.05 {
		c.redraw()
	} else if d := float64(now.h)/float64(was.h) - 1; d > 0.05 || d < -0.05 {
		c.redraw()
	}
}

// redraw draws the kept data at the current size, off the UI goroutine.
func (c *hoCharts) redraw() {
	c.gen++
	gen, perDay, days, size := c.gen, c.perDay, c.days, c.size()
	go func() {
		calls, quota, err := drawCharts(perDay, days, size)
		uiDo(func() {
			if gen == c.gen {
				c.show(perDay, days, size, calls, quota, err)
			}
		})
	}()
}

// drawCharts draws both charts with the current language's labels and decodes them
// for the screen (off the UI goroutine).
func drawCharts(perDay []hq.SummaryRow, quota []hq.QuotaDay, size chartSize) (image.Image, image.Image, error) {
	l := hqchart.Labels{Success: i18n.T("ho.chart.success"), Rejected: i18n.T("ho.chart.rejected"), Failed: i18n.T("ho.chart.failed"),
		Unknown: i18n.T("ho.chart.unknown"), Pending: i18n.T("ho.chart.pending"), Billable: i18n.T("ho.chart.billable"),
		MaybeBilled: i18n.T("ho.chart.maybe_billed"), Quota: i18n.T("ho.chart.quota"), Calls: i18n.T("ho.chart.calls")}
	sz := hqchart.Size{Width: size.w, Height: size.h}
	l.Title = i18n.T("ho.chart.calls_title")
	calls, err := hqchart.CallsPerDay(perDay, l, sz)
	if err != nil {
		return nil, nil, err
	}
	l.Title = i18n.T("ho.chart.quota_title")
	q, err := hqchart.QuotaUse(quota, l, sz)
	return decodePNG(calls), decodePNG(q), err
}

func decodePNG(b []byte) image.Image {
	if len(b) == 0 {
		return nil
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return img
}

// show puts charts drawn from perDay and days at size on screen.
func (c *hoCharts) show(perDay []hq.SummaryRow, days []hq.QuotaDay, size chartSize, calls, quota image.Image, err error) {
	c.perDay, c.days, c.drawn = perDay, days, size
	if c.perDay == nil {
		c.perDay = []hq.SummaryRow{}
	}
	c.noData = errors.Is(err, hqchart.ErrNoData)
	c.unavailable = err != nil && !c.noData
	c.calls.Image, c.quota.Image = calls, quota
	c.calls.Refresh()
	c.quota.Refresh()
	c.note()
}

func (c *hoCharts) note() {
	text := ""
	switch {
	case c.noData:
		text = i18n.T("ho.chart.no_data")
	case c.unavailable:
		text = i18n.T("ho.chart.failed_draw")
	}
	for _, l := range []*widget.Label{c.callsNote, c.quotaNote} {
		l.SetText(text)
		showIf(l, text != "")
	}
}
