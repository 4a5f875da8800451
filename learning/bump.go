package learning

import "math"

// bumper carries out Bumping batch by batch.
type bumper struct {
	Bumping

	// last is the layer bumped in the previous batch, or −1 if that batch was not bumped;
	// current is the bump that was added then. Both carry the exponential chain across
	// batches and epochs (and checkpoints).
	last    int
	current float64
}

// check inspects the layer times of a batch of n samples (times[l] is n × Outputs of layer
// l) and bumps net's weights if needed. It returns the bumped layer, or −1 if none (always,
// when bumping is off).
func (b *bumper) check(net *Network, times [][]float64, n int) int {
	if b.MaxMissing == nil {
		return -1
	}
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
		b.last = -1
		return -1
	}
	if b.Exponential && bumped == b.last {
		b.current *= 2
	} else {
		b.current = b.Value
	}
	b.last = bumped
	ly := &net.Layers[bumped]
	m := ly.Outputs
	if !b.Targeted {
		for k := range ly.Weights {
			ly.Weights[k] += b.current
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
				ly.Weights[r*m+j] += b.current
			}
		}
	}
	return bumped
}
