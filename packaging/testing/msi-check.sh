#!/usr/bin/env bash
# msi-check.sh MSI EXE: inspects the Windows Installer package with msitools (msiinfo,
# msiextract) against what it must be, without Windows: summary, properties (Add/Remove
# Programs entry), directories, components, files and their hashes (the exe inside is
# byte for byte EXE), Start-menu shortcut, icon, upgrade table, launch conditions,
# custom actions and the order they run in. Prints one line per check; exit 1 if any
# failed. Used by make check-packages (before and after signing).
set -uo pipefail
msi=$(realpath "$1")
exe=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${KYCDESK_VERSION:-$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")}
build=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' "$root/FyneApp.toml")
msiversion=${version%%-*}
company=${KYCDESK_COMPANY:-KYC Desk}
upgrade_code="{C1EAAF61-6264-4DAC-9C77-7CA4E0329E2F}"
fail=0
ok() { printf '  ok    msi: %s\n' "$*"; }
bad() { printf '  FAIL  msi: %s\n' "$*"; fail=1; }
expect() { # expect WHAT GOT WANT
	[ "$2" = "$3" ] && ok "$1 = $2" || bad "$1 is '$2', want '$3'"
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# table NAME: the rows of a table, tab-separated, without msiinfo's three header lines.
table() { msiinfo export "$msi" "$1" 2>/dev/null | tail -n +4 | tr -d '\r'; }
cell() { # cell TABLE KEY COLUMN: column (1-based) of the row whose first column is KEY
	table "$1" | awk -F'\t' -v k="$2" -v c="$3" '$1 == k {print $c; exit}'
}
prop() { cell Property "$1" 2; }
seq() { table InstallExecuteSequence | awk -F'\t' -v a="$1" '$1 == a {print $3; exit}'; }
cond() { table InstallExecuteSequence | awk -F'\t' -v a="$1" '$1 == a {print $2; exit}'; }
before() { # before A B [TABLE]: action A runs before action B
	local a b
	a=$(seq "$1") b=$(seq "$2")
	[ -n "$a" ] && [ -n "$b" ] && ((a < b)) && ok "$1 ($a) runs before $2 ($b)" || bad "$1 (${a:-missing}) must run before $2 (${b:-missing})"
}

# ProductCode: UUID v5 of the UpgradeCode and the MSI version (packaging/package-msi.sh).
expected_code=$(python3 -c "import uuid,sys; print('{'+str(uuid.uuid5(uuid.UUID(sys.argv[1]), 'kycdesk-msi-'+sys.argv[2])).upper()+'}')" \
	"${upgrade_code//[\{\}]/}" "$msiversion")

sum=$(msiinfo suminfo "$msi")
grep -q "^Template: x64;1033" <<<"$sum" && ok "64-bit package (Template x64;1033)" || bad "summary Template: $(grep Template <<<"$sum")"
grep -q "^Subject: KYC Desk $version" <<<"$sum" && ok "summary subject names version $version" || bad "summary: $(grep Subject <<<"$sum")"
grep -q "^Author: $company" <<<"$sum" && ok "summary author $company" || bad "summary: $(grep Author <<<"$sum")"

expect "ProductName" "$(prop ProductName)" "KYC Desk"
expect "ProductVersion" "$(prop ProductVersion)" "$msiversion"
expect "Manufacturer (Add/Remove Programs publisher)" "$(prop Manufacturer)" "$company"
expect "UpgradeCode (fixed forever)" "$(prop UpgradeCode)" "$upgrade_code"
expect "ProductCode (one per version)" "$(prop ProductCode)" "$expected_code"
expect "ALLUSERS (per-machine)" "$(prop ALLUSERS)" "1"
expect "ARPPRODUCTICON" "$(prop ARPPRODUCTICON)" "kycdesk.ico"
expect "ARPNOMODIFY" "$(prop ARPNOMODIFY)" "1"
[[ $(prop ARPHELPLINK) == http*INSTALL.md ]] && ok "ARPHELPLINK = $(prop ARPHELPLINK)" || bad "ARPHELPLINK '$(prop ARPHELPLINK)'"
[[ $(prop ARPURLINFOABOUT) == http* ]] && ok "ARPURLINFOABOUT = $(prop ARPURLINFOABOUT)" || bad "ARPURLINFOABOUT '$(prop ARPURLINFOABOUT)'"
for p in PROFILES REMOVEDATA NEWERVERSIONDETECTED OLDERVERSIONBEINGUPGRADED; do
	[[ ";$(prop SecureCustomProperties);" == *";$p;"* ]] && ok "secure property $p" || bad "$p not in SecureCustomProperties '$(prop SecureCustomProperties)'"
done

expect "INSTALLDIR parent" "$(cell Directory INSTALLDIR 2)" "ProgramFiles64Folder"
expect "INSTALLDIR name" "$(cell Directory INSTALLDIR 3)" "KYC Desk"
expect "ProgramMenuFolder parent" "$(cell Directory ProgramMenuFolder 2)" "TARGETDIR"
for c in ProgramComponent DocsComponent; do
	attr=$(cell Component "$c" 4)
	[ -n "$attr" ] && ((attr & 256)) && ok "component $c is 64-bit, in $(cell Component "$c" 3)" || bad "component $c attributes '$attr'"
done
expect "ProgramComponent key path" "$(cell Component ProgramComponent 6)" "kycdesk.exe"
expect "feature of ProgramComponent" "$(table FeatureComponents | awk -F'\t' '$2 == "ProgramComponent" {print $1}')" "Complete"

expect "File kycdesk.exe size" "$(cell File kycdesk.exe 4)" "$(stat -c %s "$exe")"
expect "File kycdesk.exe version" "$(cell File kycdesk.exe 5)" "$msiversion.${build:-0}"
expect "File kycdesk.exe component" "$(cell File kycdesk.exe 2)" "ProgramComponent"
[ -z "$(cell MsiFileHash kycdesk.exe 1)" ] && ok "no MsiFileHash row for the versioned exe" || bad "MsiFileHash row for kycdesk.exe"
# MsiFileHash: the MD5 as four little-endian signed 32-bit integers.
md5parts() { python3 -c "import hashlib,struct,sys; print(*struct.unpack('<4i', hashlib.md5(open(sys.argv[1],'rb').read()).digest()), sep='\t')" "$1"; }
for f in INSTALL.md:docs/INSTALL.md profiles.example.json:packaging/profiles.example.json; do
	id=${f%%:*} src=$root/${f#*:}
	got=$(table MsiFileHash | awk -F'\t' -v k="$id" '$1 == k {print $3"\t"$4"\t"$5"\t"$6}')
	[ "$got" = "$(md5parts "$src")" ] && ok "MsiFileHash of $id matches ${f#*:}" || bad "MsiFileHash of $id '$got' does not match ${f#*:}"
done

# The cabinet: what Windows Installer will copy to Program Files.
if msiextract -C "$work/x" "$msi" >/dev/null 2>&1; then
	cmp -s "$work/x/KYC Desk/kycdesk.exe" "$exe" && ok "the cabinet's kycdesk.exe is byte for byte $(basename "$(dirname "$exe")")/kycdesk.exe (sha256 $(sha256sum "$exe" | cut -c1-16)…)" ||
		bad "the cabinet's kycdesk.exe differs from $exe"
	cmp -s "$work/x/KYC Desk/INSTALL.md" "$root/docs/INSTALL.md" && ok "the cabinet's INSTALL.md is docs/INSTALL.md" || bad "INSTALL.md differs"
	files=$(cd "$work/x" && find . -type f | sort | tr '\n' ' ')
	expect "files installed" "$files" "./KYC Desk/INSTALL.md ./KYC Desk/kycdesk.exe ./KYC Desk/profiles.example.json "
else
	bad "msiextract could not read the cabinet"
fi

# Shortcut columns: Shortcut Directory_ Name Component_ Target … Icon_(9) … WkDir(12).
sc=$(table Shortcut | awk -F'\t' '$1 == "StartMenuShortcut" {print $2"|"$3"|"$4"|"$5"|"$9"|"$12}')
expect "Start-menu shortcut (all users' Programs, name, component, feature, icon, working dir)" "$sc" \
	"ProgramMenuFolder|KYC Desk|ProgramComponent|Complete|kycdesk.ico|INSTALLDIR"
if msiinfo streams "$msi" | grep -qx "Icon.kycdesk.ico"; then
	msiinfo extract "$msi" Icon.kycdesk.ico >"$work/icon.ico" 2>/dev/null
	sizes=$(icotool -l "$work/icon.ico" 2>/dev/null | sed -n 's/.*--width=\([0-9]*\).*/\1/p' | sort -n | tr '\n' ' ')
	[[ " $sizes" == *" 16 "* && " $sizes" == *" 32 "* && " $sizes" == *" 256 "* ]] && ok "Add/Remove Programs icon: $sizes" || bad "icon sizes '$sizes'"
else
	bad "no Icon.kycdesk.ico in the package"
fi

# Upgrades: any older version is found and removed; a newer one stops this package.
up=$(table Upgrade)
grep -qP "^\Q$upgrade_code\E\t\Q$msiversion\E\t\t\t2\t\tNEWERVERSIONDETECTED$" <<<"$up" &&
	ok "Upgrade: a version above $msiversion is detected (NEWERVERSIONDETECTED, detect only)" || bad "Upgrade table lacks the newer-version row: $up"
grep -qP "^\Q$upgrade_code\E\t0\.0\.0\t\Q$msiversion\E\t\t256\t\tOLDERVERSIONBEINGUPGRADED$" <<<"$up" &&
	ok "Upgrade: 0.0.0 ≤ older < $msiversion is removed (OLDERVERSIONBEINGUPGRADED)" || bad "Upgrade table lacks the older-version row: $up"
table LaunchCondition | grep -q "^NOT NEWERVERSIONDETECTED OR Installed	A newer version of KYC Desk is already installed" &&
	ok "launch condition: a downgrade says a newer version is installed" || bad "no downgrade launch condition: $(table LaunchCondition)"

ca() { table CustomAction | awk -F'\t' -v a="$1" '$1 == a {print $2"|"$3"|"$4}'; }
expect "custom action InstallFleetProfiles (deferred, as SYSTEM, runs kycdesk.exe)" "$(ca InstallFleetProfiles)" '3090|kycdesk.exe|fleet install "[PROFILES]"'
expect "custom action RemoveUserData" "$(ca RemoveUserData)" "3090|kycdesk.exe|fleet remove --user-data --yes"
expect "custom action SetInstallLocation" "$(ca SetInstallLocation)" "51|ARPINSTALLLOCATION|[INSTALLDIR]"
expect "InstallFleetProfiles condition" "$(cond InstallFleetProfiles)" 'PROFILES AND NOT (REMOVE~="ALL")'
expect "RemoveUserData condition" "$(cond RemoveUserData)" 'REMOVEDATA="1" AND (REMOVE~="ALL") AND NOT UPGRADINGPRODUCTCODE'
before FindRelatedProducts LaunchConditions
before InstallValidate RemoveExistingProducts
before RemoveExistingProducts InstallInitialize
before CostFinalize SetInstallLocation
before SetInstallLocation RegisterProduct
before InstallFiles InstallFleetProfiles
before InstallFleetProfiles InstallFinalize
before InstallInitialize RemoveUserData
before RemoveUserData RemoveFiles
before InstallInitialize InstallFleetProfiles
table InstallUISequence | awk -F'\t' '$1=="FindRelatedProducts"{f=$3} $1=="LaunchConditions"{l=$3} END{exit !(f && l && f<l)}' &&
	ok "UI sequence: FindRelatedProducts before LaunchConditions" || bad "UI sequence lacks FindRelatedProducts before LaunchConditions"
exit $fail
