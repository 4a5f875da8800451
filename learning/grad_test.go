package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"

	"github.com/firstspike/firstspike/ttfs"
)

var (
	gradET = ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	gradDT = ttfs.Neuron{TauSyn: 1, TauMem: 2, Threshold: 1, Leak: 0, GLeak: 0.5}
)

// gradVectors are the single-neuron gradients of docs/model.md §10 (mpmath, 40 digits, printed to 12
// significant digits there), at the exact spike times.
var gradVectors = []struct {
	name   string
	p      ttfs.Neuron
	t, w   []float64
	dW, dT []float64
}{
	{"ET #1", gradET, []float64{0}, []float64{3}, []float64{-0.541698060765}, []float64{1}},
	{"ET #2", gradET, []float64{0, 0.5}, []float64{2, 1.5},
		[]float64{-0.317942321837, -0.174481382051}, []float64{0.212571412623, 0.787428587377}},
	{"ET #3", gradET, []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2},
		[]float64{-0.768839692235, -0.758676938569, -0.658863337562}, []float64{-0.0456029060237, -0.0716264859889, 1.11722939201}},
	{"ET #3 unsorted", gradET, []float64{0.6, 0.1, 0.3}, []float64{2, 1.5, -0.5},
		[]float64{-0.658863337562, -0.768839692235, -0.758676938569}, []float64{1.11722939201, -0.0456029060237, -0.0716264859889}},
	{"ET #4 (second input non-causal)", gradET, []float64{0, 2}, []float64{4, 1}, []float64{-0.139046296439, 0}, []float64{1, 0}},
	{"ET #5 (silent)", gradET, []float64{0, 1}, []float64{1, 1}, []float64{0, 0}, []float64{0, 0}},
	{"ET #6", gradET, []float64{0, 0.3}, []float64{3, 0.5},
		[]float64{-0.251517199259, -0.138537424817}, []float64{0.734309909308, 0.265690090692}},
	{"ET #7 (silent)", gradET, []float64{0, 0.3}, []float64{3, -2}, []float64{0, 0}, []float64{0, 0}},
	{"DT one input", gradDT, []float64{0}, []float64{5}, []float64{-0.0581988897472}, []float64{1}},
	{"DT two inputs", gradDT, []float64{0, 0.4}, []float64{3, 2},
		[]float64{-0.0923700700494, -0.0090889967262}, []float64{0.436834941695, 0.563165058305}},
}

func TestNeuronGradSpecVectors(t *testing.T) {
	for _, v := range gradVectors {
		tOut := v.p.FirstSpike(v.t, v.w)
		dW, dT := make([]float64, len(v.t)), make([]float64, len(v.t))
		NeuronGrad(v.p, v.t, v.w, tOut, dW, dT)
		for i := range v.t {
			assert.InDelta(t, v.dW[i], dW[i], 1e-11, "%s ∂t/∂w[%d]", v.name, i)
			assert.InDelta(t, v.dT[i], dT[i], 1e-11, "%s ∂t/∂t[%d]", v.name, i)
		}
		if !math.IsInf(tOut, 1) {
			assert.InDelta(t, 1, gradSum(dT), 1e-14, "%s: Σ ∂t/∂t_i = 1", v.name)
		}
	}
}

