// Package glcheck finds out, before the window is built, whether this PC can give Fyne
// the OpenGL 2.1 it draws with, and if not tells the clerk why and what fixes it.
//
// Without it, a counter PC reached over Remote Desktop, a thin client or a VM without
// 3D acceleration starts KYC Desk and sees nothing: GLFW fails to create the window
// ("WGL: The driver does not appear to support OpenGL", "GLX: GLX extension not
// found"), Fyne logs it and waits forever for a window that never comes. The probe
// asks GLFW for exactly what Fyne will ask for (a hidden window with an OpenGL 2.1
// context), so its answer is Fyne's answer, in a few milliseconds.
//
// The headless commands never get here: they need no OpenGL and keep working.
package glcheck

import (
	"fmt"
	"os"
	"strings"
)

// ExitCode is the GUI's exit status when it cannot draw its window.
const ExitCode = 1

// EnvSkip turns the probe off (KYCDESK_SKIP_GLCHECK=1), for a PC where it would be
// wrong: the window then starts exactly as it did before the check existed.
const EnvSkip = "KYCDESK_SKIP_GLCHECK"

// Kind says what is missing.
type Kind int

const (
	// NoOpenGL: the window system works but gives no OpenGL 2.1 context.
	NoOpenGL Kind = iota
	// NoDisplay: there is no window system to talk to at all (Linux: no DISPLAY).
	NoDisplay
)

// Problem is why the window cannot be drawn.
type Problem struct {
	Kind   Kind
	Detail string // GLFW's own words, for IT: "APIUnavailable: GLX: GLX extension not found"
}

func (p *Problem) Error() string { return p.Detail }

// Ensure probes the graphics and returns 0 when the window can be drawn. Otherwise it
// tells the clerk, in their language (preferredLang is the app's language setting, ""
// for none: then the OS's), on stderr and in a message box (Windows, macOS) or a
// desktop notification (Linux), and returns ExitCode. It must run on the main thread,
// before Fyne starts its window (main.runGUI).
func Ensure(preferredLang string) int {
	if os.Getenv(EnvSkip) == "1" {
		return 0
	}
	p := probe()
	if p == nil {
		return 0
	}
	lang := pickLang(preferredLang)
	title, body := Message(p, lang)
	fmt.Fprintf(os.Stderr, "kycdesk: %s\n\n%s\n\n(%s)\n", title, body, p.Detail)
	show(title, body)
	return ExitCode
}

// pickLang: the app's own setting wins; else the OS locale, English only when it says
// English, Indonesian otherwise (as app/i18n decides).
func pickLang(preferred string) string {
	if p := strings.ToLower(strings.TrimSpace(preferred)); p != "" {
		if strings.HasPrefix(p, "en") {
			return "en"
		}
		return "id"
	}
	if strings.HasPrefix(strings.ToLower(systemLocale()), "en") {
		return "en"
	}
	return "id"
}
