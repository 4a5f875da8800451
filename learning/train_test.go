package learning

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/ttfs"
)

// yinYangSetup is the paper's Yin-Yang run (the reference's yin_yang.yaml, docs/model.md §7)
// with a hidden layer of the given size.
func yinYangSetup(hidden int, seed uint64) Setup {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	return Setup{
		Network:       NewNetwork(p, 4, []int{hidden, 3}, [][]float64{{0.9}, {0.9}}),
		Init:          []Normal{{Mean: 1.5, StdDev: 0.8}, {Mean: 0.5, StdDev: 0.8}},
		Seed:          seed,
		Loss:          TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1},
		Optimizer:     NewAdam(),
		LearningRate:  0.005,
		Schedule:      StepLR{Gamma: 0.95, StepSize: 20},
		BatchSize:     150,
		EvalBatchSize: 200,
		MaxDwNorm:     0.2,
		Bumping:       Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.0005, Exponential: true, Targeted: true},
	}
}

// mnistSetup is the full-MNIST run 784-350-10 of firstspike's mnist preset: the reference's
// mnist.yaml with the exact forward pass instead of its Euler integrator.
func mnistSetup(seed uint64) Setup {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	return Setup{
		Network:       NewNetwork(p, 784, []int{350, 10}, [][]float64{{}, {}}),
		Init:          []Normal{{Mean: 0.05, StdDev: 0.8}, {Mean: 0.15, StdDev: 0.8}},
		Seed:          seed,
		Loss:          TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1},
		Optimizer:     NewAdam(),
		LearningRate:  0.005,
		Schedule:      StepLR{Gamma: 0.9, StepSize: 15},
		BatchSize:     80,
		EvalBatchSize: 150,
		MaxDwNorm:     0.2,
		Bumping:       Bumping{MaxMissing: []float64{0.15, 0.05}, Value: 0.0005, Exponential: true, Targeted: true},
		InputNoise:    &Noise{StdDev: 0.3},
	}
}

// smallYinYang returns the Yin-Yang setup with a narrow hidden layer, small batches and small
// data, so that a few epochs take well under a second.
func smallYinYang(t testing.TB) (Setup, Samples, Samples) {
	t.Helper()
	s := yinYangSetup(20, 1)
	s.BatchSize = 40
	tr := datasets.YinYang(300, 42)
	va := datasets.YinYang(100, 41)
	return s, Samples{Inputs: tr.Inputs, Labels: tr.Labels, NIn: 4}, Samples{Inputs: va.Inputs, Labels: va.Labels, NIn: 4}
}

func trainEpochs(t testing.TB, tr *Trainer, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, err := tr.RunEpoch()
		require.NoError(t, err)
	}
}

func modelBytes(t testing.TB, n *Network) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, n.WriteModel(&b))
	return b.Bytes()
}

func TestTrainingLearnsYinYang(t *testing.T) {
	s, tr, va := smallYinYang(t)
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	require.Len(t, trn.History, 1)
	before := trn.History[0].ValAccuracy
	trainEpochs(t, trn, 4)
	require.Len(t, trn.History, 5)
	after := trn.History[4]
	assert.Equal(t, 4, after.Epoch)
	assert.Greater(t, after.ValAccuracy, before+0.1, "four epochs improve the validation accuracy (%v → %v)", before, after.ValAccuracy)
	assert.Equal(t, 0.005, after.LearningRate)
	for _, m := range trn.History[1:] {
		assert.False(t, math.IsNaN(m.TrainAccuracy))
		assert.GreaterOrEqual(t, m.Bumps, 0)
	}
}

// TestTrainingSameBitsAnyGOMAXPROCS checks the deterministic reduction: the same seed gives
// the same weights with one goroutine or several.
func TestTrainingSameBitsAnyGOMAXPROCS(t *testing.T) {
	s, tr, va := smallYinYang(t)
	s.InputNoise = &Noise{StdDev: 0.1}
	s.Seed = 7
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var models [][]byte
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		s.Optimizer = NewAdam()
		trn, err := NewTrainer(s, tr, va)
		require.NoError(t, err)
		trainEpochs(t, trn, 2)
		models = append(models, modelBytes(t, trn.Net))
	}
	require.Equal(t, models[0], models[1], "GOMAXPROCS 1 vs 2")
	require.Equal(t, models[0], models[2], "GOMAXPROCS 1 vs 4")
}

