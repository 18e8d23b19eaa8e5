//go:build !windows && !darwin

package vault

// SystemProfilesPath is where IT deploys fleet profiles.
func SystemProfilesPath() string { return "/etc/kycdesk/profiles.json" }
