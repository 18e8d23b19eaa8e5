#!/usr/bin/env bash
# make package-windows: dist/kycdesk-VERSION-windows-amd64.zip, cross-compiled on Linux
# with mingw-w64. kycdesk.exe is a GUI-subsystem program (no console window flashes up
# at the counter) with an icon, a full version resource and a manifest; the headless
# commands still print in cmd/PowerShell (console_windows.go attaches to the parent's
# console).
#
# Not `fyne package -os windows`: its version resource has no company, copyright or
# original file name, its manifest declares no DPI awareness, and it writes fyne.syso
# into the source tree (where a concurrent Linux build would try to link it) and bumps
# Build in FyneApp.toml. The resources here come from packaging/windows/ via windres.
PROG=package-windows
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"

CC_WIN=${CC_WIN:-x86_64-w64-mingw32-gcc}
CXX_WIN=${CXX_WIN:-x86_64-w64-mingw32-g++}
WINDRES=${WINDRES:-x86_64-w64-mingw32-windres}
COMPANY=${KYCDESK_COMPANY:-KYC Desk}
WEBSITE=$(sed -n 's/^Website *= *"\(.*\)"/\1/p' "$ROOT/FyneApp.toml")

need_cmd "$CC_WIN" gcc-mingw-w64-x86-64
need_cmd "$WINDRES" binutils-mingw-w64-x86-64
need_cmd convert imagemagick
need_cmd zip zip

version=$(app_version)
build=$(app_build)
name=kycdesk-$version-windows-amd64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Windows numbers: MAJOR,MINOR,PATCH,BUILD, each 0-65535; a -prerelease suffix only
# appears in the strings and sets VS_FF_PRERELEASE.
IFS=. read -r major minor patch <<<"${version%%-*}"
for n in "$major" "$minor" "$patch" "$build"; do
	((n <= 65535)) || die "version part $n is over 65535, which Windows cannot represent"
done
flags=0
[[ $version == *-* ]] && flags=VS_FF_PRERELEASE

src=$(stage_tree "$work")
res=$work/res
mkdir -p "$res" "$work/out"

# Icon: every size Explorer, the taskbar and Alt+Tab ask for, from the one 512 px PNG.
convert "$ROOT/resources/icon.png" -background none \
	-define icon:auto-resize=256,128,64,48,32,24,16 "$res/kycdesk.ico"
sed -e "s/@VERSION4@/$major.$minor.$patch.$build/" \
	"$ROOT/packaging/windows/kycdesk.exe.manifest" >"$res/kycdesk.exe.manifest"
rc_escape() { printf '%s' "$1" | sed -e 's/[\\&|]/\\&/g' -e 's/"/""/g'; }
sed -e "s|@VERSION_COMMAS@|$major,$minor,$patch,$build|" \
	-e "s|@VERSION@|$version|" \
	-e "s|@FILEFLAGS@|$flags|" \
	-e "s|@COMPANY@|$(rc_escape "$COMPANY")|" \
	-e "s|@COPYRIGHT@|$(rc_escape "© $(date -u +%Y) $COMPANY")|" \
	-e "s|@WEBSITE@|$(rc_escape "$WEBSITE")|" \
	"$ROOT/packaging/windows/kycdesk.rc.in" >"$res/kycdesk.rc"
# The _windows_amd64 suffix is a build constraint: only this target links the object.
(cd "$res" && "$WINDRES" --codepage=65001 -O coff -i kycdesk.rc -o "$src/zz_resources_windows_amd64.syso")

log "building $name.exe (fyne build --release, cross-compiled with $CC_WIN)"
# -extldflags=-static: libgcc, libstdc++ and winpthread are linked in, so the .exe needs
# no MinGW DLLs on the counter PC (only DLLs that ship with Windows).
CC=$CC_WIN CXX=$CXX_WIN GOARCH=amd64 CGO_ENABLED=1 EXTRA_LDFLAGS="-extldflags=-static" \
	fyne_build "$src" windows "$work/out/$EXE.exe"

tree=$work/$name
install -Dm0755 "$work/out/$EXE.exe" "$tree/$EXE.exe"
install -m0644 "$ROOT/docs/INSTALL.md" "$tree/INSTALL.md"
install -m0644 "$ROOT/packaging/profiles.example.json" "$tree/profiles.example.json"
install -m0644 "$ROOT/packaging/windows/install.ps1" "$tree/install.ps1"
install -m0644 "$ROOT/packaging/windows/uninstall.ps1" "$tree/uninstall.ps1"
printf 'KYC Desk %s for Windows (64-bit)\r\n\r\nRun kycdesk.exe, or install for all users from an elevated PowerShell:\r\n  powershell -ExecutionPolicy Bypass -File install.ps1\r\n\r\nSee INSTALL.md.\r\n' \
	"$version" >"$tree/README.txt"

mkdir -p "$DIST"
rm -rf "${DIST:?}/$name"
cp -a "$tree" "$DIST/$name" # unpacked copy: sign-windows signs it, the checks read it
"$ROOT/packaging/zip-windows.sh" "$DIST/$name"