// TestResumeIsBitIdentical trains N epochs straight and N/2 + checkpoint + N/2 and compares
// the model bytes.
func TestResumeIsBitIdentical(t *testing.T) {
	for _, variant := range []string{"adam", "sgd+noise+rounding+clipping"} {
		t.Run(variant, func(t *testing.T) {
			setup := func() Setup {
				s, _, _ := smallYinYang(t)
				s.Seed = 3
				if variant != "adam" {
					s.Optimizer = &SGD{Momentum: 0.5}
					s.LearningRate = 0.05
					s.InputNoise = &Noise{Mean: 0.01, StdDev: 0.1}
					s.RoundingPrecision = 1.0 / 30
					s.ClipWeights = 3
					s.Schedule = StepLR{Gamma: 0.5, StepSize: 1}
				}
				return s
			}
			_, tr, va := smallYinYang(t)
			straight, err := NewTrainer(setup(), tr, va)
			require.NoError(t, err)
			trainEpochs(t, straight, 4)

			first, err := NewTrainer(setup(), tr, va)
			require.NoError(t, err)
			trainEpochs(t, first, 2)
			ck, err := first.Checkpoint()
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "checkpoint.json")
			require.NoError(t, ck.Save(path))
			loaded, err := LoadCheckpoint(path)
			require.NoError(t, err)
			resumed, err := Resume(setup(), loaded, tr, va)
			require.NoError(t, err)
			assert.Equal(t, 2, resumed.Epoch)
			trainEpochs(t, resumed, 2)

			require.Equal(t, modelBytes(t, straight.Net), modelBytes(t, resumed.Net))
			require.Equal(t, modelBytes(t, straight.InferenceNet()), modelBytes(t, resumed.InferenceNet()))
			require.Len(t, resumed.History, 5)
			for e := range straight.History {
				a, b := straight.History[e], resumed.History[e]
				a.Seconds, b.Seconds = 0, 0
				ja, err := json.Marshal(a)
				require.NoError(t, err)
				jb, err := json.Marshal(b)
				require.NoError(t, err)
				assert.Equal(t, string(ja), string(jb), "epoch %d", e)
			}
		})
	}
}

// badLoss returns NaN for every sample, as a diverged network would.
type badLoss struct{ TTFSLoss }

func (badLoss) Sample(t []float64, y int, grad []float64) float64 { return math.NaN() }

// infOptimizer overflows one weight, as a far too large learning rate would.
type infOptimizer struct{ *SGD }

func (o infOptimizer) Update(params, grads [][]float64, lr float64) {
	o.SGD.Update(params, grads, lr)
	params[1][4] = math.Inf(-1)
}

func TestDivergenceStopsWithError(t *testing.T) {
	s, tr, va := smallYinYang(t)
	s.Bumping.MaxMissing = nil // never bump
	s.Loss = badLoss{}
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	before := modelBytes(t, trn.Net)
	_, err = trn.RunEpoch()
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrDiverged))
	assert.Equal(t, "learning: epoch 1, batch 0: training diverged: loss NaN", err.Error())
	assert.Equal(t, before, modelBytes(t, trn.Net), "a NaN loss stops before the update")

	// An update that makes a weight infinite stops training too.
	s, _, _ = smallYinYang(t)
	s.Bumping.MaxMissing = nil
	s.Optimizer = infOptimizer{&SGD{}}
	trn, err = NewTrainer(s, tr, va)
	require.NoError(t, err)
	_, err = trn.RunEpoch()
	require.ErrorIs(t, err, ErrDiverged)
	assert.Equal(t, "learning: epoch 1, batch 0: training diverged: the update made layers[1].weights[1][1] -Inf (learning rate 0.005)", err.Error())
}

