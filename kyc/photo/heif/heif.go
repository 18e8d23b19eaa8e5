// Package heif reads the structure of a HEIF/HEIC file — its items, their properties and
// references, the grid of tiles a phone photo is stored as — without decoding a pixel, and builds
// for any one coded image (a tile, a thumbnail) a minimal HEIF file that holds just that image.
//
// A 12 MP iPhone photo is a 'grid' item of 8×6 HEVC tiles of 512×512; a 48 MP one has 16×12.
// Handing the whole file to a decoder makes it build the full-size picture (and, in
// WebAssembly, grow its linear memory to several times that). Decoding the tiles one by one
// instead — each as its own small HEIF file (CodedFile) — lets the caller stream tile rows into a
// downscaler, report progress, stop between tiles when cancelled, and spread tiles over cores.
//
// The parser is bounded (box depth, item, property and extent counts) and never trusts a size or
// an offset beyond the buffer: it is fed untrusted files.
package heif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
)

// Limits on what a file may declare. Real phone photos stay far below them (a 200 MP grid of
// 512 px tiles has 800 tiles).
const (
	maxDepth   = 8
	maxItems   = 8192
	maxProps   = 8192
	maxExtents = 256  // per item
	maxTiles   = 4096 // per grid
	maxAssoc   = 64   // properties per item
)

// Errors. Parse and the methods return a *FormatError wrapping one of these.
var (
	// ErrTruncated: the file ends before a box or an item's data does.
	ErrTruncated = errors.New("heif: file is truncated")
	// ErrMalformed: the structure contradicts itself or the standard.
	ErrMalformed = errors.New("heif: malformed file")
	// ErrUnsupported: valid HEIF this package does not model (overlays, AV1 or JPEG items,
	// transformed tiles, item data in other files); a full decoder may still read it.
	ErrUnsupported = errors.New("heif: unsupported structure")
	// ErrNoThumbnail: the primary image has no HEVC thumbnail.
	ErrNoThumbnail = errors.New("heif: no thumbnail")
)

// FormatError says what is wrong; errors.Is matches its Kind.
type FormatError struct {
	Kind   error // ErrTruncated, ErrMalformed, ErrUnsupported or ErrNoThumbnail
	Detail string
}

func (e *FormatError) Error() string { return e.Kind.Error() + ": " + e.Detail }
func (e *FormatError) Unwrap() error { return e.Kind }

