// Package neurons models current-based leaky integrate-and-fire neurons with exponentially
// decaying synaptic currents, propagates their state exactly between events, and finds their
// threshold crossings exactly.
//
// LIF holds a neuron's parameters, with one synaptic time constant per receptor type;
// LIF.Propagate advances the membrane and the currents over a time without input, and
// LIF.NextCrossing returns the time at which the free membrane reaches threshold. The
// crossing comes from a closed form where one exists, CrossingEqualTau for τm = τs (Lambert W)
// and CrossingHalfTau for τm = 2τs (a quadratic), and otherwise from ExpSum.FirstCrossing, a
// solver for the first zero of any sum of exponentials (ExpSum of ExpTerm) that never misses
// a crossing.
//
// Time is in any unit the caller chooses, used consistently. +Inf means "no crossing"; NaN is
// never returned as a time.
//
// The first spike times of whole layers of neurons that spike at most once, for
// time-to-first-spike learning, are computed by package ttfs.
package neurons
