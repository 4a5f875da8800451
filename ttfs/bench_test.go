package ttfs

import (
	"math/rand/v2"
	"testing"

	"github.com/firstspike/firstspike/internal/npy"
)

// benchLayer is one layer's worth of benchmark samples.
type benchLayer struct {
	nIn, nOut int
	in        [][]float64 // samples
	w         []float64
}

func normal(r *rand.Rand, n int, mean, sd float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = mean + sd*r.NormFloat64()
	}
	return w
}

// yinYangLayers returns the two layers of the Yin-Yang network (4 inputs + bias → 120,
// 120 + bias → 3) with the initial weight distributions of the reference config (docs/model.md §7) and
// samples whose second-layer inputs are the first layer's outputs.
func yinYangLayers(samples int) (l1, l2 benchLayer) {
	r := rand.New(rand.NewPCG(7, 8))
	l1 = benchLayer{nIn: 5, nOut: 120, w: normal(r, 5*120, 1.5, 0.8)}
	l2 = benchLayer{nIn: 121, nOut: 3, w: normal(r, 121*3, 0.5, 0.8)}
	var s Scratch
	for range samples {
		x, y := r.Float64(), r.Float64()
		in := []float64{0.15 + 1.85*x, 0.15 + 1.85*y, 0.15 + 1.85*(1-x), 0.15 + 1.85*(1-y), 0.9}
		l1.in = append(l1.in, in)
		hidden := make([]float64, 121)
		neuronET.Layer(hidden[:120], in, l1.w, &s)
		hidden[120] = 0.9
		l2.in = append(l2.in, hidden)
	}
	return l1, l2
}

// mnistLayers returns the 784 → 350 → 10 layers with the reference config's initial
// weight distributions (docs/model.md §7) and MNIST-like inputs.
func mnistLayers(samples int) (l1, l2 benchLayer) {
	r := rand.New(rand.NewPCG(9, 10))
	l1 = benchLayer{nIn: 784, nOut: 350, w: normal(r, 784*350, 0.05, 0.8)}
	l2 = benchLayer{nIn: 350, nOut: 10, w: normal(r, 350*10, 0.15, 0.8)}
	var s Scratch
	for range samples {
		in, _, _ := mnistLike(r, 784, 0)
		l1.in = append(l1.in, in)
		hidden := make([]float64, 350)
		neuronET.Layer(hidden, in, l1.w, &s)
		l2.in = append(l2.in, hidden)
	}
	return l1, l2
}

func (l *benchLayer) run(b *testing.B, p Neuron) {
	var s Scratch
	out := make([]float64, l.nOut)
	p.Layer(out, l.in[0], l.w, &s)
	i := 0
	for b.Loop() {
		p.Layer(out, l.in[i%len(l.in)], l.w, &s)
		i++
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/float64(l.nIn*l.nOut), "ns/synapse")
	b.ReportMetric(1e9/ns, "samples/s")
}

func BenchmarkLayer(b *testing.B) {
	y1, y2 := yinYangLayers(64)
	m1, m2 := mnistLayers(16)
	for _, c := range []struct {
		name string
		l    *benchLayer
	}{
		{"yinyang_5x120", &y1},
		{"yinyang_121x3", &y2},
		{"mnist_784x350", &m1},
		{"mnist_350x10", &m2},
	} {
		b.Run(c.name, func(b *testing.B) { c.l.run(b, neuronET) })
	}
	b.Run("mnist_784x350_dt", func(b *testing.B) {
		p := neuronDT
		m1.run(b, p)
	})
}

// pretrainedYinYang returns the layers of the reference's trained Yin-Yang network with
// the first samples of its test split, or false if the conformance data is not available.
func pretrainedYinYang(samples int) (l1, l2 benchLayer, ok bool) {
	const dir = "../learning/testdata/yinyang-pretrained/"
	w0, err0 := npy.ReadFile(dir + "W0.npy")
	w1, err1 := npy.ReadFile(dir + "W1.npy")
	in, err2 := npy.ReadFile(dir + "test_inputs.npy")
	if err0 != nil || err1 != nil || err2 != nil {
		return l1, l2, false
	}
	l1 = benchLayer{nIn: 5, nOut: 120, w: w0.Floats}
	l2 = benchLayer{nIn: 121, nOut: 3, w: w1.Floats}
	for s := range min(samples, in.Shape[0]) {
		l1.in = append(l1.in, append(append([]float64(nil), in.Floats[4*s:4*s+4]...), 0.9))
	}
	return l1, l2, true
}

// BenchmarkNetwork runs whole samples through both layers of each network on one core:
// the networks at their initial weight distributions, and the reference's trained Yin-Yang
// network, whose neurons fire earlier; each with Layer, with RecordLayer and with FirstOutput.
func BenchmarkNetwork(b *testing.B) {
	y1, y2 := yinYangLayers(64)
	m1, m2 := mnistLayers(16)
	cases := []struct {
		name   string
		l1, l2 *benchLayer
	}{{"yinyang_4-120-3", &y1, &y2}, {"mnist_784-350-10", &m1, &m2}}
	if p1, p2, ok := pretrainedYinYang(1000); ok {
		cases = append(cases, struct {
			name   string
			l1, l2 *benchLayer
		}{"yinyang_pretrained", &p1, &p2})
	}
	for _, c := range cases {
		// "": Layer; "_record": RecordLayer, as the training's forward pass calls it;
		// "_first": FirstOutput, up to the first output spike.
		for _, mode := range []string{"", "_record", "_first"} {
			b.Run(c.name+mode, func(b *testing.B) {
				var s Scratch
				var fs FirstOutputScratch
				var rec1, rec2 Record
				hidden := make([]float64, c.l2.nIn)
				bias := make([]float64, c.l2.nIn-c.l1.nOut)
				for j := range bias {
					bias[j] = 0.9
				}
				copy(hidden[c.l1.nOut:], bias)
				out := make([]float64, c.l2.nOut)
				i := 0
				for b.Loop() {
					in := c.l1.in[i%len(c.l1.in)]
					switch mode {
					case "_record":
						neuronET.RecordLayer(hidden[:c.l1.nOut], in, c.l1.w, &s, &rec1)
						neuronET.RecordLayer(out, hidden, c.l2.w, &s, &rec2)
					case "_first":
						neuronET.FirstOutput(in, c.l1.w, c.l1.nOut, bias, c.l2.w, &fs)
					default:
						neuronET.Layer(hidden[:c.l1.nOut], in, c.l1.w, &s)
						neuronET.Layer(out, hidden, c.l2.w, &s)
					}
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

func BenchmarkFirstSpike(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{5, 50} {
		times := make([]float64, n)
		for i := range times {
			times[i] = 0.15 + 1.85*r.Float64()
		}
		w := normal(r, n, 3/float64(n), 0.8/float64(n))
		b.Run(map[int]string{5: "inputs=5", 50: "inputs=50"}[n], func(b *testing.B) {
			for b.Loop() {
				neuronET.FirstSpike(times, w)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/input")
		})
	}
}
