#!/usr/bin/env bash
# make check-packages: builds the Linux and Windows packages and the MSI exactly as a
# release does, then checks them. Fails (exit 1) on any problem, after running every check.
#
#   Linux   : archive layout, ELF, --version, shared libraries (ldd: nothing missing,
#             nothing beyond libc/libm/GL/X11), glibc <= 2.36 (Debian 12), RELRO/now,
#             menu entry (desktop-file-validate), install/uninstall round trip,
#             headless prepare + sandbox + liveness, the real window under Xvfb, and the
#             message a PC without OpenGL gets (Xvfb without GLX).
#   Windows : PE32+ GUI subsystem, no MinGW runtime DLLs, icon (sizes), version resource
#             (strings), manifest, signing round trip with a throwaway CA (good, tampered,
#             untrusted), password kept out of the output; the zip holds the signed exe.
#   MSI     : every table that matters (packaging/testing/msi-check.sh: properties and the
#             Add/Remove Programs entry, directories, components, files and hashes = the
#             exe, shortcut, icon, upgrade table, custom actions and their order); IT's
#             steps against the tables (install, upgrade to a higher version, same version,
#             downgrade); signed by make sign-windows around the signed exe, verified.
#   Release : .github/workflows/release.yml is valid YAML, runs on tags, uses native
#             runners and calls Makefile targets that exist; actionlint (pinned, required).
#   Wine    : (WINE=1, or when wine is installed; WINE=0 to skip) kycdesk.exe under Wine,
#             and the MSI under Wine's msiexec: install with a fleet file, upgrade,
#             downgrade, uninstall, REMOVEDATA=1, a PC without OpenGL.
#
# Installs what it needs on Debian/Ubuntu when run as root (or with sudo).
# ok/bad always succeed, so `test && ok || bad` is a safe if/else here.
# shellcheck disable=SC2015
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GO=${GO:-go}
# MAKE may carry arguments of its own (make -f Makefile -f packaging.mk).
read -ra make_cmd <<<"${MAKE:-make}"
export KYCDESK_VERSION=${KYCDESK_VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)}
version=$KYCDESK_VERSION

failures=()
ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; failures+=("$*"); }
check() { # check DESCRIPTION COMMAND...: ok if the command succeeds
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
section() { printf '\n== %s\n' "$*"; }
t0=$SECONDS
declare -A took
timed() { # timed NAME COMMAND...
	local name=$1 s=$SECONDS
	shift
	"$@"
	took[$name]=$((SECONDS - s))
}

section "system packages"
bash .ci/deps.sh
pkgs=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 binutils-mingw-w64-x86-64 icoutils osslsigncode
	zip unzip xz-utils file binutils desktop-file-utils python3-yaml openssl curl msitools wixl)
[ "${WINE:-}" = 1 ] && pkgs+=(wine wine64)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "check-packages: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

sample=""
for s in resources/samples/sample-selfie.jpg kyc/photo/testdata/sample-selfie-astronaut.png; do
	[ -f "$s" ] && sample=$ROOT/$s && break
done
[ -n "$sample" ] || { echo "check-packages: no sample selfie found"; exit 1; }

work=$(mktemp -d)
sandbox_pid=""
trap '[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; rm -rf "$work"' EXIT

section "build"
timed package-linux "${make_cmd[@]}" --no-print-directory package-linux
timed package-windows "${make_cmd[@]}" --no-print-directory package-windows
timed package-msi "${make_cmd[@]}" --no-print-directory package-msi

# ---------------------------------------------------------------------------------------
section "Linux package"
lname=kycdesk-$version-linux-amd64
tarball=dist/$lname.tar.xz
check "$tarball exists" test -s "$tarball"
tar -C "$work" -xJf "$tarball"
lt=$work/$lname
bin=$lt/bin/kycdesk
for f in Makefile README.txt bin/kycdesk share/applications/id.kycdesk.desk.desktop \
	share/icons/hicolor/512x512/apps/id.kycdesk.desk.png share/icons/hicolor/scalable/apps/id.kycdesk.desk.svg \
	share/doc/kycdesk/INSTALL.md share/doc/kycdesk/profiles.example.json; do
	check "archive has $f" test -e "$lt/$f"
done
check "ELF 64-bit x86-64 executable" bash -c "file -b '$bin' | grep -q 'ELF 64-bit LSB.*x86-64'"
out=$("$bin" --version 2>&1 || true)
[ "$out" = "kycdesk $version" ] && ok "--version prints '$out'" || bad "--version printed '$out', want 'kycdesk $version'"

