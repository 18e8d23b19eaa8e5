//go:build linux || darwin

package heifdec

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"

	"kycdesk/kyc/photo/heif"
)

// libraryNames are tried in order. The unversioned names come last: they are development
// symlinks, present only where headers are installed too.
var libraryNames = map[string][]string{
	"linux": {"libheif.so.1", "libheif.so"},
	"darwin": {
		"libheif.1.dylib",
		"/opt/homebrew/lib/libheif.1.dylib", // Homebrew, Apple silicon
		"/usr/local/lib/libheif.1.dylib",    // Homebrew, Intel
		"/opt/local/lib/libheif.1.dylib",    // MacPorts
		"libheif.dylib",
	},
}

// minMinor is the oldest libheif 1.x this binding accepts: 1.7 brought the 8-bit conversion of
// high-bit-depth images (heif_decoding_options version 2).
const minMinor = 7

// decodingOptions mirrors the start of struct heif_decoding_options (stable since version 1;
// fields after convert_hdr_to_8bit are left as libheif's allocator set them).
type decodingOptions struct {
	version          uint8
	_                uint8      // ignore_transformations
	_                [4]uintptr // start_progress, on_progress, end_progress, progress_user_data
	convertHDRTo8Bit uint8      // version ≥ 2
}

// The C functions. A struct heif_error (two ints and a pointer) comes back in two registers on
// amd64 and arm64 (System V, AAPCS64): declared as uintptr, the first holds code | subcode<<32.
var (
	heifInit                 func(uintptr) uintptr
	heifVersionMajor         func() uint32
	heifVersionMinor         func() uint32
	heifContextAlloc         func() uintptr
	heifContextFree          func(uintptr)
	heifContextReadFromMem   func(ctx uintptr, mem unsafe.Pointer, size uintptr, opts uintptr) uintptr
	heifPrimaryHandle        func(ctx uintptr, handle *uintptr) uintptr
	heifHandleRelease        func(uintptr)
	heifOptionsAlloc         func() *decodingOptions
	heifOptionsFree          func(*decodingOptions)
	heifDecodeImage          func(handle uintptr, img *uintptr, colorspace, chroma int32, opts *decodingOptions) uintptr
	heifImageRelease         func(uintptr)
	heifImageColorspace      func(uintptr) int32
	heifImageChroma          func(uintptr) int32
	heifImageWidth           func(img uintptr, channel int32) int32
	heifImageHeight          func(img uintptr, channel int32) int32
	heifImagePlaneReadonly   func(img uintptr, channel int32, stride *int32) *byte
	nativeOnce               sync.Once
	nativeDec                *nativeDecoder
	nativeErr                error
	errNativeUnsupportedArch = errors.New("heifdec: native libheif is only bound on amd64 and arm64")
)

type nativeDecoder struct {
	name    string
	expands bool // libheif expands video-range samples itself (found out at load: expandsRange)
}

// Native returns the system-libheif backend, or why it is unavailable. It loads the library once
// and decodes a built-in 16×16 image as a self-test before saying yes.
func Native() (Decoder, error) {
	nativeOnce.Do(func() { nativeDec, nativeErr = loadNative() })
	if nativeErr != nil {
		return nil, nativeErr
	}
	return nativeDec, nil
}

func loadNative() (d *nativeDecoder, err error) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		return nil, errNativeUnsupportedArch
	}
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("heifdec: binding libheif: %v", r)
		}
	}()
	var lib uintptr
	var name string
	var errs []error
	for _, n := range libraryNames[runtime.GOOS] {
		h, err := purego.Dlopen(n, purego.RTLD_NOW|purego.RTLD_LOCAL)
		if err == nil {
			lib, name = h, n
			break
		}
		errs = append(errs, err)
	}
	if lib == 0 {
		return nil, fmt.Errorf("heifdec: no system libheif: %w", errors.Join(errs...))
	}
	bind := func(fptr any, sym string) {
		purego.RegisterLibFunc(fptr, lib, sym) // panics on a missing symbol: recovered above
	}
	bind(&heifVersionMajor, "heif_get_version_number_major")
	bind(&heifVersionMinor, "heif_get_version_number_minor")
	major, minor := heifVersionMajor(), heifVersionMinor()
	if major != 1 || minor < minMinor {
		return nil, fmt.Errorf("heifdec: %s is libheif %d.%d; 1.%d or newer is needed", name, major, minor, minMinor)
	}
	if _, err := purego.Dlsym(lib, "heif_init"); err == nil { // 1.13+: registers the codec plugins
		bind(&heifInit, "heif_init")
	}
	bind(&heifContextAlloc, "heif_context_alloc")
	bind(&heifContextFree, "heif_context_free")
	bind(&heifContextReadFromMem, "heif_context_read_from_memory")
	bind(&heifPrimaryHandle, "heif_context_get_primary_image_handle")
	bind(&heifHandleRelease, "heif_image_handle_release")
	bind(&heifOptionsAlloc, "heif_decoding_options_alloc")
	bind(&heifOptionsFree, "heif_decoding_options_free")
	bind(&heifDecodeImage, "heif_decode_image")
	bind(&heifImageRelease, "heif_image_release")
	bind(&heifImageColorspace, "heif_image_get_colorspace")
	bind(&heifImageChroma, "heif_image_get_chroma_format")
	bind(&heifImageWidth, "heif_image_get_width")
	bind(&heifImageHeight, "heif_image_get_height")
	bind(&heifImagePlaneReadonly, "heif_image_get_plane_readonly")
	if heifInit != nil {
		if code := uint32(heifInit(0)); code != 0 {
			return nil, fmt.Errorf("heifdec: heif_init failed (error %d)", code)
		}
	}
	d = &nativeDecoder{name: fmt.Sprintf("system libheif %d.%d (%s)", major, minor, name)}
	if err := selfTest(d); err != nil {
		return nil, fmt.Errorf("heifdec: %s fails its self-test: %w", name, err)
	}
	if d.expands, err = expandsRange(d); err != nil {
		return nil, fmt.Errorf("heifdec: %s fails its video-range test: %w", name, err)
	}
	return d, nil
}

