#!/bin/sh
# Regenerates the JPEG fixtures of kyc/photo/jpegscale from the NASA sample
# selfie (public domain). Needs cjpeg and jpegtran (Debian: libjpeg-turbo-progs).
# Run from anywhere: sh kyc/photo/jpegscale/testdata/gen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../../../../../shared/data/sample-selfie-astronaut.png}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$here/.." && go run ./testdata/gen "$src" "$tmp")
o=$here
q="-quality 90"
cjpeg $q -sample 2x2 -outfile "$o/baseline_420.jpg" "$tmp/src.ppm"
cjpeg $q -sample 1x1 -outfile "$o/baseline_444.jpg" "$tmp/src.ppm"
cjpeg $q -sample 2x1 -outfile "$o/baseline_422.jpg" "$tmp/src.ppm"
cjpeg $q -sample 1x2 -outfile "$o/baseline_440.jpg" "$tmp/src.ppm"
cjpeg $q -sample 4x1 -outfile "$o/baseline_411.jpg" "$tmp/src.ppm"
cjpeg $q -grayscale -outfile "$o/baseline_grey.jpg" "$tmp/src.pgm"
cjpeg $q -sample 2x2 -restart 7B -outfile "$o/restart_420.jpg" "$tmp/src.ppm"
cjpeg $q -rgb -outfile "$o/adobe_rgb.jpg" "$tmp/src.ppm"
# Sequential, one scan per component (non-interleaved).
printf '0: 0 63 0 0;\n1: 0 63 0 0;\n2: 0 63 0 0;\n' > "$tmp/seq.scans"
cjpeg $q -sample 2x1 -scans "$tmp/seq.scans" -outfile "$o/noninterleaved_422.jpg" "$tmp/src.ppm"
cjpeg $q -sample 2x2 -progressive -outfile "$o/progressive_420.jpg" "$tmp/src.ppm"
cjpeg $q -sample 1x1 -progressive -outfile "$o/progressive_444.jpg" "$tmp/src.ppm"
cjpeg $q -grayscale -progressive -outfile "$o/progressive_grey.jpg" "$tmp/src.pgm"
jpegtran -progressive -restart 5B -outfile "$o/progressive_restart_422.jpg" "$o/baseline_422.jpg"
jpegtran -crop 37x29+96+80 -outfile "$o/tiny_420.jpg" "$o/baseline_420.jpg"
jpegtran -progressive -restart 1B -outfile "$o/tiny_progressive_restart_420.jpg" "$o/tiny_420.jpg"
# Fuzz seeds (FuzzDecode): one small crop per layout. Seeds must stay around
# a kilobyte: each fuzz execution and each input minimisation step (one
# execution per byte) scales with the input size.
s=$o/seeds
mkdir -p "$s"
crop="-copy none -crop 37x29+96+80"
for f in baseline_411 baseline_422 baseline_440 baseline_444 baseline_grey adobe_rgb; do
	jpegtran $crop -outfile "$s/$f.jpg" "$o/$f.jpg"
done
for f in progressive_420 progressive_444 progressive_grey; do
	jpegtran $crop -progressive -outfile "$s/$f.jpg" "$o/$f.jpg"
done
jpegtran $crop -restart 1B -outfile "$s/restart_420.jpg" "$o/restart_420.jpg"
jpegtran $crop -scans "$tmp/seq.scans" -outfile "$s/noninterleaved_422.jpg" "$o/noninterleaved_422.jpg"
jpegtran $crop -progressive -restart 1B -outfile "$s/progressive_restart_422.jpg" "$o/progressive_restart_422.jpg"
ls -l "$o"/*.jpg "$s"/*.jpg
