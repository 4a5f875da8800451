package learning

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/datasets"
)

// BenchmarkInferenceYinYang evaluates the reference's pretrained 4-120-3 network on the
// 1000-sample Yin-Yang test set.
func BenchmarkInferenceYinYang(b *testing.B) {
	net, test, _ := pretrained(b)
	benchInference(b, net, test)
}

// BenchmarkInferenceMNIST evaluates a 784-350-10 network (weights drawn as mnistSetup
// draws them and trained for no epoch, so the hidden layer spikes about as often) on the MNIST
// test set.
func BenchmarkInferenceMNIST(b *testing.B) {
	set, err := datasets.Load("mnist", "test")
	if err != nil {
		b.Skip(err)
	}
	trn, err := NewTrainer(mnistSetup(1), Samples{Inputs: set.Inputs[:784], Labels: set.Labels[:1], NIn: 784}, Samples{})
	require.NoError(b, err)
	benchInference(b, trn.Net, Samples{Inputs: set.Inputs, Labels: set.Labels, NIn: set.NIn})
}

func benchInference(b *testing.B, net *Network, data Samples) {
	var ev evaluator
	loss := TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}
	fwd := &Exact{}
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := ev.run(net, fwd, loss, data, 1000); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N * data.Len())
	b.ReportMetric(n/time.Since(start).Seconds(), "samples/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()*1e9/n, "cpu-ns/sample")
}

// cpuTime returns the CPU time (user + system) the process has used. On a machine shared
// with other work, CPU time per sample is a steadier measure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTrainEpochYinYang runs training epochs of the paper's Yin-Yang setup (5000
// samples, forward, bumping or backward and Adam, then validation on 1000 samples).
func BenchmarkTrainEpochYinYang(b *testing.B) {
	tr, va := datasets.YinYang(5000, 42), datasets.YinYang(1000, 41)
	trn, err := NewTrainer(yinYangSetup(120, 1), Samples{Inputs: tr.Inputs, Labels: tr.Labels, NIn: 4}, Samples{Inputs: va.Inputs, Labels: va.Labels, NIn: 4})
	require.NoError(b, err)
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := trn.RunEpoch(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*5000)/time.Since(start).Seconds(), "train-samples/s")
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/epoch")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/epoch")
}

// BenchmarkTrainBatchMNIST runs training batches of mnistSetup (80 samples of 784
// inputs, noise, forward, backward, Adam) on random pixel-like inputs.
func BenchmarkTrainBatchMNIST(b *testing.B) {
	s := mnistSetup(1)
	s.Bumping.MaxMissing = nil // always do the gradient step
	set, err := datasets.Load("mnist", "test")
	if err != nil {
		b.Skip(err)
	}
	n := 800
	data := Samples{Inputs: set.Inputs[:n*784], Labels: set.Labels[:n], NIn: 784}
	trn, err := NewTrainer(s, data, Samples{})
	require.NoError(b, err)
	rng := rand.New(rand.NewPCG(1, 1))
	idx := make([]int, s.BatchSize)
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		for k := range idx {
			idx[k] = rng.IntN(n)
		}
		if _, _, _, err := trn.step(idx, 0.001); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(idx))/time.Since(start).Seconds(), "train-samples/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()*1e9/float64(b.N*len(idx)), "cpu-ns/sample")
}