// TestNeuronGradReferenceForms checks the reference's formulas where they differ from the
// derivative of the exact spike time: with ε = 1e-6 (added to b, or to A1 and A2 for DT) and
// at output times that are not exact crossings (Euler-grid times such as 0.75, docs/model.md §3). The
// expected values are the reference's formulas evaluated with mpmath at 40 digits.
func TestNeuronGradReferenceForms(t *testing.T) {
	eps := func(p ttfs.Neuron) ttfs.Neuron { p.Eps = 1e-6; return p }
	tests := []struct {
		name   string
		p      ttfs.Neuron
		t, w   []float64
		tOut   float64
		dW, dT []float64
	}{
		{"ET #2 with eps", eps(gradET), []float64{0, 0.5}, []float64{2, 1.5}, 0.74946132907366113448,
			[]float64{-0.31794262287575817, -0.17448174521100045}, []float64{0.21257113362895744, 0.78742844214285287}},
		{"ET #2 at grid time 0.75", gradET, []float64{0, 0.5}, []float64{2, 1.5}, 0.75,
			[]float64{-0.3181710211112627, -0.17485844340883945}, []float64{0.21211401407417513, 0.78686299533977751}},
		{"ET #3 at grid time 1.13", gradET, []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.13,
			[]float64{-0.76059088753254394, -0.74860182575427649, -0.64526335779132512},
			[]float64{-0.033229698969868425, -0.076664042396522291, 1.1444293515544257}},
		{"DT two inputs with eps", eps(gradDT), []float64{0, 0.4}, []float64{3, 2}, 0.43151636000892130855,
			[]float64{-0.092370017346829799, -0.0090889504893830565}, []float64{0.43683492016006876, 0.56316500450146556}},
		{"DT two inputs at grid time 0.44", gradDT, []float64{0, 0.4}, []float64{3, 2}, 0.44,
			[]float64{-0.092160285597548865, -0.0087760350997340813}, []float64{0.437464295050467, 0.56379098155803864}},
	}
	for _, tc := range tests {
		dW, dT := make([]float64, len(tc.t)), make([]float64, len(tc.t))
		NeuronGrad(tc.p, tc.t, tc.w, tc.tOut, dW, dT)
		for i := range tc.t {
			assert.InDelta(t, tc.dW[i], dW[i], 1e-15, "%s ∂t/∂w[%d]", tc.name, i)
			assert.InDelta(t, tc.dT[i], dT[i], 2e-15, "%s ∂t/∂t[%d]", tc.name, i)
		}
	}
}

func TestNeuronGradSpecialCases(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name string
		t, w []float64
		tOut float64
	}{
		{"silent output", []float64{0, 0.5}, []float64{2, 1.5}, inf},
		{"output before every input", []float64{1, 2}, []float64{2, 1.5}, 0.5},
		{"causal set cannot reach threshold (z < −1/e)", []float64{0, 0.5}, []float64{1, 0.2}, 1},
		{"only silent and NaN inputs", []float64{inf, math.NaN()}, []float64{2, 1.5}, 1},
		{"zero weights (a = 0)", []float64{0, 0.5}, []float64{0, 0}, 1},
	}
	for _, tc := range tests {
		dW, dT := []float64{7, 7}, []float64{7, 7}
		NeuronGrad(gradET, tc.t, tc.w, tc.tOut, dW, dT)
		assert.Equal(t, []float64{0, 0}, dW, tc.name)
		assert.Equal(t, []float64{0, 0}, dT, tc.name)
	}
	// The tangential touch: one input of weight e reaches threshold exactly at its peak, where
	// the derivative is infinite; NeuronGrad returns zeros rather than ±Inf.
	dW, dT := make([]float64, 1), make([]float64, 1)
	NeuronGrad(gradET, []float64{0}, []float64{math.E}, 1, dW, dT)
	assert.False(t, math.IsNaN(dW[0]) || math.IsInf(dW[0], 0) || math.IsNaN(dT[0]) || math.IsInf(dT[0], 0), "tangential touch: %v %v", dW, dT)

	assert.PanicsWithValue(t, "learning: NeuronGrad: 2 input times, 1 weights, len(dW) = 0, len(dTin) = 1",
		func() { NeuronGrad(gradET, []float64{0, 1}, []float64{1}, 1, dW[:0:0], dT) })
}

