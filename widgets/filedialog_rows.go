// FileDialog's rows: name, size and date of each file, tapped to choose, double-tapped to open.

package widgets

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func (d *FileDialog) newRow() fyne.CanvasObject {
	r := &fileRow{d: d, icon: widget.NewIcon(nil), name: widget.NewLabel(""), meta: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.meta.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	r.box = container.NewBorder(nil, nil, r.icon, r.meta, r.name)
	return r
}

func (d *FileDialog) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*fileRow)
	r.id = id
	if id >= len(d.entries) {
		return
	}
	e := d.entries[id]
	r.name.SetText(e.name)
	if e.dir {
		r.icon.SetResource(theme.FolderIcon())
		r.meta.SetText("")
		return
	}
	r.icon.SetResource(theme.FileImageIcon())
	tf, sf := d.texts.Time, d.texts.Size
	if tf == nil {
		tf = func(t time.Time) string { return t.Format("02-01-2006 15:04") }
	}
	if sf == nil {
		sf = humanSize
	}
	r.meta.SetText(tf(e.mod) + "   " + sf(e.size))
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// fileRow is one list row: a click chooses it, a double click opens it.
type fileRow struct {
	widget.BaseWidget
	d    *FileDialog
	id   int
	icon *widget.Icon
	name *widget.Label
	meta *widget.Label
	box  *fyne.Container
}

func (r *fileRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// Tapped chooses the row (and keeps the focus on the path, where Enter opens it).
func (r *fileRow) Tapped(*fyne.PointEvent) {
	r.d.list.Select(r.id)
	r.d.win.Canvas().Focus(r.d.path)
}

// DoubleTapped opens the row: a folder is listed, a file taken.
func (r *fileRow) DoubleTapped(*fyne.PointEvent) {
	r.d.list.Select(r.id)
	r.d.enter()
}
