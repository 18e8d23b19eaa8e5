#!/usr/bin/env bash
# no-opengl-check.sh KYCDESK_BIN: a PC without OpenGL. Starts Xvfb with the GLX
# extension switched off (what an RDP session, a thin client or a VM without 3D gives
# GLFW) and checks that the app exits non-zero within 10 s with the message that names
# the fixes, in Indonesian by default and in English when the locale or the app's own
# language setting says so, and that the headless commands keep working there.
set -euo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'kill "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail=0
ok() { echo "no-opengl: ok   $*"; }
bad() { echo "no-opengl: FAIL $*"; fail=1; }

display=":$((300 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -extension GLX >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
if xdpyinfo 2>/dev/null | grep -q GLX; then echo "no-opengl: this Xvfb still offers GLX"; exit 1; fi

# run NAME [ENV=VALUE...]: starts the app with a private home; records exit code,
# wall time (ms) and stderr in $work/NAME.*
run() {
	local name=$1
	shift
	mkdir -p "$work/$name/home" "$work/$name/config"
	local t0 rc=0
	t0=$(date +%s%N)
	env -u DBUS_SESSION_BUS_ADDRESS KYCDESK_HOME="$work/$name/home" XDG_CONFIG_HOME="$work/$name/config" \
		LC_ALL= LC_MESSAGES= "$@" timeout 20 "$bin" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	echo "$rc" >"$work/$name.rc"
	echo $((($(date +%s%N) - t0) / 1000000)) >"$work/$name.ms"
}
expect() { # expect NAME TEXT...: the run exited non-zero (not the timeout), fast, saying each TEXT
	local name=$1 rc ms
	shift
	rc=$(cat "$work/$name.rc") ms=$(cat "$work/$name.ms")
	if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then bad "$name: exit $rc (want non-zero, not a hang)"; return; fi
	((ms < 10000)) && ok "$name: exit $rc after ${ms} ms" || bad "$name: took ${ms} ms (want < 10 s)"
	for w in "$@"; do
		grep -qF -- "$w" "$work/$name.err" && ok "$name: says \"$w\"" || bad "$name: no \"$w\" in: $(head -c 600 "$work/$name.err")"
	done
}

run indonesian LANG=C.UTF-8
expect indonesian "OpenGL tidak tersedia" "akselerasi 3D" "LIBGL_ALWAYS_SOFTWARE=1" "Perintah tanpa jendela tetap berfungsi" "GLX extension not found"
run english LANG=en_US.UTF-8
expect english "no OpenGL" "graphics driver" "3D acceleration" "commands without a window keep working"
# The clerk chose English in the app (Fyne's preferences file) on an Indonesian PC.
mkdir -p "$work/pref/config/fyne/id.kycdesk.desk"
printf '{"lang":"en"}\n' >"$work/pref/config/fyne/id.kycdesk.desk/preferences.json"
run pref LANG=id_ID.UTF-8
expect pref "no OpenGL"

out=$(env KYCDESK_HOME="$work/headless" "$bin" --version 2>&1) && [[ $out == kycdesk* ]] &&
	ok "headless: --version prints '$out'" || bad "headless --version: $out"
env KYCDESK_HOME="$work/headless" "$bin" profile list >"$work/list.out" 2>&1 && grep -q Sandbox "$work/list.out" &&
	ok "headless: profile list works without OpenGL" || bad "headless profile list: $(cat "$work/list.out")"
exit $fail
