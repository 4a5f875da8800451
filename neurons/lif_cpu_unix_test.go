//go:build unix

package neurons

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time used by the process. The benchmarks report CPU ns/op beside
// the wall-clock ns/op because the machines they run on are often shared: time spent
// waiting for a core counts in the wall clock only.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
