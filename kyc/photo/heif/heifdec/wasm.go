package heifdec

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// heif.wasm.gz: libheif 1.18.2 + libde265 1.0.15 for WebAssembly, from gen2brain/heic v0.4.5
// (wasm/README.md says why it is run here rather than through that package).
//
//go:embed wasm/heif.wasm.gz
var heifWasmGz []byte

// maxIdleMemory: an instance whose linear memory grew past this is closed after use instead of
// being kept for the next tile. heif.c never releases the decoded heif_image, so each decode
// leaves its picture behind in the instance (384 KB for a 512×512 tile; gen2brain/heic instantiates a module per call and so never
// noticed): an instance serves
// about 40 tiles, then a fresh one (192 KB, instantiated in well under a millisecond) takes
// over. A large single image retires its instance at once.
const maxIdleMemory = 16 << 20

// maxInstances bounds the idle instances kept (one per tile worker on a two-core PC).
const maxInstances = 2

type wasmDecoder struct {
	once sync.Once
	err  error
	rt   wazero.Runtime
	cm   wazero.CompiledModule
	mc   wazero.ModuleConfig
	idle chan *wasmInstance
}

type wasmInstance struct {
	mod                  api.Module
	malloc, free, decode api.Function
}

var wasmShared = &wasmDecoder{idle: make(chan *wasmInstance, maxInstances)}

// WASM returns the WebAssembly backend: always available, pure Go (wazero). Compiling the module
// takes about a second of CPU the first time; the compiled code is then cached in the user's
// cache directory, so later processes start in a few tens of milliseconds.
func WASM() Decoder { return wasmShared }

// Warm compiles the WASM module in the background if the WASM backend is the one Pick chose, so
// the first HEIC a clerk opens does not wait for it. Safe to call more than once.
func Warm() {
	if _, ok := Pick().(*wasmDecoder); ok {
		go func() { _ = wasmShared.setup() }()
	}
}

func (*wasmDecoder) Name() string { return "libheif 1.18 in WebAssembly (wazero)" }

// ExpandsRange: libheif 1.18 hands video-range samples over as coded (TestExpandsRange).
func (*wasmDecoder) ExpandsRange() bool { return false }

func (d *wasmDecoder) setup() error {
	d.once.Do(func() { d.err = d.compile() })
	return d.err
}

func (d *wasmDecoder) compile() error {
	ctx := context.Background()
	zr, err := gzip.NewReader(bytes.NewReader(heifWasmGz))
	if err != nil {
		return fmt.Errorf("heifdec: wasm module: %w", err)
	}
	code, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("heifdec: wasm module: %w", err)
	}
	cfg := wazero.NewRuntimeConfig()
	if dir, err := os.UserCacheDir(); err == nil {
		if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "kycdesk", "wasm")); err == nil {
			cfg = cfg.WithCompilationCache(cache)
		}
	}
	d.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, d.rt); err != nil {
		return fmt.Errorf("heifdec: wasi: %w", err)
	}
	if d.cm, err = d.rt.CompileModule(ctx, code); err != nil {
		return fmt.Errorf("heifdec: compiling the wasm module: %w", err)
	}
	// A reactor module: its _initialize runs the C/C++ constructors. libheif's messages go
	// nowhere (the CLI's output is JSON).
	d.mc = wazero.NewModuleConfig().WithName("").WithStdout(io.Discard).WithStderr(io.Discard).WithStartFunctions()
	if _, ok := d.cm.ExportedFunctions()["_initialize"]; ok {
		d.mc = d.mc.WithStartFunctions("_initialize")
	}
	return nil
}

func (d *wasmDecoder) get() (*wasmInstance, error) {
	select {
	case in := <-d.idle:
		return in, nil
	default:
	}
	mod, err := d.rt.InstantiateModule(context.Background(), d.cm, d.mc)
	if err != nil {
		return nil, fmt.Errorf("heifdec: instantiating the wasm module: %w", err)
	}
	in := &wasmInstance{mod: mod, malloc: mod.ExportedFunction("malloc"), free: mod.ExportedFunction("free"),
		decode: mod.ExportedFunction("decode")}
	if in.malloc == nil || in.free == nil || in.decode == nil {
		mod.Close(context.Background())
		return nil, errors.New("heifdec: the wasm module lacks malloc, free or decode")
	}
	return in, nil
}

func (d *wasmDecoder) put(in *wasmInstance) {
	if in.mod.Memory().Size() > maxIdleMemory {
		in.mod.Close(context.Background())
		return
	}
	select {
	case d.idle <- in:
	default:
		in.mod.Close(context.Background())
	}
}

