package learning

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/ttfs"
)

// Forward computes the first spike times of every layer of a network for a batch of samples.
// The ideal software model (Exact) is the default; the reference's Euler integrator (Euler)
// and substrate models living in other packages implement it too, so that training can run
// its backward pass from spike times recorded elsewhere.
type Forward interface {
	// Forward runs the len(in)/net.Inputs() samples whose input times are in in (row-major,
	// +Inf = no spike; bias spikes are not included) through net and writes layer l's output
	// times into times[l] (samples × net.Layers[l].Outputs, +Inf = no spike). It must not
	// keep in or times, and must never write NaN.
	Forward(net *Network, in []float64, times [][]float64) error
}

// forwardChunk returns the number of samples a worker takes at a time: up to 4 for small
// networks, whose samples take microseconds, and 1 from about 64k weights on (MNIST's
// 784-350-10 takes about 100 µs per sample), so that the workers of a batch finish together.
// Each sample's times depend on the sample alone, so the chunks do not change them.
func forwardChunk(net *Network) int {
	weights := 0
	for l := range net.Layers {
		weights += len(net.Layers[l].Weights)
	}
	return min(4, max(1, 1<<16/max(weights, 1)))
}

// checkForwardArgs panics with a message naming the problem if in and times do not fit net.
func checkForwardArgs(net *Network, in []float64, times [][]float64) int {
	nIn := net.Inputs()
	if len(in)%nIn != 0 {
		panic(fmt.Sprintf("learning: Forward: len(in) = %d is not a multiple of %d inputs", len(in), nIn))
	}
	n := len(in) / nIn
	if len(times) != len(net.Layers) {
		panic(fmt.Sprintf("learning: Forward: %d time slices for %d layers", len(times), len(net.Layers)))
	}
	for l := range net.Layers {
		if len(times[l]) != n*net.Layers[l].Outputs {
			panic(fmt.Sprintf("learning: Forward: len(times[%d]) = %d, want %d", l, len(times[l]), n*net.Layers[l].Outputs))
		}
	}
	return n
}

// Exact is the ideal forward pass: the exact first spike times of the neuron model, computed
// per layer by ttfs.Neuron.Layer from the sorted inputs. Samples run in parallel on
// GOMAXPROCS goroutines; each sample's result does not depend on the others, so the times
// are the same whatever the number of goroutines.
//
// An Exact keeps scratch space between calls and must not be used by two goroutines at once.
// The zero value is ready to use.
type Exact struct {
	workers []exactScratch
	colSums [][]float64 // per layer: the weights summed over rows, for large groups of equal times
}

type exactScratch struct {
	in    [][]float64 // per layer: inputs with the bias spikes appended
	layer ttfs.Scratch
	first ttfs.FirstOutputScratch // Classify's last two layers
	last  []float64               // Classify's output times of a one-layer network
}

// Forward implements the Forward interface.
func (e *Exact) Forward(net *Network, in []float64, times [][]float64) error {
	return e.ForwardRecord(net, in, times, nil)
}

// ForwardRecord is Forward that also fills recs[b][l] with layer l's record of sample b
// (ttfs.Neuron.RecordLayer), from which LayerBackwardRecorded runs the backward pass without
// solving again. recs may be nil; else it must have one entry per sample, each with one
// record per layer.
func (e *Exact) ForwardRecord(net *Network, in []float64, times [][]float64, recs [][]ttfs.Record) error {
	n := checkForwardArgs(net, in, times)
	if recs != nil && len(recs) != n {
		panic(fmt.Sprintf("learning: ForwardRecord: %d records for %d samples", len(recs), n))
	}
	workers := e.prepare(net)
	nIn := net.Inputs()
	parallelChunks(n, forwardChunk(net), workers, func(w, _, lo, hi int) {
		s := &e.workers[w]
		for b := lo; b < hi; b++ {
			var rec []ttfs.Record
			if recs != nil {
				rec = recs[b]
			}
			s.sample(net, in[b*nIn:(b+1)*nIn], times, b, rec, e.colSums)
		}
	})
	return nil
}

