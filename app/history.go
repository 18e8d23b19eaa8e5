package app

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc"
	"kycdesk/kyc/history"
	"kycdesk/kyc/nik"
	"kycdesk/kyc/safefile"
	"kycdesk/widgets"
)

// historyPage is how many rows one query loads; the table asks for more as the clerk
// scrolls (keyset paging: every page costs the same, however deep).
const historyPage = 200

// historyScreen lists every call on record: filters, search, a virtualized table, a
// detail panel and CSV export. It shows only clear fields and the masked NIK.
type historyScreen struct {
	u    *UI
	root fyne.CanvasObject

	from, to, search *widgets.Entry
	product, outcome *widget.Select
	apply, exportBtn *widgets.Button
	table            *widget.Table
	detail           *widget.Label
	status           *widget.Label
	unknownNote      *widget.Label
	productValues    []string
	outcomeValues    []string
	rows             []history.Record // UI goroutine only
	total            int              // rows matching the filter (a count query)
	photos           *widgets.Button  // shows the kept photos of the chosen call
	next             string
	filter           history.Filter
	loading          bool
	gen              int
	selected         int
}

var historyColumns = []string{"hist.col.time", "hist.col.product", "hist.col.ref", "hist.col.nik", "hist.col.outcome", "hist.col.detail"}

func newHistoryScreen(u *UI) *historyScreen {
	h := &historyScreen{u: u, selected: -1}
	h.from = widgets.NewEntry()
	h.to = widgets.NewEntry()
	h.search = widgets.NewEntry()
	for _, e := range []*widgets.Entry{h.from, h.to, h.search} {
		e.OnSubmitted = func(string) { h.reload() }
	}
	h.productValues = []string{"", string(kyc.ProductLiveness), string(kyc.ProductIDRecognize), string(kyc.ProductIDValidation)}
	h.product = widget.NewSelect(nil, nil)
	h.outcomeValues = []string{"", history.OutcomeSuccess, history.OutcomeRejected, history.OutcomeFailed, history.OutcomeUnknown, history.OutcomePending}
	h.outcome = widget.NewSelect(nil, nil)
	h.detail = widget.NewLabel("")
	h.detail.Wrapping = fyne.TextWrapWord
	h.photos = widgets.NewButton("", theme.FileImageIcon(), nil)
	h.photos.Hide()
	h.status = widget.NewLabel("")
	h.unknownNote = widget.NewLabel("")
	h.unknownNote.Wrapping = fyne.TextWrapWord
	h.unknownNote.Importance = widget.WarningImportance
	h.unknownNote.Hide()

	h.table = widget.NewTableWithHeaders(h.size, h.createCell, h.updateCell)
	h.table.ShowHeaderColumn = false
	h.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	h.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 && id.Col < len(historyColumns) {
			o.(*widget.Label).SetText(i18n.T(historyColumns[id.Col]))
		}
	}
	for i, w := range []float32{130, 90, 165, 140, 225, 180} {
		h.table.SetColumnWidth(i, w)
	}
	h.table.OnSelected = func(id widget.TableCellID) { h.show(id.Row) }

	h.apply = widgets.NewButton("", theme.SearchIcon(), h.reload)
	h.exportBtn = widgets.NewButton("", theme.DocumentSaveIcon(), h.export)
	search := container.NewBorder(nil, nil, nil, container.NewHBox(h.apply, h.exportBtn), h.search)
	filters := container.NewGridWithColumns(4, h.from, h.to, h.product, h.outcome)
	top := container.NewVBox(search, filters, container.NewBorder(nil, nil, h.status, nil, h.unknownNote))
	detail := vscroll(container.NewPadded(container.NewVBox(h.detail, container.NewHBox(h.photos))))
	h.root = container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.New(&besideOrBelow{wide: 1200, side: 0.3, below: 170}, h.table, detail))
	h.retranslate()
	h.product.OnChanged = func(string) { h.reload() }
	h.outcome.OnChanged = func(string) { h.reload() }
	return h
}

func (h *historyScreen) content() fyne.CanvasObject { return h.root }

func (h *historyScreen) focus() { h.u.win.Canvas().Focus(h.search) }

