#!/usr/bin/env bash
# Drives one customer through the real window (run by walkthrough.sh inside a session
# with a keyring; see there). Every xdotool action the clerk would make is counted.
set -euo pipefail
map=$WT_HOME/uimap.json
actions=0
step=0

"$WT_BIN" --profile Sandbox >"$WT_HOME/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT

win=""
for _ in $(seq 60); do
  win=$(xdotool search --name '^KYC Desk$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && [ -s "$map" ] && break
  sleep 0.5
done
[ -n "$win" ] || { echo "no window"; exit 1; }

# field NAME KEY: a value from the map ("Page", "Busy", "Modal", or a control's X/Y/W/H/Visible/Enabled).
field() {
  local json
  json=$(cat "$map" 2>/dev/null || true)
  if [ -z "$2" ]; then
    sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$json"
  else
    sed -n "s/.*\"$1\":{\([^}]*\)}.*/\1/p" <<<"$json" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"
  fi
}

# wait_for DESC COMMAND...: until the command succeeds (30 s).
wait_for() {
  local what=$1
  shift
  for _ in $(seq 150); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  echo "walkthrough $WT_TAG: timed out waiting for $what"
  shot "timeout"
  exit 1
}
page_is() { [ "$(field Page '')" = "$1" ] && [ "$(field Busy '')" = "false" ] && [ "$(field Modal '')" = "false" ]; }
modal_open() { [ "$(field Modal '')" = "true" ]; }
shown() { [ "$(field "$1" Visible)" = "true" ] && [ "$(field "$1" Enabled)" = "true" ]; }

shot() {
  step=$((step + 1))
  sleep 0.6
  import -window root "$WT_OUT/$WT_TAG-$(printf %02d $step)-$1.png"
}

# click NAME: one mouse action on a control, at its centre.
click() {
  wait_for "$1" shown "$1"
  local x y w h scale wx wy
  x=$(field "$1" X); y=$(field "$1" Y); w=$(field "$1" W); h=$(field "$1" H)
  scale=$(field Scale '')
  eval "$(xdotool getwindowgeometry --shell "$win")"
  wx=$X wy=$Y
  local cx cy
  cx=$(awk -v a="$wx" -v b="$x" -v c="$w" -v s="$scale" 'BEGIN{printf "%d", a+(b+c/2)*s}')
  cy=$(awk -v a="$wy" -v b="$y" -v c="$h" -v s="$scale" 'BEGIN{printf "%d", a+(b+c/2)*s}')
  xdotool mousemove "$cx" "$cy" click 1
  actions=$((actions + 1))
}

# key CHORD: one keyboard action.
key() {
  xdotool key --window "$win" "$1"
  actions=$((actions + 1))
}

# copy_path FILE: the file manager's "Copy as path" (outside the app, not counted).
copy_path() { printf '%s' "$1" | xclip -selection clipboard; }

# arrive FILE: the scanner or phone saves a photo in the Pictures folder (not counted).
arrive() { cp "$1" "$WT_HOME/Pictures/"; touch "$WT_HOME/Pictures/$(basename "$1")"; sleep 1.1; }

xdotool windowactivate --sync "$win" 2>/dev/null || true
wait_for "the first page" page_is 0
shot start

case $WT_MODE in
mouse)
  copy_path "$WT_CARD"
  click card.paste
  wait_for "the consent dialog" modal_open
  shot consent
  click modal.1
  wait_for "the check page" page_is 1
  shot check
  click check.confirm
  wait_for "the selfie page" page_is 2
  shot selfie
  copy_path "$WT_SELFIE"
  click selfie.paste
  wait_for "the validation page" page_is 3
  shot validate
  click validate.run
  wait_for "the summary" page_is 4
  shot done
  click done.next
  ;;
keys | keys-open)
  if [ "$WT_MODE" = keys ]; then
    copy_path "$WT_CARD"
    key ctrl+v
  else
    arrive "$WT_CARD"
    key ctrl+o
    wait_for "the open dialog" modal_open
    shot open
    key Return
  fi
  wait_for "the consent dialog" modal_open
  shot consent
  key Return
  wait_for "the check page" page_is 1
  shot check
  key ctrl+Return
  wait_for "the selfie page" page_is 2
  shot selfie
  if [ "$WT_MODE" = keys ]; then
    copy_path "$WT_SELFIE"
    key ctrl+v
  else
    arrive "$WT_SELFIE"
    key ctrl+o
    wait_for "the open dialog" modal_open
    key Return
  fi
  wait_for "the validation page" page_is 3
  shot validate
  key ctrl+Return
  wait_for "the summary" page_is 4
  shot done
  key ctrl+n
  ;;
esac
wait_for "the next customer" page_is 0
shot next

# The history holds the customer's three calls, successful, under one reference.
kill $app 2>/dev/null || true
wait $app 2>/dev/null || true
hist=$("$WT_BIN" history --json 2>&1 || true)
n=$(grep -Eo '"outcome": *"success"' <<<"$hist" | wc -l)
if [ "$n" -ne 3 ]; then
  echo "walkthrough $WT_TAG: the history holds $n successful calls, want 3:"
  echo "$hist"
  exit 1
fi
printf '%-22s %2d actions (consent included); screenshots %s-*.png\n' "$WT_TAG" "$actions" "$WT_TAG" >>"$WT_SUMMARY"
echo "walkthrough $WT_TAG: $actions actions"
