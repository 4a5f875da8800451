package neurons

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTTFSNarrowNaNSums checks that a neuron whose sums become NaN in the shared
// exponentials (+Inf from one input, −Inf from another: finite weights near the largest
// float64) goes to the per-neuron scan, which rescales the weights, rather than counting as
// silent. Expected values: FirstSpike, which takes the per-neuron scan.
func TestTTFSNarrowNaNSums(t *testing.T) {
	in := []float64{0, 0.5, 1, 40}
	// Column 0: −1e308 twice, then +1e308: a = −1e308 − 1e308·e^0.5 = −Inf, then +1e308·e = +Inf,
	// so that a is NaN from the third window on; the fourth input comes too late to matter. In
	// units of 1e308 the membrane is −κ(t) − κ(t−0.5) + κ(t−1), which rises above 0 (and so above
	// the threshold, 1e−308 in these units) near t = 27.
	col := []float64{-1e308, -1e308, 1e308, 0}
	for _, c := range []struct{ nIn, nOut int }{
		{4, 1}, {4, 9}, // few inputs: the blocks
		{30, 3}, // many inputs and few neurons: the sweep
	} {
		in, col := append([]float64(nil), in...), append([]float64(nil), col...)
		for len(in) < c.nIn {
			in, col = append(in, 40+float64(len(in))), append(col, 0)
		}
		nOut := c.nOut
		w := make([]float64, len(in)*nOut)
		for i := range in {
			w[i*nOut] = col[i]
			for j := 1; j < nOut; j++ {
				w[i*nOut+j] = 0.5 // fires at a finite time on the third input
			}
		}
		out := make([]float64, nOut)
		var s LayerScratch
		ttfsET.Layer(out, in, w, &s)
		want := ttfsET.FirstSpike(in, col)
		require.False(t, math.IsInf(want, 0), "the per-neuron scan finds the spike")
		require.Equal(t, want, out[0], "%d neurons", nOut)
	}
}
