package heif

// The video range of a coded image. Its samples are either full range (0–255 for 8 bits, as JFIF
// and the planes this project converts assume) or "video" range (luma 16–235, chroma 16–240). An
// 'nclx' box says which; without one, the HEVC sequence parameter set's VUI does
// (video_full_range_flag), and when the VUI does not say, the flag is 0: video range (H.265 E.3.1,
// as libde265 and libheif 1.15 decode it). Phones differ: iPhones code full range and say so in
// the VUI; other encoders code video range, often without saying. Only an SPS that cannot be read
// leaves the range unknown, taken as full.

// vuiFullRange reads video_full_range_flag from the first sequence parameter set in an hvcC
// (HEVCDecoderConfigurationRecord). known is false when there is no SPS or it cannot be read.
func vuiFullRange(hvcc []byte) (full, known bool) {
	sps := firstNAL(hvcc, 33)
	if sps == nil {
		return false, false
	}
	r := bitReader{b: unescapeRBSP(sps[min(2, len(sps)):])} // after the two-byte NAL header
	return r.spsFullRange()
}

// firstNAL returns the first NAL unit of the given type in an hvcC's parameter-set arrays.
func firstNAL(hvcc []byte, typ byte) []byte {
	if len(hvcc) < 23 {
		return nil
	}
	b, arrays := hvcc[23:], int(hvcc[22])
	for a := 0; a < arrays; a++ {
		if len(b) < 3 {
			return nil
		}
		t, n := b[0]&0x3f, int(b[1])<<8|int(b[2])
		b = b[3:]
		for i := 0; i < n; i++ {
			if len(b) < 2 {
				return nil
			}
			size := int(b[0])<<8 | int(b[1])
			if len(b) < 2+size {
				return nil
			}
			if t == typ {
				return b[2 : 2+size]
			}
			b = b[2+size:]
		}
	}
	return nil
}

// unescapeRBSP removes the emulation prevention bytes (00 00 03 → 00 00).
func unescapeRBSP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// bitReader reads an RBSP most significant bit first; reading past the end sets bad.
type bitReader struct {
	b   []byte
	pos int // in bits
	bad bool
}

func (r *bitReader) u(n int) uint32 {
	var v uint32
	for i := 0; i < n; i++ {
		if r.pos >= 8*len(r.b) {
			r.bad = true
			return 0
		}
		v = v<<1 | uint32(r.b[r.pos/8]>>(7-r.pos%8))&1
		r.pos++
	}
	return v
}

func (r *bitReader) skip(n int) { r.pos += n; r.bad = r.bad || r.pos > 8*len(r.b) }

// ue reads an unsigned Exp-Golomb code (values past 2³²−2 are treated as damage).
func (r *bitReader) ue() uint32 {
	zeros := 0
	for r.u(1) == 0 {
		if zeros++; zeros > 31 || r.bad {
			r.bad = true
			return 0
		}
	}
	return 1<<zeros - 1 + r.u(zeros)
}

func (r *bitReader) se() { r.ue() }