func fail(kind error, format string, args ...any) error {
	return &FormatError{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// File is a parsed HEIF file. It keeps a reference to the data it was parsed from.
type File struct {
	data    []byte
	idat    []byte
	primary uint32
	items   map[uint32]*item
	order   []uint32   // item IDs in 'iinf' order
	props   []property // 'ipco' children; property index i (1-based) is props[i-1]
	brands  []string
}

type item struct {
	id      uint32
	typ     string
	hidden  bool
	method  int // iloc construction method: 0 file offsets, 1 'idat' offsets
	base    uint64
	extents []extent
	located bool
	assoc   []uint16            // property indexes (1-based), in 'ipma' order
	refs    map[string][]uint32 // outgoing references by type ('dimg', 'thmb', …)
}

type extent struct{ offset, length uint64 }

type property struct {
	typ string
	raw []byte // the whole box, header included (copied verbatim into CodedFile)
	hdr int    // header length within raw
}

func (p property) body() []byte { return p.raw[p.hdr:] }

// Parse reads the boxes of a HEIF file: 'ftyp', then 'meta' with its item information,
// locations, references and properties. Media data is only located, not read.
func Parse(data []byte) (*File, error) {
	f := &File{data: data, items: map[uint32]*item{}}
	var sawFtyp, sawMeta bool
	err := walk(data, func(typ string, body, raw []byte) error {
		switch typ {
		case "ftyp":
			if len(body) < 8 {
				return fail(ErrMalformed, "short ftyp")
			}
			sawFtyp = true
			f.brands = append(f.brands, string(body[0:4]))
			for i := 8; i+4 <= len(body) && len(f.brands) < 64; i += 4 {
				f.brands = append(f.brands, string(body[i:i+4]))
			}
		case "meta":
			if sawMeta {
				return fail(ErrMalformed, "two top-level meta boxes")
			}
			sawMeta = true
			return f.parseMeta(body)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !sawFtyp {
		return nil, fail(ErrMalformed, "no ftyp box")
	}
	if !sawMeta {
		return nil, fail(ErrTruncated, "no meta box")
	}
	if f.primary == 0 {
		return nil, fail(ErrMalformed, "no primary item (pitm)")
	}
	if f.items[f.primary] == nil {
		return nil, fail(ErrMalformed, "primary item %d is not declared", f.primary)
	}
	return f, nil
}

// Brands returns the major brand followed by the compatible brands.
func (f *File) Brands() []string { return f.brands }

// walk calls fn for each box in b. A box whose declared size runs past b is ErrTruncated.
func walk(b []byte, fn func(typ string, body, raw []byte) error) error {
	for len(b) > 0 {
		if len(b) < 8 {
			return fail(ErrTruncated, "box header cut short")
		}
		size, hdr := uint64(binary.BigEndian.Uint32(b)), 8
		typ := string(b[4:8])
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return fail(ErrTruncated, "large box header cut short")
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < uint64(hdr) {
			return fail(ErrMalformed, "box %q of size %d", typ, size)
		}
		if size > uint64(len(b)) {
			if typ == "mdat" { // media data cut short: the items it held will say so when read
				size = uint64(len(b))
			} else {
				return fail(ErrTruncated, "box %q needs %d bytes, %d left", typ, size, len(b))
			}
		}
		if err := fn(typ, b[hdr:size], b[:size]); err != nil {
			return err
		}
		b = b[size:]
	}
	return nil
}

// reader reads big-endian fields and remembers running short.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) n(k int) []byte {
	if r.bad || k < 0 || k > len(r.b) {
		r.bad = true
		return make([]byte, max(k, 0))
	}
	v := r.b[:k]
	r.b = r.b[k:]
	return v
}
func (r *reader) u8() uint8   { return r.n(1)[0] }
func (r *reader) u16() uint16 { return binary.BigEndian.Uint16(r.n(2)) }
func (r *reader) u32() uint32 { return binary.BigEndian.Uint32(r.n(4)) }
func (r *reader) u64() uint64 { return binary.BigEndian.Uint64(r.n(8)) }

// uint reads an unsigned field of size 0, 4 or 8 bytes (iloc's variable-size fields).
func (r *reader) uint(size int) uint64 {
	switch size {
	case 0:
		return 0
	case 4:
		return uint64(r.u32())
	case 8:
		return r.u64()
	}
	r.bad = true
	return 0
}

// id reads an item ID: 16 bits in version 0 boxes, 32 bits otherwise.
func (r *reader) id(version uint8) uint32 {
	if version == 0 {
		return uint32(r.u16())
	}
	return r.u32()
}

func fullBox(body []byte) (version uint8, flags uint32, rest []byte, ok bool) {
	if len(body) < 4 {
		return 0, 0, nil, false
	}
	return body[0], uint32(body[1])<<16 | uint32(body[2])<<8 | uint32(body[3]), body[4:], true
}

func (f *File) item(id uint32) (*item, error) {
	it := f.items[id]
	if it == nil {
		if len(f.items) >= maxItems {
			return nil, fail(ErrMalformed, "more than %d items", maxItems)
		}
		it = &item{id: id, refs: map[string][]uint32{}}
		f.items[id] = it
	}
	return it, nil
}

func (f *File) parseMeta(body []byte) error {
	_, _, body, ok := fullBox(body)
	if !ok {
		return fail(ErrMalformed, "short meta box")
	}
	var sawIinf bool
	var handler string
	err := walk(body, func(typ string, body, raw []byte) error {
		switch typ {
		case "hdlr":
			_, _, b, ok := fullBox(body)
			if !ok || len(b) < 8 {
				return fail(ErrMalformed, "short hdlr")
			}
			handler = string(b[4:8])
		case "pitm":
			v, _, b, ok := fullBox(body)
			r := reader{b: b}
			if !ok {
				return fail(ErrMalformed, "short pitm")
			}
			f.primary = r.id(v)
			if r.bad {
				return fail(ErrMalformed, "short pitm")
			}
		case "iinf":
			sawIinf = true
			return f.parseIinf(body)
		case "iloc":
			return f.parseIloc(body)
		case "iref":
			return f.parseIref(body)
		case "iprp":
			return f.parseIprp(body)
		case "idat":
			f.idat = body
		}
		return nil
	})
	if err != nil {
		return err
	}
	if handler != "pict" {
		return fail(ErrMalformed, "meta handler %q is not 'pict'", handler)
	}
	if !sawIinf {
		return fail(ErrMalformed, "no item information (iinf)")
	}
	return nil
}

func (f *File) parseIinf(body []byte) error {
	v, _, b, ok := fullBox(body)
	if !ok {
		return fail(ErrMalformed, "short iinf")
	}
	r := reader{b: b}
	if v == 0 {
		r.u16()
	} else {
		r.u32()
	}
	if r.bad {
		return fail(ErrMalformed, "short iinf")
	}
	return walk(r.b, func(typ string, body, raw []byte) error {
		if typ != "infe" {
			return nil
		}
		v, flags, b, ok := fullBox(body)
		if !ok {
			return fail(ErrMalformed, "short infe")
		}
		r := reader{b: b}
		var id uint32
		var typName string
		switch {
		case v >= 2:
			if v == 2 {
				id = uint32(r.u16())
			} else {
				id = r.u32()
			}
			r.u16() // protection index
			typName = string(r.n(4))
		default: // versions 0 and 1 carry no item type: nothing here can decode them
			id = uint32(r.u16())
			typName = "?"
		}
		if r.bad {
			return fail(ErrMalformed, "short infe")
		}
		it, err := f.item(id)
		if err != nil {
			return err
		}
		if it.typ != "" {
			return fail(ErrMalformed, "item %d declared twice", id)
		}
		it.typ, it.hidden = typName, flags&1 != 0
		f.order = append(f.order, id)
		return nil
	})
}

func (f *File) parseIloc(body []byte) error {
	v, _, b, ok := fullBox(body)
	if !ok || v > 2 {
		return fail(ErrMalformed, "bad iloc")
	}
	r := reader{b: b}
	s1, s2 := r.u8(), r.u8()
	offSize, lenSize, baseSize, idxSize := int(s1>>4), int(s1&15), int(s2>>4), 0
	if v >= 1 {
		idxSize = int(s2 & 15)
	}
	var count uint32
	if v < 2 {
		count = uint32(r.u16())
	} else {
		count = r.u32()
	}
	if r.bad || count > maxItems {
		return fail(ErrMalformed, "bad iloc header")
	}
	for i := uint32(0); i < count; i++ {
		var id uint32
		if v < 2 {
			id = uint32(r.u16())
		} else {
			id = r.u32()
		}
		method := 0
		if v >= 1 {
			method = int(r.u16() & 15)
		}
		dataRef := r.u16()
		base := r.uint(baseSize)
		n := int(r.u16())
		if r.bad {
			return fail(ErrMalformed, "iloc entry cut short")
		}
		if n > maxExtents {
			return fail(ErrMalformed, "item %d has %d extents", id, n)
		}
		it, err := f.item(id)
		if err != nil {
			return err
		}
		if it.located {
			return fail(ErrMalformed, "item %d located twice", id)
		}
		it.located, it.method, it.base = true, method, base
		if dataRef != 0 {
			it.method = -1 // data in another file: unsupported, reported when read
		}
		for e := 0; e < n; e++ {
			if idxSize > 0 {
				r.uint(idxSize)
			}
			off, ln := r.uint(offSize), r.uint(lenSize)
			it.extents = append(it.extents, extent{off, ln})
		}
		if r.bad {
			return fail(ErrMalformed, "iloc extents cut short")
		}
	}
	return nil
}

func (f *File) parseIref(body []byte) error {
	v, _, b, ok := fullBox(body)
	if !ok {
		return fail(ErrMalformed, "short iref")
	}
	refs := 0
	return walk(b, func(typ string, body, raw []byte) error {
		r := reader{b: body}
		from := r.id(v)
		n := int(r.u16())
		if r.bad {
			return fail(ErrMalformed, "short %q reference", typ)
		}
		refs += n
		if refs > maxItems*4 {
			return fail(ErrMalformed, "too many references")
		}
		it, err := f.item(from)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			to := r.id(v)
			if r.bad {
				return fail(ErrMalformed, "%q reference cut short", typ)
			}
			it.refs[typ] = append(it.refs[typ], to)
		}
		return nil
	})
}

func (f *File) parseIprp(body []byte) error {
	return walk(body, func(typ string, body, raw []byte) error {
		switch typ {
		case "ipco":
			return walk(body, func(typ string, body, raw []byte) error {
				if len(f.props) >= maxProps {
					return fail(ErrMalformed, "more than %d properties", maxProps)
				}
				f.props = append(f.props, property{typ: typ, raw: raw, hdr: len(raw) - len(body)})
				return nil
			})
		case "ipma":
			v, flags, b, ok := fullBox(body)
			if !ok {
				return fail(ErrMalformed, "short ipma")
			}
			r := reader{b: b}
			n := r.u32()
			if r.bad || n > maxItems {
				return fail(ErrMalformed, "bad ipma")
			}
			for i := uint32(0); i < n; i++ {
				id := r.id(v)
				k := int(r.u8())
				if r.bad {
					return fail(ErrMalformed, "ipma cut short")
				}
				it, err := f.item(id)
				if err != nil {
					return err
				}
				for j := 0; j < k; j++ {
					var idx uint16
					if flags&1 != 0 {
						idx = r.u16() & 0x7fff
					} else {
						idx = uint16(r.u8() & 0x7f)
					}
					if r.bad {
						return fail(ErrMalformed, "ipma cut short")
					}
					if idx == 0 {
						continue // "no property"
					}
					if len(it.assoc) >= maxAssoc {
						return fail(ErrMalformed, "item %d has too many properties", id)
					}
					it.assoc = append(it.assoc, idx)
				}
			}
		}
		return nil
	})
}

// prop returns the first property of type typ associated with the item, or nil.
func (f *File) prop(it *item, typ string) *property {
	for _, idx := range it.assoc {
		if int(idx) <= len(f.props) && f.props[idx-1].typ == typ {
			return &f.props[idx-1]
		}
	}
	return nil
}

// itemData returns an item's bytes (its extents concatenated when there are several).
func (f *File) itemData(it *item) ([]byte, error) {
	if !it.located || len(it.extents) == 0 {
		return nil, fail(ErrMalformed, "item %d has no location", it.id)
	}
	var src []byte
	switch it.method {
	case 0:
		src = f.data
	case 1:
		src = f.idat
	default:
		return nil, fail(ErrUnsupported, "item %d data is not in this file", it.id)
	}
	if len(it.extents) == 1 {
		return slice(src, it.base, it.extents[0], it.id)
	}
	var total uint64
	for _, e := range it.extents {
		total += e.length
		if e.length == 0 || total > uint64(len(src)) {
			return nil, fail(ErrTruncated, "item %d extends past the file", it.id)
		}
	}
	out := make([]byte, 0, total)
	for _, e := range it.extents {
		b, err := slice(src, it.base, e, it.id)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

func slice(src []byte, base uint64, e extent, id uint32) ([]byte, error) {
	start := base + e.offset
	if start < base { // overflow
		return nil, fail(ErrMalformed, "item %d offset overflows", id)
	}
	end := start + e.length
	if e.length == 0 { // "to the end of the file"
		end = uint64(len(src))
	}
	if end < start || start > uint64(len(src)) {
		return nil, fail(ErrTruncated, "item %d starts past the end of the file", id)
	}
	if end > uint64(len(src)) {
		return nil, fail(ErrTruncated, "item %d extends past the end of the file", id)
	}
	return src[start:end], nil
}

// Layout is how one displayable image (the primary image or a thumbnail) is coded.
type Layout struct {
	ItemID uint32
	// Width×Height is the coded picture: the grid's output size, or the single image's size.
	Width, Height int
	// The picture is Columns×Rows tiles of TileWidth×TileHeight, row-major in Tiles (item IDs);
	// the last column and row may reach past Width and Height (they are cropped). A single coded
	// image is a 1×1 grid whose tile is the picture.
	Columns, Rows         int
	TileWidth, TileHeight int
	Tiles                 []uint32
	// Crop is the clean aperture ('clap') in picture coordinates, or the whole picture.
	Crop image.Rectangle
	// Orientation is the EXIF-equivalent (1–8) of the 'irot'/'imir' transforms, applied after
	// the crop. Decoders fed CodedFile output apply none of it.
	Orientation int
	// Coding of the tiles (from the first tile's 'hvcC'): chroma 0 = monochrome, 1 = 4:2:0,
	// 2 = 4:2:2, 3 = 4:4:4; luma bit depth.
	Chroma, BitDepth int
	// Colour is the 'nclx' colour information of the image (or its first tile), if any.
	Colour *NCLX
	// LimitedRange: the samples are in video range (luma 16–235), as Colour says or, without
	// it, the first tile's HEVC VUI (vui.go); CodedLimitedRange is what the VUI alone says (some
	// libheif versions expand such samples to full range themselves, going by the VUI).
	LimitedRange, CodedLimitedRange bool
}

// NCLX is the colour information of an 'nclx' 'colr' box (ITU-T H.273 code points).
type NCLX struct {
	Primaries, Transfer, Matrix uint16
	FullRange                   bool
}

// Primary returns the layout of the primary image.
func (f *File) Primary() (*Layout, error) { return f.layout(f.primary) }

// Thumbnail returns the layout of the largest HEVC thumbnail of the primary image.
func (f *File) Thumbnail() (*Layout, error) {
	var best *Layout
	for _, id := range f.order {
		it := f.items[id]
		if it.typ != "hvc1" {
			continue
		}
		for _, to := range it.refs["thmb"] {
			if to != f.primary {
				continue
			}
			l, err := f.layout(id)
			if err == nil && (best == nil || l.Width*l.Height > best.Width*best.Height) {
				best = l
			}
		}
	}
	if best == nil {
		return nil, fail(ErrNoThumbnail, "primary item %d has none", f.primary)
	}
	return best, nil
}

func (f *File) layout(id uint32) (*Layout, error) {
	it := f.items[id]
	if it == nil {
		return nil, fail(ErrMalformed, "item %d is not declared", id)
	}
	l := &Layout{ItemID: id, Orientation: 1}
	switch it.typ {
	case "hvc1":
		w, h, err := f.extents(it)
		if err != nil {
			return nil, err
		}
		l.Width, l.Height, l.Columns, l.Rows, l.TileWidth, l.TileHeight = w, h, 1, 1, w, h
		l.Tiles = []uint32{id}
	case "grid":
		if err := f.gridLayout(it, l); err != nil {
			return nil, err
		}
	case "av01":
		return nil, fail(ErrUnsupported, "AV1 image (AVIF)")
	default:
		return nil, fail(ErrUnsupported, "image item of type %q", it.typ)
	}
	first := f.items[l.Tiles[0]]
	hv := f.prop(first, "hvcC")
	if hv == nil {
		return nil, fail(ErrMalformed, "item %d has no hvcC", first.id)
	}
	cfg, err := parseHvcC(hv.body())
	if err != nil {
		return nil, err
	}
	l.Chroma, l.BitDepth = cfg.chroma, cfg.bitDepth
	if c := f.nclx(it); c != nil {
		l.Colour = c
	} else {
		l.Colour = f.nclx(first)
	}
	if full, known := vuiFullRange(hv.body()); known {
		l.CodedLimitedRange = !full
	}
	l.LimitedRange = l.CodedLimitedRange
	if l.Colour != nil {
		l.LimitedRange = !l.Colour.FullRange
	}
	return l, f.transforms(it, l)
}

// extents returns an item's 'ispe' size.
func (f *File) extents(it *item) (int, int, error) {
	p := f.prop(it, "ispe")
	if p == nil {
		return 0, 0, fail(ErrMalformed, "item %d has no size (ispe)", it.id)
	}
	_, _, b, ok := fullBox(p.body())
	if !ok || len(b) < 8 {
		return 0, 0, fail(ErrMalformed, "short ispe")
	}
	w, h := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if w == 0 || h == 0 || w > 1<<20 || h > 1<<20 {
		return 0, 0, fail(ErrMalformed, "item %d size %d×%d", it.id, w, h)
	}
	return int(w), int(h), nil
}

func (f *File) gridLayout(it *item, l *Layout) error {
	data, err := f.itemData(it)
	if err != nil {
		return err
	}
	r := reader{b: data}
	if r.u8() != 0 {
		return fail(ErrUnsupported, "grid version")
	}
	flags := r.u8()
	rows, cols := int(r.u8())+1, int(r.u8())+1
	var ow, oh uint32
	if flags&1 == 0 {
		ow, oh = uint32(r.u16()), uint32(r.u16())
	} else {
		ow, oh = r.u32(), r.u32()
	}
	if r.bad {
		return fail(ErrMalformed, "grid description cut short")
	}
	tiles := it.refs["dimg"]
	if len(tiles) != rows*cols {
		return fail(ErrMalformed, "grid of %d×%d has %d tiles", cols, rows, len(tiles))
	}
	if len(tiles) > maxTiles {
		return fail(ErrUnsupported, "grid of %d tiles", len(tiles))
	}
	if ow == 0 || oh == 0 || ow > 1<<20 || oh > 1<<20 {
		return fail(ErrMalformed, "grid size %d×%d", ow, oh)
	}
	var tw, th int
	for i, id := range tiles {
		t := f.items[id]
		if t == nil {
			return fail(ErrMalformed, "grid tile %d is not declared", id)
		}
		if t.typ != "hvc1" {
			return fail(ErrUnsupported, "grid tile of type %q", t.typ)
		}
		for _, typ := range []string{"clap", "irot", "imir"} {
			if f.prop(t, typ) != nil {
				return fail(ErrUnsupported, "grid tile with its own %s", typ)
			}
		}
		w, h, err := f.extents(t)
		if err != nil {
			return err
		}
		if i == 0 {
			tw, th = w, h
		} else if w != tw || h != th {
			return fail(ErrMalformed, "grid tiles of different sizes")
		}
	}
	// The tiles must cover the output, and every tile must be at least partly inside it.
	if uint64(cols*tw) < uint64(ow) || uint64(rows*th) < uint64(oh) ||
		uint64((cols-1)*tw) >= uint64(ow) || uint64((rows-1)*th) >= uint64(oh) {
		return fail(ErrMalformed, "%d×%d tiles of %d×%d do not fit a %d×%d grid", cols, rows, tw, th, ow, oh)
	}
	if w, h, err := f.extents(it); err == nil && (w != int(ow) || h != int(oh)) {
		return fail(ErrMalformed, "grid ispe %d×%d differs from its description %d×%d", w, h, ow, oh)
	}
	l.Width, l.Height, l.Columns, l.Rows, l.TileWidth, l.TileHeight = int(ow), int(oh), cols, rows, tw, th
	l.Tiles = tiles
	return nil
}

func (f *File) nclx(it *item) *NCLX {
	for _, idx := range it.assoc {
		if int(idx) > len(f.props) || f.props[idx-1].typ != "colr" {
			continue
		}
		b := f.props[idx-1].body()
		if len(b) >= 11 && string(b[:4]) == "nclx" {
			return &NCLX{
				Primaries: binary.BigEndian.Uint16(b[4:]), Transfer: binary.BigEndian.Uint16(b[6:]),
				Matrix: binary.BigEndian.Uint16(b[8:]), FullRange: b[10]&0x80 != 0,
			}
		}
	}
	return nil
}

// transforms applies the item's 'clap', 'irot' and 'imir' properties in their association
// order (the order HEIF prescribes they take effect), folding them into one crop of the picture
// followed by one orientation.
func (f *File) transforms(it *item, l *Layout) error {
	crop := image.Rect(0, 0, l.Width, l.Height)
	o := dihedral{}
	for _, idx := range it.assoc {
		if int(idx) > len(f.props) {
			return fail(ErrMalformed, "item %d refers to property %d of %d", it.id, idx, len(f.props))
		}
		p := f.props[idx-1]
		b := p.body()
		switch p.typ {
		case "irot":
			if len(b) < 1 {
				return fail(ErrMalformed, "short irot")
			}
			o = o.then(dihedral{k: (4 - int(b[0]&3)) % 4}) // irot turns anticlockwise
		case "imir":
			if len(b) < 1 {
				return fail(ErrMalformed, "short imir")
			}
			// HEIF's amendment 2 wording, which iPhones and libheif follow: mode 0 exchanges
			// top and bottom, mode 1 left and right (the 2017 text, "vertical axis", was read
			// both ways).
			if b[0]&1 == 0 {
				o = o.then(dihedral{k: 2, flip: true})
			} else {
				o = o.then(dihedral{flip: true})
			}
		case "clap":
			// The aperture is expressed in the picture as transformed so far: map it back.
			cw, ch := crop.Dx(), crop.Dy()
			if o.k%2 == 1 {
				cw, ch = ch, cw
			}
			r, err := clapRect(b, cw, ch)
			if err != nil {
				return err
			}
			crop = o.unmapRect(r, crop)
		}
	}
	l.Crop, l.Orientation = crop, o.exif()
	return nil
}

// clapRect computes the clean aperture within a w×h picture the way libheif does: centred at
// offset + (size−1)/2, rounded to whole pixels, clamped to the picture.
func clapRect(b []byte, w, h int) (image.Rectangle, error) {
	if len(b) < 32 {
		return image.Rectangle{}, fail(ErrMalformed, "short clap")
	}
	u := func(i int) int64 { return int64(binary.BigEndian.Uint32(b[4*i:])) }
	s := func(i int) int64 { return int64(int32(binary.BigEndian.Uint32(b[4*i:]))) }
	wn, wd, hn, hd := u(0), u(1), u(2), u(3)
	xn, xd, yn, yd := s(4), u(5), s(6), u(7)
	if wd == 0 || hd == 0 || xd == 0 || yd == 0 || wn == 0 || hn == 0 {
		return image.Rectangle{}, fail(ErrMalformed, "clap with a zero term")
	}
	edge := func(size int, on, od, cn, cd int64) (int, int) {
		// left = off + (size−1)/2 − (clean−1)/2, right = off + (size−1)/2 + (clean−1)/2
		centre := float64(on)/float64(od) + float64(size-1)/2
		half := (float64(cn)/float64(cd) - 1) / 2
		lo, hi := roundHalfUp(centre-half), roundHalfUp(centre+half)
		return max(lo, 0), min(hi+1, size)
	}
	x0, x1 := edge(w, xn, xd, wn, wd)
	y0, y1 := edge(h, yn, yd, hn, hd)
	if x1 <= x0 || y1 <= y0 {
		return image.Rectangle{}, fail(ErrMalformed, "clean aperture outside the picture")
	}
	return image.Rect(x0, y0, x1, y1), nil
}

func roundHalfUp(v float64) int {
	if v < -1e9 || v > 1e9 {
		if v < 0 {
			return -1 << 30
		}
		return 1 << 30
	}
	i := int(v)
	if float64(i) > v {
		i-- // floor
	}
	if v-float64(i) >= 0.5 {
		i++
	}
	return i
}

type hvcConfig struct {
	chroma, bitDepth, lengthSize int
}

// parseHvcC reads what the caller needs from an HEVCDecoderConfigurationRecord.
func parseHvcC(b []byte) (hvcConfig, error) {
	if len(b) < 23 {
		return hvcConfig{}, fail(ErrMalformed, "short hvcC")
	}
	return hvcConfig{chroma: int(b[16] & 3), bitDepth: int(b[17]&7) + 8, lengthSize: int(b[21]&3) + 1}, nil
}