func (d *wasmDecoder) Decode(file []byte) (p *Picture, err error) {
	if err := d.setup(); err != nil {
		return nil, err
	}
	in, err := d.get()
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%w: wasm panic: %v", ErrDecode, r)
		}
		if err != nil { // a trap may leave the instance's heap inconsistent: never reuse it
			in.mod.Close(context.Background())
			return
		}
		d.put(in)
	}()
	return in.run(file)
}

// run calls the module's decode twice, as gen2brain/heic does: once for the size and layout,
// once into a buffer of that size, and copies the planes out before freeing anything.
func (in *wasmInstance) run(file []byte) (*Picture, error) {
	ctx := context.Background()
	mem := in.mod.Memory()
	alloc := func(n int) (uint32, error) {
		r, err := in.malloc.Call(ctx, uint64(n))
		if err != nil || r[0] == 0 {
			return 0, fmt.Errorf("%w: wasm malloc(%d) failed: %v", ErrDecode, n, err)
		}
		return uint32(r[0]), nil
	}
	var ptrs []uint32
	defer func() {
		for _, p := range ptrs {
			_, _ = in.free.Call(ctx, uint64(p))
		}
	}()
	inPtr, err := alloc(len(file))
	if err != nil {
		return nil, err
	}
	ptrs = append(ptrs, inPtr)
	if !mem.Write(inPtr, file) {
		return nil, fmt.Errorf("%w: wasm memory write", ErrDecode)
	}
	meta, err := alloc(20)
	if err != nil {
		return nil, err
	}
	ptrs = append(ptrs, meta)
	call := func(configOnly uint64, out uint32) error {
		r, err := in.decode.Call(ctx, uint64(inPtr), uint64(len(file)), configOnly,
			uint64(meta), uint64(meta+4), uint64(meta+8), uint64(meta+12), uint64(meta+16), uint64(out))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrDecode, err)
		}
		if r[0] == 0 {
			return fmt.Errorf("%w: libheif refused the image", ErrDecode)
		}
		return nil
	}
	if err := call(1, 0); err != nil {
		return nil, err
	}
	m, ok := mem.Read(meta, 20)
	if !ok {
		return nil, fmt.Errorf("%w: wasm memory read", ErrDecode)
	}
	w, h := int(binary.LittleEndian.Uint32(m)), int(binary.LittleEndian.Uint32(m[4:]))
	colorspace, chroma := binary.LittleEndian.Uint32(m[8:]), binary.LittleEndian.Uint32(m[12:])
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 {
		return nil, fmt.Errorf("%w: picture of %d×%d", ErrDecode, w, h)
	}
	p := &Picture{Width: w, Height: h}
	// heif.c copies libheif's planes as they are, with libheif's row stride, which the module
	// does not report: libheif 1.18 allocates a plane's rows at least 64 samples wide, rounded up
	// to an even width, and pads them to 16 bytes (ImagePlane::alloc). A plane narrower than 64
	// samples (the chroma of a picture under 128 px) has a wider stride than its width rounded to
	// 16: sized for that, heif.c overran the buffer and the instance's heap (the next decode
	// trapped, and the picture's chroma was read at the wrong stride).
	align := func(n int) int { return (max((n+1)&^1, 64) + 15) &^ 15 }
	var size int
	switch {
	case colorspace == colorspaceMonochrome || chroma == chromaMonochrome:
		p.YStride = align(w)
		size = p.YStride * h
	case colorspace == colorspaceYCbCr && chroma >= chroma420 && chroma <= chroma444:
		p.Chroma = int(chroma)
		cw, ch := p.ChromaSize()
		p.YStride, p.CStride = align(w), align(cw)
		size = p.YStride*h + 2*p.CStride*ch
	default:
		return nil, fmt.Errorf("%w: colorspace %d chroma %d (RGB coding is not handled)", ErrDecode, colorspace, chroma)
	}
	out, err := alloc(size)
	if err != nil {
		return nil, err
	}
	ptrs = append(ptrs, out)
	if err := call(0, out); err != nil {
		return nil, err
	}
	view, ok := mem.Read(out, uint32(size))
	if !ok {
		return nil, fmt.Errorf("%w: wasm memory read", ErrDecode)
	}
	buf := bytes.Clone(view) // before free() reuses the block
	ySize := p.YStride * h
	p.Y = buf[:ySize:ySize]
	if p.Chroma != 0 {
		_, ch := p.ChromaSize()
		cs := p.CStride * ch
		p.Cb = buf[ySize : ySize+cs : ySize+cs]
		p.Cr = buf[ySize+cs : ySize+2*cs : ySize+2*cs]
	}
	return p, nil
}
