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

// lowSpace is what counts as no room left: less than a few pages of SQLite and
// its WAL. A write that fails with a generic I/O error (SQLite reports ENOSPC in
// its shared-memory file that way) is read as a full disk when this little is free.
const lowSpace = 256 << 10

// NoRoom reports whether dir's file system has (almost) no space left for this
// user, or the process runs under a file size limit (RLIMIT_FSIZE): the likely cause
// of an I/O error that does not say.
func NoRoom(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil && uint64(st.Bavail)*uint64(st.Bsize) < lowSpace {
		return true
	}
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &rl); err == nil && rl.Cur != ^uint64(0) {
		return true
	}
	return false
}
