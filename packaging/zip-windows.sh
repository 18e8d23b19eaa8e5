#!/usr/bin/env bash
# zip-windows.sh DIR: (re)creates DIR.zip from the unpacked Windows package DIR, so
# package-windows and sign-windows produce the archive the same way.
PROG=zip-windows
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"
dir=${1:?usage: zip-windows.sh dist/kycdesk-VERSION-windows-amd64}
[ -f "$dir/$EXE.exe" ] || die "$dir/$EXE.exe not found (run make package-windows)"
dir=$(cd "$dir" && pwd)
zipfile=$dir.zip
rm -f "$zipfile"
# Sorted names, no extra attributes: the same inputs give the same bytes.
(cd "$(dirname "$dir")" && find "$(basename "$dir")" -print | LC_ALL=C sort |
	zip -X -q -9 "$zipfile" -@)
log "wrote ${zipfile#"$ROOT"/} ($(du -h "$zipfile" | cut -f1))"
