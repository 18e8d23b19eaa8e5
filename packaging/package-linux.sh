#!/usr/bin/env bash
# make package-linux: dist/kycdesk-VERSION-linux-amd64.tar.xz, a release build made with
# `fyne build` plus a hand-made tree (menu entry, icons, install Makefile, docs).
#
# Not `fyne package -os linux`: it names the archive after the display name ("KYC Desk.tar.xz"),
# writes a menu entry without a comment or categories and an install Makefile that
# misses the icon theme, and bumps Build in FyneApp.toml on every run (see DESIGN notes in
# packaging/README.md). The binary is the same either way: both run the same fyne build.
PROG=package-linux
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"

need_cmd gcc
need_cmd xz xz-utils
[ "$(uname -s)" = Linux ] || die "build the Linux package on Linux (it needs the host's cgo toolchain and X11/GL headers)"
arch=$("$GO" env GOARCH)

version=$(app_version)
name=kycdesk-$version-linux-$arch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src=$(stage_tree "$work")
tree=$work/$name
log "building $name (fyne build --release; the first build compiles Fyne, a few minutes)"
mkdir -p "$work/out"
fyne_build "$src" linux "$work/out/$EXE"

install -Dm0755 "$work/out/$EXE" "$tree/bin/$EXE"
install -Dm0644 "$ROOT/packaging/linux/$APP_ID.desktop" "$tree/share/applications/$APP_ID.desktop"
install -Dm0644 "$ROOT/resources/icon.png" "$tree/share/icons/hicolor/512x512/apps/$APP_ID.png"
install -Dm0644 "$ROOT/resources/icon.svg" "$tree/share/icons/hicolor/scalable/apps/$APP_ID.svg"
install -Dm0644 "$ROOT/docs/INSTALL.md" "$tree/share/doc/kycdesk/INSTALL.md"
install -Dm0644 "$ROOT/packaging/profiles.example.json" "$tree/share/doc/kycdesk/profiles.example.json"
install -m0644 "$ROOT/packaging/linux/Makefile" "$tree/Makefile"
printf 'KYC Desk %s for Linux (%s)\n\n  sudo make install            # into /usr/local\n  sudo make uninstall\n\nSee share/doc/kycdesk/INSTALL.md.\n' \
	"$version" "$arch" >"$tree/README.txt"

mkdir -p "$DIST"
rm -rf "${DIST:?}/$name" "$DIST/$name.tar.xz"
# Reproducible-ish archive: sorted names, fixed owner, the commit's time when there is one.
mtime=$(git -C "$ROOT" log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" \
	-cf - "$name" | xz -T0 -9 >"$DIST/$name.tar.xz"
cp -a "$tree" "$DIST/$name" # unpacked copy, for the checks and for looking at
log "wrote dist/$name.tar.xz ($(du -h "$DIST/$name.tar.xz" | cut -f1))"
