package widgets

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// ClipboardImage reads image bytes (PNG) from the platform clipboard. It returns
// (nil, nil) when the clipboard holds no image. It is called from a goroutine, never
// on the UI goroutine, because a platform read can wait on another application. The
// default uses golang.design/x/clipboard where it is built in (cgo on Linux and macOS,
// always on Windows) and otherwise reports ErrNoClipboardImage; tests replace it.
var ClipboardImage func() ([]byte, error) = platformClipboardImage

// ErrNoClipboardImage means this build or this session cannot read images from the
// platform clipboard (no cgo, no X11 display, …); pasting a file path still works.
var ErrNoClipboardImage = errors.New("widgets: clipboard images are not available")

// ClipboardImageTimeout bounds how long Paste waits for the platform clipboard.
var ClipboardImageTimeout = 2 * time.Second

// ClipboardImageName is the name OnData receives with pasted image bytes.
const ClipboardImageName = "clipboard.png"

// clipReadInFlight is set while a platform clipboard read runs. A read that hangs (an
// application that owns the clipboard and never answers) is abandoned after the
// timeout but keeps its goroutine; later pastes skip the image read instead of piling
// up goroutines behind it.
var clipReadInFlight atomic.Bool

// Paste takes what the clipboard holds: a copied file path or file:// URI of a
// supported image that exists goes to OnFile; otherwise image bytes from the platform
// clipboard go to OnData; otherwise the zone says the clipboard holds neither. The app
// binds Ctrl+V to it, passing fyne.CurrentApp().Clipboard().
//
// Paste reads the text on the UI goroutine (Fyne requires it) and does the rest — the
// file check and the platform read — in a goroutine, coming back through fyne.Do. One
// paste at a time: a second Paste while the first is resolved is ignored.
func (z *ImageZone) Paste(clip fyne.Clipboard) {
	if z.pasting || z.state == ZoneBusy {
		return
	}
	text := ""
	if clip != nil {
		text = clip.Content()
	}
	z.pasting = true
	z.apply()
	z.setNotice(z.texts.Pasting)
	go func() {
		if path := imagePathFromText(text); path != "" {
			z.do(func() {
				z.endPaste()
				z.deliverFile(storage.NewFileURI(path))
			})
			return
		}
		data := readClipboardImage(ClipboardImageTimeout)
		z.do(func() {
			z.endPaste()
			if len(data) == 0 {
				z.setNotice(z.texts.PasteEmpty)
				return
			}
			if z.OnData != nil {
				z.OnData(data, ClipboardImageName)
			}
		})
	}()
}

func (z *ImageZone) endPaste() {
	z.pasting = false
	z.apply()
	z.setNotice("")
}

// readClipboardImage calls ClipboardImage with a deadline; nil when there is no image,
// the platform cannot tell, or it did not answer in time.
func readClipboardImage(timeout time.Duration) []byte {
	if !clipReadInFlight.CompareAndSwap(false, true) {
		return nil
	}
	read := ClipboardImage
	done := make(chan []byte, 1)
	go func() {
		defer clipReadInFlight.Store(false)
		data, err := read()
		if err != nil {
			data = nil
		}
		done <- data
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case data := <-done:
		return data
	case <-t.C:
		return nil
	}
}

// imagePathFromText finds, in copied text, the first local file of a supported image
// type that exists. It accepts what file managers and shells put on the clipboard: a
// plain path, a quoted path (Windows "Copy as path"), file:// URIs, several lines, and
// GNOME's "copy\nfile:///…" form. It stats files, so it runs off the UI goroutine.
func imagePathFromText(text string) string {
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		p := pathFromLine(line)
		if p == "" || !supportedImageName(p) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// pathFromLine turns one clipboard line into an absolute local path, or "".
func pathFromLine(line string) string {
	s := strings.TrimSpace(line)
	s = strings.Trim(s, `"'`)
	if s == "" {
		return ""
	}
	if strings.HasPrefix(strings.ToLower(s), "file:") {
		u, err := url.Parse(s)
		if err != nil || (u.Host != "" && u.Host != "localhost") {
			return "" // a remote host's file is not ours to read
		}
		p := u.Path
		// file:///C:/x.jpg parses to /C:/x.jpg; Windows wants C:/x.jpg.
		if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
			p = p[1:]
		}
		s = filepath.FromSlash(p)
	}
	if !filepath.IsAbs(s) {
		return ""
	}
	return filepath.Clean(s)
}
