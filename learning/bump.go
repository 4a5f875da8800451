package learning

import "math"

// Bumper raises the weights of layers whose neurons stay silent (spec §5, weight bumping).
// After a training batch's forward pass it looks at the hidden layers in order and then the
// output layer; the first layer whose fraction of silent (sample, neuron) entries exceeds its
// MaxMissing gets Value added to its weights, and the batch does no gradient step.
type Bumper struct {
	MaxMissing  []float64 // per layer, the largest tolerated fraction of silent entries
	Value       float64   // bump added to the weights
	Exponential bool      // double the bump while the same layer is bumped in consecutive batches
	Targeted    bool      // bump only the columns of neurons silent for at least one sample

	// Last is the layer bumped in the previous batch, or −1 if that batch was not bumped;
	// Current is the bump that was added then. Both carry the exponential chain across
	// batches and epochs (and checkpoints).
	Last    int
	Current float64
}

// Check inspects the layer times of a batch of n samples (times[l] is n × Outputs of layer
// l) and bumps net's weights if needed. It returns the bumped layer, or −1 if none.
func (b *Bumper) Check(net *Network, times [][]float64, n int) int {
	bumped := -1
	for l := range net.Layers {
		silent := 0
		for _, t := range times[l] {
			if math.IsInf(t, 1) || math.IsNaN(t) {
				silent++
			}
		}
		if float64(silent)/float64(n*net.Layers[l].Outputs) > b.MaxMissing[l] {
			bumped = l
			break
		}
	}
	if bumped < 0 {
		b.Last = -1
		return -1
	}
	if b.Exponential && bumped == b.Last {
		b.Current *= 2
	} else {
		b.Current = b.Value
	}
	b.Last = bumped
	ly := &net.Layers[bumped]
	m := ly.Outputs
	if !b.Targeted {
		for k := range ly.Weights {
			ly.Weights[k] += b.Current
		}
		return bumped
	}
	for j := 0; j < m; j++ {
		silent := false
		for s := 0; s < n; s++ {
			if t := times[bumped][s*m+j]; math.IsInf(t, 1) || math.IsNaN(t) {
				silent = true
				break
			}
		}
		if silent {
			for r := 0; r < ly.Rows(); r++ {
				ly.Weights[r*m+j] += b.Current
			}
		}
	}
	return bumped
}