func gradSum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// gradRandomNeuron draws a neuron that fires, with input times away from its spike time (so
// that small perturbations keep the causal set) and away from a tangential touch.
func gradRandomNeuron(r *rand.Rand, p ttfs.Neuron) (times, weights []float64, tOut float64) {
	for {
		n := 1 + r.IntN(12)
		times, weights = make([]float64, n), make([]float64, n)
		for i := range times {
			times[i] = 3 * r.Float64()
			weights[i] = (0.8 + 1.2*r.NormFloat64()) * 2.5 / math.Sqrt(float64(n))
			if r.IntN(8) == 0 {
				times[i] = math.Inf(1)
			}
		}
		tOut = p.FirstSpike(times, weights)
		if math.IsInf(tOut, 1) {
			continue
		}
		ok := true
		for _, ti := range times {
			ok = ok && math.Abs(tOut-ti) > 1e-3
		}
		dW, dT := make([]float64, n), make([]float64, n)
		NeuronGrad(p, times, weights, tOut, dW, dT)
		for i := range dT {
			ok = ok && math.Abs(dT[i]) < 50 && math.Abs(dW[i]) < 50 // not nearly tangential
		}
		if ok {
			return times, weights, tOut
		}
	}
}

// TestNeuronGradMatchesFiniteDifferences compares the derivatives with central differences
// of the forward kernel (gonum's diff/fd) on random neurons, and checks Σ_i ∂t/∂t_i = 1
// (moving every input by the same amount moves the spike by that amount).
func TestNeuronGradMatchesFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	central := &fd.Settings{Formula: fd.Central, Step: 1e-6}
	for _, p := range []ttfs.Neuron{gradET, gradDT, {TauSyn: 0.5, TauMem: 0.5, Threshold: 0.8, Leak: -0.2, GLeak: 1.5}} {
		for range 200 {
			times, weights, tOut := gradRandomNeuron(r, p)
			n := len(times)
			dW, dT := make([]float64, n), make([]float64, n)
			NeuronGrad(p, times, weights, tOut, dW, dT)
			fdW := fd.Gradient(nil, func(w []float64) float64 { return p.FirstSpike(times, w) }, weights, central)
			fdT := fd.Gradient(nil, func(ts []float64) float64 { return p.FirstSpike(ts, weights) }, times, central)
			causalSum := 0.0
			for i := range n {
				if math.IsInf(times[i], 1) {
					continue
				}
				require.InDelta(t, fdW[i], dW[i], 2e-6*(1+math.Abs(dW[i])), "∂t/∂w[%d] of %v %v (τs %v)", i, times, weights, p.TauSyn)
				require.InDelta(t, fdT[i], dT[i], 2e-6*(1+math.Abs(dT[i])), "∂t/∂t[%d] of %v %v (τs %v)", i, times, weights, p.TauSyn)
				causalSum += dT[i]
			}
			require.InDelta(t, 1, causalSum, 1e-11, "Σ ∂t/∂t_i for %v %v", times, weights)
		}
	}
}

