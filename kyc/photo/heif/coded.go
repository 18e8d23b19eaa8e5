package heif

import "encoding/binary"

// CodedFile returns a minimal HEIF file whose primary image is the coded image item id (an
// 'hvc1' tile or thumbnail) with its decoder configuration and size, and nothing else: no
// transforms, no colour profile, no metadata. Any HEIF decoder turns it into that item's pixels,
// exactly as they sit in the original file's picture.
func (f *File) CodedFile(id uint32) ([]byte, error) {
	c, err := f.Coded(id)
	if err != nil {
		return nil, err
	}
	return c.File(), nil
}

// Coded is one coded HEVC image.
type Coded struct {
	HvcC          []byte // the whole 'hvcC' box, header included
	Width, Height int    // its 'ispe'
	Data          []byte // length-prefixed NAL units
}

// File returns the minimal HEIF file holding just this image (see CodedFile).
func (c Coded) File() []byte { return buildCoded(c.HvcC, c.Width, c.Height, c.Data) }

// Coded returns the coded image item id (its data aliases the file's).
func (f *File) Coded(id uint32) (Coded, error) {
	it := f.items[id]
	if it == nil {
		return Coded{}, fail(ErrMalformed, "item %d is not declared", id)
	}
	if it.typ != "hvc1" {
		return Coded{}, fail(ErrUnsupported, "item %d is %q, not a coded HEVC image", id, it.typ)
	}
	hv := f.prop(it, "hvcC")
	if hv == nil {
		return Coded{}, fail(ErrMalformed, "item %d has no hvcC", id)
	}
	if _, err := parseHvcC(hv.body()); err != nil {
		return Coded{}, err
	}
	w, h, err := f.extents(it)
	if err != nil {
		return Coded{}, err
	}
	data, err := f.itemData(it)
	if err != nil {
		return Coded{}, err
	}
	return Coded{HvcC: hv.raw, Width: w, Height: h, Data: data}, nil
}

// buildCoded lays out ftyp, meta (hdlr, pitm, iinf, iloc, iprp) and mdat for one item, ID 1.
// Its properties are the decoder configuration, the size and a 'pixi' saying how many channels
// of how many bits the image has (libheif 1.18 decodes a monochrome image only with it).
func buildCoded(hvcC []byte, w, h int, data []byte) []byte {
	channels, depth := 3, 8
	if len(hvcC) >= 8+23 {
		cfg, _ := parseHvcC(hvcC[8:])
		if cfg.chroma == 0 {
			channels = 1
		}
		depth = cfg.bitDepth
	}
	var b []byte
	u16 := func(v int) { b = binary.BigEndian.AppendUint16(b, uint16(v)) }
	u32 := func(v int) { b = binary.BigEndian.AppendUint32(b, uint32(v)) }
	open := func(typ string) int { // a box whose size is patched by close
		at := len(b)
		u32(0)
		b = append(b, typ...)
		return at
	}
	closeBox := func(at int) { binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at)) }
	full := func(typ string, version byte) int {
		at := open(typ)
		b = append(b, version, 0, 0, 0)
		return at
	}

	ftyp := open("ftyp")
	b = append(b, "heic"...)
	u32(0)
	b = append(b, "mif1heic"...)
	closeBox(ftyp)

	meta := full("meta", 0)
	hdlr := full("hdlr", 0)
	u32(0)
	b = append(b, "pict"...)
	u32(0)
	u32(0)
	u32(0)
	b = append(b, 0)
	closeBox(hdlr)

	pitm := full("pitm", 0)
	u16(1)
	closeBox(pitm)

	iinf := full("iinf", 0)
	u16(1)
	infe := full("infe", 2)
	u16(1) // item ID
	u16(0) // protection index
	b = append(b, "hvc1"...)
	b = append(b, 0) // name
	closeBox(infe)
	closeBox(iinf)

	iloc := full("iloc", 0)
	b = append(b, 0x44, 0x00) // 4-byte offsets and lengths, no base offset
	u16(1)                    // item count
	u16(1)                    // item ID
	u16(0)                    // data reference: this file
	u16(1)                    // extent count
	offsetAt := len(b)
	u32(0) // patched below
	u32(len(data))
	closeBox(iloc)

	iprp := open("iprp")
	ipco := open("ipco")
	b = append(b, hvcC...)
	ispe := full("ispe", 0)
	u32(w)
	u32(h)
	closeBox(ispe)
	pixi := full("pixi", 0)
	b = append(b, byte(channels))
	for range channels {
		b = append(b, byte(depth))
	}
	closeBox(pixi)
	closeBox(ipco)
	ipma := full("ipma", 0)
	u32(1)                    // entry count
	u16(1)                    // item ID
	b = append(b, 3)          // associations
	b = append(b, 0x81, 2, 3) // hvcC (essential), ispe, pixi
	closeBox(ipma)
	closeBox(iprp)
	closeBox(meta)

	mdat := open("mdat")
	binary.BigEndian.PutUint32(b[offsetAt:], uint32(len(b)))
	b = append(b, data...)
	closeBox(mdat)
	return b
}

// CodedItems returns the IDs of the file's coded HEVC image items, in declaration order.
func (f *File) CodedItems() []uint32 {
	var ids []uint32
	for _, id := range f.order {
		if f.items[id].typ == "hvc1" {
			ids = append(ids, id)
		}
	}
	return ids
}
