package neurons

import (
	"math/rand/v2"
	"testing"

	"github.com/firstspike/firstspike/internal/npy"
)

// ttfsBenchLayer is one layer's worth of benchmark samples.
type ttfsBenchLayer struct {
	nIn, nOut int
	in        [][]float64 // samples
	w         []float64
}

func ttfsNormal(r *rand.Rand, n int, mean, sd float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = mean + sd*r.NormFloat64()
	}
	return w
}

// ttfsYinYangLayers returns the two layers of the Yin-Yang network (4 inputs + bias → 120,
// 120 + bias → 3) with the initial weight distributions of the reference config (spec §7) and
// samples whose second-layer inputs are the first layer's outputs.
func ttfsYinYangLayers(samples int) (l1, l2 ttfsBenchLayer) {
	r := rand.New(rand.NewPCG(7, 8))
	l1 = ttfsBenchLayer{nIn: 5, nOut: 120, w: ttfsNormal(r, 5*120, 1.5, 0.8)}
	l2 = ttfsBenchLayer{nIn: 121, nOut: 3, w: ttfsNormal(r, 121*3, 0.5, 0.8)}
	var s LayerScratch
	for range samples {
		x, y := r.Float64(), r.Float64()
		in := []float64{0.15 + 1.85*x, 0.15 + 1.85*y, 0.15 + 1.85*(1-x), 0.15 + 1.85*(1-y), 0.9}
		l1.in = append(l1.in, in)
		hidden := make([]float64, 121)
		ttfsET.Layer(hidden[:120], in, l1.w, &s)
		hidden[120] = 0.9
		l2.in = append(l2.in, hidden)
	}
	return l1, l2
}

// ttfsMNISTLayers returns the 784 → 350 → 10 layers with the reference config's initial
// weight distributions (spec §7) and MNIST-like inputs.
func ttfsMNISTLayers(samples int) (l1, l2 ttfsBenchLayer) {
	r := rand.New(rand.NewPCG(9, 10))
	l1 = ttfsBenchLayer{nIn: 784, nOut: 350, w: ttfsNormal(r, 784*350, 0.05, 0.8)}
	l2 = ttfsBenchLayer{nIn: 350, nOut: 10, w: ttfsNormal(r, 350*10, 0.15, 0.8)}
	var s LayerScratch
	for range samples {
		in, _, _ := ttfsMNISTLike(r, 784, 0)
		l1.in = append(l1.in, in)
		hidden := make([]float64, 350)
		ttfsET.Layer(hidden, in, l1.w, &s)
		l2.in = append(l2.in, hidden)
	}
	return l1, l2
}

func (l *ttfsBenchLayer) run(b *testing.B, p TTFS) {
	var s LayerScratch
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

func BenchmarkTTFSLayer(b *testing.B) {
	y1, y2 := ttfsYinYangLayers(64)
	m1, m2 := ttfsMNISTLayers(16)
	for _, c := range []struct {
		name string
		l    *ttfsBenchLayer
	}{
		{"yinyang_5x120", &y1},
		{"yinyang_121x3", &y2},
		{"mnist_784x350", &m1},
		{"mnist_350x10", &m2},
	} {
		b.Run(c.name, func(b *testing.B) { c.l.run(b, ttfsET) })
	}
	b.Run("mnist_784x350_dt", func(b *testing.B) {
		p := ttfsDT
		m1.run(b, p)
	})
}

// ttfsPretrainedYinYang returns the layers of the reference's trained Yin-Yang network with
// the first samples of its test split, or false if the conformance data is not available.
func ttfsPretrainedYinYang(samples int) (l1, l2 ttfsBenchLayer, ok bool) {
	const dir = "/work/shared/conformance/yinyang-pretrained/"
	w0, err0 := npy.ReadFile(dir + "W0.npy")
	w1, err1 := npy.ReadFile(dir + "W1.npy")
	in, err2 := npy.ReadFile(dir + "test_inputs.npy")
	if err0 != nil || err1 != nil || err2 != nil {
		return l1, l2, false
	}
	l1 = ttfsBenchLayer{nIn: 5, nOut: 120, w: w0.Floats}
	l2 = ttfsBenchLayer{nIn: 121, nOut: 3, w: w1.Floats}
	for s := range min(samples, in.Shape[0]) {
		l1.in = append(l1.in, append(append([]float64(nil), in.Floats[4*s:4*s+4]...), 0.9))
	}
	return l1, l2, true
}

// BenchmarkTTFSNetwork runs whole samples through both layers of each network on one core:
// the networks at their initial weight distributions, and the reference's trained Yin-Yang
// network, whose neurons fire earlier; each with Layer, with RecordLayer and with FirstOutput.
func BenchmarkTTFSNetwork(b *testing.B) {
	y1, y2 := ttfsYinYangLayers(64)
	m1, m2 := ttfsMNISTLayers(16)
	cases := []struct {
		name   string
		l1, l2 *ttfsBenchLayer
	}{{"yinyang_4-120-3", &y1, &y2}, {"mnist_784-350-10", &m1, &m2}}
	if p1, p2, ok := ttfsPretrainedYinYang(1000); ok {
		cases = append(cases, struct {
			name   string
			l1, l2 *ttfsBenchLayer
		}{"yinyang_pretrained", &p1, &p2})
	}
	for _, c := range cases {
		// "": Layer; "_record": RecordLayer, as the training's forward pass calls it;
		// "_first": FirstOutput, up to the first output spike.
		for _, mode := range []string{"", "_record", "_first"} {
			b.Run(c.name+mode, func(b *testing.B) {
				var s LayerScratch
				var fs FirstOutputScratch
				var rec1, rec2 LayerRecord
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
						ttfsET.RecordLayer(hidden[:c.l1.nOut], in, c.l1.w, &s, &rec1)
						ttfsET.RecordLayer(out, hidden, c.l2.w, &s, &rec2)
					case "_first":
						ttfsET.FirstOutput(in, c.l1.w, c.l1.nOut, bias, c.l2.w, &fs)
					default:
						ttfsET.Layer(hidden[:c.l1.nOut], in, c.l1.w, &s)
						ttfsET.Layer(out, hidden, c.l2.w, &s)
					}
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

func BenchmarkTTFSFirstSpike(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{5, 50} {
		times := make([]float64, n)
		for i := range times {
			times[i] = 0.15 + 1.85*r.Float64()
		}
		w := ttfsNormal(r, n, 3/float64(n), 0.8/float64(n))
		b.Run(map[int]string{5: "inputs=5", 50: "inputs=50"}[n], func(b *testing.B) {
			for b.Loop() {
				ttfsET.FirstSpike(times, w)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/input")
		})
	}
}
