package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/kyc/vault"
	"kycdesk/widgets"
)

// The Kantor pusat (head office) screen: every counter's calls as head office's
// PostgreSQL has them, for a profile with a head_office section. Filters (days,
// outlet, counter, product) above four views: the figures, the two charts, the
// unknown outcomes to resolve and the silent counters; CSV export for finance.
// Every query runs off the UI goroutine and comes back in one uiDo; a newer load
// makes older answers stale (gen). Invoice reconciliation stays with the command
// (`kycdesk hq invoice`): it needs the vendor's file and a column mapping.

// headOfficeScreen is the Kantor pusat tab.
type headOfficeScreen struct {
	u    *UI
	root fyne.CanvasObject

	profile vault.Profile // whose head_office section ho was opened with
	ho      HeadOffice    // nil until connected (UI goroutine)
	gen     int           // the latest connect or load; older answers are dropped
	busy    bool

	from, to                 *widgets.Entry
	outlet, counter, product *widget.Select
	outletValues             []string
	counterValues            []string
	productValues            []string
	counters                 []hq.Counter
	apply, exportBtn         *widgets.Button
	status                   *widget.Label
	filter                   hq.Filter // the filter of the figures on screen
	settings                 hq.Settings

	views    *container.AppTabs
	figures  *hoFigures
	charts   *hoCharts
	unknowns *hoUnknowns
	silent   *hoSilent
}

