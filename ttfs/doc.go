// Package ttfs computes exactly the first spike times of layers of current-based leaky
// integrate-and-fire neurons that spike at most once, after the time-to-first-spike (TTFS)
// learning of Göltz, Kriener et al. (2021).
//
// A Neuron holds the parameters shared by a layer's neurons; its time constants must satisfy
// TauMem = TauSyn or TauMem = 2·TauSyn, the two ratios with closed-form threshold crossings
// (Lambert W and a quadratic). Neuron.FirstSpike returns the first spike time of one neuron,
// Neuron.Layer those of a fully connected layer, reusing the buffers of a Scratch, and
// Neuron.RecordLayer also fills a Record with what the backward pass of the learning rule needs
// (the inputs in time order, their exponentials, and each spike's window and closed-form
// factor). Neuron.FirstOutput runs a network of two such layers only up to its first output
// spike, which classifies a sample without computing what comes after it; it reuses a
// FirstOutputScratch.
//
// Time is in any unit the caller chooses, used consistently; TauSyn is a natural one. +Inf
// means "no spike"; NaN is never returned as a spike time.
//
// On amd64 processors with AVX2 the window step of wide layers runs four neurons per
// instruction; the build tag purego selects the portable loops, which give the same results
// bit for bit.
package ttfs
