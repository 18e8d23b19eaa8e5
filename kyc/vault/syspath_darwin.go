//go:build darwin

package vault

// SystemProfilesPath is where IT deploys fleet profiles.
func SystemProfilesPath() string { return "/Library/Application Support/KYCDesk/profiles.json" }
