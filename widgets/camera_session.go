package widgets

import (
	"context"
	"image"
	"sync/atomic"

	"kycdesk/kyc/camera"
)

// cameraSession is one run of the camera: list, open, preview until stopped or failed. It
// lives in its own goroutine; everything it shows goes through v.do, and every posted change
// is dropped if the session is no longer the view's current one.
type cameraSession struct {
	ctx      context.Context
	cancel   context.CancelFunc
	deviceID string          // wanted camera ("" = first)
	prev     <-chan struct{} // the previous session's end: it must release the camera first
	ended    chan struct{}   // closed when this session's goroutine returns

	mirror  atomic.Bool   // flip the preview left-right (selfie)
	capture atomic.Bool   // the UI asked for a still: take the next frame
	pending atomic.Bool   // a preview frame is on its way to the canvas: drop new ones
	resume  chan struct{} // Retake: continue the preview after a still
}

// startSession starts a session for v.deviceID (UI goroutine).
func (v *CameraView) startSession() {
	ctx, cancel := context.WithCancel(context.Background())
	s := &cameraSession{ctx: ctx, cancel: cancel, deviceID: v.deviceID, prev: v.lastEnded,
		ended: make(chan struct{}), resume: make(chan struct{}, 1)}
	s.mirror.Store(v.kind == CameraSelfie)
	v.sess = s
	v.lastEnded = s.ended
	v.err = nil
	v.still = nil
	v.aspect = 0
	v.overlay.aspect = 0
	v.picture.Image = nil
	v.picture.Refresh()
	v.setState(CameraStarting)
	go v.run(s, v.src)
}

// stopSession cancels the current session (UI goroutine); its goroutine releases the camera
// and ends on its own.
func (v *CameraView) stopSession() {
	if v.sess != nil {
		v.sess.cancel()
		v.sess = nil
	}
}

// post runs f on the UI goroutine if s is still the current session.
func (v *CameraView) post(s *cameraSession, f func()) {
	v.do(func() {
		if v.sess == s {
			f()
		}
	})
}

// run is the session's goroutine.
func (v *CameraView) run(s *cameraSession, src camera.Source) {
	defer close(s.ended)
	defer s.cancel() // release the context's resources whatever happens
	if s.prev != nil {
		<-s.prev // bounded: a stream's Close gives up after a few seconds
	}
	if s.ctx.Err() != nil {
		return
	}
	fail := func(err error) {
		if s.ctx.Err() == nil {
			v.post(s, func() { v.showError(err) })
		}
	}
	if src == nil {
		fail(&camera.Error{Kind: camera.ErrUnsupported, Op: "list"})
		return
	}
	devs, err := src.List(s.ctx)
	if err == nil && len(devs) == 0 {
		err = &camera.Error{Kind: camera.ErrNoCamera, Op: "list"}
	}
	if err != nil {
		fail(err)
		return
	}
	id := devs[0].ID
	for _, d := range devs {
		if d.ID == s.deviceID {
			id = d.ID // the remembered camera, if it is plugged in
		}
	}
	v.post(s, func() { v.setDevices(devs, id) })

	st, err := src.Open(s.ctx, id, camera.Mode{})
	if err != nil {
		fail(err)
		return
	}
	err = v.pump(s, st)
	_ = st.Close() // release before reporting, so that Try again finds the camera free
	if err != nil {
		fail(err)
	}
}

// pump reads frames until the session is stopped or the stream fails.
func (v *CameraView) pump(s *cameraSession, st camera.Stream) error {
	mode := st.Mode()
	pw, ph := camera.PreviewSize(mode.Width, mode.Height, camPreviewMaxW, camPreviewMaxH)
	// Two buffers: the canvas shows one while the next frame is written into the other.
	// A buffer is only reused after the frame posted after it has reached the canvas
	// (pending is false), so the canvas never shows a buffer being written.
	var bufs [2]*image.RGBA
	next := 0
	for {
		img, err := st.Next(s.ctx)
		if err != nil {
			return err
		}
		if pw == 0 || ph == 0 { // the driver did not say: size from the first frame
			b := img.Bounds()
			pw, ph = camera.PreviewSize(b.Dx(), b.Dy(), camPreviewMaxW, camPreviewMaxH)
		}
		if s.capture.Swap(false) {
			still := camera.Clone(img)
			review := camera.ToPreview(nil, still, pw, ph, false)
			v.post(s, func() { v.showReview(still, review) })
			select {
			case <-s.resume:
				continue
			case <-s.ctx.Done():
				return s.ctx.Err()
			}
		}
		if s.pending.Load() {
			continue // the UI has not shown the last frame yet: drop this one
		}
		frame := camera.ToPreview(bufs[next], img, pw, ph, s.mirror.Load())
		bufs[next] = frame
		next = 1 - next
		s.pending.Store(true)
		v.do(func() {
			s.pending.Store(false)
			if v.sess == s {
				v.showFrame(frame)
			}
		})
	}
}
