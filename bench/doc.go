// Package bench defines throughput scenarios — the CUBA network of Brette et al. (2007) with
// exponential currents and with voltage jumps, first-spike inference and training, and the
// queue hold model — runs them and reports events/s, samples/s, ns/event and peak memory.
package bench
