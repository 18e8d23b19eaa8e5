#!/bin/sh
# with-keyring.sh CMD [ARG...]
#
# Runs CMD inside a private D-Bus session with an unlocked gnome-keyring
# Secret Service, and with KYCDESK_REAL_KEYRING=1 so that the vault's
# real-keyring test runs instead of skipping. The keyring lives in a
# temporary directory (never the user's own keyring) and disappears with
# the session. CI:
#
#   kyc/vault/testdata/with-keyring.sh go test -run TestRealKeyring -v ./kyc/vault/
#
# Needs dbus-run-session (package dbus / dbus-daemon) and
# gnome-keyring-daemon (package gnome-keyring). Without them it says so and
# runs CMD without a keyring (the real-keyring test then skips).
set -eu

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi

missing=""
command -v dbus-run-session >/dev/null 2>&1 || missing="$missing dbus-run-session"
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing="$missing gnome-keyring-daemon"
if [ -n "$missing" ]; then
	echo "with-keyring.sh: not found:$missing; install them (Debian/Ubuntu: apt-get install -y gnome-keyring dbus-x11)." >&2
	echo "with-keyring.sh: running without a Secret Service; the real-keyring test will skip." >&2
	exec "$@"
fi

# First pass: re-run this script inside a fresh session bus. dbus-run-session
# ends the bus when the script ends, and gnome-keyring-daemon with it.
if [ -z "${KYCDESK_IN_PRIVATE_BUS:-}" ]; then
	KYCDESK_IN_PRIVATE_BUS=1 exec dbus-run-session -- "$0" "$@"
fi
unset KYCDESK_IN_PRIVATE_BUS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kycdesk-keyring.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

# --unlock reads the login keyring's password on stdin and creates the
# keyring (unlocked) on first use. XDG_DATA_HOME is set for the daemon only,
# so it stores its keyring under $tmp and never opens the user's own.
password="kycdesk-ci-$$"
if ! printf '%s' "$password" | XDG_DATA_HOME="$tmp" gnome-keyring-daemon --unlock --components=secrets >"$tmp/env" 2>"$tmp/err"; then
	echo "with-keyring.sh: gnome-keyring-daemon failed:" >&2
	cat "$tmp/err" >&2
	exit 1
fi

# Wait (up to 5 s) until the daemon owns org.freedesktop.secrets on the bus.
if command -v dbus-send >/dev/null 2>&1; then
	i=0
	until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
		i=$((i + 1))
		if [ "$i" -ge 50 ]; then
			echo "with-keyring.sh: the Secret Service did not appear on the session bus" >&2
			exit 1
		fi
		sleep 0.1
	done
fi

export KYCDESK_REAL_KEYRING=1
status=0
"$@" || status=$?
exit "$status"
