package learning

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/internal/npy"
)

// TestTrainerFollowsReferenceTrajectory trains the paper's Yin-Yang setup for four epochs from the same
// weights and in the same batch order as the reference implementation's training code did
// (testdata/reference-training/README.md), with the reference's ε, and compares the weights
// after every epoch. Both run the same procedure in float64, so they agree to rounding; the
// fourth epoch bumps weights in four batches, so bumping is compared as well.
func TestTrainerFollowsReferenceTrajectory(t *testing.T) {
	ref, err := npy.ReadNPZFile("testdata/reference-training/yinyang_seed7_eps1e-6.npz")
	require.NoError(t, err)
	samples := func(split string) Samples {
		s, err := datasets.Load("yinyang", split)
		require.NoError(t, err)
		return Samples{Inputs: s.Inputs, Labels: s.Labels, NIn: s.NIn}
	}
	tr, err := NewTrainer(yinYangSetup(120, 7), samples("train"), samples("val"))
	require.NoError(t, err)
	for l := range tr.Net.Layers {
		require.Equal(t, ref[fmt.Sprintf("w%d_init", l)].Floats, tr.Net.Layers[l].Weights,
			"layer %d: the trainer's initial weights changed: make the fixture again (see its README)", l)
	}
	tr.Net.Neuron.Eps = 1e-6

	// Rounding differences grow by about ten times per epoch (Adam divides by the root of
	// small second moments); a difference in the procedure shows at 1e-4 or more.
	tolerance := []float64{1e-13, 1e-12, 1e-11, 1e-9}
	for e := range tolerance {
		m, err := tr.RunEpoch()
		require.NoError(t, err)
		for l := range tr.Net.Layers {
			want := ref[fmt.Sprintf("w%d_e%d", l, e+1)].Floats
			got := tr.Net.Layers[l].Weights
			require.Len(t, got, len(want))
			worst, at := 0.0, 0
			for k := range want {
				if d := math.Abs(got[k] - want[k]); d > worst || d != d {
					worst, at = d, k
				}
			}
			assert.LessOrEqual(t, worst, tolerance[e], "epoch %d, layer %d: weight [%d][%d] is %v, the reference's %v",
				e+1, l, at/tr.Net.Layers[l].Outputs, at%tr.Net.Layers[l].Outputs, got[at], want[at])
		}
		assert.Equal(t, int(ref["bumps"].Ints[e]), m.Bumps, "epoch %d: bumped batches", e+1)
		assert.Equal(t, ref["val_accuracy"].Floats[e], m.ValAccuracy, "epoch %d: validation accuracy", e+1)
	}
}
