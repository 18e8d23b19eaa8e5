//go:build windows

package main

import (
	"os"
	"syscall"

	"kycdesk/kyc/cli"
)

// The release kycdesk.exe is linked with -H windowsgui, so double-clicking it opens no
// console window. Such a program gets no console of its own: started from cmd or
// PowerShell, whatever it prints is lost. For the headless commands (and only those:
// the GUI must stay console-free) we attach to the console of the process that started
// us, and point the standard handles that have nowhere to go at it. Handles that were
// redirected (`kycdesk.exe history --export csv > out.csv`, a pipe from a script) are
// valid already and are left alone.
//
// cmd.exe and PowerShell do not wait for a GUI-subsystem program unless its output is
// piped or redirected; docs/INSTALL.md shows the forms that wait and keep the exit code
// (`start /wait`, `| Out-Host`, Start-Process -Wait).
func init() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		attachParentConsole()
	}
}

const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1

var (
	kernel32          = syscall.NewLazyDLL("kernel32.dll")
	procAttachConsole = kernel32.NewProc("AttachConsole")
	procSetStdHandle  = kernel32.NewProc("SetStdHandle")
)

func attachParentConsole() {
	stdin := missingStdHandle(syscall.STD_INPUT_HANDLE)
	stdout := missingStdHandle(syscall.STD_OUTPUT_HANDLE)
	stderr := missingStdHandle(syscall.STD_ERROR_HANDLE)
	if !stdin && !stdout && !stderr {
		return // a console build, or everything redirected
	}
	if ok, _, _ := procAttachConsole.Call(attachParentProcess); ok == 0 {
		// No parent console (started from Explorer, a shortcut or a service): there is
		// nowhere to print to, exactly as before.
		return
	}
	if stdout {
		if f := openConsole("CONOUT$", syscall.GENERIC_READ|syscall.GENERIC_WRITE, syscall.STD_OUTPUT_HANDLE); f != nil {
			os.Stdout = f
		}
	}
	if stderr {
		if f := openConsole("CONOUT$", syscall.GENERIC_READ|syscall.GENERIC_WRITE, syscall.STD_ERROR_HANDLE); f != nil {
			os.Stderr = f
		}
	}
	if stdin {
		// `token set` reads the token from the console without echo (x/term needs a
		// console input handle with read and write access to change its mode).
		if f := openConsole("CONIN$", syscall.GENERIC_READ|syscall.GENERIC_WRITE, syscall.STD_INPUT_HANDLE); f != nil {
			os.Stdin = f
		}
	}
}

// missingStdHandle reports whether a standard handle goes nowhere: absent, invalid,
// or not a file, pipe or character device.
func missingStdHandle(which int) bool {
	h, err := syscall.GetStdHandle(which)
	if err != nil || h == syscall.InvalidHandle || h == 0 {
		return true
	}
	t, err := syscall.GetFileType(h)
	return err != nil || t == syscall.FILE_TYPE_UNKNOWN
}

// openConsole opens the attached console's input or output buffer, makes it the
// process's standard handle (for anything that asks Windows rather than package os)
// and returns it as an *os.File.
func openConsole(name string, access uint32, which int) *os.File {
	p, err := syscall.UTF16PtrFromString(name)
	if err != nil {
		return nil
	}
	h, err := syscall.CreateFile(p, access, syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE,
		nil, syscall.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil
	}
	// STD_*_HANDLE are negative; Windows wants them as a DWORD.
	_, _, _ = procSetStdHandle.Call(uintptr(uint32(which)), uintptr(h))
	return os.NewFile(uintptr(h), name)
}
