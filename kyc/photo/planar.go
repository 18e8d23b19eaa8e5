package photo

import (
	"image"
)

// The planar resampler is the fast path for what the JPEG decoders return (*image.YCbCr,
// *image.Gray) when no integer pre-shrink is needed — the usual case after a DCT-scaled decode,
// which leaves 1.25–2× the target. It filters each plane as bytes (one load and one
// multiply-add per tap, no bounds checks in the inner loops) and converts to RGB only at the
// output size: a 12 MP photo decoded at 1/2 converts 1.2 MP instead of 3 MP and never builds the
// 12 MB RGBA copy of the decoded image. Subsampled chroma is resampled from its own plane
// straight to the output size, which is its upsampling too.
//
// Resampling YCbCr and converting afterwards equals converting first (the conversion is affine),
// except where RGB would have clipped: saturated colours at sharp edges differ by a level or two.

// plane is one 8-bit channel: w×h samples holding ew×eh samples of picture (see makeKernel).
type plane struct {
	pix    []byte
	stride int
	w, h   int
	ew, eh float64
}

// downscalePlanar resizes src to dw×dh if it is a YCbCr or grey image it can read directly; ok is
// false otherwise (the caller takes the general path).
func downscalePlanar(src image.Image, ew, eh float64, dw, dh int) (out *image.RGBA, ok bool) {
	r := newPlanarResizer(src, ew, eh, dw, dh, false)
	if r == nil {
		return nil, false
	}
	return r.finish(), true
}

// planarResizer resizes the planes of one image. Its horizontal pass can run row band by row
// band while a decoder is still filling the planes (advance), so that on a second core the
// resize overlaps the decode; finish does what is left, then the vertical pass and the
// conversion.
type planarResizer struct {
	planes []*hPass // Y, or Y, Cb, Cr
	lumaH  int
	vdiv   int // chroma rows per luma row divisor
	dw, dh int
	ycc    bool
	half   bool // chroma output at 4:2:0 (finishPlanes only)
}

// newPlanarResizer returns nil for images it cannot read directly. With half, chroma is resized
// straight to 4:2:0 (⌈dw/2⌉×⌈dh/2⌉) for finishPlanes: the JPEG encoder subsamples chroma to 4:2:0
// anyway, so resampling it to full size first would be work thrown away (a third of the resize).
func newPlanarResizer(src image.Image, ew, eh float64, dw, dh int, half bool) *planarResizer {
	switch m := src.(type) {
	case *image.Gray:
		if m.Rect.Min != (image.Point{}) {
			return nil
		}
		return &planarResizer{
			planes: []*hPass{newHPass(plane{m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), ew, eh}, dw, dh)},
			lumaH:  m.Rect.Dy(), vdiv: 1, dw: dw, dh: dh,
		}
	case *image.YCbCr:
		if m.Rect.Min != (image.Point{}) {
			return nil // chroma siting of a sub-image is not worth the code
		}
		w, h := m.Rect.Dx(), m.Rect.Dy()
		hdiv, vdiv := subsampleDivisors(m.SubsampleRatio)
		cw, ch := (w+hdiv-1)/hdiv, (h+vdiv-1)/vdiv
		cdw, cdh := dw, dh
		cew, ceh := ew/float64(hdiv), eh/float64(vdiv)
		if half {
			// ⌈dw/2⌉ samples hold dw/2 of picture: stretch the source extent to match, so the
			// kernel's scale is exactly (chroma extent)/(dw/2).
			cdw, cdh = (dw+1)/2, (dh+1)/2
			cew, ceh = cew*float64(cdw)/(float64(dw)/2), ceh*float64(cdh)/(float64(dh)/2)
		}
		cext := func(p []byte) plane { return plane{p, m.CStride, cw, ch, cew, ceh} }
		return &planarResizer{
			planes: []*hPass{
				newHPass(plane{m.Y, m.YStride, w, h, ew, eh}, dw, dh),
				newHPass(cext(m.Cb), cdw, cdh),
				newHPass(cext(m.Cr), cdw, cdh),
			},
			lumaH: h, vdiv: vdiv, dw: dw, dh: dh, ycc: true, half: half,
		}
	}
	return nil
}

// advance runs the horizontal pass on the rows above lumaRows (final in the source), in pairs.
func (r *planarResizer) advance(lumaRows int) {
	for i, hp := range r.planes {
		avail := lumaRows
		if lumaRows >= r.lumaH {
			avail = hp.p.h
		} else if i > 0 {
			avail = lumaRows / r.vdiv
		}
		upto := hp.done + (avail-hp.done)&^1 // whole pairs, unless it is the end
		if avail == hp.p.h {
			upto = avail
		}
		if upto > hp.done {
			hp.rows(hp.done, upto)
			hp.done = upto
		}
	}
}

// finishPlanes filters the rows advance has not, on all cores, then runs the vertical pass: the
// result is a dw×dh *image.YCbCr (4:2:0 if the resizer was made with half, else 4:4:4), or an
// *image.Gray. Handing the encoder YCbCr and the checks the Y plane (their luma) saves two colour
// conversions.
func (r *planarResizer) finishPlanes() image.Image {
	out := r.verticals()
	rect := image.Rect(0, 0, r.dw, r.dh)
	if !r.ycc {
		return &image.Gray{Pix: out[0], Stride: r.dw, Rect: rect}
	}
	ratio := image.YCbCrSubsampleRatio444
	if r.half {
		ratio = image.YCbCrSubsampleRatio420
	}
	return &image.YCbCr{Y: out[0], Cb: out[1], Cr: out[2], YStride: r.dw, CStride: r.planes[1].dw,
		SubsampleRatio: ratio, Rect: rect}
}

