package bench

import (
	"syscall"
	"time"
)

// getRusage returns the process's peak resident set size and CPU time so far; macOS
// reports ru_maxrss in bytes.
func getRusage() (rusage, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return rusage{}, false
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return rusage{peakRSS: int64(ru.Maxrss), cpu: cpu}, true
}