lddout=$(ldd "$bin")
if grep -q 'not found' <<<"$lddout"; then bad "ldd: missing libraries: $(grep 'not found' <<<"$lddout" | tr -s ' \t' ' ')"; else ok "ldd: no missing libraries"; fi
needed=$(objdump -p "$bin" | awk '/NEEDED/ {print $2}' | tr '\n' ' ')
extra=$(tr ' ' '\n' <<<"$needed" | grep -vE '^(|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|ld-linux-x86-64\.so\.2|libGL\.so\.1|libEGL\.so\.1|libX[A-Za-z0-9]*\.so\.[0-9]+|libxcb[a-z0-9-]*\.so\.[0-9]+)$' || true)
[ -z "$extra" ] && ok "needs only libc/libm/GL/X11: $needed" || bad "needs libraries beyond libc/GL/X11: $extra"
dlopened=$(strings "$bin" | grep -E '^lib(X[a-z0-9]*|X11-xcb|GL|EGL)\.so\.[0-9]+$' | sort -u | tr '\n' ' ')
# (Read once: `ldconfig -p | grep -q` fails at random under pipefail when grep stops early.)
ldcache=$(ldconfig -p)
for so in $dlopened; do
	grep -q "^[[:space:]]*$so " <<<"$ldcache" || bad "$so (opened at run time by GLFW) is not installed here"
done
ok "opened at run time by GLFW (runtime packages in INSTALL.md): $dlopened"
glibc=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
if [ "$(printf '%s\n2.36\n' "$glibc" | sort -V | tail -1)" = 2.36 ]; then ok "needs glibc $glibc (Debian 12 has 2.36)"; else bad "needs glibc $glibc, newer than Debian 12's 2.36"; fi
check "full RELRO (BIND_NOW + GNU_RELRO)" bash -c "readelf -d '$bin' | grep -q BIND_NOW && readelf -l '$bin' | grep -q GNU_RELRO"
check "desktop-file-validate" desktop-file-validate "$lt/share/applications/id.kycdesk.desk.desktop"

dest=$work/root
if make -s -C "$lt" install DESTDIR="$dest" PREFIX=/usr/local >/dev/null; then
	check "make install puts the binary in PREFIX/bin" test -x "$dest/usr/local/bin/kycdesk"
	check "installed menu entry runs PREFIX/bin/kycdesk" grep -qx 'Exec=/usr/local/bin/kycdesk' "$dest/usr/local/share/applications/id.kycdesk.desk.desktop"
	check "installed icon in the hicolor theme" test -f "$dest/usr/local/share/icons/hicolor/512x512/apps/id.kycdesk.desk.png"
	make -s -C "$lt" uninstall DESTDIR="$dest" PREFIX=/usr/local >/dev/null
	left=$(find "$dest" -type f | sed "s|^$dest||")
	[ -z "$left" ] && ok "make uninstall removes every installed file" || bad "make uninstall left: $left"
else
	bad "make install (DESTDIR) failed"
fi

home=$work/home
mkdir -p "$home"
if KYCDESK_HOME=$home "$bin" prepare --kind selfie --image "$sample" --out "$work/x.jpg" >/dev/null 2>&1 &&
	file -b "$work/x.jpg" | grep -q JPEG; then ok "prepare --kind selfie writes a JPEG"; else bad "prepare failed"; fi
port=$((20000 + RANDOM % 20000))
KYCDESK_HOME=$home "$bin" sandbox --addr 127.0.0.1:$port >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
rc=0
KYCDESK_HOME=$home KYCDESK_SERVER=http://127.0.0.1:$port KYCDESK_TOKEN=sandbox-demo-token \
	"$bin" liveness --image "$sample" --force --consent --json >"$work/live.json" 2>&1 || rc=$?
[ $rc = 0 ] && grep -q '"live": true' "$work/live.json" && ok "sandbox + liveness: exit 0, live true" ||
	bad "sandbox + liveness: exit $rc: $(head -c 400 "$work/live.json")"
kill "$sandbox_pid" 2>/dev/null || true
sandbox_pid=""
if bash .ci/window-check.sh "$bin" "$work/linux-window.png" >"$work/window.log" 2>&1; then
	ok "the packaged binary opens its window under Xvfb"
else
	bad "window check: $(tail -3 "$work/window.log")"
fi
if bash .ci/no-opengl-check.sh "$bin" >"$work/nogl.log" 2>&1; then
	ok "without OpenGL (Xvfb without GLX) the packaged binary exits at once with the fixes"
else
	bad "no-OpenGL check: $(grep FAIL "$work/nogl.log" | head -3)"
fi

