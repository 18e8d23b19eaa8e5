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
	if enabled := r.u(1) == 1; enabled { // scaling_list_enabled_flag
		if present := r.u(1) == 1; present { // sps_scaling_list_data_present_flag
			r.scalingListData()
		}
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
	rps := make([]refPicSet, sets)
	for i := 0; i < sets && !r.bad; i++ {
		rps[i] = r.shortTermRefPicSet(i, rps)
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

// refPicSet is a short-term reference picture set's picture order count deltas: S0 negative,
// nearest first; S1 positive, nearest first. Only their number matters here, but a set predicted
// from the one before has as many entries as the deltas that survive the prediction (H.265
// 7.4.8), which takes the values to work out.
type refPicSet struct{ s0, s1 []int }

// shortTermRefPicSet reads st_ref_pic_set(idx) of an SPS (H.265 7.3.7).
func (r *bitReader) shortTermRefPicSet(idx int, sets []refPicSet) refPicSet {
	var out refPicSet
	if idx != 0 && r.u(1) == 1 { // inter_ref_pic_set_prediction_flag: predicted from set idx−1
		ref := sets[idx-1]
		sign := r.u(1)
		deltaRps := int(r.ue()) + 1
		if sign == 1 {
			deltaRps = -deltaRps
		}
		n := len(ref.s0) + len(ref.s1)
		use := make([]bool, n+1) // use_delta_flag: S0's entries, S1's, then deltaRps itself
		for j := 0; j <= n && !r.bad; j++ {
			used := r.u(1) == 1 // used_by_curr_pic_flag
			use[j] = used || r.u(1) == 1
		}
		// (7-61), (7-62): each surviving delta moved by deltaRps, sorted by side.
		for j := len(ref.s1) - 1; j >= 0; j-- {
			if d := ref.s1[j] + deltaRps; d < 0 && use[len(ref.s0)+j] {
				out.s0 = append(out.s0, d)
			}
		}
		if deltaRps < 0 && use[n] {
			out.s0 = append(out.s0, deltaRps)
		}
		for j, v := range ref.s0 {
			if d := v + deltaRps; d < 0 && use[j] {
				out.s0 = append(out.s0, d)
			}
		}
		for j := len(ref.s0) - 1; j >= 0; j-- {
			if d := ref.s0[j] + deltaRps; d > 0 && use[j] {
				out.s1 = append(out.s1, d)
			}
		}
		if deltaRps > 0 && use[n] {
			out.s1 = append(out.s1, deltaRps)
		}
		for j, v := range ref.s1 {
			if d := v + deltaRps; d > 0 && use[len(ref.s0)+j] {
				out.s1 = append(out.s1, d)
			}
		}
		return out
	}
	neg, pos := int(r.ue()), int(r.ue())
	if neg > 16 || pos > 16 {
		r.bad = true
		return out
	}
	poc := 0
	for i := 0; i < neg; i++ {
		poc -= int(r.ue()) + 1 // delta_poc_s0_minus1
		r.skip(1)              // used_by_curr_pic_s0_flag
		out.s0 = append(out.s0, poc)
	}
	poc = 0
	for i := 0; i < pos; i++ {
		poc += int(r.ue()) + 1
		r.skip(1)
		out.s1 = append(out.s1, poc)
	}
	return out
}
