//go:build !linux

package queue

import "time"

// threadCPU reports false: per-thread CPU time is read only on Linux.
func threadCPU() (time.Duration, bool) { return 0, false }
