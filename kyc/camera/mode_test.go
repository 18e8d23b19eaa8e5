package camera

import "testing"

func TestBestMode(t *testing.T) {
	m := func(w, h int, fps float64, f string) Mode { return Mode{Width: w, Height: h, FPS: fps, Format: f} }
	usb2 := []Mode{ // a typical USB 2 webcam: 1080p uncompressed only at 5 fps
		m(640, 480, 30, "YUYV"), m(1280, 720, 10, "YUYV"), m(1920, 1080, 5, "YUYV"),
		m(640, 480, 30, "MJPEG"), m(1280, 720, 30, "MJPEG"), m(1920, 1080, 30, "MJPEG"), m(1920, 1080, 15, "MJPEG"),
	}
	tests := []struct {
		name  string
		modes []Mode
		want  Mode
		got   Mode
	}{
		{"empty", nil, Mode{}, Mode{}},
		{"1080p MJPEG beats 5 fps YUYV, slowest smooth rate", usb2, Mode{}, m(1920, 1080, 15, "MJPEG")},
		{"caps at 1080p", []Mode{m(3840, 2160, 30, "MJPEG"), m(1920, 1080, 30, "MJPEG"), m(2560, 1440, 30, "MJPEG")}, Mode{}, m(1920, 1080, 30, "MJPEG")},
		{"uncompressed on a tie", []Mode{m(1280, 720, 30, "MJPEG"), m(1280, 720, 30, "NV12")}, Mode{}, m(1280, 720, 30, "NV12")},
		{"30 fps beats 10 fps", []Mode{m(1280, 720, 10, "YUYV"), m(1280, 720, 30, "YUYV")}, Mode{}, m(1280, 720, 30, "YUYV")},
		{"unknown fps (DirectShow) is fine", []Mode{m(640, 480, 0, "YUY2"), m(1280, 720, 0, "YUY2")}, Mode{}, m(1280, 720, 0, "YUY2")},
		{"only slow modes: still the largest", []Mode{m(1920, 1080, 5, "YUYV"), m(1280, 720, 5, "YUYV")}, Mode{}, m(1920, 1080, 5, "YUYV")},
		{"all too large: the smallest", []Mode{m(4096, 2160, 30, "MJPEG"), m(3840, 2160, 30, "MJPEG")}, Mode{}, m(3840, 2160, 30, "MJPEG")},
		{"want caps the size", usb2, Mode{Width: 1280, Height: 720}, m(1280, 720, 30, "MJPEG")},
		{"want format preferred", usb2, Mode{Width: 1280, Height: 720, Format: "YUYV"}, m(1280, 720, 10, "YUYV")},
		{"portrait 1080×1920 exceeds the height cap", []Mode{m(1080, 1920, 30, "MJPEG"), m(720, 1280, 30, "MJPEG"), m(480, 640, 30, "MJPEG")}, Mode{}, m(480, 640, 30, "MJPEG")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BestMode(tt.modes, tt.want); got != tt.got {
				t.Errorf("BestMode = %+v, want %+v", got, tt.got)
			}
		})
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{
		{Width: 1920, Height: 1080, FPS: 30}: "1920×1080 30 fps",
		{Width: 1280, Height: 720}:           "1280×720",
		{}:                                   "?",
	} {
		if got := m.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", m, got, want)
		}
	}
}