func TestTrainerRejectsBadData(t *testing.T) {
	s, tr, va := smallYinYang(t)
	bad := Samples{Inputs: append([]float64(nil), tr.Inputs...), Labels: append([]int(nil), tr.Labels...), NIn: 4}
	bad.Labels[5] = 3
	_, err := NewTrainer(s, bad, va)
	require.EqualError(t, err, "learning: training set: labels[5]: 3: want a class in [0, 3)")
	bad.Labels[5] = 0
	bad.Inputs[9] = math.NaN()
	_, err = NewTrainer(s, bad, va)
	require.EqualError(t, err, "learning: training set: inputs[2][1]: NaN: want a time or +Inf")
	_, err = NewTrainer(s, Samples{Inputs: make([]float64, 10), Labels: make([]int, 2), NIn: 5}, va)
	require.EqualError(t, err, "learning: training set: 5 inputs per sample: Setup.Network has 4")
	_, err = NewTrainer(s, tr, Samples{Inputs: make([]float64, 10), Labels: make([]int, 2), NIn: 5})
	require.EqualError(t, err, "learning: validation set: 5 inputs per sample: Setup.Network has 4")
	_, err = NewTrainer(s, Samples{NIn: 4}, va)
	require.EqualError(t, err, "learning: the training set is empty")

	trn, err := NewTrainer(s, tr, Samples{})
	require.NoError(t, err, "an empty validation set needs no shape")
	assert.True(t, math.IsNaN(trn.History[0].ValAccuracy))
}

// TestEulerTrainerRuns exercises the integrator backend inside training (the reference's
// mnist.yaml mode) on Yin-Yang.
func TestEulerTrainerRuns(t *testing.T) {
	s, tr, va := smallYinYang(t)
	s.Forward = &Euler{Resolution: 0.01, SimTime: 4}
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	trainEpochs(t, trn, 2)
	ev, err := trn.Evaluate(va)
	require.NoError(t, err)
	for _, x := range ev.Times {
		if !math.IsInf(x, 1) {
			assert.InDelta(t, math.Round(x*100)/100, x, 1e-12, "integrator times lie on the 0.01 grid")
		}
	}
}

func TestEvaluationSummaries(t *testing.T) {
	inf := math.Inf(1)
	ev := &Evaluation{N: 4, NOut: 2, Times: []float64{1, 2, inf, 0.5, inf, inf, 3, 1.5}}
	assert.InDelta(t, 0.5, ev.SilentLabelFraction([]int{0, 0, 1, 0}), 1e-15, "the labels of samples 1 and 2 are silent")
	assert.InDelta(t, 3.0/8, ev.SilentOutputFraction(), 1e-15)
	// First spikes 1, 0.5, (none), 1.5 → median of {0.5, 1, 1.5} = 1.
	assert.Equal(t, 1.0, ev.MedianFirstSpike())
	assert.True(t, math.IsNaN((&Evaluation{N: 1, NOut: 1, Times: []float64{inf}}).MedianFirstSpike()))
}

// TestTrainingStepAllocatesLittle checks that a training batch reuses its buffers: what
// remains are the goroutine closures of the two parallel regions.
func TestTrainingStepAllocatesLittle(t *testing.T) {
	s, tr, va := smallYinYang(t)
	s.Bumping.MaxMissing = nil // never bump: always run the backward pass
	trn, err := NewTrainer(s, tr, va)
	require.NoError(t, err)
	idx := make([]int, 40)
	for i := range idx {
		idx[i] = 3 * i
	}
	_, _, _, err = trn.step(idx, 0.001)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(20, func() {
		if _, _, _, err := trn.step(idx, 0.001); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, float64(2+2*runtime.GOMAXPROCS(0)))
}

// TestFirstNonFinite checks the scan for NaN and infinite weights and gradients at every
// position of slices long and short, with the lowest index winning.
func TestFirstNonFinite(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 8, 9, 2*rangeChunk + 7} {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i) - 2.5
		}
		require.Equal(t, -1, firstNonFinite(v), "n = %d, all finite", n)
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for k := range min(n, 12) {
				for _, at := range []int{k, n - 1 - k} {
					w := append([]float64(nil), v...)
					w[at] = bad
					if at+1 < n {
						w[n-1] = math.NaN() // a later one must not win
					}
					require.Equal(t, at, firstNonFinite(w), "n = %d, %v at %d", n, bad, at)
				}
			}
		}
	}
}