// retranslate re-labels the filters and the table, keeping the choices and the rows.
func (h *historyScreen) retranslate() {
	h.from.SetPlaceHolder(i18n.T("hist.from"))
	h.to.SetPlaceHolder(i18n.T("hist.to"))
	h.search.SetPlaceHolder(i18n.T("hist.search"))
	setOptions(h.product, productChoices())
	opts := []string{i18n.T("hist.all_outcomes")}
	for _, o := range h.outcomeValues[1:] {
		opts = append(opts, outcomeWord(o))
	}
	setOptions(h.outcome, opts)
	h.apply.SetText(i18n.T("hist.apply"))
	h.photos.SetText(i18n.T("hist.photos"))
	h.exportBtn.SetText(i18n.T("hist.export"))
	h.table.Refresh()
	if h.selected >= 0 {
		h.show(h.selected)
	} else {
		h.detail.SetText(i18n.T("hist.pick"))
	}
	h.showCount()
}

// setOptions replaces a Select's options keeping the chosen index, without calling
// OnChanged.
func setOptions(s *widget.Select, opts []string) {
	i := s.SelectedIndex()
	changed := s.OnChanged
	s.OnChanged = nil
	s.Options = opts
	if i < 0 {
		i = 0
	}
	s.SetSelectedIndex(i)
	s.OnChanged = changed
}

func (h *historyScreen) size() (int, int) { return len(h.rows), len(historyColumns) }

func (h *historyScreen) createCell() fyne.CanvasObject {
	return container.NewHBox(widget.NewIcon(nil), widget.NewLabel(""))
}

func (h *historyScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(h.rows) {
		return
	}
	if id.Row >= len(h.rows)-historyPage/4 {
		h.loadMore()
	}
	r := h.rows[id.Row]
	box := o.(*fyne.Container)
	icon, label := box.Objects[0].(*widget.Icon), box.Objects[1].(*widget.Label)
	icon.SetResource(nil)
	icon.Hide()
	label.Importance = widget.MediumImportance
	var text string
	switch id.Col {
	case 0:
		text = dateTime(r.CreatedAt)
	case 1:
		text = productWord(r.Product)
	case 2:
		text = r.CustRefNo
	case 3:
		text = dash(r.NIKMasked)
	case 4:
		// Outcome and verdict: icon + colour + words, never colour alone; a successful
		// call whose answer was "no" says so.
		text = outcomeWord(r.Outcome)
		res := outcomeIcon(r.Outcome)
		label.Importance = outcomeImportance(r.Outcome)
		if r.Resolution.Resolved() {
			// Settled (at head office or here): no longer a warning.
			text += " · " + i18n.T("hist.resolved")
			res, label.Importance = theme.InfoIcon(), widget.MediumImportance
		}
		if v := verdictOf(r, h.u.threshold()); v.known {
			text += " · " + v.word
			if !v.ok {
				res, label.Importance = theme.ErrorIcon(), widget.DangerImportance
			}
		}
		icon.SetResource(res)
		icon.Show()
	case 5:
		text = r.TrxID
		if r.ErrorKind != "" {
			text = kindWord(r.ErrorKind)
		}
	}
	label.SetText(text)
}

// readFilter builds the query from the inputs; it reports bad dates.
func (h *historyScreen) readFilter() (history.Filter, error) {
	var f history.Filter
	var err error
	if s := strings.TrimSpace(h.from.Text); s != "" {
		if f.Since, err = history.ParseDay(s, nil); err != nil {
			return f, errors.New(i18n.T("hist.bad_date", s))
		}
	}
	if s := strings.TrimSpace(h.to.Text); s != "" {
		if f.Until, err = history.ParseDay(s, nil); err != nil {
			return f, errors.New(i18n.T("hist.bad_date", s))
		}
		f.Until = f.Until.AddDate(0, 0, 1)
	}
	if i := h.product.SelectedIndex(); i > 0 {
		f.Product = h.productValues[i]
	}
	if i := h.outcome.SelectedIndex(); i > 0 {
		f.Outcome = h.outcomeValues[i]
	}
	return f, nil
}

