package widgets

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kycdesk/kyc/camera/cameratest"
)

// processCPU is this process's user+system CPU time, from /proc/self/stat (Linux).
func processCPU() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the command name (which may contain spaces) start at field 3.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64) // field 14: utime
	st, err2 := strconv.ParseInt(f[12], 10, 64) // field 15: stime
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const ticksPerSecond = 100 // USER_HZ, 100 on every Linux ABI Go supports
	return time.Duration(ut+st) * time.Second / ticksPerSecond, true
}

// BenchmarkCameraViewCPU runs the live preview from the fake camera at 1080p, 30 fps for 10 s
// and reports the CPU it took (in cores: 1 = one core fully busy) and the preview frame rate.
// The fake decodes a YUYV frame per read, as the V4L2 driver does, so this covers the
// driver-side unpacking, our preview conversion and the posting to the canvas; the GPU upload
// of the 640×360 texture by the real window is not included. Run it alone:
//
//	go test -tags migrated_fynedo -run '^$' -bench CameraViewCPU ./widgets/
func BenchmarkCameraViewCPU(b *testing.B) {
	if _, ok := processCPU(); !ok {
		b.Skip("needs /proc/self/stat")
	}
	const fps, window = 30, 10 * time.Second
	test.NewTempApp(b)
	src := cameratest.New(cameratest.Selfie(), fps)
	v := NewCameraView(src, CameraSelfie, nil, "")
	w := test.NewTempWindow(b, v)
	w.Resize(fyne.NewSize(700, 600))
	// v.do stays fyne.Do: the test driver runs it at once, so every frame is converted and
	// shown (none dropped) — the worst case.
	v.Start()
	for v.shown.Load() < 5 {
		time.Sleep(10 * time.Millisecond)
	}
	cpu0, _ := processCPU()
	shown0, t0 := v.shown.Load(), time.Now()
	time.Sleep(window)
	cpu1, _ := processCPU()
	shown1, elapsed := v.shown.Load(), time.Since(t0)
	fyne.DoAndWait(v.Close)
	<-v.Released()

	cores := (cpu1 - cpu0).Seconds() / elapsed.Seconds()
	rate := float64(shown1-shown0) / elapsed.Seconds()
	b.ReportMetric(cores, "cores")
	b.ReportMetric(rate, "preview-fps")
	b.Logf("%.0f%% of one core, %.1f preview fps over %v (fake camera 1920×1080 YUYV at %d fps)", cores*100, rate, elapsed.Round(time.Millisecond), fps)
	if rate < 10 {
		b.Errorf("preview at %.1f fps, want ≥ 10", rate)
	}
}