// Classify computes, for each of the len(in)/net.Inputs() samples whose input times are in
// in (as for Forward), the class that Predict gives for its output times, and the time of
// that earliest output spike: pred[b] and first[b], −1 and +Inf for a sample in which no
// output neuron spikes. Each sample's simulation stops at its first output spike
// (ttfs.Neuron.FirstOutput runs the last two layers), so that later inputs and hidden spikes
// cost nothing: the classes and times are those of Forward followed by Predict, bit for bit
// but for the rounding-level exceptions that FirstOutput lists. Samples run in parallel as in
// Forward. It panics if the lengths do not fit.
func (e *Exact) Classify(net *Network, in []float64, pred []int, first []float64) error {
	nIn := net.Inputs()
	if len(in)%nIn != 0 {
		panic(fmt.Sprintf("learning: Classify: len(in) = %d is not a multiple of %d inputs", len(in), nIn))
	}
	n := len(in) / nIn
	if len(pred) != n || len(first) != n {
		panic(fmt.Sprintf("learning: Classify: %d predictions and %d times for %d samples", len(pred), len(first), n))
	}
	workers := e.prepare(net)
	parallelChunks(n, forwardChunk(net), workers, func(w, _, lo, hi int) {
		s := &e.workers[w]
		for b := lo; b < hi; b++ {
			pred[b], first[b] = s.classify(net, in[b*nIn:(b+1)*nIn], e.colSums)
		}
	})
	return nil
}

// prepare fills the column sums of net's weights and readies the scratch of the workers,
// whose number it returns.
func (e *Exact) prepare(net *Network) int {
	if len(e.colSums) != len(net.Layers) {
		e.colSums = make([][]float64, len(net.Layers))
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		cs := grow(e.colSums[l], ly.Outputs)
		clear(cs)
		for i := range ly.Rows() {
			for j, v := range ly.Weights[i*ly.Outputs : (i+1)*ly.Outputs] {
				cs[j] += v
			}
		}
		e.colSums[l] = cs
	}
	workers := maxWorkers()
	for len(e.workers) < workers {
		e.workers = append(e.workers, exactScratch{})
	}
	for w := range e.workers[:workers] {
		e.workers[w].prepare(net)
	}
	return workers
}

// classify returns the class and the earliest output time of the sample with inputs x: the
// layers below the last two in full, those two up to the first output spike.
func (s *exactScratch) classify(net *Network, x []float64, colSums [][]float64) (int, float64) {
	copy(s.in[0], x)
	L := len(net.Layers)
	for l := 0; l < L-2; l++ {
		ly := &net.Layers[l]
		s.layer.ColumnSums = colSums[l]
		net.Neuron.Layer(s.in[l+1][:ly.Outputs], s.in[l], ly.Weights, &s.layer)
	}
	if L == 1 {
		ly := &net.Layers[0]
		s.last = grow(s.last, ly.Outputs)
		s.layer.ColumnSums = colSums[0]
		net.Neuron.Layer(s.last, s.in[0], ly.Weights, &s.layer)
		j := Predict(s.last)
		if j < 0 {
			return -1, math.Inf(1)
		}
		return j, s.last[j]
	}
	hidden, output := &net.Layers[L-2], &net.Layers[L-1]
	s.first.HiddenColumnSums, s.first.OutputColumnSums = colSums[L-2], colSums[L-1]
	return net.Neuron.FirstOutput(s.in[L-2], hidden.Weights, hidden.Outputs, output.BiasTimes, output.Weights, &s.first)
}

// prepare sizes the per-layer input buffers for net and writes the bias times into them.
func (s *exactScratch) prepare(net *Network) {
	if len(s.in) != len(net.Layers) {
		s.in = make([][]float64, len(net.Layers))
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		if cap(s.in[l]) < ly.Rows() {
			s.in[l] = make([]float64, ly.Rows())
		}
		s.in[l] = s.in[l][:ly.Rows()]
		copy(s.in[l][ly.Inputs:], ly.BiasTimes)
	}
}

// sample runs sample b with inputs x through net, recording each layer into rec unless it
// is nil; colSums are the layers' column sums.
func (s *exactScratch) sample(net *Network, x []float64, times [][]float64, b int, rec []ttfs.Record, colSums [][]float64) {
	copy(s.in[0], x)
	last := len(net.Layers) - 1
	for l := range net.Layers {
		ly := &net.Layers[l]
		out := times[l][b*ly.Outputs : (b+1)*ly.Outputs]
		s.layer.ColumnSums = colSums[l]
		if rec != nil {
			net.Neuron.RecordLayer(out, s.in[l], ly.Weights, &s.layer, &rec[l])
		} else {
			net.Neuron.Layer(out, s.in[l], ly.Weights, &s.layer)
		}
		if l < last {
			copy(s.in[l+1], out)
		}
	}
}

