//go:build !unix

package neurons

import "time"

// cpuTime would return the CPU time used by the process; without getrusage the benchmarks
// report 0 CPU ns/op.
func cpuTime() time.Duration { return 0 }
