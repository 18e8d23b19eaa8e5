#!/usr/bin/env bash
# make walkthrough: a whole onboarding on the built-in Sandbox, driven through the real
# window as a clerk would, at 1366×768 and 1024×768, by mouse and by keyboard only.
# It counts the clerk's actions, saves a screenshot per step and checks the history
# afterwards (three calls, all successful, one reference).
#
#   .ci/walkthrough.sh BIN [OUTDIR]
#
# The desktop is Xvfb with IceWM (a title bar and a taskbar, so the window gets a real
# work area, as on a counter PC). The app writes where its controls are
# (KYCDESK_UIMAP), so the script clicks "the Paste button of the eKTP zone", not a
# guessed coordinate. Images come in the ways a clerk brings them:
#   mouse     : "Copy as path" in the file manager, then the zone's Paste button
#   keys      : "Copy as path", then Ctrl+V
#   keys-open : Ctrl+O, then Enter (the dialog opens on the folder with the newest
#               photo chosen: the one the scanner or phone just saved)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:?usage: walkthrough.sh BIN [OUTDIR]}")
out=$(realpath -m "${2:-walkthrough}")
mkdir -p "$out"
card=$(realpath resources/samples/specimen-ektp.jpg)
selfie=$(realpath resources/samples/sample-selfie.jpg)
for tool in Xvfb icewm xdotool xclip import; do
  command -v "$tool" >/dev/null || { echo "walkthrough: $tool missing (make deps installs it)"; exit 1; }
done

summary="$out/summary.txt"
: >"$summary"

# run SIZE MODE: one whole customer.
run() {
  local size=$1 mode=$2
  local tag="${size}-${mode}"
  local home display
  home=$(mktemp -d)
  display=":$((200 + RANDOM % 300))"
  mkdir -p "$home/Pictures" "$home/data"
  Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  export DISPLAY=$display
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  icewm >/dev/null 2>&1 &
  local wm=$!
  sleep 1.5
  HOME=$home KYCDESK_HOME=$home/data KYCDESK_UIMAP=$home/uimap.json LANG=C WT_BIN=$bin WT_MODE=$mode \
    WT_TAG=$tag WT_OUT=$out WT_HOME=$home WT_CARD=$card WT_SELFIE=$selfie WT_SUMMARY=$summary \
    kyc/vault/testdata/with-keyring.sh bash ${WT_TRACE:+-x} .ci/walkthrough-drive.sh || {
      kill "$wm" "$xvfb" 2>/dev/null || true
      echo "walkthrough: $tag FAILED (log: $home/app.log)"
      return 1
    }
  kill "$wm" "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}

status=0
for size in ${WT_SIZES:-1366x768 1024x768}; do
  for mode in ${WT_MODES:-mouse keys keys-open}; do
    run "$size" "$mode" || status=1
  done
done
echo
cat "$summary"
exit $status
