//go:build windows

package glcheck

import "golang.org/x/sys/windows"

// show opens a native message box: the clerk double-clicked the icon and there is no
// console to print to. The process exits when it is closed.
func show(title, body string) {
	t, err1 := windows.UTF16PtrFromString(title)
	b, err2 := windows.UTF16PtrFromString(body)
	if err1 != nil || err2 != nil {
		return
	}
	const flags = windows.MB_OK | windows.MB_ICONERROR | windows.MB_SETFOREGROUND | windows.MB_TOPMOST
	_, _ = windows.MessageBox(0, b, t, flags)
}
