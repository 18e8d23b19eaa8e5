//go:build darwin

package vault

import (
	"errors"
	"os/exec"
)

const platformKeyringName = "macOS Keychain"

func platformPreflight() error { return nil }

// classifyPlatform reads the exit status of /usr/bin/security, which
// go-keyring runs and whose output it drops: the status is the low byte of
// the Security framework's OSStatus.
func classifyPlatform(err error) Code {
	var xe *exec.ExitError
	if errors.As(err, &xe) {
		switch xe.ExitCode() {
		case 44: // errSecItemNotFound (-25300)
			return CodeNotFound
		case 36: // errSecInteractionNotAllowed (-25308): locked, no UI to unlock
			return CodeLocked
		case 51: // errSecAuthFailed (-25293): wrong keychain password / locked store
			return CodeLocked
		case 128: // errSecUserCanceled (-128)
			return CodeAccessDenied
		case 37, 50: // errSecNoDefaultKeychain (-25307), errSecNoSuchKeychain (-25294)
			return CodeUnavailable
		}
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		return CodeUnavailable // /usr/bin/security missing
	}
	return CodeKeyring
}
