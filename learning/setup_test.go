package learning

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSetupErrors checks that every unusable Setup field is named by its Go path, with its
// value.
func TestSetupErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		change func(s *Setup)
		want   string
	}{
		{"no network", func(s *Setup) { s.Network = nil }, "learning: Setup.Network: nil: a network is required"},
		{"bad neuron", func(s *Setup) { s.Network.Neuron.TauSyn = -1 }, "learning: Setup.Network.Neuron: "},
		{"NaN weight", func(s *Setup) { s.Network.Layers[1].Weights[7] = nan },
			"learning: Setup.Network.Layers[1].Weights[2][1]: NaN: weights must be finite"},
		{"shape", func(s *Setup) { s.Network.Layers[1].Inputs = 5 },
			"learning: Setup.Network.Layers[1].Inputs: 5: layer 0 has 20 outputs"},
		{"init per layer", func(s *Setup) { s.Init = s.Init[:1] }, "learning: Setup.Init: 1 entries: want one per layer (2)"},
		{"init spread", func(s *Setup) { s.Init[1].StdDev = -0.1 }, "learning: Setup.Init[1].StdDev: -0.1: must be finite and ≥ 0"},
		{"init mean", func(s *Setup) { s.Init[0].Mean = inf }, "learning: Setup.Init[0].Mean: +Inf: must be finite"},
		{"no loss", func(s *Setup) { s.Loss = nil }, "learning: Setup.Loss: nil: a loss is required (TTFSLoss or MSELoss)"},
		{"loss temperature", func(s *Setup) { s.Loss = TTFSLoss{Xi: 0, Beta: 1, TauSyn: 1} }, "learning: Setup.Loss.Xi: 0: must be > 0 and finite"},
		{"loss time unit", func(s *Setup) { s.Loss = TTFSLoss{Xi: 0.2, Beta: 1} }, "learning: Setup.Loss.TauSyn: 0: must be > 0 and finite"},
		{"MSE target", func(s *Setup) { s.Loss = MSELoss{TCorrect: nan, TWrong: 1, TauSyn: 1} }, "learning: Setup.Loss.TCorrect: NaN: must be finite"},
		{"no optimizer", func(s *Setup) { s.Optimizer = nil }, "learning: Setup.Optimizer: nil: an optimizer is required (NewAdam() or &SGD{})"},
		{"zero Adam", func(s *Setup) { s.Optimizer = &Adam{} }, "learning: Setup.Optimizer.Eps: 0: must be > 0 and finite"},
		{"Adam β2", func(s *Setup) { s.Optimizer = &Adam{Beta1: 0.9, Beta2: 1, Eps: 1e-8} }, "learning: Setup.Optimizer.Beta2: 1: must be in [0, 1)"},
		{"momentum", func(s *Setup) { s.Optimizer = &SGD{Momentum: -1} }, "learning: Setup.Optimizer.Momentum: -1: must be finite and ≥ 0"},
		{"used optimizer", func(s *Setup) { s.Optimizer = &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Step: 3} },
			"learning: Setup.Optimizer: *learning.Adam has already updated weights: give each trainer an optimizer of its own"},
		{"rate", func(s *Setup) { s.LearningRate = 0 }, "learning: Setup.LearningRate: 0: must be > 0 and finite"},
		{"infinite rate", func(s *Setup) { s.LearningRate = inf }, "learning: Setup.LearningRate: +Inf: must be > 0 and finite"},
		{"step size", func(s *Setup) { s.Schedule = StepLR{Gamma: 0.5} }, "learning: Setup.Schedule.StepSize: 0: must be > 0"},
		{"gamma", func(s *Setup) { s.Schedule = MultiStepLR{Gamma: -1, Milestones: []int{3}} }, "learning: Setup.Schedule.Gamma: -1: must be > 0 and finite"},
		{"batch", func(s *Setup) { s.BatchSize = 0 }, "learning: Setup.BatchSize: 0: must be > 0"},
		{"eval batch", func(s *Setup) { s.EvalBatchSize = -5 }, "learning: Setup.EvalBatchSize: -5: must be ≥ 0 (0: 1000)"},
		{"column drop", func(s *Setup) { s.MaxDwNorm = nan }, "learning: Setup.MaxDwNorm: NaN: must be finite and ≥ 0"},
		{"rounding", func(s *Setup) { s.RoundingPrecision = -1 }, "learning: Setup.RoundingPrecision: -1: must be finite and ≥ 0"},
		{"clipping", func(s *Setup) { s.ClipWeights = inf }, "learning: Setup.ClipWeights: +Inf: must be finite and ≥ 0"},
		{"bump", func(s *Setup) { s.Bumping.Value = -0.1 }, "learning: Setup.Bumping.Value: -0.1: must be finite and ≥ 0"},
		{"bump layers", func(s *Setup) { s.Bumping.MaxMissing = []float64{0.3} },
			"learning: Setup.Bumping.MaxMissing: 1 entries: want one per layer (2)"},
		{"bump fraction", func(s *Setup) { s.Bumping.MaxMissing[1] = 1.5 }, "learning: Setup.Bumping.MaxMissing[1]: 1.5: must be in [0, 1]"},
		{"noise mean", func(s *Setup) { s.InputNoise = &Noise{Mean: nan} }, "learning: Setup.InputNoise.Mean: NaN: must be finite"},
		{"noise spread", func(s *Setup) { s.InputNoise = &Noise{StdDev: -1} }, "learning: Setup.InputNoise.StdDev: -1: must be finite and ≥ 0"},
		{"Euler grid", func(s *Setup) { s.Forward = &Euler{SimTime: 4} }, "learning: Setup.Forward.Resolution: 0: must be > 0 and finite"},
		{"Euler horizon", func(s *Setup) { s.Forward = &Euler{Resolution: 0.01, SimTime: nan} }, "learning: Setup.Forward.SimTime: NaN: must be > 0 and finite"},
		{"Euler neuron", func(s *Setup) {
			s.Forward = &Euler{Resolution: 0.01, SimTime: 4}
			s.Network.Neuron.TauMem, s.Network.Neuron.GLeak = 2, 0.5
		}, "learning: Setup.Network.Neuron.TauMem: 2: the Euler forward pass needs TauMem = TauSyn (1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tr, va := smallYinYang(t)
			tt.change(&s)
			_, err := NewTrainer(s, tr, va)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestSetupNetworkIsNotChanged checks that the trainer trains a copy, and that without Init
// it starts from the given weights.
func TestSetupNetworkIsNotChanged(t *testing.T) {
	s, tr, va := smallYinYang(t)
	s.Init = nil
	for l := range s.Network.Layers {
		for k := range s.Network.Layers[l].Weights {
			s.Network.Layers[l].Weights[k] = 0.2 + 0.01*float64(k%7)
		}
	}
	before := modelBytes(t, s.Network)
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	assert.Equal(t, before, modelBytes(t, trn.Net), "the trainer starts from the given weights")
	trainEpochs(t, trn, 1)
	assert.Equal(t, before, modelBytes(t, s.Network), "Setup.Network is not trained in place")
	assert.NotEqual(t, before, modelBytes(t, trn.Net))
}

// TestResumeRejectsMismatches checks that a checkpoint that does not fit the Setup is refused
// with the field named.
func TestResumeRejectsMismatches(t *testing.T) {
	s, tr, va := smallYinYang(t)
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	trainEpochs(t, trn, 1)
	ck, err := trn.Checkpoint()
	require.NoError(t, err)

	other := yinYangSetup(30, 1)
	other.BatchSize = 40
	_, err = Resume(other, ck, tr, va)
	require.EqualError(t, err, "learning: checkpoint: weights[0]: 100 values: want 150")

	s.Optimizer = &SGD{}
	_, err = Resume(s, ck, tr, va)
	require.EqualError(t, err, `learning: checkpoint: optimizer: "adam" state does not fit SGD`)

	s.Optimizer = NewAdam()
	bad := *ck
	bad.Optimizer.M = bad.Optimizer.M[:1]
	_, err = Resume(s, &bad, tr, va)
	require.EqualError(t, err, "learning: checkpoint: optimizer: m: 1 layers: want 2")

	bad = *ck
	bad.BumpLast = 2
	_, err = Resume(s, &bad, tr, va)
	require.EqualError(t, err, "learning: checkpoint: bump_last: 2: want a layer or −1")
}

// TestNetworkValidate checks that a network's errors name the Go field and the value.
func TestNetworkValidate(t *testing.T) {
	s, _, _ := smallYinYang(t)
	net := s.Network
	require.NoError(t, net.Validate())
	net.Layers[0].BiasTimes[0] = math.Inf(-1)
	require.EqualError(t, net.Validate(), "learning: Layers[0].BiasTimes[0]: -Inf: must be a time or +Inf")
	net.Layers[0].BiasTimes[0] = 0.9
	net.Neuron.GLeak = 0
	require.EqualError(t, net.Validate(), "learning: Neuron: ttfs: GLeak = 0: must be positive and finite")
}
