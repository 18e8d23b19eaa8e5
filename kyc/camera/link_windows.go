//go:build cgo && windows && !nocamera

package camera

// The DirectShow driver is C++. MinGW links its runtime as DLLs (libstdc++-6.dll,
// libgcc_s_seh-1.dll) that no counter PC has, and the program would not even start; link them
// statically instead, so every Windows build gets this without the packager remembering a flag.

// #cgo windows LDFLAGS: -static-libgcc -static-libstdc++
import "C"
