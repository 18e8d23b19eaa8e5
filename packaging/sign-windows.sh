#!/usr/bin/env bash
# make sign-windows: Authenticode-signs dist/kycdesk-VERSION-windows-amd64/kycdesk.exe with
# osslsigncode, checks the signature, and rebuilds the zip around the signed exe. When
# dist/ also holds the MSI (make package-msi), it rebuilds the MSI around the signed
# exe and signs the MSI too: the package and the program in it carry one signature.
#
#   KYCDESK_SIGN_PFX        path of the code-signing certificate + key (PKCS#12, .pfx/.p12)
#   KYCDESK_SIGN_PASSWORD   its password (read from the environment, never put on a
#                           command line, where `ps` and CI logs would show it)
#   KYCDESK_SIGN_TIMESTAMP  RFC 3161 timestamp server, e.g. http://timestamp.digicert.com
#                           (recommended for releases: without a timestamp the signature
#                           stops being valid when the certificate expires)
#   KYCDESK_SIGN_CAFILE     CA bundle for the check after signing (default: the system's;
#                           CI passes its throwaway CA)
PROG=sign-windows
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd osslsigncode

: "${KYCDESK_SIGN_PFX:?set KYCDESK_SIGN_PFX to the .pfx file (and KYCDESK_SIGN_PASSWORD)}"
[ -r "$KYCDESK_SIGN_PFX" ] || die "cannot read KYCDESK_SIGN_PFX ($KYCDESK_SIGN_PFX)"
[ -n "${KYCDESK_SIGN_PASSWORD+set}" ] || die "set KYCDESK_SIGN_PASSWORD (empty if the .pfx has none)"

version=$(app_version)
dir=$DIST/kycdesk-$version-windows-amd64
exe=$dir/$EXE.exe
[ -f "$exe" ] || die "$exe not found: run make package-windows first"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The password goes to osslsigncode through a private file (mode 0600, in a private
# temporary directory, deleted on exit), never through argv.
umask 077
printf '%s' "$KYCDESK_SIGN_PASSWORD" >"$work/pass"

# Re-signing an already signed exe would nest or fail: start from the unsigned bytes.
if osslsigncode extract-signature -in "$exe" -out "$work/old.sig" >/dev/null 2>&1; then
	osslsigncode remove-signature -in "$exe" -out "$work/unsigned.exe" >/dev/null
else
	cp "$exe" "$work/unsigned.exe"
fi

args=(sign -pkcs12 "$KYCDESK_SIGN_PFX" -readpass "$work/pass" -h sha256
	-n "$APP_NAME" -i "$(sed -n 's/^Website *= *"\(.*\)"/\1/p' "$ROOT/FyneApp.toml")")
if [ -n "${KYCDESK_SIGN_TIMESTAMP:-}" ]; then
	args+=(-ts "$KYCDESK_SIGN_TIMESTAMP")
fi
# sign IN OUT: signs a PE or MSI file and checks the result.
sign() {
	osslsigncode "${args[@]}" -in "$1" -out "$2" >"$work/sign.log" 2>&1 ||
		{ cat "$work/sign.log" >&2; die "signing $(basename "$1") failed"; }
	local verify=(verify -in "$2")
	[ -n "${KYCDESK_SIGN_CAFILE:-}" ] && verify+=(-CAfile "$KYCDESK_SIGN_CAFILE")
	# Without a timestamp there is nothing for the TSA checks to look at.
	[ -n "${KYCDESK_SIGN_TIMESTAMP:-}" ] || verify+=(-ignore-timestamp)
	if ! osslsigncode "${verify[@]}" >"$work/verify.log" 2>&1; then
		cat "$work/verify.log" >&2
		die "the signature of $(basename "$2") does not verify"
	fi
}
sign "$work/unsigned.exe" "$work/signed.exe"
install -m0755 "$work/signed.exe" "$exe"
log "signed ${exe#"$ROOT"/} ($(grep -m1 -i 'Subject:' "$work/verify.log" | sed 's/^[[:space:]]*//'))"
"$ROOT/packaging/zip-windows.sh" "$dir"

msi=$DIST/kycdesk-$version-windows-amd64.msi
if [ -f "$msi" ]; then
	"$ROOT/packaging/package-msi.sh" # around the exe signed above
	sign "$msi" "$work/signed.msi"
	install -m0644 "$work/signed.msi" "$msi"
	log "signed ${msi#"$ROOT"/}"
fi
