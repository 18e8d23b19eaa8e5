package widgets

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// drain runs what the dialog queued for the UI goroutine (its folder listing).
func drain(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The dialog opens on a folder with its newest photo chosen (Enter takes it), lists
// only images (folders first), takes a typed path, opens a typed folder, and Esc
// answers nothing.
func TestFileDialogNewestChosenTypedPathAndKeys(t *testing.T) {
	test.NewTempApp(t)
	dir := t.TempDir()
	now := time.Now()
	for i, name := range []string{"old.jpg", "newest.heic", "notes.txt", "mid.png"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		mod := now.Add(-time.Duration(10-i) * time.Minute)
		if name == "newest.heic" {
			mod = now
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, NewEntry())
	w.Resize(fyne.NewSize(1000, 700))
	var got string
	d := NewFileDialog(w, DefaultFileDialogTexts(), false, ImageExtensions, func(p string) { got = p })
	d.Show(dir, "")
	drain(t, func() bool { return len(d.Names()) > 0 && d.Path() != "" })
	if names := d.Names(); len(names) != 4 || names[0] != "sub" || names[1] != "newest.heic" {
		t.Fatalf("listed %v", names)
	}
	if d.Path() != filepath.Join(dir, "newest.heic") || w.Canvas().Focused() != d.path {
		t.Fatalf("chosen %q, focus %v", d.Path(), w.Canvas().Focused())
	}
	// Down moves the choice while the path keeps the focus.
	d.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if d.Path() != filepath.Join(dir, "mid.png") {
		t.Fatalf("after Down: %q", d.Path())
	}
	// Enter takes the chosen file.
	d.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got != filepath.Join(dir, "mid.png") || d.Visible() {
		t.Fatalf("Enter: got %q, dialog open %v", got, d.Visible())
	}

	// A typed folder opens; a typed file is taken; a missing one is said so.
	got = ""
	d = NewFileDialog(w, DefaultFileDialogTexts(), false, ImageExtensions, func(p string) { got = p })
	d.Show(dir, "")
	drain(t, func() bool { return len(d.Names()) > 0 })
	d.SetPath(filepath.Join(dir, "sub"))
	d.Submit()
	drain(t, func() bool { return d.dir == filepath.Join(dir, "sub") })
	d.SetPath(filepath.Join(dir, "nope.jpg"))
	d.Submit()
	if got != "" || d.status.Text == "" {
		t.Fatalf("a missing file: got %q, status %q", got, d.status.Text)
	}
	d.SetPath(filepath.Join(dir, "old.jpg"))
	d.Submit()
	if got != filepath.Join(dir, "old.jpg") {
		t.Fatalf("typed path: %q", got)
	}

	// Esc answers nothing.
	got = ""
	d = NewFileDialog(w, DefaultFileDialogTexts(), false, ImageExtensions, func(p string) { got = p })
	d.Show(dir, "")
	d.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if got != "" || d.Visible() {
		t.Fatalf("Esc: %q, open %v", got, d.Visible())
	}
}
