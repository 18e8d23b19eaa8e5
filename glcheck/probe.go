package glcheck

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// GLFW must be used from the main thread; Fyne's driver locks it too.
func init() { runtime.LockOSThread() }

// probe creates a hidden 1×1 window with the OpenGL 2.1 context Fyne asks for
// (internal/driver/glfw: ContextVersionMajor 2, ContextVersionMinor 1) and destroys it.
// On success GLFW stays initialised for Fyne, whose own glfw.Init is then a no-op.
func probe() (p *Problem) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" &&
		os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return &Problem{Kind: NoDisplay, Detail: "DISPLAY and WAYLAND_DISPLAY are not set"}
	}
	defer func() {
		// go-gl/glfw panics on errors it does not expect from a call (a failed Init
		// shows up as NotInitialized at the next call, an unusual pixel format as
		// FormatUnavailable): all of them mean "no window", and say why.
		if r := recover(); r != nil {
			p = classify(fmt.Errorf("%v", r))
			glfw.Terminate()
		}
	}()
	if err := glfw.Init(); err != nil {
		return classify(err)
	}
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 2)
	glfw.WindowHint(glfw.ContextVersionMinor, 1)
	w, err := glfw.CreateWindow(1, 1, "KYC Desk OpenGL check", nil, nil)
	glfw.DefaultWindowHints()
	if err != nil {
		glfw.Terminate()
		return classify(err)
	}
	if w == nil {
		// A platform error: go-gl/glfw logged it and returned no window and no error.
		glfw.Terminate()
		return &Problem{Kind: NoOpenGL, Detail: "GLFW could not create an OpenGL window (see the log line above)"}
	}
	w.Destroy()
	return nil
}

func classify(err error) *Problem {
	msg := err.Error()
	var ge *glfw.Error
	if errors.As(err, &ge) {
		msg = ge.Error()
	}
	if strings.Contains(msg, "NotInitialized") || strings.Contains(msg, "not initialized") {
		// GLFW itself could not start (it logged why, e.g. "X11: Failed to open display").
		return &Problem{Kind: NoOpenGL, Detail: "the window system could not be started: " + msg}
	}
	return &Problem{Kind: NoOpenGL, Detail: msg}
}
