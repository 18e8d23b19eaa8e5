#!/usr/bin/env bash
# make bench-compare: times `kycdesk prepare --kind selfie` against libvips's `vipsthumbnail -s 1280`
# on the same 12 MP, 48 MP and 200 MP phone-like JPEGs (the sample selfie upscaled with grain,
# q90 4:2:0, EXIF orientation 6), interleaved, RUNS times each, and prints a Markdown table of
# the median wall times, the median of the per-run ratios and both peak RSS figures, then checks
# issue 8's targets. Whole processes are timed, start-up included (a `kycdesk version` baseline is
# printed too): that is what a clerk waits for.
#
# Environment: RUNS (default 7), BENCH_DIR (photos and outputs; default /tmp/kycdesk-bench-data),
# KYCDESK_BIN (a prebuilt kycdesk to time instead of building one from this tree).
# Installs libvips-tools and time with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
DIR=${BENCH_DIR:-/tmp/kycdesk-bench-data}
mkdir -p "$DIR"

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 && return
	if [ "$(id -u)" != 0 ]; then
		echo "bench-compare: $1 is missing; install the $2 package" >&2
		exit 1
	fi
	echo "bench-compare: installing $2" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
}
need vipsthumbnail libvips-tools
[ -x /usr/bin/time ] || need /usr/bin/time time
TIME=/usr/bin/time

BIN=${KYCDESK_BIN:-/tmp/kycdesk-bench}
if [ -z "${KYCDESK_BIN:-}" ]; then
	echo "bench-compare: building $BIN (links Fyne: slow the first time)" >&2
	go build -tags migrated_fynedo -o "$BIN" .
fi

# The photos come from the same generator as kyc/photo's benchmarks (TestGenerateBenchPhoto).
# 200 MP gets less grain so the file stays a realistic ~21 MB, under the 40 MB intake cap.
SIZES="12MP:4000:3000:8 48MP:8000:6000:8 200MP:16320:12240:3"
for s in $SIZES; do
	IFS=: read -r name w h grain <<<"$s"
	f="$DIR/photo-$name.jpg"
	if [ ! -s "$f" ]; then
		echo "bench-compare: generating $f" >&2
		PHOTO_BENCH_GEN="$f:$w:$h:$grain" go test -count=1 -run '^TestGenerateBenchPhoto$' ./kyc/photo/ >/dev/null
	fi
done

# measure LABEL CMD... : runs CMD under /usr/bin/time (for the peak RSS) and appends
# "seconds maxrss_kb" to $DIR/LABEL. The wall time is taken with nanosecond clocks around it
# (time's %e has 10 ms steps, too coarse for 0.15 s runs); both sides pay the same wrapper.
measure() {
	local label=$1 t0 t1
	shift
	t0=$(date +%s%N)
	if ! $TIME -f '%M' -o "$DIR/.one" "$@" >/dev/null 2>"$DIR/.err"; then
		echo "bench-compare: failed: $*" >&2
		cat "$DIR/.err" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }') $(tail -n 1 "$DIR/.one")" >>"$DIR/$label"
}

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$DIR"/ours-* "$DIR"/vips-* "$DIR"/version
for i in $(seq "$RUNS"); do
	measure version "$BIN" version
	for s in $SIZES; do
		name=${s%%:*}
		f="$DIR/photo-$name.jpg"
		ours=(measure "ours-$name" "$BIN" prepare --kind selfie --image "$f" --out "$DIR/ours-$name-out.jpg")
		vips=(measure "vips-$name" vipsthumbnail "$f" -s 1280 -o "$DIR/vips-$name-out.jpg[Q=85]")
		if ((i % 2)); then "${ours[@]}"; "${vips[@]}"; else "${vips[@]}"; "${ours[@]}"; fi
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "kycdesk prepare --kind selfie vs vipsthumbnail -s 1280, $RUNS interleaved runs each, $(nproc) cores"
echo "load average before: $load_before, after: $load_after"
echo "kycdesk version (process start-up, links Fyne): median $(cut -d' ' -f1 "$DIR/version" | median | awk '{printf "%.3f", $1}') s, peak RSS $(($(cut -d' ' -f2 "$DIR/version" | median | cut -d. -f1) / 1024)) MB"
echo
echo "| photo | file | ours median (s) | vips median (s) | ratio ours/vips (median of runs) | ours peak RSS (MB) | vips peak RSS (MB) |"
echo "|---|---|---|---|---|---|---|"
fail=0
for s in $SIZES; do
	name=${s%%:*}
	o="$DIR/ours-$name" v="$DIR/vips-$name"
	ot=$(cut -d' ' -f1 "$o" | median)
	vt=$(cut -d' ' -f1 "$v" | median)
	ratio=$(paste -d' ' "$o" "$v" | awk '{ if ($3 > 0) print $1/$3; else print 0 }' | median)
	orss=$(($(cut -d' ' -f2 "$o" | sort -n | tail -n 1) / 1024)) # worst run
	vrss=$(($(cut -d' ' -f2 "$v" | sort -n | tail -n 1) / 1024))
	size=$(($(stat -c %s "$DIR/photo-$name.jpg") / 1000000))
	printf '| %s | %s MB | %.3f | %.3f | %.2f× | %d | %d |\n' "$name" "$size" "$ot" "$vt" "$ratio" "$orss" "$vrss"
	case $name in
	12MP) awk -v r="$ratio" 'BEGIN { exit !(r <= 1.0) }' || { echo "TARGET MISSED: 12 MP ratio $ratio > 1.0" >&2; fail=1; } ;;
	48MP) [ "$orss" -le 100 ] || { echo "TARGET MISSED: 48 MP peak RSS $orss MB > 100 MB" >&2; fail=1; } ;;
	200MP) [ "$orss" -le 150 ] || { echo "TARGET MISSED: 200 MP peak RSS $orss MB > 150 MB" >&2; fail=1; } ;;
	esac
done
echo
echo "Targets (issue 8): 12 MP ratio ≤ 1.0×; 48 MP ≤ 100 MB; 200 MP ≤ 150 MB (peak RSS: the worst of the runs)."
exit $fail
