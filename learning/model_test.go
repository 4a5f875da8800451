package learning

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelRoundTripIsBitExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	net := randomNetwork(rng, dtNeuron, 5, []int{4, 3}, [][]float64{{0.9, 0.1}, nil}, []float64{0, 0}, []float64{1, 1})
	net.Layers[0].Weights[0] = math.Copysign(0, -1)
	net.Layers[1].Weights[1] = 1e-310 // subnormal
	path := filepath.Join(t.TempDir(), "model.json")
	require.NoError(t, net.SaveModel(path))
	back, err := LoadModel(path)
	require.NoError(t, err)
	require.Equal(t, net.Neuron, back.Neuron)
	require.Equal(t, len(net.Layers), len(back.Layers))
	for l := range net.Layers {
		a, b := net.Layers[l], back.Layers[l]
		assert.Equal(t, a.Inputs, b.Inputs)
		assert.Equal(t, a.Outputs, b.Outputs)
		assert.Equal(t, a.BiasTimes, b.BiasTimes)
		for k := range a.Weights {
			require.Equal(t, math.Float64bits(a.Weights[k]), math.Float64bits(b.Weights[k]), "layer %d weight %d", l, k)
		}
	}
}

func TestModelErrors(t *testing.T) {
	good := `{"format": "firstspike.model/v1",
 "neuron": {"tau_syn": 1, "tau_mem": 1, "threshold": 1, "leak": 0, "g_leak": 1},
 "layers": [{"inputs": 2, "outputs": 2, "bias_times": [0.9], "weights": [[1, 2], [3, 4], [5, 6]]},
            {"inputs": 2, "outputs": 1, "bias_times": [], "weights": [[1], [2]]}]}`
	_, err := ReadModel(strings.NewReader(good), "m.json")
	require.NoError(t, err)
	tests := []struct{ name, old, new, want string }{
		{"format", `firstspike.model/v1`, `firstspike.model/v9`, `m.json: format: "firstspike.model/v9": want "firstspike.model/v1"`},
		{"NaN weight", `[3, 4]`, `[3, NaN]`, "m.json: layers[0].weights[1][1]: NaN: weights must be finite"},
		{"infinite weight", `[[1], [2]]`, `[[1], [-Infinity]]`, "m.json: layers[1].weights[1][0]: -Inf: weights must be finite"},
		{"missing row", `[[1, 2], [3, 4], [5, 6]]`, `[[1, 2], [3, 4]]`, "m.json: layers[0].weights: 2 rows: want 3 (2 inputs + 1 bias)"},
		{"short row", `[5, 6]`, `[5]`, "m.json: layers[0].weights[2]: 1 columns: want 2 outputs"},
		{"layers disagree", `{"inputs": 2, "outputs": 1, "bias_times": [], "weights": [[1], [2]]}`,
			`{"inputs": 3, "outputs": 1, "bias_times": [], "weights": [[1], [2], [3]]}`, "m.json: layers[1].inputs: 3: layer 0 has 2 outputs"},
		{"no outputs", `"inputs": 2, "outputs": 1,`, `"inputs": 2, "outputs": 0,`, "m.json: layers[1]: inputs 2, outputs 0: must be > 0"},
		{"no layers", `"layers": [`, `"layers": [], "x": [`, `m.json: json: unknown field "x"`},
		{"bad neuron", `"tau_syn": 1,`, `"tau_syn": -1,`, "m.json: neuron: tau_syn = -1: must be positive and finite"},
		{"unsupported ratio", `"tau_mem": 1,`, `"tau_mem": 3,`, "m.json: neuron: tau_mem = 3: the first-spike kernel needs tau_mem = tau_syn (1) or tau_mem = 2·tau_syn (2)"},
		{"NaN bias time", `[0.9]`, `[NaN]`, "m.json: layers[0].bias_times[0]: NaN: must be a time or +Inf"},
		{"truncated", `]}]}`, `]}`, "m.json: unexpected EOF"},
		{"string weight", `[3, 4]`, `[3, "four"]`, `m.json: "four": not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, good, tt.old)
			_, err := ReadModel(strings.NewReader(strings.Replace(good, tt.old, tt.new, 1)), "m.json")
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.want), "got %q, want prefix %q", err, tt.want)
		})
	}
	_, err = ReadModel(strings.NewReader(`{"format": "firstspike.model/v1", "neuron": {"tau_syn": 1, "tau_mem": 1, "threshold": 1, "leak": 0, "g_leak": 1}, "layers": []}`), "m.json")
	require.EqualError(t, err, "m.json: layers: network has no layers")
}

// TestSaveModelLeavesOldFileOnError checks that a failed write keeps the previous model.
func TestSaveModelLeavesOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	net, _, _ := vector11()
	require.NoError(t, net.SaveModel(path))
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	bad := net.Clone()
	bad.Layers[1].Weights[3] = math.NaN()
	require.ErrorContains(t, bad.SaveModel(path), "Layers[1].Weights[1][1]: NaN")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, before, after)
	ents, _ := os.ReadDir(dir)
	require.Len(t, ents, 1, "no temporary file left behind")
}

func FuzzReadModel(f *testing.F) {
	net, _, _ := vector11()
	var buf bytes.Buffer
	require.NoError(f, net.WriteModel(&buf))
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format": "firstspike.model/v1", "layers": [{"inputs": 1, "outputs": 1, "weights": [[NaN]]}]}`))
	f.Add([]byte(`{"layers": [{"inputs": 100000000, "outputs": 100000000}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ReadModel(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := n.WriteModel(&out); err != nil {
			t.Fatalf("loaded model does not write: %v", err)
		}
		if _, err := ReadModel(&out, "back.json"); err != nil {
			t.Fatalf("written model does not read back: %v", err)
		}
	})
}
