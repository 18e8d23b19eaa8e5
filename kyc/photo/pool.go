package photo

import (
	"image"
	"runtime"
	"sync"
)

// Pixel buffers are pooled: a clerk prepares photo after photo, and each preparation needs a few
// intermediate images of 1–40 MB. Reusing them keeps the heap (and the GC's work) flat.
var pixPool sync.Pool // *[]byte

// getPix returns a buffer of n bytes from the pool (its contents are whatever the last user left:
// callers write every byte) or a new one.
func getPix(n int) []byte {
	if p, ok := pixPool.Get().(*[]byte); ok && cap(*p) >= n {
		return (*p)[:n]
	} else if ok {
		pixPool.Put(p) // too small for this one; keep it for a smaller request
	}
	return make([]byte, n)
}

// putPix returns a buffer obtained from getPix. The caller must not use it afterwards.
func putPix(b []byte) {
	if cap(b) == 0 {
		return
	}
	b = b[:0]
	pixPool.Put(&b)
}

func getRGBA(w, h int) *image.RGBA {
	return &image.RGBA{Pix: getPix(w * h * 4), Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
}

// putRGBA returns a buffer obtained from getRGBA. The caller must not use img afterwards.
func putRGBA(img *image.RGBA) {
	if img != nil {
		putPix(img.Pix)
	}
}

// getGray is getRGBA for a grey image (from the same pool: a buffer is bytes either way).
func getGray(w, h int) *image.Gray {
	return &image.Gray{Pix: getPix(w * h), Stride: w, Rect: image.Rect(0, 0, w, h)}
}

// putGray returns a buffer obtained from getGray. The caller must not use img afterwards.
func putGray(img *image.Gray) {
	if img != nil {
		putPix(img.Pix)
	}
}

// int32Pool holds accumulator rows for the resamplers.
var int32Pool sync.Pool // *[]int32

func getInt32s(n int) *[]int32 {
	if p, ok := int32Pool.Get().(*[]int32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		clear(*p)
		return p
	}
	s := make([]int32, n)
	return &s
}

func putInt32s(p *[]int32) { int32Pool.Put(p) }

// parallel runs fn over [0,n) split into contiguous bands, one per worker. Bands are independent
// (each writes its own output rows), so there is no locking. The worker count is small on purpose:
// the app shares the PC with the camera, the GUI and the HTTP client.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), 4, max(n/16, 1))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		lo, hi := n*i/workers, n*(i+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}
