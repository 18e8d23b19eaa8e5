// Package faulttest runs the real kycdesk binary under faults — processes killed
// with SIGKILL in the middle of a burst of calls, a full disk, the keyring locked
// or gone, settings.json and history.db damaged — and checks what the README's
// "Data and privacy" section promises: every call that reached the gateway is on
// record exactly once, none is recorded as a success the gateway did not answer,
// nothing is sent that could not be recorded, nothing is purged under settings
// nobody chose, and a damaged history is kept aside, reported and replaced.
//
// The tests build the binary (or use KYCDESK_BIN) and a standalone sandbox gateway
// (`kycdesk sandbox --log`), whose request log says what it answered. They are
// Linux tests: SIGKILL, tmpfs or RLIMIT_FSIZE, a private D-Bus with gnome-keyring.
package faulttest
