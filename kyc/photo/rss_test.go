//go:build linux || darwin

package photo

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPeakRSS runs each pipeline once per child process (a fresh test binary) and reads the
// child's peak resident set size from getrusage: the honest "how much memory did this take",
// including the GC's headroom, which heap statistics inside one long-lived process hide.
func TestPeakRSS(t *testing.T) {
	if mode := os.Getenv("PHOTO_RSS_CHILD"); mode != "" {
		pipeline, path, _ := strings.Cut(mode, ":")
		var err error
		if pipeline == "ours" {
			_, err = runOurs(path)
		} else {
			_, err = runPlain(path)
		}
		if err != nil {
			fmt.Println("child error:", err)
			os.Exit(3)
		}
		return
	}
	if os.Getenv("PHOTO_RSS") == "" {
		t.Skip("set PHOTO_RSS=1 to measure peak RSS in child processes")
	}
	for _, s := range sizes {
		path := bigJPEG(t, s.w, s.h)
		for _, pl := range []string{"ours", "plain"} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSS$")
			cmd.Env = append(os.Environ(), "PHOTO_RSS_CHILD="+pl+":"+path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", pl, s.name, err, out)
			}
			ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			kb := int64(ru.Maxrss)
			if runtime.GOOS == "darwin" {
				kb /= 1024 // bytes there
			}
			t.Logf("%-5s %s: peak RSS %4d MB, user %v sys %v", pl, s.name, kb/1024, cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime())
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkChecksSelfieCPU reports the CPU time of the selfie checks (cpu-ms/op) besides wall
// time: on a shared, loaded machine wall time mostly measures the neighbours.
func BenchmarkChecksSelfieCPU(b *testing.B) {
	small := downscale(cleanSelfie(b), 1280, 1280)
	start := cpuTime()
	n := 0
	for b.Loop() {
		check(small, KindSelfie, 1280)
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}