// Euler is the reference implementation's forward integrator (docs/model.md §2; its configs'
// use_forward_integrator): the membrane is integrated on a grid of Resolution with the
// explicit Euler scheme of the reference, and a neuron spikes at the first grid time at which
// its potential exceeds the threshold, or never within SimTime. It reproduces the reference's
// outputs, grid and truncation effects included; it assumes TauMem = TauSyn, as the reference
// does. The backward pass stays exact (LayerBackward) and is evaluated at the grid times.
//
// An Euler keeps scratch space between calls and must not be used by two goroutines at once.
type Euler struct {
	Resolution float64 // time step > 0
	SimTime    float64 // simulated time > 0; the grid has ceil(SimTime/Resolution) steps

	workers []eulerScratch
}

type eulerScratch struct {
	in     [][]float64
	charge []float64 // steps × outputs: weight arriving per step and neuron
	mem    []float64
	syn    []float64
}

// Forward implements the Forward interface.
func (e *Euler) Forward(net *Network, in []float64, times [][]float64) error {
	if !(e.Resolution > 0) || !(e.SimTime > 0) || math.IsInf(e.SimTime, 1) {
		return fmt.Errorf("learning: Euler: Resolution %v and SimTime %v: both must be positive and finite", e.Resolution, e.SimTime)
	}
	n := checkForwardArgs(net, in, times)
	workers := maxWorkers()
	for len(e.workers) < workers {
		e.workers = append(e.workers, eulerScratch{})
	}
	steps := int(math.Ceil(e.SimTime / e.Resolution))
	for w := range e.workers[:workers] {
		s := &e.workers[w]
		if len(s.in) != len(net.Layers) {
			s.in = make([][]float64, len(net.Layers))
		}
		for l := range net.Layers {
			ly := &net.Layers[l]
			s.in[l] = grow(s.in[l], ly.Rows())
			copy(s.in[l][ly.Inputs:], ly.BiasTimes)
		}
	}
	nIn := net.Inputs()
	parallelChunks(n, forwardChunk(net), workers, func(w, _, lo, hi int) {
		s := &e.workers[w]
		for b := lo; b < hi; b++ {
			copy(s.in[0], in[b*nIn:(b+1)*nIn])
			for l := range net.Layers {
				ly := &net.Layers[l]
				out := times[l][b*ly.Outputs : (b+1)*ly.Outputs]
				s.layer(net.Neuron, e.Resolution, steps, s.in[l], ly.Weights, out)
				if l+1 < len(net.Layers) {
					copy(s.in[l+1], out)
				}
			}
		}
	})
	return nil
}

// layer integrates one layer for one sample.
func (s *eulerScratch) layer(p ttfs.Neuron, res float64, steps int, in, w, out []float64) {
	m := len(out)
	s.charge = grow(s.charge, steps*m)
	clear(s.charge)
	for i, t := range in {
		// The reference truncates t/resolution toward zero (0.29/0.01 = 28.999999999999996
		// lands in step 28) and puts late and silent inputs in the last step.
		k := steps - 1
		if !math.IsInf(t, 0) {
			if q := t / res; q < float64(steps-1) {
				k = int(q)
			}
		}
		row, dst := w[i*m:(i+1)*m], s.charge[k*m:(k+1)*m]
		for j, wij := range row {
			dst[j] += wij
		}
	}
	s.mem, s.syn = grow(s.mem, m), grow(s.syn, m)
	for j := range out {
		s.mem[j], s.syn[j] = p.Leak, 0
		out[j] = math.Inf(1)
	}
	decay := math.Exp(-res / p.TauSyn)
	for k := 0; k < steps; k++ {
		q := s.charge[k*m : (k+1)*m]
		tk := float64(k) * res
		for j := range out {
			mem := decay*(s.mem[j]-p.Leak) + 1/p.GLeak*s.syn[j]*res + p.Leak
			s.mem[j] = mem
			s.syn[j] = decay*s.syn[j] + q[j]
			if mem > p.Threshold && math.IsInf(out[j], 1) {
				out[j] = tk
			}
		}
	}
}

// grow returns s resized to n, reallocating only if its capacity is too small.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
