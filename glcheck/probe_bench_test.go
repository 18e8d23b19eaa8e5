package glcheck

import (
	"os"
	"testing"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// BenchmarkProbe is what the check adds to every start of the window: GLFW's init, a
// hidden 1×1 window with an OpenGL 2.1 context, and its teardown (Fyne's own init then
// finds GLFW ready). Needs a display with GLX, e.g. under xvfb-run:
//
//	xvfb-run -a go test -run '^$' -bench Probe -count 5 ./glcheck/
func BenchmarkProbe(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY")
	}
	for i := 0; i < b.N; i++ {
		if p := probe(); p != nil {
			b.Fatal(p)
		}
		glfw.Terminate() // start cold every time, as a real start does
	}
}
