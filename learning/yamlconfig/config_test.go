package yamlconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/learning"
)

func TestReferenceConfigsLoad(t *testing.T) {
	yy, err := Load("testdata/yin_yang.yaml")
	require.NoError(t, err)
	assert.Equal(t, "yin_yang", yy.Dataset)
	assert.Equal(t, BiasTimes{{0.9}, {0.9}}, yy.Layout.BiasTimes, "a flat bias_times list serves every layer")
	assert.Equal(t, []int{120, 3}, yy.Layout.LayerSizes)
	assert.Equal(t, 1.0, yy.Training.Beta, `"1." is a float`)
	assert.Equal(t, SchedulerParams{Type: "StepLR", Gamma: 0.95, StepSize: 20}, yy.Training.LRScheduler)
	assert.Equal(t, Fractions{0.3, 0}, yy.Training.MaxNumMissingSpikes)
	assert.False(t, yy.Training.TrainingNoise.On)
	assert.Equal(t, int64(2000), yy.Training.TorchSeed)
	assert.Equal(t, learning.TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}, yy.Loss())

	mn, err := Load("testdata/mnist.yaml")
	require.NoError(t, err)
	assert.True(t, mn.Training.UseForwardIntegrator)
	assert.Equal(t, 0.01, mn.Training.Resolution)
	assert.Equal(t, 3.5, mn.Training.SimTime)
	assert.Equal(t, Noise{On: true, Mean: 0, StdDev: 0.3}, mn.Training.TrainingNoise)
	assert.Equal(t, BiasTimes{{}, {}}, mn.Layout.BiasTimes)

	mse, err := Load("testdata/16x16_mnist_mse.yaml")
	require.NoError(t, err)
	assert.Equal(t, learning.MSELoss{TCorrect: 1.7, TWrong: 1, TauSyn: 1}, mse.Loss())
	assert.Equal(t, []int{1}, mse.Training.EpochSnapshots, "a flow list with a trailing comma")

	hx, err := Load("testdata/yin_yang_hx.yaml")
	require.NoError(t, err, "the hardware config loads")
	assert.Equal(t, BiasTimes{{0.9}, {}}, hx.Layout.BiasTimes)
	_, err = hx.Setup(1)
	require.EqualError(t, err, "training_params.use_hicannx: true: no BrainScaleS-2 forward backend is available; set it to false to train the ideal model")
}

func TestPresets(t *testing.T) {
	assert.Equal(t, []string{"mnist", "mnist16", "yinyang"}, Presets())
	for _, name := range Presets() {
		c, err := Preset(name)
		require.NoError(t, err, name)
		// The config written to a run folder reads back to the same config.
		b, err := c.Marshal()
		require.NoError(t, err)
		back, err := Parse("config.yaml", b)
		require.NoError(t, err, "%s:\n%s", name, b)
		assert.Equal(t, c, back, name)
	}
	mn, _ := Preset("mnist")
	assert.False(t, mn.Training.UseForwardIntegrator, "the mnist preset uses the exact forward pass")
	assert.Equal(t, []int{350, 10}, mn.Layout.LayerSizes)
	m16, _ := Preset("mnist16")
	assert.Equal(t, 256, m16.Layout.NInputs)
	_, err := Preset("cifar")
	require.EqualError(t, err, `yamlconfig: unknown preset "cifar" (have mnist, mnist16, yinyang)`)
}

