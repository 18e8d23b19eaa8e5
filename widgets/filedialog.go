package widgets

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FileDialogTexts are a FileDialog's strings; the app passes them translated.
type FileDialogTexts struct {
	OpenTitle, SaveTitle string
	Open, Save, Cancel   string
	Up                   string // the parent-folder button
	PathHint             string // the path entry's placeholder
	Home, Desktop        string
	Downloads, Pictures  string
	Documents            string
	Empty                string // a folder with nothing to show
	NotFound             string // a typed path that does not exist; %s is the path
	Unreadable           string // a folder that cannot be listed; %s is the path
	OverwriteTitle       string
	Overwrite            string // %s is the file name
	Replace              string // the overwrite confirmation's button
	// Time formats a file's modification time; nil uses DD-MM-YYYY HH:MM.
	Time func(time.Time) string
	// Size formats a file size; nil uses KB/MB.
	Size func(int64) string
}

// DefaultFileDialogTexts returns English texts.
func DefaultFileDialogTexts() FileDialogTexts {
	return FileDialogTexts{
		OpenTitle: "Open a photo", SaveTitle: "Save as", Open: "Open", Save: "Save", Cancel: "Cancel",
		Up: "Up", PathHint: "Type a path, or pick below", Home: "Home", Desktop: "Desktop",
		Downloads: "Downloads", Pictures: "Pictures", Documents: "Documents",
		Empty: "No matching files here.", NotFound: "Not found: %s", Unreadable: "Cannot read %s",
		OverwriteTitle: "Replace the file?", Overwrite: "%s already exists. Replace it?", Replace: "Replace",
	}
}

// FileDialog is a large open/save dialog for the clerk: it lists the folder's images
// newest first with the newest one chosen, so "Ctrl+O, Enter" takes the photo just
// saved by the scanner or the phone; a path can be typed or pasted; the arrow keys move
// the choice while the path keeps the focus; Enter opens, Esc cancels; a double click
// opens. Fyne's own file dialog shows a few rows in a small window, follows the OS
// language and answers neither Enter nor a typed path.
//
// All methods must be called on the UI goroutine (see the package documentation).
type FileDialog struct {
	win   fyne.Window
	texts FileDialogTexts
	save  bool
	exts  []string
	done  func(path string)

	modal   *Modal
	path    *Entry
	list    *widget.List
	status  *widget.Label
	entries []fileEntry
	dir     string
	sel     int
	gen     int

	// readDir lists a folder; a seam for tests (os.ReadDir by default). It runs off
	// the UI goroutine: a network share may be slow.
	readDir func(string) ([]os.DirEntry, error)
	// do applies a listing on the UI goroutine (Do; a seam for tests).
	do func(func())
}

type fileEntry struct {
	name string
	dir  bool
	mod  time.Time
	size int64
}

// NewFileDialog builds an open dialog (save false) for files with the given extensions
// (lower case, with the dot; nil: every file), or a save dialog. done receives the
// chosen path; it is not called when the clerk cancels.
func NewFileDialog(win fyne.Window, texts FileDialogTexts, save bool, exts []string, done func(path string)) *FileDialog {
	d := &FileDialog{win: win, texts: texts, save: save, exts: exts, done: done, sel: -1, readDir: os.ReadDir, do: Do}
	d.path = NewEntry()
	d.path.SetPlaceHolder(texts.PathHint)
	d.path.OnSubmitted = func(string) { d.enter() }
	d.path.OnEscape = func() { d.modal.Escape() }
	d.path.OnUp = func() { d.move(-1) }
	d.path.OnDown = func() { d.move(1) }
	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.list = widget.NewList(func() int { return len(d.entries) }, d.newRow, d.updateRow)
	d.list.OnSelected = func(id widget.ListItemID) { d.choose(id) }

	up := NewButton(texts.Up, theme.MoveUpIcon(), func() { d.navigate(filepath.Dir(d.dir)) })
	top := container.NewBorder(nil, nil, nil, up, d.path)
	places := container.NewVBox()
	for _, p := range d.places() {
		p := p
		b := NewButton(p.label, p.icon, func() { d.navigate(p.path) })
		b.Alignment = widget.ButtonAlignLeading
		places.Add(b)
	}
	body := container.NewBorder(top, d.status, container.NewVScroll(places), nil, d.list)

	title, action := texts.OpenTitle, texts.Open
	if save {
		title, action = texts.SaveTitle, texts.Save
	}
	d.modal = NewModal(win, title, body, []ModalButton{
		{Label: texts.Cancel},
		{Label: action, Importance: widget.HighImportance, Do: nil},
	}, 1, 0)
	// The action button acts on the path, which may be a folder to open rather than a
	// file: it must not close the dialog by itself.
	act := d.modal.buttons[1]
	act.OnTapped = d.enter
	for _, b := range d.modal.buttons {
		b.OnEscape = d.modal.Escape
	}
	return d
}

type place struct {
	label string
	icon  fyne.Resource
	path  string
}

