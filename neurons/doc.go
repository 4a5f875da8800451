// Package neurons models current-based leaky integrate-and-fire neurons with exponentially
// decaying synaptic currents, propagates their state exactly between events, and finds
// threshold crossings exactly: closed forms for τm = τs (Lambert W) and τm = 2τs, a general
// solver for any time constants, and the time-to-first-spike (TTFS) kernel of Göltz, Kriener
// et al. (2021): a layer's first spike times (TTFS.Layer, TTFS.RecordLayer for the backward
// pass) and a two-layer network's first output spike, which classifies a sample without
// computing what comes after it (TTFS.FirstOutput).
//
// Time is in any unit the caller chooses, used consistently; the TTFS types use the synaptic
// time constant as the unit in the spec. +Inf means "no spike"; NaN is never returned as a
// spike time.
package neurons
