// Package heifdec turns one coded HEVC image, handed over as a minimal HEIF file
// (heif.File.CodedFile), into its YCbCr or grey planes. Two backends do it:
//
//   - Native: the system's libheif (with libde265), loaded at run time through purego, no cgo.
//     Debian/Ubuntu's libheif1 ships only libheif.so.1; Homebrew's and MacPorts' libheif ship
//     libheif.1.dylib. Needs libheif ≥ 1.7 (8-bit conversion of 10/12-bit images).
//   - WASM: libheif 1.18 and libde265 compiled to WebAssembly (the module gen2brain/heic ships),
//     run by wazero: pure Go, always there. About 3× slower than native on one core.
//
// Pick returns the native one when it loads and passes a self-test, otherwise the WASM one; the
// environment variable KYCDESK_HEIC=native|wasm forces one (for benchmarks and support).
//
// gen2brain/heic v0.4.5, which the project first used, has a "dynamic" mode over a system
// libheif, but it looks for the development symlink libheif.so (installed only with libheif-dev,
// so on a counter PC it never engages), decodes the whole picture at once, never frees the
// decoded image (heif_image_release is not called: a full-size picture leaked per photo), and
// below libheif 1.17 assumes every image is 4:2:0. Its WebAssembly path hands back planes whose
// first bytes the allocator has already overwritten (wasm/README.md). This package binds the
// handful of libheif calls it needs itself and runs the same WebAssembly module with wazero.
package heifdec

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// Picture is a decoded image: 8-bit planes, which for the native backend live in libheif's memory
// until Release (copy them out first).
type Picture struct {
	Width, Height int
	// Chroma: 0 monochrome (only Y), 1 = 4:2:0, 2 = 4:2:2, 3 = 4:4:4.
	Chroma       int
	Y, Cb, Cr    []byte
	YStride      int
	CStride      int
	release      func()
	releasedOnce sync.Once
}

// Release frees the planes (a no-op for Go memory). The picture must not be used afterwards.
func (p *Picture) Release() {
	if p.release != nil {
		p.releasedOnce.Do(p.release)
	}
}

// ChromaSize is the size of the Cb and Cr planes.
func (p *Picture) ChromaSize() (w, h int) {
	switch p.Chroma {
	case 1:
		return (p.Width + 1) / 2, (p.Height + 1) / 2
	case 2:
		return (p.Width + 1) / 2, p.Height
	case 3:
		return p.Width, p.Height
	}
	return 0, 0
}

// Decoder decodes minimal HEIF files holding one coded image. Implementations are safe for
// concurrent use.
type Decoder interface {
	// Decode decodes the file's primary image without applying any transform.
	Decode(file []byte) (*Picture, error)
	// Name says which backend this is, for logs and benchmark tables.
	Name() string
	// ExpandsRange reports whether Decode turns samples the HEVC VUI declares video range (luma
	// 16–235) into full range itself; otherwise they come as coded, and the caller expands them.
	ExpandsRange() bool
}

// libheif enums (heif.h), shared by both backends (heif.c reports libheif's own values).
const (
	colorspaceYCbCr      = 0
	colorspaceMonochrome = 2
	chromaMonochrome     = 0
	chroma420            = 1
	chroma422            = 2
	chroma444            = 3
	channelY             = 0
	channelCb            = 1
	channelCr            = 2
)

// ErrDecode wraps every decoding failure of a backend (corrupt HEVC data, an unsupported coding).
var ErrDecode = errors.New("heifdec: decode failed")

// EnvBackend names the environment variable that forces a backend: "native" or "wasm".
const EnvBackend = "KYCDESK_HEIC"

var (
	pickOnce sync.Once
	picked   Decoder
	pickErr  error // why the native backend is not used, if it is not
)

// Pick returns the decoder to use: native when available (and not overridden), else WASM.
// NativeError tells why native was not picked.
func Pick() Decoder {
	pickOnce.Do(func() {
		switch os.Getenv(EnvBackend) {
		case "wasm":
			picked, pickErr = WASM(), fmt.Errorf("%s=wasm", EnvBackend)
			return
		case "native":
			d, err := Native()
			if err != nil {
				pickErr = err
				picked = WASM()
				return
			}
			picked = d
			return
		}
		d, err := Native()
		if err != nil {
			picked, pickErr = WASM(), err
			return
		}
		picked = d
	})
	return picked
}

// NativeError returns why Pick did not choose the native backend (nil if it did).
func NativeError() error {
	Pick()
	return pickErr
}
