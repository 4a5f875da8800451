package learning

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/internal/npy"
)

// pretrainedDir holds a copy of the reference's pretrained Yin-Yang network and its recorded
// test-set outputs (README.md there).
const pretrainedDir = "testdata/yinyang-pretrained/"

func readNPY(t testing.TB, name string) *npy.Array {
	t.Helper()
	a, err := npy.ReadFile(pretrainedDir + name)
	require.NoError(t, err)
	return a
}

// pretrained returns the reference's network, the test inputs and labels, and its output times.
func pretrained(t testing.TB) (*Network, Samples, []float64) {
	t.Helper()
	var bias struct {
		BiasTimes [][]float64 `json:"bias_times"`
	}
	b, err := os.ReadFile(pretrainedDir + "bias_times.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &bias))
	w0, w1 := readNPY(t, "W0.npy"), readNPY(t, "W1.npy")
	require.Equal(t, []int{5, 120}, w0.Shape)
	require.Equal(t, []int{121, 3}, w1.Shape)
	net := NewNetwork(etNeuron, 4, []int{120, 3}, bias.BiasTimes)
	copy(net.Layers[0].Weights, w0.Floats)
	copy(net.Layers[1].Weights, w1.Floats)
	in, labels, times := readNPY(t, "test_inputs.npy"), readNPY(t, "test_labels.npy"), readNPY(t, "test_times.npy")
	y := make([]int, len(labels.Ints))
	for i, v := range labels.Ints {
		y[i] = int(v)
	}
	return net, Samples{Inputs: in.Floats, Labels: y, NIn: 4}, times.Floats
}

// TestConformancePretrainedYinYang evaluates the reference's pretrained network on its test
// set: 96.0 % accuracy, the reference's output times (to ~1e-12 with the reference's
// eps = 1e-6 in the b-sum, to 1e-5 without), and the same silent outputs.
func TestConformancePretrainedYinYang(t *testing.T) {
	net, test, want := pretrained(t)
	loss := TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}
	for _, tc := range []struct {
		eps, tol float64
	}{{1e-6, 1e-12}, {0, 1e-5}} {
		n := net.Clone()
		n.Neuron.Eps = tc.eps
		ev, err := Evaluate(n, nil, loss, test, 200)
		require.NoError(t, err)
		assert.Equal(t, 0.96, ev.Accuracy, "eps %v", tc.eps)
		worst := 0.0
		for k, w := range want {
			g := ev.Times[k]
			if math.IsInf(w, 1) {
				require.True(t, math.IsInf(g, 1), "eps %v sample %d output %d: reference silent, got %v", tc.eps, k/3, k%3, g)
				continue
			}
			require.False(t, math.IsInf(g, 1), "eps %v sample %d output %d: reference %v, got silent", tc.eps, k/3, k%3, w)
			worst = max(worst, math.Abs(g-w))
		}
		assert.LessOrEqual(t, worst, tc.tol, "eps %v: largest time difference", tc.eps)
		t.Logf("eps %v: accuracy %.4f, largest |Δt| %.3g, silent outputs %.2f %%", tc.eps, ev.Accuracy, worst, 100*ev.SilentOutputFraction())
	}
}