# ---------------------------------------------------------------------------------------
section "Windows package"
wname=kycdesk-$version-windows-amd64
zipf=dist/$wname.zip
check "$zipf exists" test -s "$zipf"
unzip -q "$zipf" -d "$work/win"
wt=$work/win/$wname
exe=$wt/kycdesk.exe
for f in kycdesk.exe README.txt INSTALL.md profiles.example.json install.ps1 uninstall.ps1; do
	check "zip has $f" test -e "$wt/$f"
done
ftype=$(file -b "$exe")
[[ $ftype == *"PE32+ executable (GUI) x86-64"* ]] && ok "file: $ftype" || bad "file: $ftype (want PE32+ GUI x86-64)"
check "objdump: subsystem Windows GUI" bash -c "x86_64-w64-mingw32-objdump -p '$exe' | grep -qE 'Subsystem[[:space:]]+00000002'"
dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | awk '/DLL Name:/ {print $3}' | tr '\n' ' ')
mingw=$(tr ' ' '\n' <<<"$dlls" | grep -iE '^lib' || true)
[ -z "$mingw" ] && ok "imports only Windows DLLs: $dlls" || bad "needs MinGW runtime DLLs not on a Windows PC: $mingw"
res=$(wrestool -l "$exe")
grep -q "type=group_icon" <<<"$res" && ok "icon group resource present" || bad "no icon resource"
grep -q "type=version" <<<"$res" && ok "version resource present" || bad "no version resource"
grep -qE -- "--type=24 " <<<"$res" && ok "manifest resource present" || bad "no manifest resource"
wrestool -x --type=14 "$exe" >"$work/app.ico" 2>/dev/null || true
sizes=$(icotool -l "$work/app.ico" 2>/dev/null | sed -n 's/.*--width=\([0-9]*\).*/\1/p' | sort -n | tr '\n' ' ')
[[ " $sizes" == *" 16 "* && " $sizes" == *" 32 "* && " $sizes" == *" 48 "* && " $sizes" == *" 256 "* ]] &&
	ok "icon sizes: $sizes" || bad "icon sizes '$sizes' (want at least 16 32 48 256)"
vstr=$(wrestool -x --raw --type=16 "$exe" 2>/dev/null | strings -el | tr '\n' '|')
for kv in "ProductVersion|$version" "FileVersion|$version" "ProductName|KYC Desk" "OriginalFilename|kycdesk.exe" "CompanyName|${KYCDESK_COMPANY:-KYC Desk}"; do
	[[ "|$vstr" == *"|$kv"* ]] && ok "version resource: ${kv//|/ = }" || bad "version resource lacks ${kv//|/ = } (got $vstr)"
done
manifest=$(wrestool -x --raw --type=24 "$exe" 2>/dev/null || true)
for m in 'level="asInvoker"' 'PerMonitorV2' '8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a' 'Microsoft.Windows.Common-Controls'; do
	grep -q "$m" <<<"$manifest" && ok "manifest: $m" || bad "manifest lacks $m"
done

# ---------------------------------------------------------------------------------------
section "Windows Installer package"
msif=dist/$wname.msi
# msi_check EXE: the table checks, each line reported (and every FAIL counted) here.
msi_check() {
	local out line rc=0
	out=$(bash packaging/testing/msi-check.sh "$msif" "$1" 2>&1) || rc=$?
	echo "$out"
	while IFS= read -r line; do
		[[ $line == *"FAIL  "* ]] && failures+=("${line#*FAIL  }")
	done <<<"$out"
	[ "$rc" = 0 ] || grep -q "FAIL  " <<<"$out" || bad "msi-check.sh exited $rc"
}
if [ -s "$msif" ]; then
	ok "$msif exists ($(du -h "$msif" | cut -f1))"
	msi_check "dist/$wname/kycdesk.exe"
else
	bad "$msif was not built"
fi

