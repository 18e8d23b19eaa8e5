package glcheck

import (
	"os"
	"testing"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// The probe's cost. A start pays for GLFW's init, loading the OpenGL driver and one
// hidden window with a context; the first two Fyne would pay anyway (the probe leaves
// GLFW initialised for it), so what the check adds to a start is about one context:
// BenchmarkProbeAdded. BenchmarkProbeCold is the whole probe from nothing. Both need a
// display with GLX:
//
//	xvfb-run -a go test -tags migrated_fynedo -run '^$' -bench Probe -count 5 ./glcheck/
func BenchmarkProbeCold(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY")
	}
	for i := 0; i < b.N; i++ {
		if p := probe(); p != nil {
			b.Fatal(p)
		}
		glfw.Terminate() // start from nothing every time, as a real start does
	}
}

func BenchmarkProbeAdded(b *testing.B) {
	if os.Getenv("DISPLAY") == "" {
		b.Skip("no DISPLAY")
	}
	if p := probe(); p != nil { // GLFW initialised, driver loaded: where Fyne starts from
		b.Fatal(p)
	}
	defer glfw.Terminate()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p := probe(); p != nil {
			b.Fatal(p)
		}
	}
}
