// Kantor pusat, the Kasir tidak aktif view (counters silent for more than a day), and the
// finance export.

package app

import (
	"context"
	"errors"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
	"kycdesk/widgets"
)

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
			n, err := exportTo(path, func(w io.Writer) (int, error) { return ho.ExportCSV(ctx, w, f) })
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
