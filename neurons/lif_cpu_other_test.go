//go:build !unix

package neurons

import "time"

// lifCPU would return the CPU time used by the process; without getrusage the benchmarks
// report 0 CPU ns/op.
func lifCPU() time.Duration { return 0 }
