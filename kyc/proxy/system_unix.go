//go:build !windows && !darwin

package proxy

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// systemConfigs reads the desktop's proxy settings: KDE's kioslaverc in a KDE session,
// else GNOME's gsettings schema (also used by Cinnamon, MATE, Budgie and Unity) when
// gsettings is installed. Xfce and bare window managers have none: the environment
// (read before this) is their only proxy setting.
func systemConfigs(ctx context.Context) ([]Config, error) {
	desktop := strings.ToUpper(os.Getenv("XDG_CURRENT_DESKTOP") + ":" + os.Getenv("DESKTOP_SESSION"))
	if strings.Contains(desktop, "KDE") || strings.Contains(desktop, "PLASMA") {
		b, err := os.ReadFile(kioslavercPath(os.Getenv))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []Config{parseKioslaverc(string(b))}, nil
	}
	c, err := readGNOME(ctx, nil)
	if err != nil || c.IsZero() {
		return nil, err
	}
	return []Config{c}, nil
}

func kioslavercPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "kioslaverc")
}

// readGNOME runs gsettings (with env added to the process environment, for tests).
// No gsettings, or no GNOME proxy schema installed, is "no settings", not an error.
func readGNOME(ctx context.Context, env []string) (Config, error) {
	bin, err := exec.LookPath("gsettings")
	if err != nil {
		return Config{}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "list-recursively", "org.gnome.system.proxy")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(string(ee.Stderr), "No such schema") {
			return Config{}, nil
		}
		if ctx.Err() != nil {
			return Config{}, errors.New("gsettings did not answer within 3 s")
		}
		return Config{}, err
	}
	return parseGSettings(string(out)), nil
}

// findProxyForURL evaluates a PAC file with the built-in evaluator. WPAD (finding the
// PAC file through DHCP/DNS) is left to Windows, where it is common.
func findProxyForURL(ctx context.Context, c Config, target *url.URL) (string, error) {
	if c.PACURL == "" {
		return "", errors.New("automatic proxy detection (WPAD) is not supported here: set the PAC file's URL in the settings, or the proxy in the profile")
	}
	return evalPACURL(ctx, c.PACURL, target)
}