// spsFullRange walks an SPS (H.265 7.3.2.2) up to its VUI's video signal type.
func (r *bitReader) spsFullRange() (full, known bool) {
	r.skip(4) // sps_video_parameter_set_id
	maxSub := int(r.u(3))
	r.skip(1)
	// profile_tier_level(1, maxSub): the general part, then each sub-layer's.
	r.skip(96)
	var profile, level [8]bool
	for i := 0; i < maxSub; i++ {
		profile[i], level[i] = r.u(1) == 1, r.u(1) == 1
	}
	if maxSub > 0 {
		r.skip(2 * (8 - maxSub))
	}
	for i := 0; i < maxSub; i++ {
		if profile[i] {
			r.skip(88)
		}
		if level[i] {
			r.skip(8)
		}
	}
	r.ue() // sps_seq_parameter_set_id
	if r.ue() == 3 {
		r.skip(1) // separate_colour_plane_flag
	}
	r.ue()           // width
	r.ue()           // height
	if r.u(1) == 1 { // conformance window
		r.ue()
		r.ue()
		r.ue()
		r.ue()
	}
	r.ue() // bit depths
	r.ue()
	pocBits := int(r.ue()) + 4
	first := maxSub
	if r.u(1) == 1 { // sps_sub_layer_ordering_info_present_flag
		first = 0
	}
	for i := first; i <= maxSub; i++ {
		r.ue()
		r.ue()
		r.ue()
	}
	for i := 0; i < 6; i++ { // block sizes, transform hierarchy depths
		r.ue()
	}
	if r.u(1) == 1 && r.u(1) == 1 { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
		r.scalingListData()
	}
	r.skip(2)        // amp, sample_adaptive_offset
	if r.u(1) == 1 { // pcm
		r.skip(8)
		r.ue()
		r.ue()
		r.skip(1)
	}
	sets := int(r.ue())
	if sets > 64 {
		return false, false
	}
	deltas := make([]int, sets) // NumDeltaPocs of each set
	for i := 0; i < sets && !r.bad; i++ {
		deltas[i] = r.shortTermRefPicSet(i, deltas)
	}
	if r.u(1) == 1 { // long_term_ref_pics_present_flag
		n := int(r.ue())
		if n > 32 {
			return false, false
		}
		for i := 0; i < n; i++ {
			r.skip(pocBits + 1)
		}
	}
	r.skip(2)        // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
	if r.u(1) == 0 { // no VUI: video_full_range_flag is inferred to be 0
		return false, r.endsHere()
	}
	if r.u(1) == 1 { // aspect_ratio_info_present_flag
		if r.u(8) == 255 {
			r.skip(32)
		}
	}
	if r.u(1) == 1 { // overscan_info_present_flag
		r.skip(1)
	}
	if r.u(1) == 0 { // no video_signal_type: video_full_range_flag is inferred to be 0
		return false, !r.bad
	}
	r.skip(3) // video_format
	full = r.u(1) == 1
	return full, !r.bad
}

// endsHere reports whether what is left of an SPS without VUI is what must be: no extension
// (or one), then the RBSP trailing bits (a 1, then zeros to the byte). A walk that lost its way
// through the fields before would hardly land exactly on them.
func (r *bitReader) endsHere() bool {
	if r.bad || r.u(1) == 1 { // sps_extension_present_flag: extensions are not walked
		return false
	}
	if r.u(1) != 1 {
		return false
	}
	for r.pos%8 != 0 {
		if r.u(1) != 0 {
			return false
		}
	}
	return !r.bad && r.pos == 8*len(r.b)
}

func (r *bitReader) scalingListData() {
	for size := 0; size < 4; size++ {
		step := 1
		if size == 3 {
			step = 3
		}
		for m := 0; m < 6; m += step {
			if r.u(1) == 0 {
				r.ue() // scaling_list_pred_matrix_id_delta
				continue
			}
			if size > 1 {
				r.se() // scaling_list_dc_coef_minus8
			}
			for i := 0; i < min(64, 1<<(4+2*size)); i++ {
				r.se()
			}
			if r.bad {
				return
			}
		}
	}
}

// shortTermRefPicSet skips st_ref_pic_set(idx) of an SPS and returns its NumDeltaPocs.
func (r *bitReader) shortTermRefPicSet(idx int, deltas []int) int {
	if idx != 0 && r.u(1) == 1 { // inter_ref_pic_set_prediction_flag (the reference is set idx−1)
		r.skip(1) // delta_rps_sign
		r.ue()    // abs_delta_rps_minus1
		n := 0
		for j := 0; j <= deltas[idx-1] && !r.bad; j++ {
			used := r.u(1) == 1
			if used || r.u(1) == 1 { // used_by_curr_pic_flag, else use_delta_flag
				n++
			}
		}
		return n
	}
	neg, pos := int(r.ue()), int(r.ue())
	if neg > 16 || pos > 16 {
		r.bad = true
		return 0
	}
	for i := 0; i < neg+pos; i++ {
		r.ue()
		r.skip(1)
	}
	return neg + pos
}
