package main

import (
	"time"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// Preference key of the window's last position and size (screen pixels): per user and
// PC, like every Fyne preference.
const prefGeometry = "window.geometry"

// The first start's window size, before it is fitted to the work area.
const firstWidth, firstHeight = 1366, 840

// restoreGeometry runs once the window is on screen: it puts the window back where the
// clerk left it when that place is still on a monitor, and otherwise makes it fit the
// work area of the monitor it is on (a 1024×768 counter screen gets a window that fits,
// not one that hangs off the bottom). Fyne has no API for a window's position or the
// monitors' work areas; GLFW has, so this reaches GLFW through the window's GL context
// (Fyne runs every callback on the main thread, where GLFW must be called).
func restoreGeometry(w fyne.Window, prefs fyne.Preferences) {
	placeWindow(w, prefs)
	// A window manager may still be mapping the window and place it by its own rules;
	// placing it once more a moment later wins that race.
	go func() {
		time.Sleep(700 * time.Millisecond)
		fyne.Do(func() { placeWindow(w, prefs) })
	}()
}

func placeWindow(w fyne.Window, prefs fyne.Preferences) {
	withGLFW(w, func(gw *glfw.Window) {
		saved := prefs.IntList(prefGeometry)
		if len(saved) == 4 && saved[2] > 0 && saved[3] > 0 {
			if mon, wa := workAreaOf(saved[0], saved[1], saved[2], saved[3]); mon != nil {
				x, y, width, height := fitInto(gw, wa, saved[0], saved[1], saved[2], saved[3])
				gw.SetSize(width, height)
				gw.SetPos(x, y)
				return
			}
		}
		x, y := gw.GetPos()
		width, height := gw.GetSize()
		_, wa := workAreaOf(x, y, width, height)
		if wa == nil {
			return
		}
		// First start: as large as a counter screen's work area allows (1366×768 and
		// 1024×768 screens get the whole of it), at most 1366×840 on a larger one.
		width, height = firstWidth, firstHeight
		_, _, width, height = fitInto(gw, wa, x, y, width, height)
		// Centred on first start.
		l, t, r, b := frame(gw)
		x = wa[0] + l + (wa[2]-width-l-r)/2
		y = wa[1] + t + (wa[3]-height-t-b)/2
		gw.SetSize(width, height)
		gw.SetPos(x, y)
	})
}

// saveGeometry remembers the window's position and size (called before it closes).
func saveGeometry(w fyne.Window, prefs fyne.Preferences) {
	withGLFW(w, func(gw *glfw.Window) {
		x, y := gw.GetPos()
		width, height := gw.GetSize()
		if width > 0 && height > 0 {
			prefs.SetIntList(prefGeometry, []int{x, y, width, height})
		}
	})
}

// withGLFW calls f with the window's GLFW window, when the driver is GLFW's.
func withGLFW(w fyne.Window, f func(*glfw.Window)) {
	rc, ok := w.(interface{ RunWithContext(func()) })
	if !ok {
		return
	}
	rc.RunWithContext(func() {
		if gw := glfw.GetCurrentContext(); gw != nil {
			f(gw)
		}
	})
}

// workAreaOf returns the monitor that holds most of the rectangle, and its work area
// (x, y, w, h: the screen less taskbars), or nil when no monitor holds any of it.
func workAreaOf(x, y, w, h int) (*glfw.Monitor, []int) {
	var best *glfw.Monitor
	var bestArea []int
	most := 0
	for _, m := range glfw.GetMonitors() {
		wx, wy, ww, wh := m.GetWorkarea()
		if ww <= 0 || wh <= 0 {
			mx, my := m.GetPos()
			vm := m.GetVideoMode()
			if vm == nil {
				continue
			}
			wx, wy, ww, wh = mx, my, vm.Width, vm.Height
		}
		ox := min(x+w, wx+ww) - max(x, wx)
		oy := min(y+h, wy+wh) - max(y, wy)
		if ox > 0 && oy > 0 && ox*oy > most {
			most, best, bestArea = ox*oy, m, []int{wx, wy, ww, wh}
		}
	}
	return best, bestArea
}

// frame returns the window's decoration sizes. An X11 window manager may not have told
// them yet (they read as zero): a title bar's worth is assumed then, so the window never
// ends up with its title bar above the screen.
func frame(gw *glfw.Window) (l, t, r, b int) {
	l, t, r, b = gw.GetFrameSize()
	if l == 0 && t == 0 && r == 0 && b == 0 {
		return 4, 32, 4, 4
	}
	return
}

// fitInto shrinks the window to the work area (with its frame) and moves it inside.
func fitInto(gw *glfw.Window, wa []int, x, y, w, h int) (int, int, int, int) {
	l, t, r, b := frame(gw)
	maxW, maxH := wa[2]-l-r, wa[3]-t-b
	w, h = min(w, maxW), min(h, maxH)
	x = max(wa[0]+l, min(x, wa[0]+wa[2]-r-w))
	y = max(wa[1]+t, min(y, wa[1]+wa[3]-b-h))
	return x, y, w, h
}
