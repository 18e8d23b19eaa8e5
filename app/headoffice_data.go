// The Kantor pusat screen's data: one load of every view's figures off the UI goroutine,
// and the words and cells they are shown with.

package app

import (
	"context"
	"errors"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"kycdesk/app/i18n"
	"kycdesk/kyc/hq"
	"kycdesk/kyc/hqdb"
)

// hoData is one load's answers.
type hoData struct {
	settings   hq.Settings
	total      hq.Counts
	rows       []hq.SummaryRow
	unknowns   []hq.Call
	silent     []hq.Counter
	counters   []hq.Counter
	perDay     []hq.SummaryRow
	quota      []hq.QuotaDay
	chartSize  chartSize
	callsChart image.Image
	quotaChart image.Image
	chartError error
}

// loadHeadOffice asks head office for everything the screen shows and draws the
// charts (gonum/plot, a few tens of milliseconds): all off the UI goroutine.
func loadHeadOffice(ctx context.Context, ho HeadOffice, f hq.Filter, by []hq.Dimension, resolved bool, size chartSize) (hoData, error) {
	var d hoData
	var err error
	if d.settings, err = ho.Settings(ctx); err != nil {
		return d, err
	}
	if d.counters, err = ho.Counters(ctx); err != nil {
		return d, err
	}
	total, err := ho.Summary(ctx, f)
	if err != nil {
		return d, err
	}
	if len(total) > 0 {
		d.total = total[0].Counts
	}
	if d.rows, err = ho.Summary(ctx, f, by...); err != nil {
		return d, err
	}
	if d.unknowns, err = ho.Unknowns(ctx, f, hq.UnknownOptions{Resolved: resolved}); err != nil {
		return d, err
	}
	if d.silent, err = ho.SilentCounters(ctx, 24*time.Hour); err != nil {
		return d, err
	}
	if d.perDay, err = ho.CallsPerDay(ctx, f); err != nil {
		return d, err
	}
	if d.quota, err = ho.QuotaUse(ctx, f); err != nil {
		return d, err
	}
	d.chartSize = size
	d.callsChart, d.quotaChart, d.chartError = drawCharts(d.perDay, d.quota, size)
	return d, nil
}

// hoError says in the user's language what went wrong at head office.
func hoError(err error) string {
	var he *hqdb.Error
	if errors.As(err, &he) {
		if w := i18n.T("ho.err." + string(he.Code)); w != "ho.err."+string(he.Code) {
			return w
		}
	}
	return i18n.T("ho.err.other")
}

// dayText writes a report day (YYYY-MM-DD) as DD-MM-YYYY.
func dayText(d string) string {
	if t, err := time.Parse(hq.DateLayout, d); err == nil {
		return t.Format("02-01-2006")
	}
	return d
}

// cellLabel is a table cell: one truncating label.
func cellLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// headerLabel is a bold table header.
func headerLabel() fyne.CanvasObject {
	return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// chartImage is a chart's picture, scaled into its place keeping its shape.
func chartImage() *canvas.Image {
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	img.SetMinSize(fyne.NewSize(200, 90))
	return img
}
