// Package safefile writes the files KYC Desk keeps or hands to the merchant (settings,
// profiles, exports, prepared photos) so that a crash or a power cut at any moment
// leaves either the old content or the new one, never a mix or an empty file, and so
// that only the user who wrote them can read them.
//
// A write goes to a temporary file in the target's directory, created owner-only
// (0600 on Unix; on Windows a protected DACL granting only the user, SYSTEM and
// Administrators, which is what a file in the user's profile gets), is fsynced, renamed
// over the target and the directory is fsynced so the rename itself survives a power
// cut. A failed write (a full disk, say) removes its temporary file and leaves the
// target as it was.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Modes of what this package creates on Unix.
const (
	FileMode os.FileMode = 0o600
	DirMode  os.FileMode = 0o700
)

// tempPrefix marks this package's temporary files: "." + target name + tempInfix.
const tempInfix = ".tmp-"

// staleAfter is how old a leftover temporary file (from a process killed mid-write)
// must be before a later write of the same target removes it.
const staleAfter = time.Hour

// Error says which step of a safe write failed. The target is unchanged.
type Error struct {
	Op   string // "create", "write", "sync", "rename", "sync directory", "protect"
	Path string // the target
	Err  error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("cannot write %s (%s): %v", e.Path, e.Op, e.Err)
	if DiskFull(e.Err) {
		msg += " — the disk is full"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Write replaces path's content with data, crash-safely and owner-only.
func Write(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith replaces path's content with what fill writes, crash-safely and
// owner-only. If fill fails, the target is unchanged and fill's error is returned.
func WriteWith(path string, fill func(w io.Writer) error) (err error) {
	// A symbolic link is followed: the file it points to gets the new content, the
	// link stays a link.
	if st, serr := os.Lstat(path); serr == nil && st.Mode()&os.ModeSymlink != 0 {
		if real, rerr := filepath.EvalSymlinks(path); rerr == nil {
			path = real
		}
	}
	if st, serr := os.Stat(path); serr == nil {
		switch {
		case st.IsDir():
			return &Error{Op: "create", Path: path, Err: errors.New("is a directory")}
		case !st.Mode().IsRegular():
			// A device or a pipe (--out /dev/null, --out /dev/stdout): written in place.
			// Renaming a file over it would replace the device itself (as root, /dev/null).
			return writeInPlace(path, fill)
		}
	}
	dir := filepath.Dir(path)
	base := filepath.Base(path)
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return &Error{Op: "create", Path: path, Err: err}
	}
	name := tmp.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				_ = tmp.Close()
			}
			_ = os.Remove(name)
		}
	}()
	if err = protectFile(tmp); err != nil {
		return &Error{Op: "protect", Path: path, Err: err}
	}
	if err = fill(tmp); err != nil {
		var se *Error
		if errors.As(err, &se) {
			return err
		}
		return &Error{Op: "write", Path: path, Err: err}
	}
	if err = tmp.Sync(); err != nil {
		return &Error{Op: "sync", Path: path, Err: err}
	}
	closed = true
	if err = tmp.Close(); err != nil {
		return &Error{Op: "write", Path: path, Err: err}
	}
	if err = os.Rename(name, path); err != nil {
		return &Error{Op: "rename", Path: path, Err: err}
	}
	if err = syncDir(dir); err != nil {
		// The new content is in place; only its durability across a power cut in the
		// next instant is in doubt. Report it: the caller asked for a safe write.
		return &Error{Op: "sync directory", Path: path, Err: err}
	}
	return nil
}

// writeInPlace writes to a target that is not a regular file (a device, a pipe), where
// neither a rename nor an fsync means anything.
func writeInPlace(path string, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return &Error{Op: "create", Path: path, Err: err}
	}
	if err := fill(f); err != nil {
		f.Close()
		var se *Error
		if errors.As(err, &se) {
			return err
		}
		return &Error{Op: "write", Path: path, Err: err}
	}
	if err := f.Close(); err != nil {
		return &Error{Op: "write", Path: path, Err: err}
	}
	return nil
}

// MkdirAll creates dir and any missing parents owner-only (0700 on Unix, the
// protected DACL on Windows). An existing directory is left as it is: an
// administrator may have chosen its permissions.
func MkdirAll(dir string) error {
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return &Error{Op: "create directory", Path: dir, Err: errors.New("not a directory")}
		}
		return nil
	}
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return &Error{Op: "create directory", Path: dir, Err: err}
	}
	if err := protectDir(dir); err != nil {
		return &Error{Op: "protect", Path: dir, Err: err}
	}
	return nil
}

// Rename moves old to new and makes the move durable (both directories fsynced).
func Rename(oldPath, newPath string) error {
	if err := os.Rename(oldPath, newPath); err != nil {
		return &Error{Op: "rename", Path: oldPath, Err: err}
	}
	if err := syncDir(filepath.Dir(newPath)); err != nil {
		return &Error{Op: "sync directory", Path: newPath, Err: err}
	}
	if d := filepath.Dir(oldPath); d != filepath.Dir(newPath) {
		if err := syncDir(d); err != nil {
			return &Error{Op: "sync directory", Path: oldPath, Err: err}
		}
	}
	return nil
}

// removeStale deletes temporary files of base left by a process killed
// mid-write, once they are old enough not to belong to a write in progress.
func removeStale(dir, base string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tempInfix
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
