package ttfs

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNarrowNaNSums checks that a neuron whose sums become NaN in the shared
// exponentials (+Inf from one input, −Inf from another: finite weights near the largest
// float64) goes to the per-neuron scan, which rescales the weights, rather than counting as
// silent. Expected values: FirstSpike, which takes the per-neuron scan.
func TestNarrowNaNSums(t *testing.T) {
	in := []float64{0, 0.5, 1, 40}
	// Column 0: −1e308 twice, then +1e308: a = −1e308 − 1e308·e^0.5 = −Inf, then +1e308·e = +Inf,
	// so that a is NaN from the third window on; the fourth input comes too late to matter. In
	// units of 1e308 the membrane is −κ(t) − κ(t−0.5) + κ(t−1), which rises above 0 (and so above
	// the threshold, 1e−308 in these units) near t = 27.
	col := []float64{-1e308, -1e308, 1e308, 0}
	for _, c := range []struct{ nIn, nOut int }{
		{4, 1}, {4, 9}, // few inputs: the blocks
		{30, 3}, // many inputs and few neurons: the sweep
	} {
		in, col := append([]float64(nil), in...), append([]float64(nil), col...)
		for len(in) < c.nIn {
			in, col = append(in, 40+float64(len(in))), append(col, 0)
		}
		nOut := c.nOut
		w := make([]float64, len(in)*nOut)
		for i := range in {
			w[i*nOut] = col[i]
			for j := 1; j < nOut; j++ {
				w[i*nOut+j] = 0.5 // fires at a finite time on the third input
			}
		}
		out := make([]float64, nOut)
		var s Scratch
		neuronET.Layer(out, in, w, &s)
		want := neuronET.FirstSpike(in, col)
		require.False(t, math.IsInf(want, 0), "the per-neuron scan finds the spike")
		require.Equal(t, want, out[0], "%d neurons", nOut)
	}
}

// narrowCase draws a layer for the narrow path: few inputs (at most 16) with up to 200
// neurons, or many inputs (up to 300) with at most 8 neurons, as in the Yin-Yang network
// (5 → 120, 121 → 3); times on a grid (groups of equal times) or spread, some silent; the
// neuron parameters of randomNeuron with TauMem = TauSyn and sometimes ε = 1e−6.
func narrowCase(r *rand.Rand, trial int) (p Neuron, in, w []float64, nOut int) {
	var nIn int
	switch trial % 4 {
	case 0:
		nIn, nOut = 5, 120
	case 1:
		nIn, nOut = 121, 3
	case 2:
		nIn, nOut = 1+r.IntN(16), 1+r.IntN(200)
	default:
		nIn, nOut = 17+r.IntN(284), 1+r.IntN(8)
	}
	p, in, w = recordRandomLayer(r, nIn, nOut)
	if trial%5 == 0 {
		p.Eps = 1e-6
	}
	return p, in, w, nOut
}

// TestNarrowMatchesScan runs narrow layers against FirstSpike per neuron, which takes the
// per-neuron scan with its own summation (to 1e−13 relative; the same neurons silent), and
// RecordLayer against Layer (the same bits).
func TestNarrowMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	var s Scratch
	var rec Record
	fired, silent := 0, 0
	for trial := range 400 {
		p, in, w, nOut := narrowCase(r, trial)
		out, recOut := make([]float64, nOut), make([]float64, nOut)
		p.Layer(out, in, w, &s)
		p.RecordLayer(recOut, in, w, &s, &rec)
		col := make([]float64, len(in))
		for j := range out {
			require.Equal(t, math.Float64bits(out[j]), math.Float64bits(recOut[j]), "trial %d neuron %d: RecordLayer %v, Layer %v", trial, j, recOut[j], out[j])
			for i := range col {
				col[i] = w[i*nOut+j]
			}
			want := p.FirstSpike(in, col)
			if math.IsInf(want, 1) {
				require.True(t, math.IsInf(out[j], 1), "trial %d neuron %d: Layer %v, FirstSpike +Inf", trial, j, out[j])
				silent++
				continue
			}
			require.InDelta(t, want, out[j], 1e-13*math.Max(1, math.Abs(want)), "trial %d (%d × %d) neuron %d", trial, len(in), nOut, j)
			fired++
		}
	}
	t.Logf("%d spikes, %d silent neurons", fired, silent)
	require.Greater(t, fired, 10*silent/100, "enough neurons fire to test the closed forms")
}

