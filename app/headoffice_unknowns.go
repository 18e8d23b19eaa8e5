// Kantor pusat, the Tidak pasti view: unknown outcomes, and resolving one as billed or not
// billed with a note (synced back to its counter).

package app

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/widgets"
)

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
