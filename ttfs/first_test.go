package ttfs

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstOutputCase draws a two-layer network and one sample for FirstOutput: Yin-Yang-like
// (few inputs, a narrow hidden layer stepped in blocks), MNIST-like (many inputs with a large
// group of equal times, a wide hidden layer) and small odd shapes, with bias spikes, silent
// inputs, ε, hidden neurons with equal weights (equal hidden times) and, rarely, weights that
// are not finite or huge.
func firstOutputCase(r *rand.Rand, trial int) (p Neuron, in, w1 []float64, nHidden int, bias, w2 []float64) {
	p = neuronET
	if trial%4 == 1 {
		p.Eps = 1e-6
	}
	if trial%7 == 3 {
		p.TauSyn, p.TauMem, p.Threshold = 2.5, 2.5, 0.7
	}
	var nIn, nOut int
	var inScale float64
	switch trial % 3 {
	case 0: // Yin-Yang: 4 inputs and a bias, 120 hidden neurons, 3 outputs and a bias
		nIn, nHidden, nOut, inScale = 5, 120, 3, 1.5
	case 1: // MNIST: 784 pixels, 350 hidden neurons, 10 outputs
		nIn, nHidden, nOut, inScale = 784, 350, 10, 0.2
	default:
		nIn, nHidden, nOut = 1+r.IntN(40), 1+r.IntN(60), 1+r.IntN(12)
		inScale = 2 / math.Sqrt(float64(nIn))
	}
	in = make([]float64, nIn)
	for i := range in {
		switch {
		case trial%3 == 1 && r.IntN(4) != 0:
			in[i] = 2 // MNIST's background
		case r.IntN(12) == 0:
			in[i] = math.Inf(1)
		case trial%3 == 1:
			in[i] = 0.15 + 1.85*float64(r.IntN(256))/256 // pixel times: groups of equal times
		default:
			in[i] = 0.15 + 1.85*r.Float64()
		}
		if trial%5 == 2 {
			in[i] += 0.3 * r.NormFloat64() // training noise
		}
	}
	w1 = make([]float64, nIn*nHidden)
	for i := range w1 {
		w1[i] = inScale * (0.3 + r.NormFloat64())
	}
	for j := 1; j < nHidden; j += 9 { // a column equal to its left neighbour: equal hidden times
		for i := range nIn {
			w1[i*nHidden+j] = w1[i*nHidden+j-1]
		}
	}
	bias = make([]float64, r.IntN(3))
	for i := range bias {
		bias[i] = 0.2 + 1.5*r.Float64()
		if r.IntN(3) == 0 && nHidden > 0 {
			bias[i] = in[r.IntN(nIn)] // perhaps a hidden time's neighbour: a group with a bias
		}
	}
	w2 = make([]float64, (nHidden+len(bias))*nOut)
	s2 := 3 / math.Sqrt(float64(nHidden+len(bias)))
	for i := range w2 {
		w2[i] = s2 * (0.4 + r.NormFloat64())
	}
	switch r.IntN(40) {
	case 0:
		w1[r.IntN(len(w1))] = math.NaN()
	case 1:
		w2[r.IntN(len(w2))] = math.Inf(1)
	case 2:
		w1[r.IntN(len(w1))] = 1e305
	}
	return p, in, w1, nHidden, bias, w2
}

// TestFirstOutputMatchesLayer checks FirstOutput against Layer on both layers and the earliest
// output time: the same neuron and the same bits.
func TestFirstOutputMatchesLayer(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	var s FirstOutputScratch
	var ls Scratch
	spiked, silent := 0, 0
	for trial := range 900 {
		p, in, w1, nHidden, bias, w2 := firstOutputCase(r, trial)
		nOut := len(w2) / (nHidden + len(bias))
		useSums := trial%2 == 0
		s.HiddenColumnSums, s.OutputColumnSums, ls.ColumnSums = nil, nil, nil
		if useSums {
			s.HiddenColumnSums = columnSums(w1, nHidden)
			s.OutputColumnSums = columnSums(w2, nOut)
		}

		want, wantT := firstOutputByLayer(p, in, w1, nHidden, bias, w2, s.HiddenColumnSums, s.OutputColumnSums, &ls)

		got, gotT := p.FirstOutput(in, w1, nHidden, bias, w2, &s)
		require.Equal(t, want, got, "trial %d (%d-%d-%d): neuron", trial, len(in), nHidden, nOut)
		require.Equal(t, math.Float64bits(wantT), math.Float64bits(gotT), "trial %d (%d-%d-%d): time %v, want %v", trial, len(in), nHidden, nOut, gotT, wantT)
		if want >= 0 {
			spiked++
		} else {
			silent++
		}
	}
	t.Logf("%d samples with an output spike, %d without; %d stopped early, %d on Layer", spiked, silent, s.early, s.fullRuns)
	require.Greater(t, s.early, 500, "most samples stop before the hidden layer is done")
	require.Less(t, s.fullRuns, 100, "few samples take Layer")
	require.Greater(t, spiked, 600, "most samples spike, so that the early stop is tested")
	require.Greater(t, silent, 10, "some samples stay silent, so that the full run is tested")
}

