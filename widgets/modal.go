package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Modal is a dialog a clerk answers from the keyboard: Enter takes the default button
// (which has the focus when the dialog opens), Esc dismisses, Tab moves between the
// buttons. Fyne's own dialogs answer neither Enter nor Esc, and their button texts
// follow the OS language rather than the app's; every Modal text is passed in.
//
// All methods must be called on the UI goroutine (see the package documentation).
type Modal struct {
	d        *dialog.CustomDialog
	win      fyne.Window
	buttons  []*Button
	def      int
	onEscape func()
	open     bool
	answered bool
}

// ModalButton is one answer of a Modal.
type ModalButton struct {
	Label      string
	Importance widget.Importance
	// Do runs after the dialog closed (on the UI goroutine).
	Do func()
}

// openModals are the Modals shown, per window, newest last: the app routes Esc to the
// newest one when no widget of it has the focus.
var openModals = map[fyne.Window][]*Modal{}

// NewModal builds a dialog titled title around content with buttons; def is the index
// of the default button (Enter), and escape the index of the button Esc stands for
// (-1: Esc closes without an answer).
func NewModal(win fyne.Window, title string, content fyne.CanvasObject, buttons []ModalButton, def, escape int) *Modal {
	m := &Modal{win: win, def: def}
	m.d = dialog.NewCustomWithoutButtons(title, content, win)
	objs := make([]fyne.CanvasObject, 0, len(buttons))
	for i, spec := range buttons {
		spec := spec
		b := NewButton(spec.Label, nil, nil)
		b.Importance = spec.Importance
		b.OnTapped = func() { m.answer(spec.Do) }
		m.buttons = append(m.buttons, b)
		objs = append(objs, b)
		if i == escape {
			m.onEscape = func() { m.answer(spec.Do) }
		}
	}
	if m.onEscape == nil {
		m.onEscape = func() { m.answer(nil) }
	}
	for _, b := range m.buttons {
		b.OnEscape = m.Escape
	}
	m.d.SetButtons(objs)
	m.d.SetOnClosed(func() {
		m.open = false
		list := openModals[win]
		for i, x := range list {
			if x == m {
				openModals[win] = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(openModals[win]) == 0 {
			delete(openModals, win)
		}
	})
	return m
}

// ShowConfirm is the common two-button question: confirm (the default, Enter) and
// dismiss (Esc). onResult gets the answer; Esc answers false.
func ShowConfirm(win fyne.Window, title, body, confirm, dismiss string, onResult func(bool)) *Modal {
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	m := NewModal(win, title, text, []ModalButton{
		{Label: dismiss, Do: func() { onResult(false) }},
		{Label: confirm, Importance: widget.HighImportance, Do: func() { onResult(true) }},
	}, 1, 0)
	m.Resize(fyne.NewSize(520, 0))
	m.Show()
	return m
}

// ShowMessage shows text with one button (Enter and Esc close it).
func ShowMessage(win fyne.Window, title, body, closeLabel string) *Modal {
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	m := NewModal(win, title, container.NewVBox(text), []ModalButton{{Label: closeLabel, Importance: widget.HighImportance}}, 0, 0)
	m.Resize(fyne.NewSize(480, 0))
	m.Show()
	return m
}

// Show opens the dialog with the focus on the default button.
func (m *Modal) Show() {
	m.open = true
	m.answered = false
	openModals[m.win] = append(openModals[m.win], m)
	m.d.Show()
	if m.def >= 0 && m.def < len(m.buttons) {
		m.win.Canvas().Focus(m.buttons[m.def])
	}
}

// Resize sets the dialog's size; a zero height keeps its minimum height.
func (m *Modal) Resize(s fyne.Size) {
	if s.Height == 0 {
		s.Height = m.d.MinSize().Height
	}
	m.d.Resize(s)
}

// Escape answers as the Esc key does.
func (m *Modal) Escape() { m.onEscape() }

// Enter answers with the default button, as the Enter key does.
func (m *Modal) Enter() {
	if m.def >= 0 && m.def < len(m.buttons) && !m.buttons[m.def].Disabled() {
		m.buttons[m.def].OnTapped()
	}
}

// Visible reports whether the dialog is open.
func (m *Modal) Visible() bool { return m.open }

// Buttons returns the dialog's buttons in order (tests, focus).
func (m *Modal) Buttons() []*Button { return m.buttons }

// Hide closes the dialog without an answer.
func (m *Modal) Hide() {
	if m.open {
		m.d.Hide()
	}
}

// answer closes the dialog once and then runs do.
func (m *Modal) answer(do func()) {
	if m.answered {
		return
	}
	m.answered = true
	m.d.Hide()
	if do != nil {
		do()
	}
}

// TopModal returns the newest open Modal of win, nil when none is open. The app sends
// Esc and Enter to it when they reach the window (no widget has the focus).
func TopModal(win fyne.Window) *Modal {
	list := openModals[win]
	if len(list) == 0 {
		return nil
	}
	return list[len(list)-1]
}
