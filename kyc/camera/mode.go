package camera

// Capture size policy.
//
// We take the highest resolution the camera offers up to 1920×1080. Desktop browsers ask for
// 640×480 by default, and eKYC vendors learned that this is too small: with a typical 70–78°
// webcam a face 60 cm away spans only about 110–130 px at 640 px width, under the ~150 px that
// face matching and liveness need (kyc/photo flags it), and an eKTP held 20–30 cm away is ~200 px
// wide, which leaves the NIK digits 6–7 px tall — unreadable for OCR. At 1920×1080 the same scenes
// give ~340 px faces and ~20 px digits. Above 1080p (4K webcams) we gain nothing, because
// kyc/photo downscales to its long edge anyway, and pay 4× the USB bandwidth and decode time.
const (
	MaxWidth  = 1920
	MaxHeight = 1080
	// MinFPS below which a mode is only chosen if nothing faster exists: many USB 2 webcams offer
	// 1080p uncompressed at 5 fps only, which makes the preview useless for framing a card.
	MinFPS = 10
	// smoothFPS is enough for framing a card or a face. Faster modes cost CPU for every frame
	// (an MJPEG 1080p frame is a full JPEG decode) and show nothing more, so among equally large
	// modes the slowest one at or above smoothFPS wins, then the fastest one below it.
	smoothFPS = 15
)

// BestMode picks the capture mode from modes: the largest frame within want's size (a zero
// want means MaxWidth×MaxHeight) among the modes fast enough for a live preview (≥ MinFPS, or
// frame rate unknown); on a tie, a smooth frame rate (≥ 15 fps), then an uncompressed format
// (cheaper to convert than MJPEG), then the frame rate closest above 15 fps. A non-empty
// want.Format is preferred when available. When every mode is larger than want, the smallest
// one is returned. The zero Mode means modes is empty.
func BestMode(modes []Mode, want Mode) Mode {
	if len(modes) == 0 {
		return Mode{}
	}
	maxW, maxH := want.Width, want.Height
	if maxW <= 0 || maxH <= 0 {
		maxW, maxH = MaxWidth, MaxHeight
	}
	// Widen the filter step by step so that there is always an answer.
	filters := []func(Mode) bool{
		func(m Mode) bool { return fits(m, maxW, maxH) && fastEnough(m) && formatOK(m, want) },
		func(m Mode) bool { return fits(m, maxW, maxH) && fastEnough(m) },
		func(m Mode) bool { return fits(m, maxW, maxH) },
	}
	for _, ok := range filters {
		best, found := Mode{}, false
		for _, m := range modes {
			if ok(m) && (!found || better(m, best)) {
				best, found = m, true
			}
		}
		if found {
			return best
		}
	}
	// Nothing fits: the smallest mode is the least wasteful.
	smallest := modes[0]
	for _, m := range modes[1:] {
		if m.Pixels() < smallest.Pixels() {
			smallest = m
		}
	}
	return smallest
}

func fits(m Mode, maxW, maxH int) bool {
	return m.Width > 0 && m.Height > 0 && m.Width <= maxW && m.Height <= maxH
}

func fastEnough(m Mode) bool { return m.FPS == 0 || m.FPS >= MinFPS }

func formatOK(m Mode, want Mode) bool { return want.Format == "" || m.Format == want.Format }

// better reports whether a beats b for the same constraints.
func better(a, b Mode) bool {
	if a.Pixels() != b.Pixels() {
		return a.Pixels() > b.Pixels()
	}
	if sa, sb := smooth(a), smooth(b); sa != sb {
		return sa
	}
	if ca, cb := formatCost(a.Format), formatCost(b.Format); ca != cb {
		return ca < cb
	}
	return fpsDistance(a.FPS) < fpsDistance(b.FPS)
}

// smooth: fast enough for a fluid preview (an unknown rate is given the benefit of the doubt).
func smooth(m Mode) bool { return m.FPS == 0 || m.FPS >= smoothFPS }

// formatCost ranks pixel formats by conversion work per frame: planar/packed YUV is a copy or
// a shuffle, MJPEG a full JPEG decode, anything else unknown.
func formatCost(f string) int {
	switch f {
	case "I420", "NV12", "NV21", "YUYV", "YUY2", "UYVY":
		return 0
	case "MJPEG":
		return 1
	default:
		return 2
	}
}

// fpsDistance orders frame rates: smoothFPS best, then faster ones, then unknown, then slower.
func fpsDistance(fps float64) float64 {
	switch {
	case fps == 0:
		return 500 // unknown: after any known smooth rate, before a known slow one
	case fps >= smoothFPS:
		return fps - smoothFPS
	default:
		return 1000 + smoothFPS - fps
	}
}
