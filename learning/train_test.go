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
)

// smallYinYang returns a Yin-Yang config with a narrow hidden layer and small data, so that a
// few epochs take well under a second.
func smallYinYang(t testing.TB) (*Config, Samples, Samples) {
	t.Helper()
	cfg, err := Preset("yinyang")
	require.NoError(t, err)
	cfg.Layout.LayerSizes = []int{20, 3}
	cfg.Training.BatchSize = 40
	cfg.Training.EpochNumber = 4
	tr := datasets.YinYang(300, 42)
	va := datasets.YinYang(100, 41)
	return cfg, Samples{Inputs: tr.Inputs, Labels: tr.Labels, NIn: 4}, Samples{Inputs: va.Inputs, Labels: va.Labels, NIn: 4}
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
	cfg, tr, va := smallYinYang(t)
	trn, err := NewTrainer(cfg, 1, tr, va, nil)
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
	cfg, tr, va := smallYinYang(t)
	cfg.Training.TrainingNoise = Noise{On: true, StdDev: 0.1}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var models [][]byte
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		trn, err := NewTrainer(cfg, 7, tr, va, nil)
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
			cfg, tr, va := smallYinYang(t)
			if variant != "adam" {
				cfg.Training.Optimizer = "sgd"
				cfg.Training.Momentum = 0.5
				cfg.Training.LearningRate = 0.05
				cfg.Training.TrainingNoise = Noise{On: true, Mean: 0.01, StdDev: 0.1}
				cfg.Training.RoundingPrecision = 1.0 / 30
				cfg.Training.ClipWeightsMax = 3
				cfg.Training.LRScheduler = SchedulerParams{Type: "StepLR", Gamma: 0.5, StepSize: 1}
			}
			straight, err := NewTrainer(cfg, 3, tr, va, nil)
			require.NoError(t, err)
			trainEpochs(t, straight, 4)

			first, err := NewTrainer(cfg, 3, tr, va, nil)
			require.NoError(t, err)
			trainEpochs(t, first, 2)
			ck, err := first.Checkpoint()
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "checkpoint.json")
			require.NoError(t, ck.Save(path))
			loaded, err := LoadCheckpoint(path)
			require.NoError(t, err)
			resumed, err := loaded.Resume(tr, va, nil)
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

func TestDivergenceStopsWithError(t *testing.T) {
	cfg, tr, va := smallYinYang(t)
	cfg.Training.MaxNumMissingSpikes = Fractions{1, 1} // never bump
	trn, err := NewTrainer(cfg, 1, tr, va, nil)
	require.NoError(t, err)
	before := modelBytes(t, trn.Net)
	trn.Loss = badLoss{}
	_, err = trn.RunEpoch()
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrDiverged))
	assert.Equal(t, "learning: epoch 1, batch 0: training diverged: loss NaN", err.Error())
	assert.Equal(t, before, modelBytes(t, trn.Net), "a NaN loss stops before the update")

	// An infinite learning rate turns the weights into NaN and ±Inf.
	trn, err = NewTrainer(cfg, 1, tr, va, nil)
	require.NoError(t, err)
	trn.Config.Training.LearningRate = math.Inf(1)
	_, err = trn.RunEpoch()
	require.ErrorIs(t, err, ErrDiverged)
	assert.Contains(t, err.Error(), "learning: epoch 1, batch 0: training diverged: the update made layers[")
}

func TestTrainerRejectsBadData(t *testing.T) {
	cfg, tr, va := smallYinYang(t)
	bad := Samples{Inputs: append([]float64(nil), tr.Inputs...), Labels: append([]int(nil), tr.Labels...), NIn: 4}
	bad.Labels[5] = 3
	_, err := NewTrainer(cfg, 1, bad, va, nil)
	require.EqualError(t, err, "learning: training set: labels[5]: 3: want a class in [0, 3)")
	bad.Labels[5] = 0
	bad.Inputs[9] = math.NaN()
	_, err = NewTrainer(cfg, 1, bad, va, nil)
	require.EqualError(t, err, "learning: training set: inputs[2][1]: NaN: want a time or +Inf")
	_, err = NewTrainer(cfg, 1, Samples{Inputs: make([]float64, 10), Labels: make([]int, 2), NIn: 5}, va, nil)
	require.EqualError(t, err, "learning: network_layout.n_inputs: 4: the data has 5 inputs")
}

// TestEulerTrainerRuns exercises the integrator backend inside training (the reference's
// mnist.yaml mode) on Yin-Yang.
func TestEulerTrainerRuns(t *testing.T) {
	cfg, tr, va := smallYinYang(t)
	cfg.Training.UseForwardIntegrator = true
	cfg.Training.Resolution = 0.01
	cfg.Training.SimTime = 4
	trn, err := NewTrainer(cfg, 1, tr, va, nil)
	require.NoError(t, err)
	require.IsType(t, &Euler{}, trn.Forward)
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
	cfg, tr, va := smallYinYang(t)
	cfg.Training.MaxNumMissingSpikes = Fractions{1, 1} // never bump: always run the backward pass
	trn, err := NewTrainer(cfg, 1, tr, va, nil)
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
