#!/usr/bin/env bash
# make package-darwin (on a Mac): dist/kycdesk-VERSION-darwin-ARCH.zip with "KYC Desk.app".
# Here `fyne package -os darwin` does the bundle (Info.plist, icon.icns) from a binary made
# by `fyne build`, in a staging copy (fyne package bumps Build in FyneApp.toml).
#
#   DARWIN_ARCHS="arm64 amd64"      one binary per arch, joined with lipo into a universal
#                                   app (default: this Mac's arch only)
#   KYCDESK_MAC_SIGN_IDENTITY       "Developer ID Application: Name (TEAMID)" in the keychain;
#                                   without it the app is ad-hoc signed (runs on this Mac;
#                                   Gatekeeper blocks it elsewhere)
#   KYCDESK_NOTARY_PROFILE          notarytool keychain profile (xcrun notarytool
#                                   store-credentials); or KYCDESK_NOTARY_APPLE_ID,
#                                   KYCDESK_NOTARY_TEAM_ID, KYCDESK_NOTARY_PASSWORD (an
#                                   app-specific password). Needs a signing identity.
PROG=package-darwin
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"

if [ "$(uname -s)" != Darwin ]; then
	die "the macOS app can only be built on macOS (cgo needs Apple's SDK and clang; signing and
notarization need codesign and xcrun notarytool). Run 'make package-darwin' on a Mac with Xcode's
command line tools, or push a tag: the release workflow builds it on a macos runner."
fi
need_cmd codesign
need_cmd ditto

version=$(app_version)
build=$(app_build)
archs=${DARWIN_ARCHS:-$("$GO" env GOARCH)}
if [ "$(wc -w <<<"$archs")" -gt 1 ]; then label=universal; else label=$(tr -d ' ' <<<"$archs"); fi
name=kycdesk-$version-darwin-$label
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src=$(stage_tree "$work")
mkdir -p "$work/out"
parts=()
for a in $archs; do
	log "building for darwin/$a (fyne build --release)"
	# Apple's clang builds for the other arch too; Go passes -arch from GOARCH.
	GOARCH=$a CGO_ENABLED=1 fyne_build "$src" darwin "$work/out/$EXE-$a"
	parts+=("$work/out/$EXE-$a")
done
if ((${#parts[@]} > 1)); then
	lipo -create -output "$work/out/$EXE" "${parts[@]}"
else
	cp "${parts[0]}" "$work/out/$EXE"
fi

fyne=$(FYNE_BIN_DIR=$work fyne_tool)
(cd "$src" && "$fyne" package --os darwin --executable "$work/out/$EXE" --name "$APP_NAME" \
	--app-id "$APP_ID" --app-version "$version" --app-build "$build" --icon resources/icon.png)
app="$src/$APP_NAME.app"
[ -d "$app" ] || die "fyne package made no $APP_NAME.app"

plist=$app/Contents/Info.plist
# Go 1.26 programs need macOS 12; fyne's template says 10.11. The camera (AVFoundation)
# kills an app that asks for it without a usage string.
plutil -replace LSMinimumSystemVersion -string 12.0 "$plist"
plutil -replace NSCameraUsageDescription -string \
	"KYC Desk uses the camera to photograph the customer's eKTP and selfie." "$plist"
plutil -replace LSApplicationCategoryType -string public.app-category.business "$plist"

if [ -n "${KYCDESK_MAC_SIGN_IDENTITY:-}" ]; then
	log "signing with $KYCDESK_MAC_SIGN_IDENTITY (hardened runtime, secure timestamp)"
	codesign --force --options runtime --timestamp \
		--entitlements "$ROOT/packaging/darwin/entitlements.plist" \
		--sign "$KYCDESK_MAC_SIGN_IDENTITY" "$app"
else
	log "no KYCDESK_MAC_SIGN_IDENTITY: ad-hoc signature (fine on this Mac, blocked by Gatekeeper elsewhere)"
	codesign --force --sign - "$app"
fi
codesign --verify --strict --verbose=2 "$app"

mkdir -p "$DIST"
zip=$DIST/$name.zip
rm -f "$zip"
ditto -c -k --keepParent "$app" "$zip"

notary=()
if [ -n "${KYCDESK_NOTARY_PROFILE:-}" ]; then
	notary=(--keychain-profile "$KYCDESK_NOTARY_PROFILE")
elif [ -n "${KYCDESK_NOTARY_APPLE_ID:-}" ]; then
	: "${KYCDESK_NOTARY_TEAM_ID:?set KYCDESK_NOTARY_TEAM_ID}" "${KYCDESK_NOTARY_PASSWORD:?set KYCDESK_NOTARY_PASSWORD}"
	notary=(--apple-id "$KYCDESK_NOTARY_APPLE_ID" --team-id "$KYCDESK_NOTARY_TEAM_ID"
		--password "$KYCDESK_NOTARY_PASSWORD")
fi
if ((${#notary[@]})); then
	[ -n "${KYCDESK_MAC_SIGN_IDENTITY:-}" ] || die "notarization needs a Developer ID signature (KYCDESK_MAC_SIGN_IDENTITY)"
	log "notarizing (xcrun notarytool submit --wait; usually a few minutes)"
	xcrun notarytool submit "$zip" "${notary[@]}" --wait --timeout 30m
	xcrun stapler staple "$app"
	spctl --assess --type execute --verbose=2 "$app"
	rm -f "$zip"
	ditto -c -k --keepParent "$app" "$zip" # again, now with the stapled ticket inside
fi
rm -rf "${DIST:?}/$APP_NAME.app"
cp -R "$app" "$DIST/"
log "wrote dist/$name.zip ($(du -h "$zip" | cut -f1))"
