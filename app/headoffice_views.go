package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hq/hqchart"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/safefile"
	"kycdesk/widgets"
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

// hoUnknowns: the calls whose outcome is unknown, to mark billed or not billed.
type hoUnknowns struct {
	s         *headOfficeScreen
	root      fyne.CanvasObject
	resolved  *widget.Check
	info      *widget.Label
	table     *widget.Table
	rows      []hq.Call
	selected  int
	detail    *widget.Label
	billed    *widgets.Button
	notBilled *widgets.Button
}

var hoUnknownCols = []string{"hist.col.time", "ho.u.outlet", "ho.u.counter", "hist.col.product", "hist.col.ref", "ho.u.error", "ho.u.resolution"}

func newHOUnknowns(s *headOfficeScreen) *hoUnknowns {
	v := &hoUnknowns{s: s, selected: -1}
	v.resolved = widget.NewCheck("", func(bool) { s.reload() })
	v.info = wrapLabel()
	v.detail = wrapLabel()
	v.billed = widgets.NewButton("", theme.ConfirmIcon(), func() { v.resolve(hq.ResolutionBilled) })
	v.notBilled = widgets.NewButton("", theme.CancelIcon(), func() { v.resolve(hq.ResolutionNotBilled) })
	v.billed.Disable()
	v.notBilled.Disable()
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(hoUnknownCols) }, cellLabel, v.cell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = headerLabel
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(i18n.T(hoUnknownCols[id.Col]))
		}
	}
	for i, w := range []float32{140, 135, 55, 100, 150, 190, 125} {
		v.table.SetColumnWidth(i, w)
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.pick(id.Row) }
	detail := container.NewBorder(nil, container.NewHBox(v.billed, v.notBilled), nil, nil, vscroll(container.NewPadded(v.detail)))
	v.root = container.NewBorder(container.NewBorder(nil, nil, v.resolved, nil, v.info), nil, nil, nil,
		container.New(&besideOrBelow{wide: 1200, side: 0.3, below: 150}, v.table, detail))
	return v
}

func (v *hoUnknowns) showResolved() bool { return v.resolved.Checked }

func (v *hoUnknowns) retranslate() {
	v.resolved.Text = i18n.T("ho.u.show_resolved")
	v.resolved.Refresh()
	v.billed.SetText(i18n.T("ho.u.billed"))
	v.notBilled.SetText(i18n.T("ho.u.not_billed"))
	v.table.Refresh()
	v.showInfo()
	if v.selected >= 0 {
		v.pick(v.selected)
	} else {
		v.detail.SetText(i18n.T("ho.u.pick"))
	}
}

func (v *hoUnknowns) show(rows []hq.Call) {
	v.rows, v.selected = rows, -1
	v.table.UnselectAll()
	v.table.Refresh()
	v.table.ScrollToTop()
	v.billed.Disable()
	v.notBilled.Disable()
	v.detail.SetText(i18n.T("ho.u.pick"))
	v.showInfo()
}

func (v *hoUnknowns) showInfo() {
	switch {
	case len(v.rows) == 0 && !v.resolved.Checked:
		v.info.SetText(i18n.T("ho.u.none"))
	case v.resolved.Checked:
		v.info.SetText(i18n.T("ho.u.count_resolved", count(len(v.rows))))
	default:
		v.info.SetText(i18n.T("ho.u.count", count(len(v.rows))))
	}
}

func (v *hoUnknowns) cell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.rows) {
		return
	}
	c := v.rows[id.Row]
	l.Importance = widget.MediumImportance
	var text string
	switch id.Col {
	case 0:
		text = dateTime(c.Started)
	case 1:
		text = c.Outlet
	case 2:
		text = c.Counter
	case 3:
		text = productWord(c.Product)
	case 4:
		text = c.CustRefNo
	case 5:
		text = dash(kindWord(c.ErrorKind))
		if c.Outcome == "pending" {
			text = i18n.T("ho.u.never_finished")
		}
	case 6:
		text = i18n.T("ho.u.open")
		l.Importance = widget.WarningImportance
		if c.Resolution != "" {
			text, l.Importance = resolutionWord(c.Resolution), widget.MediumImportance
		}
	}
	l.SetText(text)
}

// resolutionWord names a resolution ("dikenai biaya" / "tidak dikenai biaya").
func resolutionWord(r string) string {
	if r == hq.ResolutionBilled {
		return i18n.T("res.billed")
	}
	return i18n.T("res.not_billed")
}

func (v *hoUnknowns) pick(row int) {
	if row < 0 || row >= len(v.rows) {
		return
	}
	v.selected = row
	c := v.rows[row]
	lines := []string{
		i18n.T("hist.d.ref", c.CustRefNo),
		i18n.T("ho.d.where", c.Outlet, c.Counter),
		i18n.T("hist.d.time", dateTimeSeconds(c.Started)),
		i18n.T("hist.d.product", productWord(c.Product)),
	}
	if c.ErrorKind != "" {
		lines = append(lines, i18n.T("hist.d.error", kindWord(c.ErrorKind)))
	}
	if c.TrxID != "" {
		lines = append(lines, i18n.T("hist.d.trx", c.TrxID))
	}
	if c.OSUser != "" {
		lines = append(lines, i18n.T("ho.d.user", c.OSUser))
	}
	if c.Resolution != "" {
		at := ""
		if c.ResolvedAt != nil {
			at = dateTime(*c.ResolvedAt)
		}
		lines = append(lines, "", i18n.T("ho.d.resolved", resolutionWord(c.Resolution), c.ResolvedBy, at))
		if c.Note != "" {
			lines = append(lines, i18n.T("hist.d.res_note", c.Note))
		}
	} else {
		lines = append(lines, "", i18n.T("ho.d.open"))
	}
	v.detail.SetText(strings.Join(lines, "\n"))
	v.billed.Enable()
	v.notBilled.Enable()
}

