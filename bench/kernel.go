package bench

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/ttfs"
)

// DefaultKernelSamples returns the samples per layer a kernel run computes unless told
// otherwise: 20 passes over the Yin-Yang test split, 2000 MNIST test images.
func DefaultKernelSamples(data string) int {
	if data == DataMNIST {
		return 2000
	}
	return 20000
}

// KernelRun says how to run the first-spike kernel scenario.
type KernelRun struct {
	// Data lists the networks whose layers are timed, DataYinYang and DataMNIST; nil means
	// both.
	Data []string

	// Models holds a network per data set to use instead of the preset's shape with weights
	// drawn from Seed, as TTFSRun.Model.
	Models map[string]*learning.Network
	Seed   uint64

	// Samples is the number of samples per layer and run, taken cyclically from the test
	// split; 0 means DefaultKernelSamples of the data set.
	Samples int

	// Repeat is the number of runs; 0 means 1.
	Repeat int
}

// KernelResult is what the first-spike kernel scenario measured: one entry per layer.
type KernelResult struct {
	Scenario string        `json:"scenario"` // "ttfs-kernel"
	Layers   []KernelLayer `json:"layers"`
	PeakRSS  int64         `json:"peak_rss_bytes"`
	Env
}

// KernelLayer is the time ttfs.Neuron.Layer takes for one layer of a network.
type KernelLayer struct {
	Data    string `json:"data"`
	Weights string `json:"weights"`
	Layer   int    `json:"layer"`   // 0 = hidden layer
	Inputs  int    `json:"inputs"`  // rows of the weight matrix, bias inputs included
	Neurons int    `json:"neurons"` // columns
	Samples int    `json:"samples"` // per run

	// Spiking is the fraction of the layer's neurons that spike, over the run's samples:
	// neurons that never spike scan every window, so the cost depends on it.
	Spiking float64 `json:"spiking"`

	Timing
	NsPerInputNeuron float64 `json:"ns_per_input_neuron"` // median wall time / (samples × inputs × neurons)
	NsPerSample      float64 `json:"ns_per_sample"`       // median wall time / samples

	// The same from the median CPU time; 0 if the system does not report it.
	CPUNsPerInputNeuron float64 `json:"cpu_ns_per_input_neuron"`
	CPUNsPerSample      float64 `json:"cpu_ns_per_sample"`
}

// RunKernel times ttfs.Neuron.Layer, the first-spike kernel, on one goroutine, layer by
// layer: the hidden layer gets the test samples (and bias spikes), the output layer the
// hidden layer's spike times computed beforehand by learning.Exact. The layer inputs are
// prepared before timing, and a warm-up call grows the scratch space, so the timed calls
// allocate nothing.
func RunKernel(r KernelRun) (*KernelResult, error) {
	data := r.Data
	if data == nil {
		data = []string{DataYinYang, DataMNIST}
	}
	res := &KernelResult{Scenario: ScenarioTTFSKernel}
	for _, d := range data {
		if _, err := ttfsScenario(d); err != nil {
			return nil, err
		}
		set, err := datasets.Load(d, "test")
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", ScenarioTTFSKernel, err)
		}
		net, weights, err := ttfsNetwork(d, r.Models[d], r.Seed, set)
		if err != nil {
			return nil, err
		}
		samples := r.Samples
		if samples == 0 {
			samples = DefaultKernelSamples(d)
		}
		if samples < 1 {
			return nil, fmt.Errorf("bench: %s: %d samples: need at least 1", ScenarioTTFSKernel, samples)
		}
		inputs, err := layerInputs(net, set, min(samples, set.Len()))
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", ScenarioTTFSKernel, err)
		}
		for l := range net.Layers {
			k := timeLayer(net.Neuron, &net.Layers[l], inputs[l], samples, r.Repeat)
			k.Data, k.Weights, k.Layer = d, weights, l
			res.Layers = append(res.Layers, k)
		}
	}
	res.PeakRSS = peakRSS()
	res.Env = currentEnv()
	return res, nil
}

// layerInputs returns, for each layer of net, the input rows (regular inputs then bias
// times) of the first n samples of set, n × Rows() times in row-major order.
func layerInputs(net *learning.Network, set *datasets.Set, n int) ([][]float64, error) {
	L := len(net.Layers)
	times := make([][]float64, L)
	for l, ly := range net.Layers {
		times[l] = make([]float64, n*ly.Outputs)
	}
	if err := (&learning.Exact{}).Forward(net, set.Inputs[:n*set.NIn], times); err != nil {
		return nil, err
	}
	in := make([][]float64, L)
	for l := range net.Layers {
		ly := &net.Layers[l]
		rows := ly.Rows()
		in[l] = make([]float64, n*rows)
		for s := range n {
			row := in[l][s*rows : (s+1)*rows]
			if l == 0 {
				copy(row, set.Inputs[s*set.NIn:(s+1)*set.NIn])
			} else {
				prev := net.Layers[l-1].Outputs
				copy(row, times[l-1][s*prev:(s+1)*prev])
			}
			copy(row[ly.Inputs:], ly.BiasTimes)
		}
	}
	return in, nil
}

// timeLayer runs p.Layer on samples input rows taken cyclically from in, repeat times.
func timeLayer(p ttfs.Neuron, ly *learning.Layer, in []float64, samples, repeat int) KernelLayer {
	rows, nOut := ly.Rows(), ly.Outputs
	distinct := len(in) / rows
	out := make([]float64, nOut)
	var scratch ttfs.Scratch
	// An untimed pass over the distinct samples grows the scratch space and counts the
	// spikes; sample i is used samples/distinct times, and once more if i < samples%distinct.
	spiking := 0
	for i := range distinct {
		p.Layer(out, in[i*rows:(i+1)*rows], ly.Weights, &scratch)
		fired := 0
		for _, v := range out {
			if v < math.Inf(1) {
				fired++
			}
		}
		uses := samples / distinct
		if i < samples%distinct {
			uses++
		}
		spiking += uses * fired
	}

	var t timer
	for range repeats(repeat) {
		t.begin()
		for s := range samples {
			i := s % distinct
			p.Layer(out, in[i*rows:(i+1)*rows], ly.Weights, &scratch)
		}
		t.end()
	}
	k := KernelLayer{
		Inputs:  rows,
		Neurons: nOut,
		Samples: samples,
		Spiking: float64(spiking) / float64(samples*nOut),
		Timing:  t.timing(),
	}
	pairs := float64(samples) * float64(rows) * float64(nOut)
	k.NsPerInputNeuron = k.Median * 1e9 / pairs
	k.NsPerSample = k.Median * 1e9 / float64(samples)
	k.CPUNsPerInputNeuron = k.CPU * 1e9 / pairs
	k.CPUNsPerSample = k.CPU * 1e9 / float64(samples)
	return k
}
