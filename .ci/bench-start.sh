#!/usr/bin/env bash
# Start-up benchmark: time from exec to the window being mapped on an X display, for
# KYC Desk and for a hello-world Fyne window, interleaved, several runs each. Prints the
# medians and their ratio (target: KYC Desk ≤ 1.2× hello world).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-9}
tmp=$(mktemp -d)
trap 'kill ${xvfb:-} 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -tags migrated_fynedo -o "$tmp/kycdesk" .
go build -tags migrated_fynedo -o "$tmp/hello" ./testdata/hello
display=":$((150 + RANDOM % 50))"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.05; done

# startup BIN TITLE: milliseconds until a visible window with TITLE exists. A start that
# fails (GLFW sometimes cannot initialise when X clients come and go this fast: both
# programs hit it alike) is retried, up to twice.
startup() {
  local ms
  for _ in 1 2 3; do
    if ms=$(startup_once "$@"); then echo "$ms"; return 0; fi
  done
  return 1
}

startup_once() {
  local t0 t1 pid
  t0=$(date +%s%N)
  KYCDESK_HOME="$tmp/home" "$1" >>"$tmp/app.log" 2>&1 &
  pid=$!
  local deadline=$((t0 + 30000000000))
  until xdotool search --onlyvisible --name "^$2\$" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s%N)" -gt "$deadline" ]; then
      echo "bench-start: $1 did not show its window:" >&2; grep -m1 -A25 "^panic\|fatal" "$tmp/app.log" >&2; kill "$pid" 2>/dev/null; return 1
    fi
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

startup "$tmp/kycdesk" "KYC Desk" >/dev/null   # warm the page cache once
startup "$tmp/hello" "Hello Fyne" >/dev/null
: >"$tmp/k"; : >"$tmp/h"
for _ in $(seq "$runs"); do
  startup "$tmp/kycdesk" "KYC Desk" >>"$tmp/k"
  startup "$tmp/hello" "Hello Fyne" >>"$tmp/h"
done
k=$(median <"$tmp/k"); h=$(median <"$tmp/h")
echo "start-up to visible window, median of $runs interleaved runs (load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "  KYC Desk    ${k} ms"
echo "  hello Fyne  ${h} ms"
awk -v k="$k" -v h="$h" 'BEGIN { printf "  ratio       %.2f× (target ≤ 1.20×)\n", k/h }'
