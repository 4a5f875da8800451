package learning

import (
	"math/rand/v2"
	"testing"

	"github.com/firstspike/firstspike/ttfs"
)

// gradBenchNet is a two-layer network with samples and their forward times.
type gradBenchNet struct {
	nIn, nHid, nOut int
	bias            []float64 // bias times appended to each layer's inputs
	w1, w2          []float64
	in              [][]float64 // layer-1 inputs, bias included
}

func gradNormal(r *rand.Rand, n int, mean, sd float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = mean + sd*r.NormFloat64()
	}
	return w
}

// gradMNISTNet is 784-350-10 with the reference config's initial weight distributions (docs/model.md
// §7) and MNIST-like inputs: like the test images (142 ink pixels with 65 distinct times per
// image on average) 18 % of the pixels are ink, half of them at the three darkest levels, and
// the background spikes at exactly t = 2.
func gradMNISTNet(samples int) *gradBenchNet {
	r := rand.New(rand.NewPCG(31, 32))
	b := &gradBenchNet{nIn: 784, nHid: 350, nOut: 10, w1: gradNormal(r, 784*350, 0.05, 0.8), w2: gradNormal(r, 350*10, 0.15, 0.8)}
	for range samples {
		in := make([]float64, 784)
		for i := range in {
			in[i] = 2
			if r.Float64() < 0.18 {
				p := 253 + r.IntN(3)
				if r.IntN(2) == 0 {
					p = 1 + r.IntN(252)
				}
				in[i] = 0.15 + 1.85*(1-float64(p)/256)
			}
		}
		b.in = append(b.in, in)
	}
	return b
}

// gradNoisyMNISTNet is gradMNISTNet with the mnist preset's training noise on the input times
// (normal, standard deviation 0.3, reflected at 0): every input then has its own time.
func gradNoisyMNISTNet(samples int) *gradBenchNet {
	b := gradMNISTNet(samples)
	r := rand.New(rand.NewPCG(35, 36))
	for _, in := range b.in {
		for i, x := range in {
			if x += 0.3 * r.NormFloat64(); x < 0 {
				x = -x
			}
			in[i] = x
		}
	}
	return b
}

// gradYinYangNet is 4-120-3 with one bias spike at 0.9 per layer and the reference config's
// initial weight distributions.
func gradYinYangNet(samples int) *gradBenchNet {
	r := rand.New(rand.NewPCG(33, 34))
	b := &gradBenchNet{nIn: 5, nHid: 120, nOut: 3, bias: []float64{0.9}, w1: gradNormal(r, 5*120, 1.5, 0.8), w2: gradNormal(r, 121*3, 0.5, 0.8)}
	for range samples {
		x, y := r.Float64(), r.Float64()
		b.in = append(b.in, []float64{0.15 + 1.85*x, 0.15 + 1.85*y, 0.15 + 1.85*(1-x), 0.15 + 1.85*(1-y), 0.9})
	}
	return b
}

// gradBenchState holds one worker's buffers for forward and backward passes of a gradBenchNet.
type gradBenchState struct {
	hid, out, dOut, dHid, g1, g2 []float64
	fs                           ttfs.Scratch
	bs                           BackwardScratch
}

func (b *gradBenchNet) state() *gradBenchState {
	nh := b.nHid + len(b.bias)
	st := &gradBenchState{hid: make([]float64, nh), out: make([]float64, b.nOut), dOut: make([]float64, b.nOut),
		dHid: make([]float64, nh), g1: make([]float64, len(b.w1)), g2: make([]float64, len(b.w2))}
	copy(st.hid[b.nHid:], b.bias)
	for j := range st.dOut {
		st.dOut[j] = 0.3 * float64(1-2*(j%2)) // errors of both signs on every output
	}
	return st
}

func (b *gradBenchNet) forward(st *gradBenchState, in []float64) {
	gradET.Layer(st.hid[:b.nHid], in, b.w1, &st.fs)
	gradET.Layer(st.out, st.hid, b.w2, &st.fs)
}

func (b *gradBenchNet) backward(st *gradBenchState, in []float64) {
	LayerBackward(gradET, st.hid, st.out, b.w2, st.dOut, 0.2, st.g2, st.dHid, &st.bs)
	LayerBackward(gradET, in, st.hid[:b.nHid], b.w1, st.dHid[:b.nHid], 0.2, st.g1, nil, &st.bs)
}

// BenchmarkLayerBackward measures the backward pass of one layer for one sample, after the
// forward pass that produced its times.
func BenchmarkLayerBackward(b *testing.B) {
	for _, c := range []struct {
		name string
		net  *gradBenchNet
	}{{"mnist", gradMNISTNet(16)}, {"yinyang", gradYinYangNet(64)}} {
		net := c.net
		st := net.state()
		b.Run(c.name+"_output_layer", func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				net.forward(st, net.in[i%len(net.in)])
				b.StartTimer()
				LayerBackward(gradET, st.hid, st.out, net.w2, st.dOut, 0.2, st.g2, st.dHid, &st.bs)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(net.w2)), "ns/synapse")
		})
		b.Run(c.name+"_hidden_layer", func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				in := net.in[i%len(net.in)]
				net.forward(st, in)
				LayerBackward(gradET, st.hid, st.out, net.w2, st.dOut, 0.2, st.g2, st.dHid, &st.bs)
				b.StartTimer()
				LayerBackward(gradET, in, st.hid[:net.nHid], net.w1, st.dHid[:net.nHid], 0.2, st.g1, nil, &st.bs)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(net.w1)), "ns/synapse")
		})
	}
}

// BenchmarkForwardBackward runs the forward and backward passes of whole samples on one core,
// as one training step does per sample (without loss and optimizer).
func BenchmarkForwardBackward(b *testing.B) {
	for _, c := range []struct {
		name string
		net  *gradBenchNet
	}{{"mnist_784-350-10", gradMNISTNet(16)}, {"mnist_784-350-10_noisy", gradNoisyMNISTNet(16)}, {"yinyang_4-120-3", gradYinYangNet(64)}} {
		net := c.net
		st := net.state()
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				in := net.in[i%len(net.in)]
				net.forward(st, in)
				net.backward(st, in)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/sample")
		})
	}
}
