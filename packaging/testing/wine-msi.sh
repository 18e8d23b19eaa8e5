#!/usr/bin/env bash
# wine-msi.sh MSI EXE: the MSI as outlet IT uses it, under Wine's own Windows Installer
# (msiexec), in a throwaway 64-bit prefix set to Windows 10, on an X display without
# GLX: install with a fleet profiles file, a refused bad fleet file, a same-version
# reinstall, an upgrade to a rebuilt higher version, a refused downgrade, uninstall
# (user data kept) and uninstall with REMOVEDATA=1; then a PC without OpenGL (the
# message box). EXE is the kycdesk.exe inside MSI, used to build the other versions.
# Exit 0 only if all pass. Unix exit codes keep 8 bits: 1603 arrives as 67, 1638 as 102.
set -uo pipefail
msi=$(realpath "$1")
exe=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${KYCDESK_VERSION:?}
msiversion=${version%%-*}
IFS=. read -r major minor patch <<<"$msiversion"
newer=$major.$minor.$((patch + 1))
command -v wine >/dev/null || { echo "wine-msi: wine not installed"; exit 1; }

work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The other packages IT meets: the same version built again, and a higher version.
build_msi() { # build_msi VERSION DIR
	mkdir -p "$2/kycdesk-$1-windows-amd64"
	cp "$exe" "$2/kycdesk-$1-windows-amd64/kycdesk.exe"
	DIST=$2 KYCDESK_VERSION=$1 bash "$root/packaging/package-msi.sh" >/dev/null 2>&1 && echo "$2/kycdesk-$1-windows-amd64.msi"
}
same=$(build_msi "$version" "$work/same") || { echo "wine-msi: cannot rebuild $version"; exit 1; }
new=$(build_msi "$newer" "$work/new") || { echo "wine-msi: cannot build $newer"; exit 1; }
pc() { msiinfo export "$1" Property | tr -d '\r' | awk -F'\t' '$1 == "ProductCode" {print $2}'; }
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32
cp "$root/packaging/profiles.example.json" "$work/fleet.json"
printf '{"profiles": [{"name": "P", "server_url": "https://gw.example.id", "token": "leaked-token-123"}]}\n' >"$work/bad.json"

cat >"$work/run.sh" <<EOF
set -u
wineboot -i >/dev/null 2>&1
wine winecfg /v win10 >/dev/null 2>&1          # Windows Installer's VersionNT 603
cp "$work/bcryptprimitives.dll" "\$WINEPREFIX/drive_c/windows/system32/"   # Go needs ProcessPrng
c=\$WINEPREFIX/drive_c
prog="\$c/Program Files/KYC Desk"
fleet=\$c/ProgramData/KYCDesk/profiles.json
userdata=\$c/users/$(id -un)/AppData/Roaming/KYCDesk
fail=0
ok() { echo "wine-msi: ok   \$*"; }
bad() { echo "wine-msi: FAIL \$*"; fail=1; }
msiexec() { wine msiexec "\$@" >/dev/null 2>&1; echo \$?; }
arp() { # the Add/Remove Programs entry of a ProductCode, empty when there is none
	wine reg query "HKLM\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\\$1" >arp.out 2>&1 && tr -d '\r' <arp.out
}
kd() { wine "C:\\\\Program Files\\\\KYC Desk\\\\kycdesk.exe" "\$@" 2>&1 | tr -d '\r'; }
old_pc=$(pc "$msi") new_pc=$(pc "$new")

rc=\$(msiexec /i "$msi" /qn /l*v bad.log PROFILES='Z:$work/bad.json')
# Windows ends a failed custom action with 1603 (67), Wine with 1627 (91).
{ [ "\$rc" = 67 ] || [ "\$rc" = 91 ]; } && [ ! -e "\$prog/kycdesk.exe" ] && [ -z "\$(arp \$old_pc)" ] &&
	ok "a fleet file with a token stops the installation (exit \$rc) and nothing stays installed" || bad "bad fleet file: exit \$rc"

rc=\$(msiexec /i "$msi" /qn /l*v install.log PROFILES='Z:$work/fleet.json')
[ "\$rc" = 0 ] && ok "msiexec /i /qn PROFILES=…: exit 0" || bad "install: exit \$rc"
v=\$(kd --version); [ "\$v" = "kycdesk $version" ] && ok "installed kycdesk.exe --version: \$v" || bad "--version: \$v"
cmp -s "\$fleet" "$work/fleet.json" && ok "fleet profiles installed to C:\\\\ProgramData\\\\KYCDesk\\\\profiles.json" || bad "fleet file not installed"
kd profile list | grep -q "Production.*system" && ok "the app sees the fleet profile (read-only, source system)" || bad "profile list: \$(kd profile list)"
a=\$(arp \$old_pc)
for kv in "DisplayName    REG_SZ    KYC Desk" "DisplayVersion    REG_SZ    $msiversion" "Publisher    REG_SZ    \${KYCDESK_COMPANY:-KYC Desk}" \
	"InstallLocation    REG_SZ    C:\\\\Program Files\\\\KYC Desk\\\\" "HelpLink    REG_SZ    http"; do
	grep -qF "\$kv" <<<"\$a" && ok "Add/Remove Programs: \$kv" || bad "Add/Remove Programs lacks '\$kv'"
