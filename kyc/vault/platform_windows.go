//go:build windows

package vault

import (
	"errors"
	"syscall"
)

const platformKeyringName = "Windows Credential Manager"

func platformPreflight() error { return nil }

// Win32 error codes wincred returns (as syscall.Errno).
const (
	errAccessDenied     = syscall.Errno(5)    // ERROR_ACCESS_DENIED
	errNoSuchLogon      = syscall.Errno(1312) // ERROR_NO_SUCH_LOGON_SESSION: no credential store for this logon (service accounts)
	errCancelled        = syscall.Errno(1223) // ERROR_CANCELLED
	errNotFound         = syscall.Errno(1168) // ERROR_NOT_FOUND
	errInvalidParameter = syscall.Errno(87)   // ERROR_INVALID_PARAMETER, e.g. a blob over the size limit
)

func classifyPlatform(err error) Code {
	var no syscall.Errno
	if errors.As(err, &no) {
		switch no {
		case errAccessDenied, errCancelled:
			return CodeAccessDenied
		case errNoSuchLogon:
			return CodeUnavailable
		case errNotFound:
			return CodeNotFound
		case errInvalidParameter:
			return CodeTokenTooLong
		}
	}
	return CodeKeyring
}
