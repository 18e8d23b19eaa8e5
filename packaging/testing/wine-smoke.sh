#!/usr/bin/env bash
# wine-smoke.sh KYCDESK.EXE SAMPLE_IMAGE: runs the Windows build's headless commands under
# Wine (Debian's wine 8, 64-bit, in a throwaway prefix, under Xvfb): --version, prepare,
# the standalone sandbox + a liveness call and a 504 trigger, the proxy taken from the
# Windows settings (PAC through WinHTTP, fixed proxy, none), and the GUI window.
# Used by check-packages when WINE=1 or wine is installed. Exit 0 only if all pass.
set -euo pipefail
exe=$(realpath "$1")
sample=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
version=${KYCDESK_VERSION:?}
command -v wine >/dev/null || { echo "wine-smoke: wine not installed"; exit 1; }
command -v xvfb-run >/dev/null || { echo "wine-smoke: xvfb-run not installed"; exit 1; }

work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
# Wine 8 lacks bcryptprimitives.dll!ProcessPrng, which Go 1.24+ needs at start-up.
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32

# The Windows proxy settings as WinHTTP reports them (kyc/proxy/system_windows.go): a PAC
# file named in the Internet Options, served on loopback and run by Wine's WinHTTP, then a
# fixed proxy with a bypass list. The registry value is WinINet's binary
# DefaultConnectionSettings: magic 0x46, 0, flags (1 direct, 2 proxy, 4 PAC), then
# length-prefixed proxy, bypass and PAC URL.
mkdir -p "$work/pac"
printf 'function FindProxyForURL(url, host) {\n  if (dnsDomainIs(host, ".example.co.id")) return "PROXY pacproxy.corp:8080; DIRECT";\n  return "DIRECT";\n}\n' >"$work/pac/proxy.pac"
cat >proxy.sh <<'PROXY'
set -u
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
hexs() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
blob() { # blob FLAGS PROXY BYPASS PACURL
	printf '%s' "$(le32 70)$(le32 0)$(le32 "$1")$(le32 ${#2})$(hexs "$2")$(le32 ${#3})$(hexs "$3")$(le32 ${#4})$(hexs "$4")"
}
setie() { wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections' \
	/v DefaultConnectionSettings /t REG_BINARY /d "$(blob "$@")" /f >/dev/null 2>&1; }
fail=0
ok() { echo "wine: ok   $*"; }
bad() { echo "wine: FAIL $*"; fail=1; }
status() { wine "$EXE" proxy status --profile Px --json 2>&1 | tr -d '\r'; }
wine "$EXE" profile add Px --server https://ekyc.example.co.id >/dev/null 2>&1
python3 -m http.server --bind 127.0.0.1 "$PAC_PORT" --directory "$PAC_DIR" >/dev/null 2>&1 &
srv=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PAC_PORT/proxy.pac" && break; sleep 0.1; done
pac=http://127.0.0.1:$PAC_PORT/proxy.pac
setie 5 "" "" "$pac"
pacok() { grep -q '"proxy": "http://pacproxy.corp:8080"' <<<"$1" && grep -qF "PAC $pac" <<<"$1"; }
out=$(status)
if pacok "$out"; then
	ok "system proxy: the PAC file of the Internet Options, run by WinHTTP → pacproxy.corp:8080"
else
	# Wine's WinHTTP has, about one run in six, answered DIRECT for the first PAC lookup
	# of a fresh prefix; a second lookup shows whether the app or Wine was at fault.
	echo "wine: first PAC lookup: $out"
	out=$(status)
	pacok "$out" && ok "system proxy: PAC → pacproxy.corp:8080 (on the second lookup; the first is above)" || bad "PAC: $out"
fi
setie 3 "static.corp:3128" "<local>;*.corp.local" ""
out=$(status)
grep -q '"proxy": "http://static.corp:3128"' <<<"$out" && grep -q 'Internet Options' <<<"$out" &&
	ok "system proxy: the fixed proxy of the Internet Options → static.corp:3128" || bad "fixed proxy: $out"
setie 1 "" "" ""
out=$(status)
grep -q '"direct": true' <<<"$out" && ok "system proxy: none set → direct" || bad "direct: $out"
kill $srv
exit $fail
PROXY

cat >run.sh <<EOF
set -u
# Create the prefix inside the X session: a prefix booted without a display keeps a
# display-less desktop process, and GLFW then fails with "Failed to create helper window".
wineboot -i >/dev/null 2>&1
cp "$work/bcryptprimitives.dll" "\$WINEPREFIX/drive_c/windows/system32/"
fail=0
ok() { echo "wine: ok   \$*"; }
bad() { echo "wine: FAIL \$*"; fail=1; }
export KYCDESK_HOME='C:\\kdhome'
out=\$(wine "$exe" --version 2>&1) ; [ "\$out" = "kycdesk $version" ] && ok "--version: \$out" || bad "--version: \$out"
if wine "$exe" prepare --kind selfie --image "$sample" --out x.jpg >prepare.log 2>&1 && file x.jpg | grep -q JPEG; then
	ok "prepare: \$(cat prepare.log)"; else bad "prepare: \$(cat prepare.log)"; fi
wine "$exe" sandbox --addr 127.0.0.1:18787 >sandbox.log 2>&1 &
for _ in \$(seq 60); do curl -s -o /dev/null http://127.0.0.1:18787/ && break; sleep 0.5; done
export KYCDESK_SERVER=http://127.0.0.1:18787 KYCDESK_TOKEN=sandbox-demo-token
wine "$exe" liveness --image "$sample" --force --consent --json >live.json 2>&1; rc=\$?
[ \$rc = 0 ] && grep -q '"live": true' live.json && ok "sandbox + liveness: exit 0, live true" || bad "liveness exit \$rc: \$(head -c 600 live.json)"
wine "$exe" liveness --image "$sample" --force --consent --ref sbx-504-0001 --json >l504.json 2>&1; rc=\$?
[ \$rc = 6 ] && grep -q gateway_timeout l504.json && ok "liveness sbx-504: exit 6, gateway_timeout" || bad "sbx-504 exit \$rc"
unset KYCDESK_SERVER KYCDESK_TOKEN
wine "$exe" profile add Prod --server https://ekyc.example.co.id >/dev/null 2>&1 &&
	printf 'wine-test-token-9876' | wine "$exe" token set --profile Prod >/dev/null 2>&1 &&
	wine "$exe" token status --profile Prod 2>&1 | grep -q 'Credential Manager, ending …9876' &&
	wine "$exe" token clear --profile Prod >/dev/null 2>&1 &&
	ok "token set/status/clear through the Credential Manager" || bad "token round trip"
EXE="$exe" PAC_DIR="$work/pac" PAC_PORT=$((20000 + RANDOM % 20000)) bash proxy.sh || fail=1
wine "$exe" >gui.log 2>&1 &
win=""
for _ in \$(seq 60); do win=\$(xdotool search --name '^KYC Desk\$' 2>/dev/null | head -1); [ -n "\$win" ] && break; sleep 0.5; done
[ -n "\$win" ] && ok "GUI window 'KYC Desk' is up" || bad "no GUI window: \$(head -c 600 gui.log)"
exit \$fail
EOF
xvfb-run -a -s "-screen 0 1280x800x24" bash run.sh