// TestLayerBackwardVector11 is the backward pass of docs/model.md §10 #11: the output errors
// ∂L/∂t_out = (2.264297714, −2.242870806) give the layer-2 weight gradient, ∂L/∂t_hidden and
// the layer-1 weight gradient (bias input in the last row); with max_dw_norm = 0.2 both columns
// of ∂L/∂W2 are dropped (column maxima 0.2176 and 0.2963) and nothing else changes.
func TestLayerBackwardVector11(t *testing.T) {
	w1 := []float64{ // rows in0, in1, bias; columns h0, h1, h2
		1.5, 2.0, 1.0,
		2.0, -0.5, 1.8,
		1.0, 1.5, 1.5,
	}
	w2 := []float64{ // rows h0, h1, h2, bias; columns o0, o1
		2.0, 1.0,
		1.5, 1.5,
		1.0, 1.2,
		1.0, 1.0,
	}
	var fs ttfs.Scratch
	in1 := []float64{0.5, 1.2, 0.9}
	hidden := make([]float64, 3)
	gradET.Layer(hidden, in1, w1, &fs)
	in2 := append(append([]float64(nil), hidden...), 0.9)
	out := make([]float64, 2)
	gradET.Layer(out, in2, w2, &fs)
	for j, want := range []float64{1.30544319669, 1.17440873195, 1.33654887893} {
		require.InDelta(t, want, hidden[j], 1e-11, "hidden %d", j)
	}
	for j, want := range []float64{1.45520958421, 1.49649625141} {
		require.InDelta(t, want, out[j], 1e-11, "output %d", j)
	}
	dOut := []float64{2.264297714, -2.242870806}
	wantW2 := []float64{-0.08802496948, 0.1423682198, -0.144771277, 0.2105355408, -0.07194613698, 0.1229547199, -0.2175538334, 0.2963364298}
	wantHidden := []float64{0.3966389196, -0.1084942411, -0.2405461607}
	wantW1 := []float64{-0.0668118008, 0.03216431025, 0.04418620365, -0.0176133904, 0, 0.01452411385, -0.05017253796, 0.01952390913, 0.03439901749}
	var s BackwardScratch
	for _, maxDw := range []float64{0, math.Inf(1), 0.2} {
		g2, d2 := make([]float64, 8), make([]float64, 4)
		LayerBackward(gradET, in2, out, w2, dOut, maxDw, g2, d2, &s)
		g1, d1 := make([]float64, 9), make([]float64, 3)
		LayerBackward(gradET, in1, hidden, w1, d2[:3], maxDw, g1, d1, &s)
		for k := range wantW2 {
			want := wantW2[k]
			if maxDw == 0.2 {
				want = 0
			}
			// The values of docs/model.md §10 are printed to 10 digits, and so are ∂L/∂t_out.
			assert.InDelta(t, want, g2[k], 2e-10, "max_dw_norm %v: ∂L/∂W2[%d][%d]", maxDw, k/2, k%2)
		}
		for j, want := range wantHidden {
			assert.InDelta(t, want, d2[j], 2e-10, "max_dw_norm %v: ∂L/∂t_hidden[%d]", maxDw, j)
		}
		for k, want := range wantW1 {
			assert.InDelta(t, want, g1[k], 2e-10, "max_dw_norm %v: ∂L/∂W1[%d][%d]", maxDw, k/3, k%3)
		}
	}
}

// gradLayerByNeuron is LayerBackward composed from NeuronGrad, column by column.
func gradLayerByNeuron(p ttfs.Neuron, in, out, w, delta []float64, maxDwNorm float64, gW, deltaIn []float64) {
	n, m := len(in), len(out)
	clear(deltaIn)
	col, dW, dT := make([]float64, n), make([]float64, n), make([]float64, n)
	for j := range m {
		d := delta[j]
		if math.IsNaN(d) || math.IsInf(d, 0) {
			d = 0
		}
		for i := range n {
			col[i] = w[i*m+j]
		}
		NeuronGrad(p, in, col, out[j], dW, dT)
		big := 0.0
		for i := range n {
			big = max(big, math.Abs(dW[i]*d))
			deltaIn[i] += dT[i] * d
		}
		if maxDwNorm > 0 && !math.IsInf(maxDwNorm, 1) && big > maxDwNorm {
			continue
		}
		for i := range n {
			gW[i*m+j] += dW[i] * d
		}
	}
}