func newHeadOfficeScreen(u *UI) *headOfficeScreen {
	s := &headOfficeScreen{u: u}
	s.from, s.to = widgets.NewEntry(), widgets.NewEntry()
	for _, e := range []*widgets.Entry{s.from, s.to} {
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.outlet = widget.NewSelect(nil, nil)
	s.counter = widget.NewSelect(nil, nil)
	s.product = widget.NewSelect(nil, nil)
	s.productValues = []string{"", string(kyc.ProductLiveness), string(kyc.ProductIDRecognize), string(kyc.ProductIDValidation)}
	s.outletValues, s.counterValues = []string{""}, []string{""}
	s.apply = widgets.NewButton("", theme.ViewRefreshIcon(), s.reload)
	s.apply.Importance = widget.HighImportance
	s.exportBtn = widgets.NewButton("", theme.DocumentSaveIcon(), s.export)
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis

	s.figures = newHOFigures(s)
	s.charts = newHOCharts()
	s.unknowns = newHOUnknowns(s)
	s.silent = newHOSilent()
	s.views = container.NewAppTabs(
		container.NewTabItem("", s.figures.root),
		container.NewTabItem("", s.charts.root),
		container.NewTabItem("", s.unknowns.root),
		container.NewTabItem("", s.silent.root),
	)
	s.views.OnSelected = func(*container.TabItem) {
		if s.views.SelectedIndex() == 1 {
			s.charts.shown()
		}
	}
	filters := container.NewGridWithColumns(5, s.from, s.to, s.outlet, s.counter, s.product)
	actions := container.NewBorder(nil, nil, nil, container.NewHBox(s.apply, s.exportBtn), s.status)
	s.root = container.NewBorder(container.NewPadded(container.NewVBox(filters, actions)), nil, nil, nil, s.views)
	s.retranslate()
	s.outlet.OnChanged = func(string) { s.fillCounters(); s.reload() }
	s.counter.OnChanged = func(string) { s.reload() }
	s.product.OnChanged = func(string) { s.reload() }
	return s
}

func (s *headOfficeScreen) content() fyne.CanvasObject { return s.root }

func (s *headOfficeScreen) focus() { s.u.win.Canvas().Focus(s.from) }

func (s *headOfficeScreen) retranslate() {
	s.from.SetPlaceHolder(i18n.T("hist.from"))
	s.to.SetPlaceHolder(i18n.T("hist.to"))
	s.apply.SetText(i18n.T("ho.apply"))
	s.exportBtn.SetText(i18n.T("ho.export"))
	s.fillOutlets()
	setOptions(s.product, productChoices())
	s.countViews()
	s.figures.retranslate()
	s.charts.retranslate()
	s.unknowns.retranslate()
	s.silent.retranslate()
	if s.ho != nil && !s.busy {
		s.showRange()
	}
}

// countViews titles the views, with the counts of what needs attention.
func (s *headOfficeScreen) countViews() {
	for i, k := range []string{"ho.view.figures", "ho.view.charts", "ho.view.unknowns", "ho.view.silent"} {
		s.views.Items[i].Text = i18n.T(k)
	}
	if n := len(s.unknowns.rows); n > 0 && !s.unknowns.resolved.Checked {
		s.views.Items[2].Text += " (" + count(n) + ")"
	}
	if n := len(s.silent.rows); n > 0 {
		s.views.Items[3].Text += " (" + count(n) + ")"
	}
	s.views.Refresh()
}

// fillOutlets lists the outlets head office knows (from its counters), keeping the choice.
func (s *headOfficeScreen) fillOutlets() {
	s.outletValues = []string{""}
	seen := map[string]bool{}
	for _, c := range s.counters {
		if !seen[c.Outlet] {
			seen[c.Outlet] = true
			s.outletValues = append(s.outletValues, c.Outlet)
		}
	}
	keepChoice(s.outlet, append([]string{i18n.T("ho.all_outlets")}, s.outletValues[1:]...))
	s.fillCounters()
}

// fillCounters lists the counters of the chosen outlet (of every outlet when none is).
func (s *headOfficeScreen) fillCounters() {
	outlet := s.outletValues[max(s.outlet.SelectedIndex(), 0)]
	s.counterValues = []string{""}
	seen := map[string]bool{}
	for _, c := range s.counters {
		if (outlet == "" || c.Outlet == outlet) && !seen[c.Counter] {
			seen[c.Counter] = true
			s.counterValues = append(s.counterValues, c.Counter)
		}
	}
	keepChoice(s.counter, append([]string{i18n.T("ho.all_counters")}, s.counterValues[1:]...))
}

// keepChoice replaces a Select's options keeping the chosen text when it is still
// offered (else "all"), without calling OnChanged.
func keepChoice(sel *widget.Select, opts []string) {
	was := sel.SelectedIndex()
	text := sel.Selected
	changed := sel.OnChanged
	sel.OnChanged = nil
	sel.Options = opts
	i := 0
	for j, o := range opts {
		if was > 0 && o == text {
			i = j
		}
	}
	sel.SetSelectedIndex(i)
	sel.OnChanged = changed
}

// readFilter builds the query from the inputs (DD-MM-YYYY, as on the KTP); empty
// dates mean the last 30 days.
func (s *headOfficeScreen) readFilter() (hq.Filter, error) {
	var f hq.Filter
	for _, d := range []struct {
		e   *widgets.Entry
		dst *time.Time
	}{{s.from, &f.From}, {s.to, &f.To}} {
		if t := strings.TrimSpace(d.e.Text); t != "" {
			day, err := history.ParseDay(t, time.UTC)
			if err != nil {
				return f, errors.New(i18n.T("hist.bad_date", t))
			}
			*d.dst = day
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, errors.New(i18n.T("ho.bad_range"))
	}
	if i := s.outlet.SelectedIndex(); i > 0 {
		f.Outlets = []string{s.outletValues[i]}
	}
	if i := s.counter.SelectedIndex(); i > 0 {
		f.Counters = []string{s.counterValues[i]}
	}
	if i := s.product.SelectedIndex(); i > 0 {
		f.Products = []string{s.productValues[i]}
	}
	return f, nil
}

// setProfile points the screen at a profile's head office; a different connection
// is dropped (closed off the UI goroutine) and opened again on the next load.
func (s *headOfficeScreen) setProfile(p vault.Profile) {
	if s.ho != nil && s.profile.Name == p.Name && sameHeadOffice(s.profile.HeadOffice, p.HeadOffice) {
		return
	}
	s.closeConn()
	s.profile = p
}

func sameHeadOffice(a, b *vault.HeadOfficeSection) bool {
	return a != nil && b != nil && *a == *b
}

// closeConn drops the connection (the pool closes off the UI goroutine).
func (s *headOfficeScreen) closeConn() {
	if ho := s.ho; ho != nil {
		go ho.Close()
	}
	s.ho = nil
	s.gen++
	s.busy = false
}

// reload connects if needed, then loads everything for the filter, off the UI
// goroutine.
func (s *headOfficeScreen) reload() {
	f, err := s.readFilter()
	if err != nil {
		s.status.SetText(err.Error())
		return
	}
	s.gen++
	gen := s.gen
	s.busy = true
	ho, p, open := s.ho, s.profile, s.u.deps.OpenHeadOffice
	if ho == nil {
		s.status.SetText(i18n.T("ho.connecting"))
	} else {
		s.status.SetText(i18n.T("hist.loading"))
	}
	size, by, resolved := s.charts.size(), s.figures.dims(), s.unknowns.showResolved()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var err error
		fresh := ho == nil
		if fresh {
			if open == nil {
				err = hqdb.NewError(hqdb.CodeConfig, "connect", errors.New("no head office connection"))
			} else {
				ho, err = open(ctx, p)
			}
		}
		var d hoData
		if err == nil {
			d, err = loadHeadOffice(ctx, ho, f, by, resolved, size)
		}
		uiDo(func() {
			if gen != s.gen {
				if fresh && ho != nil {
					go ho.Close()
				}
				return
			}
			s.busy = false
			if fresh && ho != nil {
				s.ho = ho
			}
			if err != nil {
				s.status.SetText(hoError(err))
				return
			}
			s.show(f, d)
		})
	}()
}

// show puts one load's answers on screen.
func (s *headOfficeScreen) show(f hq.Filter, d hoData) {
	s.filter, s.settings, s.counters = f, d.settings, d.counters
	s.fillOutlets()
	s.figures.show(d.total, d.rows, d.settings.DailyQuota)
	s.charts.show(d.perDay, d.quota, d.chartSize, d.callsChart, d.quotaChart, d.chartError)
	s.unknowns.show(d.unknowns)
	s.silent.show(d.silent)
	s.countViews()
	s.showRange()
}

// showRange says which days the figures cover (the default is the last 30 days).
func (s *headOfficeScreen) showRange() {
	loc := s.settings.Location
	if loc == nil {
		loc = time.Local
	}
	to := s.filter.To
	if to.IsZero() {
		to = time.Now().In(loc)
	}
	from := s.filter.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -29)
	}
	s.status.SetText(i18n.T("ho.range", from.Format("02-01-2006"), to.Format("02-01-2006")))
}
