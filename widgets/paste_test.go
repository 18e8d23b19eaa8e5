package widgets

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// fakeClipboardImage replaces the platform clipboard read for one test.
func fakeClipboardImage(t *testing.T, f func() ([]byte, error)) {
	t.Helper()
	old := ClipboardImage
	ClipboardImage = f
	t.Cleanup(func() { ClipboardImage = old })
}

func writeFile(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPathFromLine(t *testing.T) {
	abs := filepath.Join(string(filepath.Separator)+"home", "clerk", "ktp 1.jpg")
	if runtime.GOOS == "windows" {
		abs = `C:\Users\clerk\ktp 1.jpg`
	}
	uri := storage.NewFileURI(abs).String() // percent-encodes the space
	for _, tc := range []struct{ in, want string }{
		{abs, abs},
		{`"` + abs + `"`, abs},
		{"  " + abs + "  ", abs},
		{uri, abs},
		{"relative/ktp.jpg", ""},
		{"file://otherhost/ktp.jpg", ""},
		{"", ""},
		{"copy", ""},
	} {
		if got := pathFromLine(tc.in); got != tc.want {
			t.Errorf("pathFromLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestImagePathFromText(t *testing.T) {
	dir := t.TempDir()
	jpg := writeFile(t, dir, "ktp.JPG")
	txt := writeFile(t, dir, "notes.txt")
	if err := os.Mkdir(filepath.Join(dir, "folder.png"), 0o700); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone.png")
	for _, tc := range []struct{ name, in, want string }{
		{"plain path", jpg, jpg},
		{"gnome copied files", "copy\n" + storage.NewFileURI(txt).String() + "\n" + storage.NewFileURI(jpg).String(), jpg},
		{"crlf lines", missing + "\r\n" + jpg + "\r\n", jpg},
		{"not an image", txt, ""},
		{"missing file", missing, ""},
		{"directory", filepath.Join(dir, "folder.png"), ""},
		{"prose", "Budi Santoso, Jl. Merdeka 1", ""},
	} {
		if got := imagePathFromText(tc.in); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPastePathGoesToOnFile(t *testing.T) {
	z, _ := newTestZone(t)
	q := newUIQueue()
	z.do = q.do
	fakeClipboardImage(t, func() ([]byte, error) {
		t.Error("the platform clipboard was read although a path was pasted")
		return nil, nil
	})
	jpg := writeFile(t, t.TempDir(), "selfie.jpeg")
	clip := test.NewClipboard()
	clip.SetContent(`"` + jpg + `"`)

	var got fyne.URI
	z.OnFile = func(u fyne.URI) { got = u }
	z.Paste(clip)
	if !z.pasteBtn.Disabled() || z.notice.Text == "" {
		t.Error("no sign of the paste in progress")
	}
	z.Paste(clip) // ignored while the first is resolved
	q.runNext(t)
	q.expectNone(t, 50*time.Millisecond)
	if got == nil || got.Path() != filepath.ToSlash(jpg) && got.Path() != jpg {
		t.Fatalf("OnFile got %v, want %s", got, jpg)
	}
	if z.pasteBtn.Disabled() || z.notice.Visible() {
		t.Error("paste did not finish cleanly")
	}
}

func TestPasteImageBytesGoToOnData(t *testing.T) {
	z, _ := newTestZone(t)
	q := newUIQueue()
	z.do = q.do
	png := []byte("\x89PNG fake")
	fakeClipboardImage(t, func() ([]byte, error) { return png, nil })
	clip := test.NewClipboard()
	clip.SetContent("just some text")

	var gotData []byte
	var gotName string
	z.OnData = func(d []byte, n string) { gotData, gotName = d, n }
	z.Paste(clip)
	q.runNext(t)
	if string(gotData) != string(png) || gotName != ClipboardImageName {
		t.Errorf("OnData got %q %q", gotData, gotName)
	}
}

func TestPasteNothingSaysSo(t *testing.T) {
	for name, read := range map[string]func() ([]byte, error){
		"empty":       func() ([]byte, error) { return nil, nil },
		"unavailable": func() ([]byte, error) { return nil, ErrNoClipboardImage },
		"failing":     func() ([]byte, error) { return []byte("partial"), errors.New("boom") },
	} {
		t.Run(name, func(t *testing.T) {
			z, _ := newTestZone(t)
			q := newUIQueue()
			z.do = q.do
			fakeClipboardImage(t, read)
			z.OnData = func([]byte, string) { t.Error("OnData called") }
			z.OnFile = func(fyne.URI) { t.Error("OnFile called") }
			z.SetPreview(testImage(10, 10), "kept", nil)
			z.Paste(test.NewClipboard())
			q.runNext(t)
			if z.notice.Text != z.texts.PasteEmpty || !z.notice.Visible() {
				t.Errorf("notice %q", z.notice.Text)
			}
			if z.Image() == nil {
				t.Error("a failed paste dropped the image already shown")
			}
		})
	}
}

func TestPasteHungClipboardTimesOut(t *testing.T) {
	z, _ := newTestZone(t)
	q := newUIQueue()
	z.do = q.do
	release := make(chan struct{})
	var calls atomic.Int32
	fakeClipboardImage(t, func() ([]byte, error) { calls.Add(1); <-release; return []byte("late"), nil })
	oldTimeout := ClipboardImageTimeout
	ClipboardImageTimeout = 30 * time.Millisecond
	t.Cleanup(func() { ClipboardImageTimeout = oldTimeout })

	z.OnData = func([]byte, string) { t.Error("a late answer was delivered") }
	z.Paste(test.NewClipboard())
	q.runNext(t)
	if z.notice.Text != z.texts.PasteEmpty {
		t.Errorf("notice %q after a timeout", z.notice.Text)
	}
	// While the hung read is outstanding, a new paste does not start another one.
	z.Paste(test.NewClipboard())
	q.runNext(t)
	if calls.Load() != 1 {
		t.Errorf("%d platform reads, want 1", calls.Load())
	}
	close(release)
	deadline := time.Now().Add(time.Second)
	for clipReadInFlight.Load() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if clipReadInFlight.Load() {
		t.Error("the in-flight flag was not released")
	}
}

func TestPasteIgnoredWhileBusy(t *testing.T) {
	z, _ := newTestZone(t)
	z.SetBusy("")
	z.Paste(test.NewClipboard())
	if z.pasting {
		t.Error("Paste started while an image is prepared")
	}
}
