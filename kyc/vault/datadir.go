package vault

import (
	"fmt"
	"os"
	"path/filepath"

	"kycdesk/kyc/safefile"
)

// EnvHome names the environment variable that overrides the data directory.
const EnvHome = "KYCDESK_HOME"

// appDirName is the directory created under the OS's per-user config directory.
const appDirName = "KYCDesk"

// DataDir returns the data directory (KYCDESK_HOME if set, else
// os.UserConfigDir()/KYCDesk) and creates it with mode 0700 if it is missing.
// An existing directory's mode is left alone: an administrator may have
// chosen it on purpose.
func DataDir() (string, error) {
	dir := os.Getenv(EnvHome)
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("vault: no per-user config directory (set %s): %w", EnvHome, err)
		}
		dir = filepath.Join(base, appDirName)
	}
	if err := safefile.MkdirAll(dir); err != nil {
		return "", fmt.Errorf("vault: create data directory: %w", err)
	}
	return dir, nil
}