func (d *nativeDecoder) Name() string { return d.name }

func (d *nativeDecoder) ExpandsRange() bool { return d.expands }

func heifErr(what string, ret uintptr) error {
	code, sub := uint32(ret), uint32(uint64(ret)>>32)
	if code == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: libheif error %d/%d", ErrDecode, what, code, sub)
}

func (d *nativeDecoder) Decode(file []byte) (*Picture, error) {
	if len(file) == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrDecode)
	}
	ctx := heifContextAlloc()
	if ctx == 0 {
		return nil, fmt.Errorf("%w: out of memory", ErrDecode)
	}
	defer heifContextFree(ctx)
	// heif_context_read_from_memory copies the bytes: libheif never keeps a Go pointer.
	err := heifErr("read", heifContextReadFromMem(ctx, unsafe.Pointer(&file[0]), uintptr(len(file)), 0))
	runtime.KeepAlive(file)
	if err != nil {
		return nil, err
	}
	var handle uintptr
	if err := heifErr("primary image", heifPrimaryHandle(ctx, &handle)); err != nil {
		return nil, err
	}
	defer heifHandleRelease(handle)
	colorspace, chroma := int32(colorspaceYCbCr), int32(chroma420)
	switch codedChroma(file) {
	case 0:
		colorspace, chroma = colorspaceMonochrome, chromaMonochrome
	case 2:
		chroma = chroma422
	case 3:
		chroma = chroma444
	}
	opts := heifOptionsAlloc()
	if opts == nil {
		return nil, fmt.Errorf("%w: out of memory", ErrDecode)
	}
	defer heifOptionsFree(opts)
	if opts.version >= 2 {
		opts.convertHDRTo8Bit = 1
	}
	var img uintptr
	if err := heifErr("decode", heifDecodeImage(handle, &img, colorspace, chroma, opts)); err != nil {
		return nil, err
	}
	p := &Picture{release: func() { heifImageRelease(img) }}
	ok := false
	defer func() {
		if !ok {
			p.Release()
		}
	}()
	if heifImageColorspace(img) != colorspace || heifImageChroma(img) != chroma {
		return nil, fmt.Errorf("%w: libheif returned colorspace %d chroma %d, asked %d %d", ErrDecode,
			heifImageColorspace(img), heifImageChroma(img), colorspace, chroma)
	}
	p.Width, p.Height = int(heifImageWidth(img, channelY)), int(heifImageHeight(img, channelY))
	if p.Width <= 0 || p.Height <= 0 {
		return nil, fmt.Errorf("%w: empty picture", ErrDecode)
	}
	plane := func(ch int32, w, h int) ([]byte, int, error) {
		var stride int32
		ptr := heifImagePlaneReadonly(img, ch, &stride)
		if ptr == nil || int(stride) < w || w <= 0 || h <= 0 {
			return nil, 0, fmt.Errorf("%w: no plane %d", ErrDecode, ch)
		}
		if int(heifImageWidth(img, ch)) != w || int(heifImageHeight(img, ch)) != h {
			return nil, 0, fmt.Errorf("%w: plane %d is %d×%d, want %d×%d", ErrDecode, ch,
				heifImageWidth(img, ch), heifImageHeight(img, ch), w, h)
		}
		return unsafe.Slice(ptr, int(stride)*(h-1)+w), int(stride), nil
	}
	var err2 error
	if p.Y, p.YStride, err2 = plane(channelY, p.Width, p.Height); err2 != nil {
		return nil, err2
	}
	if colorspace == colorspaceYCbCr {
		p.Chroma = int(chroma)
		cw, ch := p.ChromaSize()
		var cbStride, crStride int
		if p.Cb, cbStride, err2 = plane(channelCb, cw, ch); err2 != nil {
			return nil, err2
		}
		if p.Cr, crStride, err2 = plane(channelCr, cw, ch); err2 != nil {
			return nil, err2
		}
		if cbStride != crStride {
			return nil, fmt.Errorf("%w: chroma strides differ", ErrDecode)
		}
		p.CStride = cbStride
	}
	ok = true
	return p, nil
}

// codedChroma reads chroma_format_idc from the file's 'hvcC': libheif is asked for exactly the
// coded layout, so it converts nothing (but 10/12-bit samples to 8). -1 when the file does not
// parse; 4:2:0 is then asked for and libheif reports the error.
func codedChroma(file []byte) int {
	f, err := heif.Parse(file)
	if err != nil {
		return -1
	}
	l, err := f.Primary()
	if err != nil {
		return -1
	}
	return l.Chroma
}
