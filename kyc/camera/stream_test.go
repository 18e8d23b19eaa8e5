package camera_test

import (
	"context"
	"errors"
	"image"
	"runtime"
	"testing"
	"time"

	"kycdesk/kyc/camera"
	"kycdesk/kyc/camera/cameratest"
)

// noLeak fails the test if goroutines started during it are still running at the end.
func noLeak(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("goroutines: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

func TestFakeStreamDeliversFullResolutionFrames(t *testing.T) {
	noLeak(t)
	src := cameratest.New(cameratest.Selfie(), 60)
	devs, err := src.List(context.Background())
	if err != nil || len(devs) != 1 {
		t.Fatalf("List = %v, %v", devs, err)
	}
	if best := devs[0].Best(); best.Width != 1920 || best.Height != 1080 {
		t.Fatalf("best mode %v, want 1920×1080 (4K must be skipped)", best)
	}
	st, err := src.Open(context.Background(), devs[0].ID, camera.Mode{})
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode(); m.Width != 1920 || m.Height != 1080 {
		t.Errorf("stream mode %v", m)
	}
	for i := range 3 {
		img, err := st.Next(context.Background())
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if img.Bounds() != image.Rect(0, 0, 1920, 1080) {
			t.Fatalf("frame bounds %v", img.Bounds())
		}
	}
	if err := st.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if src.Active() != 0 {
		t.Error("camera not released after Close")
	}
	if _, err := st.Next(context.Background()); !errors.Is(err, camera.ErrClosed) {
		t.Errorf("Next after Close: %v, want ErrClosed", err)
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCancelledOpenContextReleasesCamera(t *testing.T) {
	noLeak(t)
	src := cameratest.New(cameratest.Selfie(), 30)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := src.Open(ctx, "", camera.Mode{Width: 640, Height: 480})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	cancel()
	if !src.WaitReleased(2 * time.Second) {
		t.Fatal("camera not released after the Open context was cancelled")
	}
	if _, err := st.Next(context.Background()); !errors.Is(err, camera.ErrClosed) {
		t.Errorf("Next after cancel: %v, want ErrClosed", err)
	}
}

func TestNextContextCancelKeepsStream(t *testing.T) {
	noLeak(t)
	src := cameratest.New(cameratest.Selfie(), 2) // a frame every 500 ms
	st, err := src.Open(context.Background(), "", camera.Mode{Width: 640, Height: 480})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := st.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next with expiring ctx: %v", err)
	}
	if time.Since(start) > 300*time.Millisecond {
		t.Error("Next did not return promptly on ctx")
	}
	if _, err := st.Next(context.Background()); err != nil {
		t.Fatalf("stream unusable after a cancelled Next: %v", err)
	}
}

func TestUnplugDuringCapture(t *testing.T) {
	noLeak(t)
	src := cameratest.New(cameratest.Selfie(), 100)
	src.UnplugAfter = 3
	st, err := src.Open(context.Background(), "", camera.Mode{Width: 640, Height: 480})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	for ; n < 10; n++ {
		if _, err = st.Next(context.Background()); err != nil {
			break
		}
	}
	if n != 3 || !errors.Is(err, camera.ErrUnplugged) || !errors.Is(err, cameratest.ErrFakeUnplug) {
		t.Fatalf("after %d frames: %v; want ErrUnplugged wrapping the driver error after 3", n, err)
	}
	if !src.WaitReleased(2 * time.Second) {
		t.Error("camera not released after the unplug")
	}
	if _, err := st.Next(context.Background()); !errors.Is(err, camera.ErrUnplugged) {
		t.Errorf("later Next: %v, want the same ErrUnplugged", err)
	}
}

// DirectShow reports an unplug by silence: the watchdog must turn it into ErrUnplugged, and a
// camera that never sends its first frame into ErrBusy.
func TestSilentCamera(t *testing.T) {
	noLeak(t)
	for _, tt := range []struct {
		name       string
		stallAfter int
		neverStart bool
		want       error
	}{
		{"stops after 2 frames", 2, false, camera.ErrUnplugged},
		{"never starts", 0, true, camera.ErrBusy},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := cameratest.New(cameratest.Selfie(), 100)
			src.FrameTimeout = 150 * time.Millisecond
			src.StallAfter, src.NeverStart = tt.stallAfter, tt.neverStart
			st, err := src.Open(context.Background(), "", camera.Mode{Width: 640, Height: 480})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			start := time.Now()
			for range 10 {
				if _, err = st.Next(context.Background()); err != nil {
					break
				}
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("took %v to notice", time.Since(start))
			}
			if !src.WaitReleased(2 * time.Second) {
				t.Error("camera not released after the stall")
			}
		})
	}
}

func TestScriptedOpenFailures(t *testing.T) {
	noLeak(t)
	for _, want := range []error{camera.ErrPermission, camera.ErrBusy, camera.ErrNoCamera} {
		src := cameratest.New(cameratest.Selfie(), 30)
		src.OpenErr = want
		if _, err := src.Open(context.Background(), "", camera.Mode{}); !errors.Is(err, want) {
			t.Errorf("OpenErr %v: got %v", want, err)
		}
		if src.Active() != 0 {
			t.Error("a failed open left a stream active")
		}
	}
	src := cameratest.New(nil, 30)
	if _, err := src.Open(context.Background(), "no-such-camera", camera.Mode{}); !errors.Is(err, camera.ErrNoCamera) {
		t.Errorf("unknown ID: %v", err)
	}
	src.Devices = nil
	if devs, err := src.List(context.Background()); err != nil || len(devs) != 0 {
		t.Errorf("no devices: %v, %v", devs, err)
	}
	if camera.Available(context.Background(), src) {
		t.Error("Available with no devices")
	}
	if !camera.Available(context.Background(), cameratest.New(nil, 30)) {
		t.Error("not Available with one device")
	}
	src.ListErr = errors.New("driver exploded")
	if camera.Available(context.Background(), src) {
		t.Error("Available despite a List error")
	}
	if camera.Available(context.Background(), nil) {
		t.Error("Available(nil)")
	}
}
