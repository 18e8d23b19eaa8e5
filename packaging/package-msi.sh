#!/usr/bin/env bash
# make package-msi: dist/kycdesk-VERSION-windows-amd64.msi, a per-machine Windows
# Installer package for fleets (Intune, GPO, SCCM, PDQ), built on Linux with wixl
# (Debian's msitools) around the kycdesk.exe of make package-windows: the signed one
# when make sign-windows has run (it rebuilds this package itself, then signs it).
#
# Windows Installer compares only MAJOR.MINOR.PATCH (each field: 255, 255, 65535 at
# most); a -prerelease suffix cannot be expressed, so 1.2.0-rc.1 and 1.2.0 are the same
# version to it: upgrade from a release candidate by uninstalling it first.
PROG=package-msi
# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"
need_cmd wixl wixl
need_cmd msibuild msitools
need_cmd convert imagemagick

version=$(app_version)
build=$(app_build)
msiversion=${version%%-*}
IFS=. read -r major minor patch <<<"$msiversion"
((major <= 255 && minor <= 255 && patch <= 65535)) ||
	die "version $msiversion cannot be an MSI ProductVersion (at most 255.255.65535)"
[[ $version == *-* ]] && log "note: the MSI's ProductVersion is $msiversion (Windows Installer ignores '-${version#*-}')"

name=kycdesk-$version-windows-amd64
dir=$DIST/$name
[ -f "$dir/$EXE.exe" ] || die "$dir/$EXE.exe not found: run make package-windows first"
COMPANY=${KYCDESK_COMPANY:-KYC Desk}
WEBSITE=$(sed -n 's/^Website *= *"\(.*\)"/\1/p' "$ROOT/FyneApp.toml")
HELP_URL=${KYCDESK_HELP_URL:-$WEBSITE/blob/main/docs/INSTALL.md}

# The UpgradeCode never changes (it is in kycdesk.wxs); the ProductCode is a name-based
# UUID (version 5) of it and the MSI version, so a version has one ProductCode however
# often it is built, which is what Intune's and SCCM's detection rules key on.
UPGRADE_CODE=C1EAAF61-6264-4DAC-9C77-7CA4E0329E2F
uuid5() { # uuid5 NAMESPACE-UUID NAME
	local ns=${1//-/} h
	h=$({
		printf "$(sed 's/../\\x&/g' <<<"$ns")"
		printf '%s' "$2"
	} | sha1sum | cut -c1-32)
	local variant
	variant=$(printf '%x' $(((16#${h:16:1} & 3) | 8)))
	h=${h:0:12}5${h:13:3}$variant${h:17:15}
	printf '%s-%s-%s-%s-%s\n' "${h:0:8}" "${h:8:4}" "${h:12:4}" "${h:16:4}" "${h:20:12}" | tr a-f A-F
}
product_code=$(uuid5 "$UPGRADE_CODE" "kycdesk-msi-$msiversion")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$dir/$EXE.exe" "$work/kycdesk.exe"
cp "$ROOT/docs/INSTALL.md" "$ROOT/packaging/profiles.example.json" "$work/"
convert "$ROOT/resources/icon.png" -background none \
	-define icon:auto-resize=256,128,64,48,32,24,16 "$work/kycdesk.ico"

log "building $name.msi (ProductCode {$product_code}, ProductVersion $msiversion)"
(cd "$work" && wixl --arch x64 \
	-D "ProductCode=$product_code" -D "MsiVersion=$msiversion" -D "Version=$version" \
	-D "Manufacturer=$COMPANY" -D "Website=$WEBSITE" -D "HelpLink=$HELP_URL" \
	-D IconFile=kycdesk.ico -D ExeFile=kycdesk.exe -D InstallDoc=INSTALL.md \
	-D ProfilesExample=profiles.example.json \
	-o kycdesk.msi "$ROOT/packaging/windows/kycdesk.wxs") >"$work/wixl.log" 2>&1 ||
	{ cat "$work/wixl.log" >&2; die "wixl failed"; }
[ -s "$work/kycdesk.msi" ] || { cat "$work/wixl.log" >&2; die "wixl wrote no package"; }

# What wixl cannot say, set with msitools' SQL:
#  - PROFILES and REMOVEDATA are secure properties, so they reach the elevated part of
#    the installation when an administrator runs msiexec from an unelevated prompt;
#  - kycdesk.exe is a versioned file (Windows Installer's file rules compare versions;
#    wixl leaves the column empty), so it has no MsiFileHash row, which is only for
#    unversioned files.
#  - the custom actions run at fixed places: wixl's placement from Before/After hints
#    moves with every action added, and a deferred action outside InstallInitialize …
#    InstallFinalize would fail every installation (error 2762).
# (msiinfo writes tables with CRLF line ends.)
cell() { msiinfo export "$work/kycdesk.msi" "$1" | tr -d '\r' | awk -F'\t' -v k="$2" -v c="$3" '$1 == k {print $c}'; }
seqof() { cell InstallExecuteSequence "$1" 3; }
secure=$(cell Property SecureCustomProperties 2)
cost=$(seqof CostFinalize) remove=$(seqof RemoveFiles) install=$(seqof InstallFiles)
[[ $cost =~ ^[0-9]+$ && $remove =~ ^[0-9]+$ && $install =~ ^[0-9]+$ ]] || die "wixl's InstallExecuteSequence lacks standard actions"
msibuild "$work/kycdesk.msi" \
	-q "UPDATE InstallExecuteSequence SET Sequence=$((cost + 1)) WHERE Action='SetInstallLocation'" \
	-q "UPDATE InstallExecuteSequence SET Sequence=$((remove - 1)) WHERE Action='RemoveUserData'" \
	-q "UPDATE InstallExecuteSequence SET Sequence=$((install + 1)) WHERE Action='InstallFleetProfiles'" \
	-q "UPDATE Property SET Value='${secure:+$secure;}PROFILES;REMOVEDATA' WHERE Property='SecureCustomProperties'" \
	-q "UPDATE File SET Version='$major.$minor.$patch.$build', Language='0' WHERE File='kycdesk.exe'" \
	-q "DELETE FROM MsiFileHash WHERE File_='kycdesk.exe'" ||
	die "msibuild could not finish the package"
[ "$(seqof RemoveUserData)" = $((remove - 1)) ] && [[ ";$(cell Property SecureCustomProperties 2);" == *";REMOVEDATA;"* ]] ||
	die "msibuild did not change the package"

mkdir -p "$DIST"
install -m0644 "$work/kycdesk.msi" "$DIST/$name.msi"
log "wrote ${DIST#"$ROOT"/}/$name.msi ($(du -h "$DIST/$name.msi" | cut -f1))"