// TestLayerBackwardMatchesNeuronGrad runs random layers (silent inputs and outputs, ties, NaN
// and zero errors, both ratios, ε, the column drop, inputs spread over 1000 τs, weights that
// overflow the shared sums) against the per-neuron composition.
func TestLayerBackwardMatchesNeuronGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	var s BackwardScratch
	var fs ttfs.Scratch
	for trial := range 120 {
		p := []ttfs.Neuron{gradET, gradDT}[trial%2]
		if trial%3 == 0 {
			p.Eps = 1e-6
		}
		n, m := 1+r.IntN(120), 1+r.IntN(25)
		in := make([]float64, n)
		for i := range in {
			switch r.IntN(6) {
			case 0:
				in[i] = math.Inf(1)
			case 1:
				in[i] = 2
			default:
				in[i] = 3 * r.Float64()
			}
		}
		if trial%10 == 7 {
			in[0] = -1000 // spread beyond backwardMaxSpread: per-neuron frames
		}
		w := make([]float64, n*m)
		for i := range w {
			w[i] = (0.3 + r.NormFloat64()) * 4 / math.Sqrt(float64(n))
			if trial%10 == 9 && i < m {
				w[i] *= 1e300 // the shared sums overflow for these neurons
			}
		}
		out := make([]float64, m)
		p.Layer(out, in, w, &fs)
		if trial%4 == 1 {
			out[0] += 0.01 // recorded elsewhere: not an exact crossing
		}
		delta := make([]float64, m)
		for j := range delta {
			delta[j] = r.NormFloat64()
			switch r.IntN(8) {
			case 0:
				delta[j] = math.NaN()
			case 1:
				delta[j] = 0
			}
		}
		maxDw := []float64{0, 0.2, math.Inf(1), 0.05}[trial%4]
		g0 := make([]float64, n*m)
		for i := range g0 {
			g0[i] = r.Float64() // LayerBackward adds to gW
		}
		gWant, dWant := append([]float64(nil), g0...), make([]float64, n)
		gradLayerByNeuron(p, in, out, w, delta, maxDw, gWant, dWant)
		gGot, dGot := append([]float64(nil), g0...), make([]float64, n)
		LayerBackward(p, in, out, w, delta, maxDw, gGot, dGot, &s)
		for k := range gWant {
			require.InDelta(t, gWant[k], gGot[k], 1e-12*(1+math.Abs(gWant[k])), "trial %d: gW[%d][%d]", trial, k/m, k%m)
		}
		for i := range dWant {
			require.InDelta(t, dWant[i], dGot[i], 1e-12*(1+math.Abs(dWant[i])), "trial %d: ∂L/∂in[%d]", trial, i)
		}
		gNil := append([]float64(nil), g0...)
		LayerBackward(p, in, out, w, delta, maxDw, gNil, nil, &s)
		require.Equal(t, gGot, gNil, "trial %d: deltaIn = nil changes gW", trial)
	}
}

func TestLayerBackwardAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	in, w := make([]float64, 200), make([]float64, 200*40)
	for i := range in {
		in[i] = 3 * r.Float64()
	}
	for i := range w {
		w[i] = 0.05 + 0.8*r.NormFloat64()
	}
	out, delta := make([]float64, 40), make([]float64, 40)
	var fs ttfs.Scratch
	gradET.Layer(out, in, w, &fs)
	for j := range delta {
		delta[j] = r.NormFloat64()
	}
	gW, dIn := make([]float64, len(w)), make([]float64, len(in))
	var s BackwardScratch
	LayerBackward(gradET, in, out, w, delta, 0.2, gW, dIn, &s)
	assert.Zero(t, testing.AllocsPerRun(20, func() { LayerBackward(gradET, in, out, w, delta, 0.2, gW, dIn, &s) }))
}

func TestLayerBackwardPanicsOnShapes(t *testing.T) {
	var s BackwardScratch
	assert.PanicsWithValue(t, "learning: LayerBackward: n = 2 inputs, m = 1 outputs: len(w) = 2, len(delta) = 1, len(gW) = 1, len(deltaIn) = 2",
		func() {
			LayerBackward(gradET, []float64{0, 1}, []float64{1}, []float64{1, 1}, []float64{1}, 0, []float64{0}, []float64{0, 0}, &s)
		})
	bad := gradET
	bad.TauMem = 3
	assert.Panics(t, func() {
		LayerBackward(bad, []float64{0}, []float64{1}, []float64{1}, []float64{1}, 0, []float64{0}, []float64{0}, &s)
	})
}
