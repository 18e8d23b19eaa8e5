#!/usr/bin/env bash
# Starts the real binary under Xvfb, waits for the window named "KYC Desk", takes a
# screenshot and fails if the process died or the screen is blank.
set -euo pipefail
bin=$(realpath "$1")
out=${2:-window-check.png}
home=$(mktemp -d)
trap 'kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$home"' EXIT

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || sleep 2

start_app() {
  KYCDESK_HOME="$home" LANG=C "$bin" >"$home/app.log" 2>&1 &
  app=$!
}
start_app
retried=""
win=""
for _ in $(seq 60); do
  if ! kill -0 "$app" 2>/dev/null; then
    # GLFW occasionally fails to initialise on a display that has just come up; that is
    # the X server's, not the app's: try once more before failing.
    if [ -z "$retried" ] && grep -q "GLFW library is not initialized" "$home/app.log"; then
      retried=1; sleep 1; start_app; continue
    fi
    echo "window-check: the app exited early:"; cat "$home/app.log"; exit 1
  fi
  win=$(xdotool search --name '^KYC Desk$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.5
done
if [ -z "$win" ]; then echo "window-check: no window named 'KYC Desk' after 30 s"; cat "$home/app.log"; exit 1; fi
sleep 2 # let it draw its first frames
import -window root "$out"
sd=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
if awk -v s="$sd" 'BEGIN{exit !(s < 0.01)}'; then
  echo "window-check: the screenshot is blank (sd=$sd)"; exit 1
fi
if ! kill -0 "$app" 2>/dev/null; then echo "window-check: the app died"; cat "$home/app.log"; exit 1; fi
if grep -qiE 'panic|fatal' "$home/app.log"; then echo "window-check: errors in the app's output:"; cat "$home/app.log"; exit 1; fi
echo "window-check: window 'KYC Desk' is up (screenshot $out, sd=$sd)"
