#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages KYC Desk needs to build, test and be looked at.
# Skips what is already installed; needs root or sudo only when something is missing.
set -euo pipefail

pkgs=(
  # Fyne (GLFW over X11/OpenGL) build headers
  gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
  libxi-dev libxxf86vm-dev
  # a display and a Secret Service for tests
  xvfb xauth x11-utils libgl1-mesa-dri dbus dbus-x11 gnome-keyring libsecret-tools
  # looking at the real window in CI: find it, screenshot it
  xdotool imagemagick
  # head office tests: a throwaway PostgreSQL server (initdb, pg_ctl) per test run
  postgresql
  # a real GNOME proxy setting for kyc/proxy's test (gsettings with the keyfile backend)
  libglib2.0-bin gsettings-desktop-schemas
  # HEIC photos: the system libheif that kyc/photo's fast tile decoder loads at run time
  # (without it the WebAssembly decoder is used, and its tests still run)
  libheif1
)
# `make walkthrough` also needs a window manager with a taskbar (a real work area) and
# a clipboard tool (the file manager's "Copy as path").
if [ "${1:-}" = walkthrough ]; then
  pkgs+=(icewm xclip)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "deps: all system packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