done
lnk=\$(find "\$c" -iname 'KYC Desk.lnk' | head -1); [ -n "\$lnk" ] && ok "Start-menu shortcut: \${lnk#\$c/}" || bad "no Start-menu shortcut"

kd profile add Mine --server https://gw.example.id >/dev/null
[ -f "\$userdata/profiles.json" ] && ok "a clerk's own data: \${userdata#\$c/}/profiles.json" || bad "no user data written"

rc=\$(msiexec /i "$same" /qn /l*v same.log)
if [ "\$rc" = 102 ]; then ok "the same version built again is refused (1638: another version of this product is installed)"
elif [ "\$rc" = 0 ] && grep -qF "DisplayVersion    REG_SZ    $msiversion" <<<"\$(arp \$old_pc)" && cmp -s "\$prog/kycdesk.exe" "$exe"; then
	ok "the same version built again changes nothing (Wine treats it as a maintenance run; Windows answers 1638)"
else bad "same version again: exit \$rc"; fi

rc=\$(msiexec /i "$new" /qn /l*v upgrade.log)
[ "\$rc" = 0 ] && ok "upgrade to $newer (msiexec /i /qn): exit 0" || bad "upgrade: exit \$rc"
grep -qF "DisplayVersion    REG_SZ    $newer" <<<"\$(arp \$new_pc)" && [ -z "\$(arp \$old_pc)" ] &&
	ok "upgraded in place: one KYC Desk entry, version $newer" || bad "after the upgrade: old entry '\$(arp \$old_pc | head -3)' new '\$(arp \$new_pc | head -3)'"
[ -f "\$prog/kycdesk.exe" ] && [ -f "\$userdata/profiles.json" ] && cmp -s "\$fleet" "$work/fleet.json" &&
	ok "upgrade kept the program, the clerk's data and the fleet profiles" || bad "upgrade lost files"

rc=\$(msiexec /i "$msi" /qn /l*v down.log)
# (Windows logs the launch condition's message, "A newer version of KYC Desk is already
# installed…"; Wine logs only the detection.)
[ "\$rc" = 67 ] && grep -aqF "NEWERVERSIONDETECTED = \$new_pc" down.log && grep -qF "DisplayVersion    REG_SZ    $newer" <<<"\$(arp \$new_pc)" &&
	ok "downgrade to $version refused (1603: the launch condition found $newer installed); $newer stays" || bad "downgrade: exit \$rc"

rc=\$(msiexec /x "$new" /qn /l*v uninstall.log)
[ "\$rc" = 0 ] && [ ! -e "\$prog" ] && [ -z "\$(arp \$new_pc)" ] && [ -z "\$(find "\$c" -iname 'KYC Desk.lnk')" ] &&
	ok "msiexec /x: program, shortcut and Add/Remove Programs entry gone" || bad "uninstall: exit \$rc, left \$(ls "\$prog" 2>&1)"
[ -f "\$userdata/profiles.json" ] && [ -f "\$fleet" ] && ok "uninstall kept the clerk's data and the fleet file" || bad "uninstall removed data"

rc=\$(msiexec /i "$new" /qn)
rc2=\$(msiexec /x "$new" /qn REMOVEDATA=1 /l*v removedata.log)
[ "\$rc\$rc2" = 00 ] && [ ! -e "\$userdata" ] && [ ! -e "\$fleet" ] &&
	ok "msiexec /x REMOVEDATA=1 erased the users' data and the fleet file" || bad "REMOVEDATA=1: exit \$rc/\$rc2, left \$(ls "\$userdata" "\$fleet" 2>&1)"

# A PC without OpenGL (this display has no GLX): a message box within seconds, the
# process ends when it is closed, non-zero.
wine "$exe" >nogl.out 2>&1 &
app=\$!
t0=\$(date +%s%N); box=""; name=""
# Wine maps a window or two while it builds the box: wait for one that still exists and
# carries the box's title (a window found while it was being made can be gone a moment later).
for _ in \$(seq 40); do
	for w in \$(xdotool search --name 'OpenGL' 2>/dev/null); do
		n=\$(xdotool getwindowname "\$w" 2>/dev/null) && [ -n "\$n" ] && box=\$w && name=\$n && break
	done
	[ -n "\$box" ] && break; sleep 0.25
done
ms=\$(( (\$(date +%s%N) - t0) / 1000000 ))
if [ -n "\$box" ]; then
	ok "no OpenGL: message box '\$name' after \${ms} ms"
	for _ in 1 2 3; do
		xdotool key --window "\$box" Return 2>/dev/null || xdotool windowclose "\$box" 2>/dev/null
		for _ in \$(seq 8); do kill -0 \$app 2>/dev/null || break; sleep 0.25; done
		kill -0 \$app 2>/dev/null || break
	done
fi
if kill -0 \$app 2>/dev/null; then bad "no OpenGL: still running (\$(head -c 300 nogl.out))"; kill \$app; else
	wait \$app; rc=\$?; [ \$rc != 0 ] && [ -n "\$box" ] && ok "no OpenGL: exit \$rc once the box is closed" || bad "no OpenGL: exit \$rc, box '\$box': \$(head -c 400 nogl.out)"
fi
exit \$fail
EOF
cd "$work" && xvfb-run -a -s "-screen 0 1280x800x24 -extension GLX" bash run.sh
