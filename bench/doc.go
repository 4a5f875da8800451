// Package bench runs the throughput scenarios of firstspike — the CUBA network of Brette et
// al. (2007) with exponential currents and with voltage jumps, first-spike inference and its
// kernel, and the hold model of the event queues — and reports what they measured: events/s,
// samples/s, ns per event, input or hold, wall and CPU time, peak memory.
//
// Each scenario has a Run function (RunCUBA, RunTTFS, RunKernel, RunHold) taking a struct
// of parameters whose zero values mean the defaults, and a result with JSON field names,
// which the firstspike bench command prints. Times are the medians of Repeat runs; the
// counts are the same for every run, since every scenario is deterministic for its seed.
// bench/peers holds the same CUBA network in Brian2 for comparison, and docs/benchmarks.md
// the measured numbers.
package bench