# IT's steps, checked against the tables: the same version built again, and a higher one.
msiprop() { msiinfo export "$1" Property | tr -d '\r' | awk -F'\t' -v k="$2" '$1 == k {print $2}'; }
msiupgrade() { msiinfo export "$1" Upgrade | tr -d '\r' | awk -F'\t' -v p="$2" '$7 == p {print $2"|"$3"|"$5}'; }
IFS=. read -r vmaj vmin vpat <<<"${version%%-*}"
higher=$vmaj.$vmin.$((vpat + 1))
for v in "$version:same" "$higher:higher"; do
	mkdir -p "$work/${v#*:}/kycdesk-${v%%:*}-windows-amd64"
	cp "dist/$wname/kycdesk.exe" "$work/${v#*:}/kycdesk-${v%%:*}-windows-amd64/"
	DIST=$work/${v#*:} KYCDESK_VERSION=${v%%:*} bash packaging/package-msi.sh >/dev/null 2>&1 || bad "package-msi for ${v%%:*}"
done
same_msi=$work/same/$wname.msi higher_msi=$work/higher/kycdesk-$higher-windows-amd64.msi
if [ -s "$same_msi" ] && [ -s "$higher_msi" ]; then
	[ "$(msiprop "$same_msi" ProductCode)" = "$(msiprop "$msif" ProductCode)" ] &&
		ok "same version built again: same ProductCode, so Windows Installer refuses a second copy (1638) or does nothing" ||
		bad "a rebuild of $version has another ProductCode: it would install side by side"
	[ "$(msiprop "$higher_msi" ProductCode)" != "$(msiprop "$msif" ProductCode)" ] &&
		[ "$(msiprop "$higher_msi" UpgradeCode)" = "$(msiprop "$msif" UpgradeCode)" ] &&
		ok "$higher: new ProductCode, same UpgradeCode" || bad "$higher: ProductCode/UpgradeCode wrong"
	# newer MSI's removal row: VersionMin ≤ installed < VersionMax
	IFS='|' read -r rmin rmax rattr <<<"$(msiupgrade "$higher_msi" OLDERVERSIONBEINGUPGRADED)"
	[ "$(printf '%s\n' "$rmin" "${version%%-*}" | sort -V | head -1)" = "$rmin" ] && [ "$rmax" = "$higher" ] &&
		[ "$(printf '%s\n' "${version%%-*}" "$rmax" | sort -V | head -1)" = "${version%%-*}" ] && [ "${version%%-*}" != "$rmax" ] && ((rattr & 256)) && ! ((rattr & 2)) &&
		ok "upgrade: the $higher MSI finds $version installed ($rmin ≤ $version < $rmax) and removes it first (RemoveExistingProducts)" ||
		bad "upgrade: the $higher MSI would not replace $version ($rmin|$rmax|$rattr)"
	# older MSI's detection row: installed > VersionMin (exclusive)
	IFS='|' read -r dmin _ dattr <<<"$(msiupgrade "$msif" NEWERVERSIONDETECTED)"
	[ "$dmin" = "${version%%-*}" ] && ((dattr & 2)) && ! ((dattr & 256)) &&
		[ "$(printf '%s\n' "$dmin" "$higher" | sort -V | tail -1)" = "$higher" ] &&
		ok "downgrade: with $higher installed, the $version MSI sets NEWERVERSIONDETECTED and its launch condition stops it" ||
		bad "downgrade: the $version MSI would not notice $higher ($dmin|$dattr)"
fi

section "Windows signing round trip (throwaway CA)"
KYCDESK_SIGN_PASSWORD=$(openssl rand -hex 24)
export KYCDESK_SIGN_PASSWORD
bash packaging/testing/throwaway-cert.sh "$work/cert"
cp "dist/$wname/kycdesk.exe" "$work/unsigned.exe"
if KYCDESK_SIGN_PFX=$work/cert/sign.pfx KYCDESK_SIGN_CAFILE=$work/cert/ca.pem \
	timed sign-windows "${make_cmd[@]}" --no-print-directory sign-windows >"$work/sign.log" 2>&1; then
	ok "make sign-windows"
else
	bad "make sign-windows: $(tail -5 "$work/sign.log")"
fi
grep -qF "$KYCDESK_SIGN_PASSWORD" "$work/sign.log" && bad "the signing password appeared in make's output" ||
	ok "the password stays out of the output"
signed=dist/$wname/kycdesk.exe
check "osslsigncode verify -CAfile <throwaway CA> passes" \
	osslsigncode verify -CAfile "$work/cert/ca.pem" -ignore-timestamp -in "$signed"
if osslsigncode verify -CAfile /etc/ssl/certs/ca-certificates.crt -ignore-timestamp -in "$signed" >/dev/null 2>&1; then
	bad "verify against the public CAs passed: it should not trust a throwaway CA"
else ok "verify against the public CAs fails, as it must for a self-signed chain"; fi
cp "$signed" "$work/tampered.exe"
printf 'X' | dd of="$work/tampered.exe" bs=1 seek=$((0x1000)) conv=notrunc status=none
if osslsigncode verify -CAfile "$work/cert/ca.pem" -ignore-timestamp -in "$work/tampered.exe" >/dev/null 2>&1; then
	bad "a modified exe still verified"
else ok "one changed byte breaks the signature"; fi
unzip -p "$zipf" "$wname/kycdesk.exe" >"$work/zipped.exe"
check "the zip holds the signed exe" cmp -s "$work/zipped.exe" "$signed"
check "osslsigncode verify -CAfile <throwaway CA> passes for the MSI" \
	osslsigncode verify -CAfile "$work/cert/ca.pem" -ignore-timestamp -in "$msif"
if osslsigncode verify -CAfile /etc/ssl/certs/ca-certificates.crt -ignore-timestamp -in "$msif" >/dev/null 2>&1; then
	bad "the MSI verified against the public CAs"
else ok "the MSI does not verify against the public CAs (self-signed chain)"; fi
cp "$msif" "$work/tampered.msi"
# A byte in the embedded cabinet (the program itself), not in the signature stream.
off=$(grep -obUaP 'MSCF' "$work/tampered.msi" | head -1 | cut -d: -f1)
printf 'X' | dd of="$work/tampered.msi" bs=1 seek=$((${off:-4096} + 4096)) conv=notrunc status=none
if osslsigncode verify -CAfile "$work/cert/ca.pem" -ignore-timestamp -in "$work/tampered.msi" >/dev/null 2>&1; then
	bad "a modified MSI still verified"
elif ! osslsigncode extract-signature -in "$work/tampered.msi" -out "$work/tampered.sig" >/dev/null 2>&1; then
	bad "the tampered MSI lost its signature instead of failing to match it"
else ok "one changed byte in the MSI's cabinet breaks its signature"; fi
echo "  (the signed MSI, table by table, around the signed exe:)"
msi_check "$signed"
unset KYCDESK_SIGN_PASSWORD

# ---------------------------------------------------------------------------------------
section "release workflow"
wf=.github/workflows/release.yml
check "$wf is valid YAML with tag trigger and native runners" python3 - "$wf" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
on = d.get("on", d.get(True))          # YAML 1.1 reads a bare `on` key as True
assert on["push"]["tags"], "no tag trigger"
runners = " ".join(str(j.get("runs-on")) for j in d["jobs"].values())
for r in ("ubuntu", "windows", "macos"):
    assert r in runners, f"no {r} runner"
PY
# `make TARGET...` at the start of a run line (not `apt-get install … make …`, not comments).
targets=$(grep -oE '^[[:space:]]*(- )?(run: )?make( +[a-z][a-z0-9-]*)+' "$wf" |
	sed -E 's/^[[:space:]]*(- )?(run: )?make +//' | tr ' ' '\n' | sort -u)
for t in $targets; do
	grep -qE "^$t:" Makefile packaging.mk && ok "workflow calls make $t, which exists" || bad "workflow calls make $t, which is not a target"
done
for t in test package-linux package-windows package-msi package-darwin sign-windows; do
	grep -q "$t" <<<"$targets" && ok "workflow runs make $t" || bad "workflow does not run make $t"
done
# actionlint is pinned in .ci/lint.mod (see the Makefile's lint); not having it is a failure.
if $GO tool -modfile=.ci/lint.mod actionlint -shellcheck= "$wf" >"$work/actionlint.log" 2>&1; then
	ok "actionlint"
else bad "actionlint: $(head -20 "$work/actionlint.log")"; fi

# ---------------------------------------------------------------------------------------
if [ "${WINE:-}" = 1 ] || { [ "${WINE:-}" != 0 ] && command -v wine >/dev/null; }; then
	section "Windows build under Wine"
	s=$SECONDS
	if bash packaging/testing/wine-smoke.sh "$signed" "$sample"; then ok "wine smoke test"; else bad "wine smoke test"; fi
	section "the MSI under Wine's msiexec"
	if bash packaging/testing/wine-msi.sh "$msif" "$signed"; then ok "wine MSI test"; else bad "wine MSI test"; fi
	took[wine]=$((SECONDS - s))
else
	section "Wine: skipped (WINE=1 to install and run it)"
fi

# Leave dist/ as make package-windows made it: a throwaway signature must never look
# like a release.
cp "$work/unsigned.exe" "dist/$wname/kycdesk.exe"
bash packaging/zip-windows.sh "dist/$wname" >/dev/null 2>&1
bash packaging/package-msi.sh >/dev/null 2>&1

section "summary"
for k in "${!took[@]}"; do printf '  %-16s %4ss\n' "$k" "${took[$k]}"; done
for f in dist/*.tar.xz dist/*.zip dist/*.msi; do
	printf '  %-45s %6.1f MB\n' "$f" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN{print b/1048576}')"
done
printf '  total            %4ss\n' $((SECONDS - t0))
if ((${#failures[@]})); then
	printf '\ncheck-packages: %d problem(s):\n' "${#failures[@]}"
	printf '  - %s\n' "${failures[@]}"
	exit 1
fi
echo "check-packages: all passed"