// narrowBitsSHA256 is the SHA-256 of what TestNarrowBitsUnchanged hashes, computed by
// that test on the narrow path as it was before it stepped the few windows in blocks and swept
// the many (commit fe37466): the rewrite changed no bit of any time, record or derivative
// factor.
const narrowBitsSHA256 = "9f15cf19a4dce591e6096773a2bd14d5ef47bc61848098912b57a8f40409f3e9"

// TestNarrowBitsUnchanged hashes the times and records of narrow layers (the cases of
// TestNarrowMatchesScan) bit by bit. A change of the hash means that the narrow path's
// arithmetic changed: the new times must then be shown to agree with the per-neuron scan
// (TestNarrowMatchesScan) and the hash renewed.
func TestNarrowBitsUnchanged(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	var s Scratch
	var rec Record
	h := sha256.New()
	put := func(v float64) { binary.Write(h, binary.LittleEndian, math.Float64bits(v)) }
	for trial := range 300 {
		p, in, w, nOut := narrowCase(r, trial)
		out := make([]float64, nOut)
		p.RecordLayer(out, in, w, &s, &rec)
		for _, v := range out {
			put(v)
		}
		if !rec.Usable() {
			put(-1)
			continue
		}
		put(rec.Origin())
		put(rec.NextTime())
		for k := range rec.Windows() {
			inputs, x, e := rec.Window(k)
			binary.Write(h, binary.LittleEndian, inputs)
			put(x)
			put(e)
		}
		for j := range nOut {
			win, g := rec.Spike(j)
			put(float64(win))
			put(g)
		}
	}
	assert.Equal(t, narrowBitsSHA256, hex.EncodeToString(h.Sum(nil)))
}

// FuzzNarrow runs the neurons of fuzzNeuron through both narrow paths (few inputs
// with up to 120 neurons in blocks; the same inputs padded with late silent ones beyond 16,
// so that 3 neurons sweep them), as layers whose columns differ so that the neurons fire in
// different windows: each column must give FirstSpike's time (to 1e−12 relative, as in
// FuzzFirstSpike) and RecordLayer the bits of Layer.
func FuzzNarrow(f *testing.F) {
	f.Add([]byte{0, 0, 0x00, 0x60})                                // #1-like: one input of weight 3
	f.Add([]byte{2, 0, 0x00, 0x40, 5, 0x00, 0xc0, 10, 0x00, 0x40}) // ε, inhibition
	f.Add([]byte{4, 3, 0x00, 0x20, 3, 0x00, 0x20, 3, 0x00, 0x20})  // ties, τs = 0.5
	f.Add([]byte{0, 255, 0x00, 0x60, 8, 0x00, 0x30})               // a silent input
	f.Add([]byte{0, 2, 0x00, 0x10, 4, 0x00, 0xf0, 9, 0x00, 0x08, 9, 0x00, 0x08, 30, 0x00, 0x7f})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, times, weights, ok := fuzzNeuron(data)
		if !ok || p.TauMem != p.TauSyn {
			return
		}
		var s Scratch
		var rec Record
		for _, c := range []struct{ nIn, nOut int }{{len(times), 120}, {max(len(times), scanInputs+1), 3}} {
			in, col := append([]float64(nil), times...), append([]float64(nil), weights...)
			for len(in) < c.nIn {
				// Late inputs that spike (so that the layer has more than 16) but weigh 0.
				in, col = append(in, 20+float64(len(in))), append(col, 0)
			}
			w := make([]float64, c.nOut*len(col))
			for i, v := range col {
				for j := range c.nOut {
					w[c.nOut*i+j] = v * (1 + 0.05*float64(j))
				}
			}
			out, recOut := make([]float64, c.nOut), make([]float64, c.nOut)
			p.Layer(out, in, w, &s)
			p.RecordLayer(recOut, in, w, &s, &rec)
			colj := make([]float64, len(col))
			for j := range c.nOut {
				if math.Float64bits(out[j]) != math.Float64bits(recOut[j]) {
					t.Fatalf("%d × %d: neuron %d: Layer %v, RecordLayer %v", len(in), c.nOut, j, out[j], recOut[j])
				}
				for i := range colj {
					colj[i] = w[c.nOut*i+j]
				}
				want := p.FirstSpike(in, colj)
				if out[j] != want && !(math.Abs(out[j]-want) <= 1e-12*math.Max(1, math.Abs(want))) {
					t.Fatalf("%d × %d: neuron %d: Layer %v, FirstSpike %v (times %v weights %v)", len(in), c.nOut, j, out[j], want, in, colj)
				}
			}
		}
	})
}
