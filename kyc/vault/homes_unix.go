//go:build !windows

package vault

import (
	"path/filepath"
	"runtime"
)

// userConfigSubdir is os.UserConfigDir() relative to a home directory (without
// XDG_CONFIG_HOME, which only the user's own session knows).
var userConfigSubdir = func() string {
	if runtime.GOOS == "darwin" {
		return filepath.Join("Library", "Application Support")
	}
	return ".config"
}()

// userHomes lists the home directories of local users.
func userHomes() ([]string, error) {
	pattern := "/home/*"
	if runtime.GOOS == "darwin" {
		pattern = "/Users/*"
	}
	homes, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "darwin" {
		homes = append(homes, "/root")
	}
	return homes, nil
}