func columnSums(w []float64, nOut int) []float64 {
	cs := make([]float64, nOut)
	for i := 0; i < len(w); i += nOut {
		for j, v := range w[i : i+nOut] {
			cs[j] += v
		}
	}
	return cs
}

// firstOutputByLayer is FirstOutput by Layer on both layers and the earliest output time.
func firstOutputByLayer(p Neuron, in, w1 []float64, nHidden int, bias, w2, sums1, sums2 []float64, ls *Scratch) (int, float64) {
	nOut := len(w2) / (nHidden + len(bias))
	hid := make([]float64, nHidden+len(bias))
	ls.ColumnSums = sums1
	p.Layer(hid[:nHidden], in, w1, ls)
	copy(hid[nHidden:], bias)
	out := make([]float64, nOut)
	ls.ColumnSums = sums2
	p.Layer(out, hid, w2, ls)
	best, bt := -1, math.Inf(1)
	for j, v := range out {
		if v < bt {
			best, bt = j, v
		}
	}
	return best, bt
}

// FuzzFirstOutput draws a network as TestFirstOutputMatchesLayer does from a seed and a kind,
// overwrites input times, weights and bias times with the float64 values in raw (any bits:
// NaN, ±Inf, subnormal, huge) and requires FirstOutput to give what Layer gives.
func FuzzFirstOutput(f *testing.F) {
	f.Add(uint64(1), uint8(0), []byte{})
	f.Add(uint64(2), uint8(1), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 3, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint64(3), uint8(2), []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f})
	f.Add(uint64(4), uint8(4), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f})
	f.Fuzz(func(t *testing.T, seed uint64, kind uint8, raw []byte) {
		r := rand.New(rand.NewPCG(seed, 43))
		p, in, w1, nHidden, bias, w2 := firstOutputCase(r, int(kind))
		targets := [][]float64{in, w1, w2, bias}
		for i := 0; i+8 <= len(raw) && i < 8*64; i += 8 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw[i:]))
			dst := targets[(i/8)%len(targets)]
			if len(dst) > 0 {
				dst[int(raw[i])%len(dst)] = v
			}
		}
		var s FirstOutputScratch
		var ls Scratch
		nOut := len(w2) / (nHidden + len(bias))
		if kind%2 == 0 {
			s.HiddenColumnSums, s.OutputColumnSums = columnSums(w1, nHidden), columnSums(w2, nOut)
		}
		want, wantT := firstOutputByLayer(p, in, w1, nHidden, bias, w2, s.HiddenColumnSums, s.OutputColumnSums, &ls)
		got, gotT := p.FirstOutput(in, w1, nHidden, bias, w2, &s)
		require.Equal(t, want, got, "neuron")
		require.Equal(t, math.Float64bits(wantT), math.Float64bits(gotT), "time %v, want %v", gotT, wantT)
	})
}

// TestFirstOutputAllocatesNothing: once the scratch has served one sample of a network, the
// others allocate nothing, whichever path they take.
func TestFirstOutputAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(45, 46))
	for kind := range 3 {
		p, in, w1, nHidden, bias, w2 := firstOutputCase(r, kind)
		var s FirstOutputScratch
		p.FirstOutput(in, w1, nHidden, bias, w2, &s)
		samples := make([][]float64, 8)
		for i := range samples {
			samples[i] = append([]float64(nil), in...)
			for k := range samples[i] {
				samples[i][k] += 0.3 * r.NormFloat64()
			}
		}
		i := 0
		allocs := testing.AllocsPerRun(40, func() {
			p.FirstOutput(samples[i%len(samples)], w1, nHidden, bias, w2, &s)
			i++
		})
		assert.Zero(t, allocs, "kind %d (%d-%d)", kind, len(in), nHidden)
	}
}
