# Shared by the packaging scripts (sourced, not run). Bash only.
#
# Why a staging copy: `fyne build` writes fyne_metadata_init.go into the source tree for
# the length of the build, Windows builds need a .syso there, and `fyne package` also
# bumps Build in FyneApp.toml on every run. Doing all of that in a throwaway copy keeps the
# working tree (shared with whoever is editing or building at the same time) untouched.

# shellcheck disable=SC2034 # constants here are used by the scripts that source this file
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GO=${GO:-go}
DIST=${DIST:-$ROOT/dist}
APP_ID=id.kycdesk.desk
APP_NAME="KYC Desk"
EXE=kycdesk
# fyne.io/tools lives in its own module file: as a `tool` line in go.mod it would raise
# the app's own Fyne (v2.7.1) to v2.8.1, the version fyne.io/tools v1.7.4 requires.
# `make fyne ARGS=version` runs it by hand.
FYNE_MODFILE=$ROOT/packaging/tools.mod

log() { printf '%s: %s\n' "${PROG:-packaging}" "$*" >&2; }
die() { log "$*"; exit 1; }

# app_version prints the one version of the app: KYCDESK_VERSION if the Makefile passed
# it, else Version in FyneApp.toml. It must be plain MAJOR.MINOR.PATCH (optionally
# -prerelease): it becomes a file name, a Windows FILEVERSION and a macOS bundle version.
app_version() {
	local v=${KYCDESK_VERSION:-}
	[ -n "$v" ] || v=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$ROOT/FyneApp.toml")
	[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]] ||
		die "version '$v' (FyneApp.toml) is not MAJOR.MINOR.PATCH[-pre]"
	printf '%s\n' "$v"
}

# app_build prints Build from FyneApp.toml (the 4th number of the Windows file version).
app_build() {
	local b
	b=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' "$ROOT/FyneApp.toml")
	printf '%s\n' "${b:-0}"
}

# stage_tree copies the sources into $1/kycdesk (the directory name becomes the default
# executable name for fyne) and prints that path. In a git checkout it copies tracked and
# untracked-but-not-ignored files, so build outputs and local databases stay behind.
stage_tree() {
	local dst="$1/$EXE"
	mkdir -p "$dst"
	if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$ROOT" && git ls-files -z -co --exclude-standard |
			tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$dst" -xf -
	else
		tar -C "$ROOT" --exclude=./dist --exclude=./.git --exclude="./$EXE" --exclude="./$EXE.exe" \
			-cf - . | tar -C "$dst" -xf -
	fi
	printf '%s\n' "$dst"
}

# fyne_build SRC OS OUT: a release build of SRC with fyne's metadata (ID, name, version,
# icon, release mode) injected, the migrated_fynedo tag (FyneApp.toml's [Migrations]),
# -trimpath, -s -w and, on Linux, RELRO/now hardening; plus the version stamp.
fyne_build() {
	local src=$1 os=$2 out=$3 version
	version=$(app_version)
	local goflags
	goflags="$("$GO" env GOFLAGS) -ldflags=-X=kycdesk/kyc.Version=$version"
	# fyne moves every -ldflags= field of GOFLAGS onto its own -ldflags (fields have no spaces).
	local f
	for f in ${EXTRA_LDFLAGS:-}; do goflags+=" -ldflags=$f"; done
	local fyne
	fyne=$(FYNE_BIN_DIR=$(dirname "$src") fyne_tool)
	(cd "$src" && GOFLAGS="$goflags" "$fyne" build --os "$os" --release -o "$out")
}

# fyne_tool builds the pinned fyne command for this machine (from the build cache after
# the first time) and prints its path. It is built with the host's toolchain even when
# the caller has CC/GOOS/GOARCH set for a cross build, which is meant for the app only.
fyne_tool() {
	local bin=${FYNE_BIN_DIR:?}/fyne
	(cd "$ROOT" && env -u CC -u CXX -u GOOS -u GOARCH -u CGO_ENABLED \
		"$GO" build -modfile="$FYNE_MODFILE" -o "$bin" fyne.io/tools/cmd/fyne) ||
		die "cannot build fyne.io/tools (module proxy reachable? see packaging/tools.mod)"
	printf '%s\n' "$bin"
}

# need_cmd NAME [PACKAGE]: fail with the Debian package to install.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found; install it (Debian: apt-get install ${2:-$1})"
}
