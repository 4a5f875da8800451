// Package synapses holds projections between neuron populations — dense matrices and sparse
// compressed-row (CSR) tables of weights and delays — and seeded generators for all-to-all
// and fixed-probability connectivity.
package synapses
