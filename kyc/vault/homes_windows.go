//go:build windows

package vault

import (
	"strings"

	"golang.org/x/sys/windows/registry"
)

// userConfigSubdir is os.UserConfigDir() relative to a user's profile folder.
const userConfigSubdir = `AppData\Roaming`

// userHomes lists the profile folders of the PC's user accounts (not the service
// accounts, whose SIDs are short: S-1-5-18/19/20).
func userHomes() ([]string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`,
		registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	sids, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sid := range sids {
		if !strings.HasPrefix(sid, "S-1-5-21-") && !strings.HasPrefix(sid, "S-1-12-1-") { // local/domain, Entra ID
			continue
		}
		sk, err := registry.OpenKey(k, sid, registry.QUERY_VALUE)
		if err != nil {
			continue
		}
		p, _, err := sk.GetStringValue("ProfileImagePath")
		sk.Close()
		if err == nil && p != "" {
			if x, err := registry.ExpandString(p); err == nil { // REG_EXPAND_SZ: %SystemDrive%\Users\…
				p = x
			}
			out = append(out, p)
		}
	}
	return out, nil
}
