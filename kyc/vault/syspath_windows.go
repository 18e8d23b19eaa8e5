//go:build windows

package vault

import (
	"os"
	"path/filepath"
)

// SystemProfilesPath is where IT deploys fleet profiles.
func SystemProfilesPath() string {
	base := os.Getenv("ProgramData")
	if base == "" {
		base = `C:\ProgramData`
	}
	return filepath.Join(base, "KYCDesk", "profiles.json")
}
