//go:build linux || darwin

package face

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time so far, for the cpu-ms/op benchmark metrics.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
