// Package photo is the one path every image takes before it is sent to the gateway — from the
// window, the camera and the headless commands: safe intake, preparation and pre-flight checks.
//
// Intake accepts JPEG (baseline and progressive), PNG, WebP and HEIC/HEIF, detected by magic
// bytes. Before any pixel is decoded, the file size (MaxFileBytes), the header's pixel count
// (MaxPixels, MaxSide) and the decoder's estimated memory (MaxDecodeBytes) are checked, so a
// decompression bomb is refused having allocated almost nothing. Decoder panics become errors;
// truncated files are errors, never half-grey images.
//
// Preparation downscales (integer box pre-shrink, then Lanczos-3) in stored orientation, then
// applies the EXIF orientation (HEIC: libheif applies irot/imir itself), and encodes a baseline
// 4:2:0 JPEG without any metadata at the highest quality in [QualityMin, QualityMax] that fits the
// kind's byte budget (TargetFor).
//
// Checks (thresholds.go) produce Findings: SeverityError blocks sending, SeverityWarning may be
// overridden by the clerk. Face detection uses the LBP cascade in kyc/photo/face (OpenCV data file
// by KU Leuven/EAVISE, BSD-style licence, embedded with its header).
//
// All decoding goes through decodeScaled (intake.go), the hook for the DCT-scaled JPEG decoder of
// issue 8.
package photo
