package learning

import "github.com/firstspike/firstspike/neurons"

// NeuronGrad computes, for one neuron with inputs at tIn with weights w that spiked at tOut,
// the derivatives ∂tOut/∂w_i into dW and ∂tOut/∂tIn_i into dTin (spec §3). It needs no
// membrane trace: only the input times, the output time, the weights and the parameters.
// Inputs after tOut, silent inputs and a silent output give zeros.
func NeuronGrad(p neurons.TTFS, tIn, w []float64, tOut float64, dW, dTin []float64) {
	panic("learning: NeuronGrad not implemented")
}

// BackwardScratch holds reusable buffers for LayerBackward; the zero value is ready to use.
type BackwardScratch struct{}

// LayerBackward back-propagates one sample through one layer (spec §3). in holds the n input
// times (bias inputs included), out the m output times, w the n × m weights (row-major),
// delta the m errors ∂L/∂out (NaN is read as 0). It adds the weight gradient to gW (n × m),
// dropping a column whose largest entry exceeds maxDwNorm in magnitude (maxDwNorm ≤ 0 or
// +Inf disables the drop), and writes ∂L/∂in into deltaIn (n).
func LayerBackward(p neurons.TTFS, in, out, w, delta []float64, maxDwNorm float64, gW, deltaIn []float64, s *BackwardScratch) {
	panic("learning: LayerBackward not implemented")
}