// resolve asks for a note, then records the resolution at head office; the counter
// gets it at its next sync.
func (v *hoUnknowns) resolve(resolution string) {
	if v.selected < 0 || v.selected >= len(v.rows) || v.s.ho == nil {
		return
	}
	c, ho, win := v.rows[v.selected], v.s.ho, v.s.u.win
	note := widgets.NewEntry()
	note.SetPlaceHolder(i18n.T("ho.r.note"))
	body := widget.NewLabel(i18n.T("ho.r.body", c.CustRefNo, c.Outlet, c.Counter, dateTime(c.Started), strings.ToUpper(resolutionWord(resolution))))
	body.Wrapping = fyne.TextWrapWord
	var m *widgets.Modal
	save := func() {
		text := strings.TrimSpace(note.Text)
		if utf8.RuneCountInString(text) > hq.MaxNoteLen {
			v.s.u.showError(i18n.T("ho.r.title"), i18n.T("ho.r.too_long", hq.MaxNoteLen))
			return
		}
		v.s.status.SetText(i18n.T("ho.r.saving"))
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := ho.Resolve(ctx, c.CallKey, resolution, text)
			uiDo(func() {
				if err != nil {
					v.s.status.SetText("")
					msg := hoError(err)
					if errors.Is(err, hqdb.ErrDenied) {
						msg = i18n.T("ho.r.denied")
					}
					v.s.u.showError(i18n.T("ho.r.failed"), msg)
					return
				}
				v.s.reload()
				widgets.ShowMessage(win, i18n.T("ho.r.title"), i18n.T("ho.r.done", c.CustRefNo, resolutionWord(resolution)), i18n.T("action.close"))
			})
		}()
	}
	m = widgets.NewModal(win, i18n.T("ho.r.title"), container.NewVBox(body, note), []widgets.ModalButton{
		{Label: i18n.T("action.cancel")},
		{Label: i18n.T("ho.r.save"), Importance: widget.HighImportance, Do: save},
	}, 1, 0)
	note.OnSubmitted = func(string) { m.Enter() }
	note.OnEscape = m.Escape
	m.Resize(fyne.NewSize(560, 0))
	m.Show()
	win.Canvas().Focus(note)
}

// hoSilent: counters not in touch for more than a day.
type hoSilent struct {
	root  fyne.CanvasObject
	info  *widget.Label
	table *widget.Table
	rows  []hq.Counter
}

var hoSilentCols = []string{"ho.u.outlet", "ho.u.counter", "ho.s.last_seen", "ho.s.last_call", "ho.s.silent_for", "ho.s.version"}

func newHOSilent() *hoSilent {
	v := &hoSilent{info: wrapLabel()}
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(hoSilentCols) }, cellLabel, v.cell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = headerLabel
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(i18n.T(hoSilentCols[id.Col]))
		}
	}
	for i, w := range []float32{140, 80, 170, 170, 130, 100} {
		v.table.SetColumnWidth(i, w)
	}
	v.root = container.NewBorder(v.info, nil, nil, nil, v.table)
	return v
}

func (v *hoSilent) retranslate() {
	v.table.Refresh()
	v.showInfo()
}

func (v *hoSilent) show(rows []hq.Counter) {
	v.rows = rows
	v.table.Refresh()
	v.showInfo()
}

func (v *hoSilent) showInfo() {
	if len(v.rows) == 0 {
		v.info.SetText(i18n.T("ho.s.none"))
		return
	}
	v.info.SetText(i18n.T("ho.s.count", count(len(v.rows))))
}

func (v *hoSilent) cell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.rows) {
		return
	}
	c := v.rows[id.Row]
	when := func(t *time.Time) string {
		if t == nil {
			return i18n.T("ho.s.never")
		}
		return dateTime(*t)
	}
	switch id.Col {
	case 0:
		l.SetText(c.Outlet)
	case 1:
		l.SetText(c.Counter)
	case 2:
		l.SetText(when(c.LastSeen))
	case 3:
		l.SetText(when(c.LastCall))
	case 4:
		l.SetText(i18n.T("ho.s.days", number(c.SilentFor(time.Now()).Hours()/24)))
	case 5:
		l.SetText(dash(c.AppVersion))
	}
}

// export writes every call of the filter as CSV for finance, crash-safely (a
// half-written export never takes the chosen name), off the UI goroutine.
func (s *headOfficeScreen) export() {
	ho := s.ho
	if ho == nil {
		s.status.SetText(i18n.T("ho.not_connected"))
		return
	}
	f, err := s.readFilter()
	if err != nil {
		s.status.SetText(err.Error())
		return
	}
	s.u.saveFileDialog("kycdesk-kantor-pusat-"+time.Now().Format("20060102")+".csv", func(path string) {
		s.status.SetText(i18n.T("hist.exporting"))
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			n := 0
			err := safefile.WriteWith(path, func(w io.Writer) error {
				var err error
				n, err = ho.ExportCSV(ctx, w, f)
				return err
			})
			uiDo(func() {
				s.showRange()
				if err != nil {
					msg := i18n.T("hist.export_failed_detail", path)
					var he *hqdb.Error
					if errors.As(err, &he) {
						msg = hoError(err)
					}
					s.u.showError(i18n.T("hist.export_failed"), msg)
					return
				}
				widgets.ShowMessage(s.u.win, i18n.T("ho.export"), i18n.T("hist.exported", count(n), path), i18n.T("action.close"))
			})
		}()
	})
}
