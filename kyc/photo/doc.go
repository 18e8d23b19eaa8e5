// Package photo is the one path every image takes before it is sent to the gateway — from the
// window, the camera and the headless commands: safe intake, preparation and pre-flight checks.
//
// Intake accepts JPEG (baseline and progressive), PNG, WebP and HEIC/HEIF, detected by magic
// bytes. Before any pixel is decoded, the file size (MaxFileBytes), the header's pixel count
// (MaxPixels; MaxPixelsJPEG for JPEGs the scaled decoder reads; MaxSide) and the chosen decoder's
// estimated memory (MaxDecodeBytes) are checked, so a decompression bomb is refused having
// allocated almost nothing. Decoder panics become errors; truncated files are errors, never
// half-grey images.
//
// JPEGs are decoded by kyc/photo/jpegscale straight at 1/2, 1/4 or 1/8 of their size (scaled
// inverse DCTs), at the largest reduction that still leaves scaleGap × the target
// (decodejpeg.go), so a 48 or 200 MP photo never exists at full size. What jpegscale does not read
// (CMYK, unusual sampling) falls back to image/jpeg within the full-size caps; what neither reads
// (12-bit, arithmetic, lossless) is refused by the header walk.
//
// HEIC/HEIF photos are decoded tile by tile (decodeheic.go): kyc/photo/heif reads the container
// and hands each HEVC tile, as a one-image HEIF, to kyc/photo/heif/heifdec — the system libheif
// when there is one, libheif in WebAssembly otherwise — and completed rows of tiles are
// box-shrunk at once, so the full-size picture never exists either. Progress (one report per
// tile, a preview from the embedded thumbnail) and cancellation between tiles: WithProgress.
//
// Preparation downscales in stored orientation — for YCbCr and grey images plane by plane with
// Lanczos-3 (planar.go), its horizontal pass overlapping a baseline decode on another goroutine;
// images a full-size decoder returned (PNG, WebP, image/jpeg) and camera stills with
// disintegration/imaging (imagingpath.go) — then applies the orientation (EXIF, or HEIC's
// irot/imir), and encodes a baseline 4:2:0 JPEG without any metadata at the highest quality in
// [QualityMin, QualityMax] that fits the kind's byte budget (TargetFor), while the checks run on a
// second goroutine.
//
// Checks (thresholds.go) produce Findings: SeverityError blocks sending, SeverityWarning may be
// overridden by the clerk. Face detection (faces.go) uses the LBP cascade in kyc/photo/face
// (OpenCV data file by KU Leuven/EAVISE, BSD-style licence, embedded with its header) in two
// passes: the customer's face, then smaller second faces.
//
// Decoding goes through decodeDownscale: decodeWith (intake.go) for JPEG, PNG and WebP,
// decodeHEIC for HEIC.
package photo
