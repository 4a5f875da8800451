package learning

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/ttfs"
)

// Layer is one fully connected layer of first-spike neurons. Its inputs are the Inputs regular
// inputs (the network inputs or the layer below) followed by one bias spike per entry of
// BiasTimes.
type Layer struct {
	Inputs    int       // regular inputs
	Outputs   int       // neurons
	BiasTimes []float64 // times of the bias spikes appended to the inputs

	// Weights holds Rows() × Outputs weights in row-major order: row = presynaptic (regular
	// inputs first, then bias inputs), column = postsynaptic neuron.
	Weights []float64
}

// Rows returns the number of presynaptic inputs including the bias inputs.
func (l *Layer) Rows() int { return l.Inputs + len(l.BiasTimes) }

// Network is a feed-forward network of fully connected first-spike layers that share one
// neuron model.
type Network struct {
	Neuron ttfs.Neuron
	Layers []Layer
}

// NewNetwork returns a network with the given neuron, nInputs network inputs, the layer sizes
// and bias times per layer (biasTimes[l] may be empty), with all weights zero.
func NewNetwork(p ttfs.Neuron, nInputs int, sizes []int, biasTimes [][]float64) *Network {
	if len(biasTimes) != len(sizes) {
		panic("learning: NewNetwork: len(biasTimes) != len(sizes)")
	}
	net := &Network{Neuron: p, Layers: make([]Layer, len(sizes))}
	in := nInputs
	for l, n := range sizes {
		if in <= 0 || n <= 0 {
			panic(fmt.Sprintf("learning: NewNetwork: layer %d has %d inputs and %d outputs", l, in, n))
		}
		net.Layers[l] = Layer{
			Inputs:    in,
			Outputs:   n,
			BiasTimes: append([]float64(nil), biasTimes[l]...),
			Weights:   make([]float64, (in+len(biasTimes[l]))*n),
		}
		in = n
	}
	return net
}

// Inputs returns the number of network inputs.
func (n *Network) Inputs() int { return n.Layers[0].Inputs }

// Outputs returns the number of output neurons.
func (n *Network) Outputs() int { return n.Layers[len(n.Layers)-1].Outputs }

// Clone returns a deep copy of n.
func (n *Network) Clone() *Network {
	c := &Network{Neuron: n.Neuron, Layers: make([]Layer, len(n.Layers))}
	for l := range n.Layers {
		src := &n.Layers[l]
		c.Layers[l] = Layer{
			Inputs:    src.Inputs,
			Outputs:   src.Outputs,
			BiasTimes: append([]float64(nil), src.BiasTimes...),
			Weights:   append([]float64(nil), src.Weights...),
		}
	}
	return c
}

// fieldNames spells the paths of a network's fields in check's errors: as in the model file
// (fileNames) or as in Go (goNames).
type fieldNames struct {
	layers, inputs, outputs, biasTimes, weights string
}

var (
	fileNames = fieldNames{"layers", "inputs", "outputs", "bias_times", "weights"}
	goNames   = fieldNames{"Layers", "Inputs", "Outputs", "BiasTimes", "Weights"}
)

// check reports the first structural problem of n: mismatched layer shapes, bad bias times or
// non-finite weights, naming the field as names spells it. The neuron parameters are checked
// by the caller.
func (n *Network) check(names fieldNames) error {
	if len(n.Layers) == 0 {
		return fmt.Errorf("%s: network has no layers", names.layers)
	}
	for l := range n.Layers {
		ly := &n.Layers[l]
		at := func(field string) string { return fmt.Sprintf("%s[%d].%s", names.layers, l, field) }
		if ly.Inputs <= 0 {
			return fmt.Errorf("%s: %d: must be > 0", at(names.inputs), ly.Inputs)
		}
		if ly.Outputs <= 0 {
			return fmt.Errorf("%s: %d: must be > 0", at(names.outputs), ly.Outputs)
		}
		if l > 0 && ly.Inputs != n.Layers[l-1].Outputs {
			return fmt.Errorf("%s: %d: layer %d has %d outputs", at(names.inputs), ly.Inputs, l-1, n.Layers[l-1].Outputs)
		}
		for i, t := range ly.BiasTimes {
			if math.IsNaN(t) || math.IsInf(t, -1) {
				return fmt.Errorf("%s[%d]: %v: must be a time or +Inf", at(names.biasTimes), i, t)
			}
		}
		if len(ly.Weights) != ly.Rows()*ly.Outputs {
			return fmt.Errorf("%s: %d values: want %d × %d", at(names.weights), len(ly.Weights), ly.Rows(), ly.Outputs)
		}
		for k, w := range ly.Weights {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				return fmt.Errorf("%s[%d][%d]: %v: weights must be finite", at(names.weights), k/ly.Outputs, k%ly.Outputs, w)
			}
		}
	}
	return nil
}

// Validate reports whether n is a usable network: a valid neuron, consistent layer shapes and
// finite weights. Its errors name the field as a Go path, such as
// "learning: Layers[1].Weights[3][0]: NaN: weights must be finite".
func (n *Network) Validate() error {
	if err := n.Neuron.Validate(); err != nil {
		return fmt.Errorf("learning: Neuron: %w", err)
	}
	if err := n.check(goNames); err != nil {
		return fmt.Errorf("learning: %w", err)
	}
	return nil
}

// Predict returns the class that a sample's output times vote for: the index of the earliest
// output spike, the lowest index on ties, or −1 if no output neuron spiked.
//
// Special cases are:
//
//	Predict(times) = -1 if every time is +Inf or NaN
func Predict(times []float64) int {
	best, bt := -1, math.Inf(1)
	for k, t := range times {
		if t < bt {
			best, bt = k, t
		}
	}
	return best
}

// roundWeights writes to dst the weights of src rounded to multiples of precision, halves to
// even as torch.round does. dst must have the shape of src.
func roundWeights(dst, src *Network, precision float64) {
	for l := range src.Layers {
		d := dst.Layers[l].Weights
		for k, w := range src.Layers[l].Weights {
			d[k] = math.RoundToEven(w/precision) * precision
		}
	}
}
