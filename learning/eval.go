package learning

import (
	"fmt"
	"math"
	"slices"
)

// Evaluation is the result of running a network on a labelled data set.
type Evaluation struct {
	N           int       // samples
	NOut        int       // output neurons
	Times       []float64 // N × NOut output spike times, +Inf = no spike
	Predictions []int     // predicted class per sample, −1 = no decision
	Loss        float64   // mean loss per sample
	Accuracy    float64   // fraction of samples whose prediction equals the label
}

// SilentLabelFraction returns the fraction of samples whose label neuron did not spike.
func (e *Evaluation) SilentLabelFraction(labels []int) float64 {
	if e.N == 0 {
		return math.NaN()
	}
	silent := 0
	for b, y := range labels {
		if math.IsInf(e.Times[b*e.NOut+y], 1) {
			silent++
		}
	}
	return float64(silent) / float64(e.N)
}

// SilentOutputFraction returns the fraction of (sample, output neuron) pairs without a spike.
func (e *Evaluation) SilentOutputFraction() float64 {
	if len(e.Times) == 0 {
		return math.NaN()
	}
	silent := 0
	for _, t := range e.Times {
		if math.IsInf(t, 1) {
			silent++
		}
	}
	return float64(silent) / float64(len(e.Times))
}

// MedianFirstSpike returns the median over samples of the earliest output spike, ignoring
// samples in which no output neuron spiked (NaN if there are none).
func (e *Evaluation) MedianFirstSpike() float64 {
	first := make([]float64, 0, e.N)
	for b := 0; b < e.N; b++ {
		first = append(first, slices.Min(e.Times[b*e.NOut:(b+1)*e.NOut]))
	}
	return medianFinite(first)
}

// medianFinite returns the median of the values of v that are not +Inf, NaN if there are
// none. It reorders v.
func medianFinite(v []float64) float64 {
	first := slices.DeleteFunc(v, func(t float64) bool { return math.IsInf(t, 1) })
	if len(first) == 0 {
		return math.NaN()
	}
	slices.Sort(first)
	h := len(first) / 2
	if len(first)%2 == 1 {
		return first[h]
	}
	return (first[h-1] + first[h]) / 2
}

// Classification is the result of classifying a labelled data set at the first output spike.
type Classification struct {
	N           int
	Predictions []int     // class per sample: the output neuron that spiked first, −1 = none
	First       []float64 // the time of that spike per sample, +Inf = none
	Accuracy    float64   // fraction of samples whose prediction equals the label
}

// MedianFirstSpike returns the median of First over the samples with an output spike (NaN if
// there are none).
func (c *Classification) MedianFirstSpike() float64 {
	return medianFinite(slices.Clone(c.First))
}

// Classify classifies data with net, each sample up to its first output spike
// (Exact.Classify): the predictions and the accuracy are those of Evaluate with the
// first-spike loss (TTFSLoss), at a fraction of its cost where the first output spike comes
// before most inputs.
func Classify(net *Network, data Samples) (*Classification, error) {
	if err := data.check("data", net.Outputs()); err != nil {
		return nil, err
	}
	if data.NIn != net.Inputs() {
		return nil, fmt.Errorf("learning: the data has %d inputs, the network %d", data.NIn, net.Inputs())
	}
	n := data.Len()
	c := &Classification{N: n, Predictions: make([]int, n), First: make([]float64, n), Accuracy: math.NaN()}
	if err := (&Exact{}).Classify(net, data.Inputs, c.Predictions, c.First); err != nil {
		return nil, err
	}
	if n > 0 {
		correct := 0
		for b, y := range data.Labels {
			if c.Predictions[b] == y {
				correct++
			}
		}
		c.Accuracy = float64(correct) / float64(n)
	}
	return c, nil
}

// Evaluate runs net on data with the forward pass fwd (nil = Exact) in batches of batch
// samples (≤ 0: one batch) and scores the outputs with loss. Batches only bound the memory
// for hidden-layer times; the results do not depend on them.
func Evaluate(net *Network, fwd Forward, loss Loss, data Samples, batch int) (*Evaluation, error) {
	if err := data.check("data", net.Outputs()); err != nil {
		return nil, err
	}
	if data.NIn != net.Inputs() {
		return nil, fmt.Errorf("learning: the data has %d inputs, the network %d", data.NIn, net.Inputs())
	}
	if fwd == nil {
		fwd = &Exact{}
	}
	var ev evaluator
	return ev.run(net, fwd, loss, data, batch)
}

// evaluator keeps the buffers of repeated evaluations.
type evaluator struct {
	times [][]float64
	grad  []float64
}

// evalBatch is the batch size used when none is given.
const evalBatch = 1000

func (v *evaluator) run(net *Network, fwd Forward, loss Loss, data Samples, batch int) (*Evaluation, error) {
	n, nIn, nOut := data.Len(), net.Inputs(), net.Outputs()
	if batch <= 0 {
		batch = evalBatch
	}
	batch = min(batch, max(n, 1))
	L := len(net.Layers)
	if len(v.times) != L {
		v.times = make([][]float64, L)
	}
	ev := &Evaluation{N: n, NOut: nOut, Times: make([]float64, n*nOut), Predictions: make([]int, n)}
	v.grad = grow(v.grad, nOut)
	lossSum, correct := 0.0, 0
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		for l := 0; l < L-1; l++ {
			v.times[l] = grow(v.times[l], (hi-lo)*net.Layers[l].Outputs)
		}
		// The output layer writes straight into the result.
		v.times[L-1] = ev.Times[lo*nOut : hi*nOut]
		if err := fwd.Forward(net, data.Inputs[lo*nIn:hi*nIn], v.times); err != nil {
			return nil, err
		}
		for b := lo; b < hi; b++ {
			t := ev.Times[b*nOut : (b+1)*nOut]
			y := data.Labels[b]
			p := loss.Predict(t)
			ev.Predictions[b] = p
			if p == y {
				correct++
			}
			lossSum += loss.Sample(t, y, v.grad)
		}
	}
	v.times[L-1] = nil
	if n > 0 {
		ev.Loss = lossSum / float64(n)
		ev.Accuracy = float64(correct) / float64(n)
	} else {
		ev.Loss, ev.Accuracy = math.NaN(), math.NaN()
	}
	return ev, nil
}
