package yamlconfig

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/ttfs"
)

// TestPresetSetup checks the translation of a config into a learning.Setup on the yinyang
// preset, whose values are those of the reference's yin_yang.yaml (docs/model.md §7).
func TestPresetSetup(t *testing.T) {
	c, err := Preset("yinyang")
	require.NoError(t, err)
	s, err := c.Setup(2000)
	require.NoError(t, err)
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	want := learning.Setup{
		Network:       learning.NewNetwork(p, 4, []int{120, 3}, [][]float64{{0.9}, {0.9}}),
		Init:          []learning.Normal{{Mean: 1.5, StdDev: 0.8}, {Mean: 0.5, StdDev: 0.8}},
		Seed:          2000,
		Loss:          learning.TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1},
		Optimizer:     learning.NewAdam(),
		LearningRate:  0.005,
		Schedule:      learning.StepLR{Gamma: 0.95, StepSize: 20},
		BatchSize:     150,
		EvalBatchSize: 200,
		MaxDwNorm:     0.2,
		Bumping:       learning.Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.0005, Exponential: true, Targeted: true},
	}
	assert.Equal(t, want, s)

	m, err := Load("testdata/mnist.yaml")
	require.NoError(t, err)
	s, err = m.Setup(1)
	require.NoError(t, err)
	assert.Equal(t, &learning.Euler{Resolution: 0.01, SimTime: 3.5}, s.Forward, "use_forward_integrator")
	assert.Equal(t, &learning.Noise{Mean: 0, StdDev: 0.3}, s.InputNoise, "training_noise")
	assert.Equal(t, learning.StepLR{Gamma: 0.9, StepSize: 15}, s.Schedule)

	mse, err := Load("testdata/16x16_mnist_mse.yaml")
	require.NoError(t, err)
	mse.Training.Optimizer, mse.Training.Momentum = "sgd", 0.5
	mse.Training.LRScheduler = SchedulerParams{Type: "MultiStepLR", Gamma: 0.1, Milestones: []int{3, 5}}
	s, err = mse.Setup(1)
	require.NoError(t, err)
	assert.Equal(t, &learning.SGD{Momentum: 0.5}, s.Optimizer)
	assert.Equal(t, learning.MultiStepLR{Gamma: 0.1, Milestones: []int{3, 5}}, s.Schedule)
	assert.Equal(t, learning.MSELoss{TCorrect: 1.7, TWrong: 1, TauSyn: 1}, s.Loss)

	mse.Training.BatchSize = 0
	_, err = mse.Setup(1)
	require.EqualError(t, err, "training_params.batch_size: 0: must be > 0", "Setup checks a config changed after Parse")
}

// TestOtherDataSets checks that a config for data the caller provides loads: only the data
// sets firstspike loads itself need a known name.
func TestOtherDataSets(t *testing.T) {
	c, err := Parse("own.yaml", []byte(`dataset: my_spikes
neuron_params: {g_leak: 1, leak: 0, tau_syn: 1, threshold: 1}
network_layout: {n_inputs: 2, layer_sizes: [8, 2], weight_means: [1, 1], weight_stdevs: [0.5, 0.5]}
training_params:
  xi: 0.2
  alpha: 0.005
  beta: 1
  batch_size: 10
  epoch_number: 3
  learning_rate: 0.01
  max_num_missing_spikes: 0.3
  weight_bumping_exp: true
  weight_bumping_targeted: true
  weight_bumping_value: 0.005
`))
	require.NoError(t, err)
	_, err = c.DatasetName()
	require.EqualError(t, err, `dataset: "my_spikes": want yin_yang, mnist or 16x16_mnist`)
	s, err := c.Setup(1)
	require.NoError(t, err)
	assert.Equal(t, &learning.SGD{}, s.Optimizer, "sgd is the reference's default")
	assert.Equal(t, []float64{0.3, 0.3}, s.Bumping.MaxMissing, "one fraction serves every layer")
	assert.Nil(t, s.Schedule)
	for _, name := range []string{"yin_yang", "yinyang", "mnist", "16x16_mnist", "mnist16"} {
		c.Dataset = name
		got, err := c.DatasetName()
		require.NoError(t, err, name)
		assert.Contains(t, []string{"yinyang", "mnist", "mnist16"}, got)
	}
}