func (d *FileDialog) places() []place {
	home, _ := os.UserHomeDir()
	var out []place
	add := func(label string, icon fyne.Resource, p string) {
		if p == "" {
			return
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			out = append(out, place{label, icon, p})
		}
	}
	add(d.texts.Home, theme.HomeIcon(), home)
	if home != "" {
		add(d.texts.Desktop, theme.ComputerIcon(), filepath.Join(home, "Desktop"))
		add(d.texts.Downloads, theme.DownloadIcon(), filepath.Join(home, "Downloads"))
		add(d.texts.Pictures, theme.FileImageIcon(), filepath.Join(home, "Pictures"))
		add(d.texts.Documents, theme.DocumentIcon(), filepath.Join(home, "Documents"))
	}
	if runtime.GOOS == "windows" {
		for c := 'C'; c <= 'Z'; c++ {
			root := string(c) + `:\`
			if _, err := os.Stat(root); err == nil {
				out = append(out, place{root, theme.StorageIcon(), root})
			}
		}
	} else {
		add("/", theme.StorageIcon(), "/")
	}
	return out
}

// Show opens the dialog on dir (a folder; for a save dialog the file name goes in the
// path), at most the window's size.
func (d *FileDialog) Show(dir, name string) {
	ws := d.win.Canvas().Size()
	d.modal.Show()
	d.modal.Resize(fyne.NewSize(fyne.Min(900, ws.Width*0.9), fyne.Min(620, ws.Height*0.9)))
	d.navigate(dir)
	if d.save && name != "" {
		d.path.SetText(filepath.Join(dir, name))
	}
	d.win.Canvas().Focus(d.path)
}

// Hide closes the dialog without a choice.
func (d *FileDialog) Hide() { d.modal.Hide() }

// Path returns the path entry's text (tests).
func (d *FileDialog) Path() string { return d.path.Text }

// SetPath types a path (tests).
func (d *FileDialog) SetPath(p string) { d.path.SetText(p) }

// Submit acts as Enter does (tests).
func (d *FileDialog) Submit() { d.enter() }

// Names returns the listed names (tests).
func (d *FileDialog) Names() []string {
	out := make([]string, len(d.entries))
	for i, e := range d.entries {
		out[i] = e.name
	}
	return out
}

// Visible reports whether the dialog is open.
func (d *FileDialog) Visible() bool { return d.modal.Visible() }

// navigate lists dir off the UI goroutine and chooses its newest matching file.
func (d *FileDialog) navigate(dir string) {
	if dir == "" {
		dir, _ = os.UserHomeDir()
	}
	d.gen++
	gen := d.gen
	read, do := d.readDir, d.do
	go func() {
		items, err := read(dir)
		var entries []fileEntry
		for _, it := range items {
			name := it.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			info, ierr := it.Info()
			if ierr != nil {
				continue
			}
			isDir := info.IsDir()
			if !isDir && !d.matches(name) {
				continue
			}
			entries = append(entries, fileEntry{name: name, dir: isDir, mod: info.ModTime(), size: info.Size()})
		}
		// Folders first by name, then files newest first.
		sort.SliceStable(entries, func(i, j int) bool {
			a, b := entries[i], entries[j]
			if a.dir != b.dir {
				return a.dir
			}
			if a.dir {
				return strings.ToLower(a.name) < strings.ToLower(b.name)
			}
			return a.mod.After(b.mod)
		})
		do(func() {
			if gen != d.gen {
				return
			}
			if err != nil {
				d.status.SetText(fmt.Sprintf(d.texts.Unreadable, dir))
				return
			}
			d.dir, d.entries, d.sel = dir, entries, -1
			d.list.UnselectAll()
			d.list.Refresh()
			d.status.SetText("")
			first := -1
			for i, e := range entries {
				if !e.dir {
					first = i
					break
				}
			}
			switch {
			case first >= 0 && !d.save:
				d.list.Select(first)
				d.list.ScrollTo(first)
			case d.save:
				name := filepath.Base(d.path.Text)
				if name == "." || name == string(filepath.Separator) || d.path.Text == "" {
					name = ""
				}
				d.path.SetText(filepath.Join(dir, name))
			default:
				d.path.SetText(dir)
				if len(entries) == 0 {
					d.status.SetText(d.texts.Empty)
				}
			}
		})
	}()
}

func (d *FileDialog) matches(name string) bool {
	if len(d.exts) == 0 {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range d.exts {
		if ext == e {
			return true
		}
	}
	return false
}

// choose makes row id the choice: its path goes in the entry. A second click on the
// same row within half a second opens it.
func (d *FileDialog) choose(id int) {
	if id < 0 || id >= len(d.entries) {
		return
	}
	d.sel = id
	d.path.SetText(filepath.Join(d.dir, d.entries[id].name))
	d.path.CursorColumn = len([]rune(d.path.Text))
	d.path.Refresh()
}

// move steps the choice up or down (the arrow keys in the path entry).
func (d *FileDialog) move(delta int) {
	if len(d.entries) == 0 {
		return
	}
	i := d.sel + delta
	if i < 0 {
		i = 0
	}
	if i >= len(d.entries) {
		i = len(d.entries) - 1
	}
	d.list.Select(i)
	d.list.ScrollTo(i)
}

// enter acts on the typed or chosen path: a folder opens, a file is taken.
func (d *FileDialog) enter() {
	p := strings.TrimSpace(strings.Trim(strings.TrimSpace(d.path.Text), `"`))
	if p == "" {
		return
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(d.dir, p)
	}
	st, err := os.Stat(p)
	switch {
	case err == nil && st.IsDir():
		d.navigate(p)
	case err == nil && !d.save:
		d.take(p)
	case d.save && err == nil:
		ShowConfirm(d.win, d.texts.OverwriteTitle, fmt.Sprintf(d.texts.Overwrite, filepath.Base(p)), d.texts.Replace, d.texts.Cancel, func(ok bool) {
			if ok {
				d.take(p)
			}
		})
	case d.save:
		if dst, derr := os.Stat(filepath.Dir(p)); derr == nil && dst.IsDir() {
			d.take(p)
			return
		}
		d.status.SetText(fmt.Sprintf(d.texts.NotFound, filepath.Dir(p)))
	default:
		d.status.SetText(fmt.Sprintf(d.texts.NotFound, p))
	}
}

func (d *FileDialog) take(p string) {
	d.modal.answer(func() {
		if d.done != nil {
			d.done(p)
		}
	})
}
