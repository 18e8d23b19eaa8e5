package photo

import "encoding/binary"

const (
	tagOrientation = 0x0112
	maxIFDEntries  = 512 // IFD0 of real cameras holds a few dozen; a bound keeps hostile input cheap
)

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF-structured EXIF block (the APP1 payload
// after "Exif\0\0"). It returns 1 (upright) for anything missing, malformed or out of range:
// orientation is a hint, and a broken hint must not make a good photo unusable.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	n = min(n, maxIFDEntries, (len(t)-int(off)-2)/12)
	for k := 0; k < n; k++ {
		e := t[int(off)+2+12*k:]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		typ, count := bo.Uint16(e[2:]), bo.Uint32(e[4:])
		var v uint32
		switch {
		case typ == 3 && count >= 1: // SHORT, stored left-justified in the value field
			v = uint32(bo.Uint16(e[8:]))
		case typ == 4 && count == 1: // LONG: non-standard but seen in the wild
			v = bo.Uint32(e[8:])
		default:
			return 1
		}
		if v >= 1 && v <= 8 {
			return int(v)
		}
		return 1
	}
	return 1
}
