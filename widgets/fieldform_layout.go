// FieldForm's layout: labels and entries in one or two columns by the width it gets, each
// field's hint in a fixed slot so nothing moves when one appears.

package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// formLayout places the fields: label column and entry column, in one column or two.
type formLayout struct{ f *FieldForm }

const formGap = 12

// rows groups the fields for the two-column layout: a wide field alone, narrow ones in
// pairs, in order.
func (l *formLayout) rows() [][]*formField {
	var rows [][]*formField
	var pending *formField
	for _, ff := range l.f.fields {
		if ff.spec.Wide {
			if pending != nil {
				rows = append(rows, []*formField{pending})
				pending = nil
			}
			rows = append(rows, []*formField{ff})
			continue
		}
		if pending == nil {
			pending = ff
			continue
		}
		rows = append(rows, []*formField{pending, ff})
		pending = nil
	}
	if pending != nil {
		rows = append(rows, []*formField{pending})
	}
	return rows
}

// labelWidths returns the widest label of the left and right columns of the two-column
// layout, and of all fields.
func (l *formLayout) labelWidths() (left, right, all float32) {
	for _, row := range l.rows() {
		for i, ff := range row {
			w := ff.label.MinSize().Width
			if i == 0 && w > left {
				left = w
			}
			if i == 1 && w > right {
				right = w
			}
		}
	}
	all = left
	if right > all {
		all = right
	}
	return
}

// minEntry is the narrowest an entry may be: a whole NIK, with its icons.
func (l *formLayout) minEntry() float32 {
	w := fyne.MeasureText("0000000000000000", theme.TextSize(), fyne.TextStyle{}).Width
	return w + 2*theme.InnerPadding() + 4 + theme.IconInlineSize() + 2*theme.Padding()
}

func (l *formLayout) twoColumns(width float32) bool {
	left, right, _ := l.labelWidths()
	need := left + right + 2*l.minEntry() + 2*theme.Padding() + formGap
	return width >= TwoColumnWidth && width >= need
}

func (l *formLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	y := float32(0)
	place := func(ff *formField, x, labelW, w, h float32) {
		ff.label.Move(fyne.NewPos(x, y))
		ff.label.Resize(fyne.NewSize(labelW, ff.label.MinSize().Height))
		ff.cell.Move(fyne.NewPos(x+labelW+pad, y))
		ff.cell.Resize(fyne.NewSize(w-labelW-pad, h))
	}
	if !l.twoColumns(size.Width) {
		_, _, lw := l.labelWidths()
		for _, ff := range l.f.fields {
			h := ff.cell.MinSize().Height
			place(ff, 0, lw, size.Width, h)
			y += h + pad
		}
		return
	}
	lw, rw, _ := l.labelWidths()
	colW := (size.Width - formGap) / 2
	for _, row := range l.rows() {
		h := float32(0)
		for _, ff := range row {
			if m := ff.cell.MinSize().Height; m > h {
				h = m
			}
		}
		if len(row) == 1 && row[0].spec.Wide {
			place(row[0], 0, lw, size.Width, h)
		} else {
			place(row[0], 0, lw, colW, h)
			if len(row) == 2 {
				place(row[1], colW+formGap, rw, colW, h)
			}
		}
		y += h + pad
	}
}

func (l *formLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	_, _, lw := l.labelWidths()
	h := float32(0)
	// The height of the layout at the width it gets: two columns when the scroll gives
	// room for them.
	width := l.f.scroll.Size().Width
	if l.twoColumns(width) {
		for _, row := range l.rows() {
			rh := float32(0)
			for _, ff := range row {
				if m := ff.cell.MinSize().Height; m > rh {
					rh = m
				}
			}
			h += rh + pad
		}
	} else {
		for _, ff := range l.f.fields {
			h += ff.cell.MinSize().Height + pad
		}
	}
	return fyne.NewSize(lw+pad+l.minEntry(), h)
}