// TestConfigErrors checks that bad configs fail with the file, the key path and the value.
func TestConfigErrors(t *testing.T) {
	base, err := os.ReadFile("testdata/yin_yang.yaml")
	require.NoError(t, err)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown key", "  momentum: 0\n", "  momentum: 0\n  learning_rat: 0.1\n",
			"yy.yaml: training_params.learning_rat: unknown key (line 29); known keys: alpha, batch_size, batch_size_eval, beta, clip_weights_max, enforce_cpu, epoch_number, epoch_snapshots, learning_rate, loss, lr_scheduler, max_dw_norm, max_num_missing_spikes, momentum, numpy_seed, optimizer, print_step_percent, resolution, rounding_precision, sim_time, torch_seed, training_noise, use_forward_integrator, use_hicannx, weight_bumping_exp, weight_bumping_targeted, weight_bumping_value, xi"},
		{"unknown section", "dataset: yin_yang\n", "dataset: yin_yang\nextra: 1\n",
			"yy.yaml: extra: unknown key (line 3); known keys: dataset, network_layout, neuron_params, training_params"},
		{"negative learning rate", "learning_rate: 0.005", "learning_rate: -1",
			"yy.yaml: training_params.learning_rate: -1: must be > 0"},
		{"zero learning rate", "learning_rate: 0.005", "learning_rate: 0",
			"yy.yaml: training_params.learning_rate: 0: must be > 0"},
		{"wrong type", "batch_size: 150", "batch_size: many",
			`yy.yaml: training_params.batch_size: "many" (line 18): want an integer`},
		{"float for an integer", "batch_size: 150", "batch_size: 1.5",
			"yy.yaml: training_params.batch_size: 1.5 (line 18): want an integer"},
		{"list for a number", "xi: 0.2", "xi: [0.2]",
			"yy.yaml: training_params.xi: a list (line 41): want a number"},
		{"string for a bool", "weight_bumping_exp: true", "weight_bumping_exp: maybe",
			`yy.yaml: training_params.weight_bumping_exp: "maybe" (line 38): want true or false`},
		{"zero tau_syn", "tau_syn: 1.0", "tau_syn: 0",
			"yy.yaml: neuron_params.tau_syn: 0: must be > 0 and finite"},
		{"negative g_leak", "g_leak: 1.0", "g_leak: -2",
			"yy.yaml: neuron_params.g_leak: -2: must be > 0 and finite"},
		{"unsupported tau_mem", "tau_syn: 1.0", "tau_syn: 1.0\n  tau_mem: 3",
			"yy.yaml: neuron_params.tau_mem: 3: must equal tau_syn or 2·tau_syn"},
		{"layer count", "n_layers: 2", "n_layers: 3",
			"yy.yaml: network_layout.n_layers: 3: layer_sizes has 2 layers"},
		{"layer size", "layer_sizes: [120, 3]", "layer_sizes: [0, 3]",
			"yy.yaml: network_layout.layer_sizes[0]: 0: must be > 0"},
		{"per-layer list length", "weight_means: [1.5, 0.5]", "weight_means: [1.5]",
			"yy.yaml: network_layout.weight_means: 1 entries: want one per layer (2)"},
		{"bias count", "n_biases: [1, 1]", "n_biases: [1, 2]",
			"yy.yaml: network_layout.n_biases[1]: 2: the flat bias_times list has 1 entries (give one list per layer to differ)"},
		{"missing key", "  xi: 0.2\n", "",
			"yy.yaml: training_params.xi: missing (needed by the TTFS loss)"},
		{"missing required key", "  batch_size: 150\n", "",
			"yy.yaml: training_params.batch_size: missing"},
		{"unknown optimizer", "optimizer: adam", "optimizer: rmsprop",
			"yy.yaml: training_params.optimizer: rmsprop: want adam or sgd"},
		{"unknown scheduler", "type: StepLR", "type: CosineLR",
			"yy.yaml: training_params.lr_scheduler.type: CosineLR: want StepLR or MultiStepLR"},
		{"noise true", "training_noise: false", "training_noise: true",
			"yy.yaml: training_params.training_noise: true (line 35): want false or {mean, std_dev}"},
		{"negative noise", "training_noise: false", "training_noise: {mean: 0, std_dev: -1}",
			"yy.yaml: training_params.training_noise.std_dev: -1: must be ≥ 0 and finite"},
		{"fraction above one", "max_num_missing_spikes: [0.3, 0.0]", "max_num_missing_spikes: [0.3, 1.5]",
			"yy.yaml: training_params.max_num_missing_spikes[1]: 1.5: must be in [0, 1]"},
		{"integrator without resolution", "resolution: 0.01\n  sim_time: 4.0\n  torch_seed: 2000\n  training_noise: false\n  use_forward_integrator: false",
			"resolution: 0\n  sim_time: 4.0\n  torch_seed: 2000\n  training_noise: false\n  use_forward_integrator: true",
			"yy.yaml: training_params.resolution: 0: must be > 0"},
		{"duplicate key", "  momentum: 0\n", "  momentum: 0\n  momentum: 1\n",
			"yy.yaml: training_params.momentum: key given twice (line 29)"},
		{"not yaml", "dataset: yin_yang", "dataset: [yin_yang",
			"yy.yaml: yaml: line 1: did not find expected ',' or ']'"},
		{"NaN weight mean", "weight_means: [1.5, 0.5]", "weight_means: [.nan, 0.5]",
			"yy.yaml: network_layout.weight_means[0]: NaN: must be finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, string(base), tt.old)
			text := strings.Replace(string(base), tt.old, tt.new, 1)
			_, err := Parse("yy.yaml", []byte(text))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
	_, err = Load(filepath.Join(t.TempDir(), "none.yaml"))
	require.ErrorContains(t, err, "none.yaml: no such file")
}

func TestConfigCheckData(t *testing.T) {
	c, err := Preset("yinyang")
	require.NoError(t, err)
	require.NoError(t, c.CheckData("yinyang", 4, 3))
	require.EqualError(t, c.CheckData("mnist", 784, 10), "network_layout.n_inputs: 4: data set mnist has 784 inputs")
	require.EqualError(t, c.CheckData("x.npz", 4, 5), "network_layout.layer_sizes[1]: 3: data set x.npz has 5 classes")
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/yin_yang.yaml", "testdata/mnist.yaml", "testdata/16x16_mnist_mse.yaml", "testdata/yin_yang_hx.yaml"} {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("dataset: [1, {a: b}]\n"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		// A valid config survives writing and reading back.
		b, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("back.yaml", b); err != nil {
			t.Fatalf("written config does not load: %v\n%s", err, b)
		}
	})
}
