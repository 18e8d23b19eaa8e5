//go:build windows

package safefile

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// DiskFull reports whether err means there is no room left.
func DiskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}

// ownerOnly returns a protected DACL (no inherited entries) granting full
// control to the current user, SYSTEM and the Administrators group: the
// protection a file in the user's own profile directory has, applied even
// when the target is a shared folder.
func ownerOnly() (*windows.ACL, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;OICI;FA;;;" + tu.User.Sid.String() + ")(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)")
	if err != nil {
		return nil, err
	}
	dacl, _, err := sd.DACL()
	return dacl, err
}

const protectInfo = windows.DACL_SECURITY_INFORMATION | windows.PROTECTED_DACL_SECURITY_INFORMATION

// protectFile sets the protected DACL by the file's name: the handle os.CreateTemp
// returns was opened without WRITE_DAC (GENERIC_READ|GENERIC_WRITE), so setting it
// through the handle is refused with "Access denied" (Wine's msiexec test found it).
// Opening by name asks for WRITE_DAC, which the file's owner always has, and does not
// conflict with our open handle (WRITE_DAC is not a shared data access).
func protectFile(f *os.File) error {
	dacl, err := ownerOnly()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(f.Name(), windows.SE_FILE_OBJECT, protectInfo, nil, nil, dacl, nil)
}

func protectDir(dir string) error {
	dacl, err := ownerOnly()
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT, protectInfo, nil, nil, dacl, nil)
}

// syncDir is a no-op: Windows cannot open a directory for flushing, and NTFS
// journals the rename itself.
func syncDir(string) error { return nil }

// NoRoom reports whether dir's volume has (almost) no space left for this user.
func NoRoom(dir string) bool {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return false
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
		return false
	}
	return free < 256<<10
}
