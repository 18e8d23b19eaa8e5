//go:build !windows

package safefile

import (
	"errors"
	"os"
	"syscall"
)

// DiskFull reports whether err means there is no room left (ENOSPC, EDQUOT,
// or EFBIG: a file size limit).
func DiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG)
}

func protectFile(f *os.File) error { return f.Chmod(FileMode) }

func protectDir(dir string) error { return os.Chmod(dir, DirMode) }

// syncDir fsyncs a directory so a rename in it survives a power cut. File
// systems that cannot sync a directory (EINVAL) have nothing to flush.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
