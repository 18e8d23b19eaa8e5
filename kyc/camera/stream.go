package camera

import (
	"context"
	"errors"
	"image"
	"sync"
	"time"
)

// DefaultFrameTimeout is how long Next waits for a frame before deciding that the camera is
// gone (ErrUnplugged) or, before the first frame, held by another program (ErrBusy). Some
// drivers report neither (DirectShow simply never calls back), so silence is the only signal;
// a working camera sends a frame every 33–200 ms, and most start within a second or two.
const DefaultFrameTimeout = 4 * time.Second

// closeTimeout bounds Close's wait for the driver to let go; a driver stuck past it is
// abandoned (its goroutine ends whenever the driver returns) rather than hanging the caller.
const closeTimeout = 8 * time.Second

// ReaderConfig adapts a blocking, driver-style frame reader into a Stream.
type ReaderConfig struct {
	Mode Mode
	// Read blocks until the next frame. The returned image may be reused by the following
	// Read. After Close has been called it must return an error soon (any error).
	Read func() (image.Image, error)
	// Close releases the device. It is called exactly once, concurrently with a Read that it
	// must unblock.
	Close func() error
	// FrameTimeout: no frame for this long ends the stream with ErrUnplugged. Zero means
	// DefaultFrameTimeout.
	FrameTimeout time.Duration
	// ReadError classifies a Read error (nil: every Read error is ErrUnplugged).
	ReadError func(error) error
}

// NewReaderStream runs cfg.Read in one goroutine that reads a frame only when asked by Next,
// so no frame is ever queued and the image Next returns is not overwritten while the caller
// uses it. The stream closes itself — releasing the device — when ctx is cancelled, when the
// reader fails, and on Close. Drivers and fakes share this so they behave identically.
func NewReaderStream(ctx context.Context, cfg ReaderConfig) Stream {
	if cfg.FrameTimeout <= 0 {
		cfg.FrameTimeout = DefaultFrameTimeout
	}
	s := &readerStream{
		cfg:     cfg,
		req:     make(chan struct{}),
		resp:    make(chan frameResult, 1),
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go s.pump()
	// Under errMu: with ctx already done, AfterFunc runs Close at once in another
	// goroutine, which reads stopAfter.
	s.errMu.Lock()
	s.stopAfter = context.AfterFunc(ctx, func() { _ = s.Close() })
	s.errMu.Unlock()
	return s
}

type frameResult struct {
	img image.Image
	err error
}

type readerStream struct {
	cfg       ReaderConfig
	stopAfter func() bool

	nextMu   sync.Mutex // one Next at a time; guards inflight and started
	inflight bool       // a request was sent and its answer not yet taken
	started  bool       // at least one frame arrived

	req     chan struct{}    // Next → pump: read one frame
	resp    chan frameResult // pump → Next (buffered: an abandoned answer waits for the next Next)
	done    chan struct{}    // closed once the stream is finished, for whatever reason
	stopped chan struct{}    // closed when the pump goroutine has returned

	once     sync.Once
	errMu    sync.Mutex
	finalErr error // why the stream finished
	closeErr error
}

func (s *readerStream) Mode() Mode { return s.cfg.Mode }

func (s *readerStream) Next(ctx context.Context) (image.Image, error) {
	s.nextMu.Lock()
	defer s.nextMu.Unlock()
	if err := s.err(); err != nil {
		return nil, err
	}
	if !s.inflight {
		select {
		case s.req <- struct{}{}:
			s.inflight = true
		case <-s.done:
			return nil, s.err()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	timer := time.NewTimer(s.cfg.FrameTimeout)
	defer timer.Stop()
	select {
	case r := <-s.resp:
		s.inflight = false
		if r.err != nil {
			return nil, r.err
		}
		s.started = true
		return r.img, nil
	case <-s.done:
		return nil, s.err()
	case <-ctx.Done():
		return nil, ctx.Err() // the frame being read is picked up by the next call
	case <-timer.C:
		if !s.started {
			// A camera that never sends its first frame is held by another program or blocked
			// (DirectShow reports neither: the graph just never runs).
			s.finish(&Error{Kind: ErrBusy, Op: "start", Err: errors.New("no frame within " + s.cfg.FrameTimeout.String())})
		} else {
			s.finish(&Error{Kind: ErrUnplugged, Op: "read", Err: errors.New("no frame within " + s.cfg.FrameTimeout.String())})
		}
		return nil, s.err()
	}
}

func (s *readerStream) pump() {
	defer close(s.stopped)
	for {
		select {
		case <-s.req:
		case <-s.done:
			s.drain()
			return
		}
		img, err := s.cfg.Read()
		if err != nil {
			select {
			case <-s.done: // we are closing: the error is the driver letting go
			default:
				err = s.classify(err)
				s.finish(err)
			}
			return
		}
		select {
		case s.resp <- frameResult{img: img}:
		case <-s.done:
			s.drain()
			return
		}
	}
}

// drain keeps reading while the device is being closed, until the driver reports the end.
// Some drivers (DirectShow) deliver frames from a callback that blocks until read; closing
// them while nobody reads would leave the callback stuck or sending on a closed channel.
func (s *readerStream) drain() {
	for {
		if _, err := s.cfg.Read(); err != nil {
			return
		}
	}
}

func (s *readerStream) classify(err error) error {
	if s.cfg.ReadError != nil {
		return s.cfg.ReadError(err)
	}
	return wrap(ErrUnplugged, "read", err)
}

// finish ends the stream with err (first reason wins) and releases the device in the
// background, so that Next never waits for a driver's close.
func (s *readerStream) finish(err error) {
	s.errMu.Lock()
	if s.finalErr == nil {
		s.finalErr = err
	}
	s.errMu.Unlock()
	go func() { _ = s.Close() }()
}

func (s *readerStream) err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	select {
	case <-s.done:
		if s.finalErr == nil {
			return ErrClosed
		}
		return s.finalErr
	default:
		return s.finalErr
	}
}

// Close releases the device and waits (bounded) for the reader goroutine to end.
func (s *readerStream) Close() error {
	s.once.Do(func() {
		s.errMu.Lock()
		stop := s.stopAfter
		s.errMu.Unlock()
		if stop != nil {
			stop()
		}
		s.errMu.Lock()
		if s.finalErr == nil {
			s.finalErr = ErrClosed
		}
		s.errMu.Unlock()
		close(s.done)
		// The pump is either waiting for a request (it sees done and drains) or inside Read,
		// which the driver's Close unblocks.
		s.closeErr = s.cfg.Close()
		select {
		case <-s.stopped:
		case <-time.After(closeTimeout):
			s.closeErr = errors.Join(s.closeErr, &Error{Kind: ErrOpen, Op: "close", Err: errors.New("driver did not stop in time")})
		}
	})
	// Concurrent callers waited inside once.Do for the same end.
	return s.closeErr
}
