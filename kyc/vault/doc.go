// Package vault keeps the merchant's connection profiles and their secrets.
//
// Profiles (name, server URL, timeout, note) live in profiles.json in the
// data directory (see DataDir) and are shared by the GUI and the headless
// commands. Secrets never touch a file: tokens, and the keys the history
// uses, live only in the OS keyring (Windows Credential Manager, macOS
// Keychain, Secret Service on Linux) under the service "kycdesk". There is no
// plaintext fallback: when the keyring cannot be used, the caller gets a
// typed *Error whose Code says what is wrong and whose Message says, in
// Indonesian or English, what to do about it.
//
// # Profiles and precedence
//
//   - "Sandbox" always exists, cannot be edited and needs no token: its
//     ServerURL is SandboxURL and the caller supplies the sandbox's demo token.
//   - System profiles come from a read-only file deployed by the outlet's IT
//     (SystemProfilesPath). They may name a default active profile. A "token"
//     key in that file is ignored and reported as a warning.
//   - User profiles come from profiles.json. A user profile can never shadow
//     a system profile or "Sandbox": saving one with the same name (compared
//     case-insensitively) is refused with CodeProfileReadOnly, and if IT later
//     deploys a system profile whose name a user profile already has, the
//     system profile wins and the user one is hidden with a warning. Tokens
//     are per user account even for system profiles (the keyring is per user).
//   - The active profile is the user's choice if it still exists, else the
//     system file's default, else "Sandbox".
//
// # Token precedence
//
// Token returns the KYCDESK_TOKEN environment variable when it is set
// (non-blank), whatever the profile; otherwise the profile's token from the
// keyring. Environment wins so that scripts and CI never depend on a keyring.
//
// # Keyring calls
//
// Every keyring call runs in its own goroutine under a timeout (3 s by
// default) because go-keyring's Secret Service backend waits without limit
// for an unlock prompt. Calls are serialised: while one call is stuck (an
// unlock dialog left open) later calls wait at most the same timeout and then
// fail with CodeTimeout, instead of piling up goroutines.
package vault