// reload runs the query from the first page, off the UI goroutine.
func (h *historyScreen) reload() {
	if h.u.deps.History == nil {
		return
	}
	f, err := h.readFilter()
	if err != nil {
		h.status.SetText(err.Error())
		return
	}
	h.gen++
	gen := h.gen
	h.loading = true
	h.status.SetText(i18n.T("hist.loading"))
	term := strings.TrimSpace(h.search.Text)
	store := h.u.deps.History
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		page, used, err := query(ctx, store, f, term)
		total, cerr := store.Count(ctx, used)
		if err == nil {
			err = cerr
		}
		unknown, _ := store.Count(ctx, history.Filter{Outcome: history.OutcomeUnknown, Unresolved: true})
		uiDo(func() {
			if gen != h.gen {
				return
			}
			h.loading = false
			if err != nil {
				h.status.SetText(historyError(err))
				return
			}
			h.filter, h.rows, h.next, h.selected, h.total = used, page.Records, page.Next, -1, total
			h.detail.SetText(i18n.T("hist.pick"))
			h.photos.Hide()
			h.table.UnselectAll()
			h.table.Refresh()
			h.table.ScrollToTop()
			h.showCount()
			if unknown > 0 {
				h.unknownNote.SetText(i18n.T("hist.unknown_note", count(unknown)))
				h.unknownNote.Show()
			} else {
				h.unknownNote.Hide()
			}
		})
	}()
}

// query applies the search box: a valid NIK searches by NIK (keyed hash), anything
// else any part of a reference or a trx_id. The rows come with their sealed verdicts
// opened, so the list can say "BERHASIL · TIDAK COCOK".
func query(ctx context.Context, store History, f history.Filter, term string) (history.Page, history.Filter, error) {
	f.Limit = historyPage
	f.Personal = true
	if _, err := nik.Parse(term); err == nil {
		f.NIK = term
	} else if term != "" {
		f.Search = term
	}
	p, err := store.List(ctx, f)
	return p, f, err
}

// loadMore fetches the next page when the table nears the end of what is loaded.
func (h *historyScreen) loadMore() {
	if h.loading || h.next == "" {
		return
	}
	h.loading = true
	f, gen, store := h.filter, h.gen, h.u.deps.History
	f.After = h.next
	go func() {
		page, err := store.List(context.Background(), f)
		uiDo(func() {
			if gen != h.gen {
				return
			}
			h.loading = false
			if err != nil {
				h.status.SetText(historyError(err))
				return
			}
			h.rows = append(h.rows, page.Records...)
			h.next = page.Next
			h.table.Refresh()
			h.showCount()
		})
	}()
}

func (h *historyScreen) showCount() {
	h.status.SetText(i18n.T("hist.count", count(h.total)))
}

// export writes the current filter's rows as CSV (no personal fields) to a file the
// clerk chooses; the writing happens off the UI goroutine.
func (h *historyScreen) export() {
	store, f := h.u.deps.History, h.filter
	f.After = ""
	if store == nil {
		h.status.SetText(i18n.T("hist.unavailable"))
		return
	}
	h.u.saveFileDialog("kycdesk-riwayat-"+time.Now().Format("20060102")+".csv", func(path string) {
		h.status.SetText(i18n.T("hist.exporting"))
		go func() {
			opt := history.ExportOptions{Format: history.FormatCSV, Filter: f}
			var n int
			var err error
			if ex := h.u.deps.Exporter; ex != nil {
				// Crash-safe and owner-only: the export has the outlet's transactions.
				n, err = ex.ExportFile(context.Background(), path, opt)
			} else {
				n, err = exportTo(path, func(w io.Writer) (int, error) { return store.Export(context.Background(), w, opt) })
			}
			uiDo(func() {
				h.showCount()
				if err != nil {
					h.u.showError(i18n.T("hist.export_failed"), i18n.T("hist.export_failed_detail", path))
					return
				}
				widgets.ShowMessage(h.u.win, i18n.T("hist.export"), i18n.T("hist.exported", count(n), path), i18n.T("action.close"))
			})
		}()
	})
}

// exportTo writes an export through the crash-safe writer (temporary file, fsync, rename;
// owner-only): a failed export never leaves half a file under the chosen name. It returns
// the rows write reports.
func exportTo(path string, write func(io.Writer) (int, error)) (int, error) {
	n := 0
	err := safefile.WriteWith(path, func(w io.Writer) error {
		var err error
		n, err = write(w)
		return err
	})
	return n, err
}
