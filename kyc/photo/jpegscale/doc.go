// Package jpegscale is a pure-Go JPEG decoder that decodes directly at 1/1, 1/2,
// 1/4 or 1/8 of the stored size.
//
// Phone photos are 12 to 200 megapixels but are sent at little more than a
// thousand pixels on the long edge. Decoding every pixel and then throwing 95 %
// of them away is what makes a plain pipeline slow and memory hungry. The
// inverse DCT of each 8×8 block can instead be computed at 4×4, 2×2 or 1×1
// (ITU T.81 defines the image as a sum of cosines, so a reduced set of samples
// of the same sum is a downscaled block). The entropy-coded data must still be
// read in full, but no full-size plane is ever allocated:
//
//   - baseline (sequential) scans are decoded MCU row by MCU row straight into
//     output planes of the reduced size; at 1/1 and 1/2 the inverse DCT of one
//     row runs on a second goroutine while the next row is Huffman decoded;
//   - progressive scans keep, per 8×8 block, only the coefficients that the
//     chosen scale uses (1 at 1/8, 4 at 1/4, 16 at 1/2, 64 at 1/1) as int16,
//     plus a 64-bit mask of the coefficients that are already non-zero, which
//     the successive-approximation refinement scans need to parse the stream;
//     the final inverse DCTs are split among the cores;
//   - subsampled chroma is decoded at a larger block size (a 4:2:0 chroma
//     block at 1/4 gives 4×4 samples, not 2×2), which upsamples it in the DCT
//     domain: from 1/2 down a 4:2:0 file comes out as 4:4:4 — unless
//     Options.KeepSubsampling asks for the file's subsampling to be kept, for
//     a caller that resamples the chroma planes itself;
//   - Options.OnRows reports, during a baseline decode, how many top rows are
//     final, so that a caller can start resizing before the decode ends.
//
// Supported: 8-bit Huffman baseline (SOF0), extended sequential (SOF1) and
// progressive (SOF2) frames with 1 (grey) or 3 components (YCbCr, or RGB when
// an Adobe APP14 segment says transform 0), luma sampling factors that are
// the maximum with chroma factors dividing them (4:4:4, 4:2:2, 4:2:0, 4:4:0,
// 4:1:1, 4:1:0), restart intervals. Everything else — arithmetic coding,
// 12-bit, lossless, hierarchical, CMYK, unusual sampling, DNL — returns an
// error wrapping ErrUnsupported so that callers can fall back to image/jpeg.
//
// The decoder was written from the T.81 specification; it shares no code with
// image/jpeg or libjpeg.
package jpegscale