func (r *planarResizer) verticals() [3][]byte {
	var out [3][]byte
	for i, hp := range r.planes {
		lo := hp.done
		parallel((hp.p.h-lo+1)/2, func(a, b int) { hp.rows(lo+2*a, min(lo+2*b, hp.p.h)) })
		hp.done = hp.p.h
		out[i] = hp.vertical()
	}
	return out
}

// finish is finishPlanes converted to an opaque RGBA (the resizer must not be half).
func (r *planarResizer) finish() *image.RGBA {
	out := r.verticals()
	dw, dh := r.dw, r.dh
	rgba := getRGBA(dw, dh)
	parallel(dh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			o := y * dw
			dst := rgba.Pix[y*rgba.Stride : y*rgba.Stride+4*dw]
			if r.ycc {
				ycbcrRowToRGBA(out[0][o:o+dw], out[1][o:o+dw], out[2][o:o+dw], dst)
				continue
			}
			for x, v := range out[0][o : o+dw] {
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = v, v, v, 0xFF
			}
		}
	})
	return rgba
}

// ycbcrRowToRGBA converts one row with JFIF's full-range equations in 16.16 fixed point (the same
// arithmetic as image/color.YCbCrToRGB, inlined for the loop).
func ycbcrRowToRGBA(y, cb, cr, dst []byte) {
	dst = dst[:4*len(y)]
	cb, cr = cb[:len(y)], cr[:len(y)]
	for i, yv := range y {
		yy := int32(yv) * 0x10101
		b1 := int32(cb[i]) - 128
		r1 := int32(cr[i]) - 128
		r := yy + 91881*r1
		g := yy - 22554*b1 - 46802*r1
		b := yy + 116130*b1
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = clip16(r), clip16(g), clip16(b), 0xFF
	}
}

// clip16 turns a 16.16 fixed-point channel into a byte, clamping to [0, 255].
func clip16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// hPass is the horizontal stage of the separable Lanczos-3 (lanczos.go) for one plane: source
// rows filtered so far land in tmp (dw × source height).
type hPass struct {
	p      plane
	kx     kernel
	dw, dh int // output size
	tmp    []byte
	done   int // source rows [0, done) are filtered
}

func newHPass(p plane, dw, dh int) *hPass {
	return &hPass{p: p, kx: makeKernel(p.w, p.ew, dw), dw: dw, dh: dh, tmp: make([]byte, dw*p.h)}
}

// rows filters source rows [lo, hi). Two rows share the horizontal kernel, so they are filtered
// together in the two 32-bit halves of an int64: Σw·(a + b·2³²) = Σw·a + 2³²·Σw·b, and Σw·a always
// fits in an int32 (|Σw·a| ≤ 255·1.3·2¹⁴), so both sums come back out exactly: half the
// multiplies. An odd last row is paired with itself.
func (hp *hPass) rows(lo, hi int) {
	p, kx, dw := &hp.p, &hp.kx, hp.dw
	for y0 := lo; y0 < hi; y0 += 2 {
		y1 := min(y0+1, hi-1)
		in0 := p.pix[y0*p.stride : y0*p.stride+p.w]
		in1 := p.pix[y1*p.stride : y1*p.stride+p.w]
		out0 := hp.tmp[y0*dw : y0*dw+dw]
		out1 := hp.tmp[y1*dw : y1*dw+dw]
		out1 = out1[:len(out0)]
		for x := range out0 {
			w := kx.weight[x*kx.taps : x*kx.taps+int(kx.count[x])]
			s0 := in0[kx.start[x]:][:len(w)] // same lengths: no bounds checks below
			s1 := in1[kx.start[x]:][:len(w)]
			var acc int64
			for t, wt := range w {
				acc += int64(wt) * int64(uint64(s0[t])|uint64(s1[t])<<32)
			}
			a := int32(acc)
			out0[x], out1[x] = clamp8(a), clamp8(int32((acc-int64(a))>>32))
		}
	}
}

// vertical runs the vertical pass over the filtered rows into a dw×dh plane.
func (hp *hPass) vertical() []byte {
	dw, dh, tmp := hp.dw, hp.dh, hp.tmp
	dst := make([]byte, dw*dh)
	ky := makeKernel(hp.p.h, hp.p.eh, dh)
	parallel(dh, func(lo, hi int) {
		accP := getInt32s(dw)
		defer putInt32s(accP)
		acc := (*accP)[:dw]
		for y := lo; y < hi; y++ {
			clear(acc)
			w := ky.weight[y*ky.taps : y*ky.taps+int(ky.count[y])]
			for t, wt := range w {
				if wt == 0 {
					continue
				}
				sy := int(ky.start[y]) + t
				row := tmp[sy*dw : sy*dw+dw]
				row = row[:len(acc)]
				for x, v := range row {
					acc[x] += wt * int32(v)
				}
			}
			out := dst[y*dw : y*dw+dw]
			for x, a := range acc {
				out[x] = clamp8(a)
			}
		}
	})
	return dst
}
