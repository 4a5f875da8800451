package ttfs

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/internal/npy"
)

var (
	neuronET = Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	neuronDT = Neuron{TauSyn: 1, TauMem: 2, Threshold: 1, Leak: 0, GLeak: 0.5}
	inf      = math.Inf(1)
)

// specVectors are the test vectors of docs/model.md §10 (the "eps" column is the time with b += 1e-6,
// or A1 += 1e-6 for DT), given there to 15 digits; the values here are the same closed forms
// re-evaluated with mpmath at 40 digits and printed to 17–20, the eps-free ones confirmed by
// mpmath's findroot on the membrane sum.
var specVectors = []struct {
	name     string
	p        Neuron
	t, w     []float64
	out, eps float64
}{
	{"ET #1", neuronET, []float64{0}, []float64{3}, 0.61906128673594511215, 0.6190621617679613622},
	{"ET #2", neuronET, []float64{0, 0.5}, []float64{2, 1.5}, 0.7494609048455522152, 0.74946132907366113448},
	{"ET #3", neuronET, []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.1411706161392124499, 1.1411712843057908658},
	{"ET #3 unsorted", neuronET, []float64{0.6, 0.1, 0.3}, []float64{2, 1.5, -0.5}, 1.1411706161392124499, 1.1411712843057908658},
	{"ET #4", neuronET, []float64{0, 2}, []float64{4, 1}, 0.35740295618138890307, 0.35740334522772743291},
	{"ET #5 (peak 0.658)", neuronET, []float64{0, 1}, []float64{1, 1}, inf, inf},
	{"ET #6", neuronET, []float64{0, 0.3}, []float64{3, 0.5}, 0.50679770696360587713, 0.50679820325087635962},
	{"ET #7 (inhibited)", neuronET, []float64{0, 0.3}, []float64{3, -2}, inf, inf},
	{"DT one input", neuronDT, []float64{0}, []float64{5}, 0.23914802409848513729, 0.2391484822973376712},
	{"DT two inputs", neuronDT, []float64{0, 0.4}, []float64{3, 2}, 0.43151597641558271939, 0.43151636000892130855},
}

func TestSpecVectors(t *testing.T) {
	var s Scratch
	out := make([]float64, 1)
	for _, v := range specVectors {
		for _, eps := range []float64{0, 1e-6} {
			p := v.p
			p.Eps = eps
			want := v.out
			if eps != 0 {
				want = v.eps
			}
			p.Layer(out, v.t, v.w, &s)
			for name, got := range map[string]float64{"FirstSpike": p.FirstSpike(v.t, v.w), "Layer": out[0]} {
				if math.IsInf(want, 1) {
					assert.True(t, math.IsInf(got, 1), "%s %s eps=%v: got %v, want +Inf", name, v.name, eps, got)
					continue
				}
				// A few ulp: the exponentials of the input times are rounded, and that moves the
				// membrane, hence the crossing, by a few ulp too.
				assert.InDelta(t, want, got, 1e-15, "%s %s eps=%v", name, v.name, eps)
			}
		}
	}
}

// TestUnitsAndScaling checks the time unit and the threshold constant: scaling all times
// and τs by k scales the spike time by k, and scaling the weights and g_l(ϑ − E_l) together
// leaves it unchanged (the threshold condition is Σ w κ = g_l(ϑ − E_l), docs/model.md §1).
func TestUnitsAndScaling(t *testing.T) {
	for _, v := range specVectors {
		if math.IsInf(v.out, 1) {
			continue
		}
		k := 2.5
		p := v.p
		p.TauSyn, p.TauMem = k*p.TauSyn, k*p.TauMem
		ts := make([]float64, len(v.t))
		for i := range ts {
			ts[i] = k * v.t[i]
		}
		assert.InDelta(t, k*v.out, p.FirstSpike(ts, v.w), 1e-14, "%s with τs = %v", v.name, p.TauSyn)

		p = v.p
		p.Threshold, p.Leak, p.GLeak = 0.3, -0.9, 2*p.GLeak // g_l(ϑ − E_l) = 2.4 × the original
		ws := make([]float64, len(v.w))
		for i := range ws {
			ws[i] = 2.4 * v.w[i]
		}
		assert.InDelta(t, v.out, p.FirstSpike(v.t, ws), 1e-14, "%s with ϑ, E_l, g_l changed", v.name)
	}
}

func TestValidate(t *testing.T) {
	require.NoError(t, neuronET.Validate())
	require.NoError(t, neuronDT.Validate())
	ok := func(f func(*Neuron)) Neuron {
		p := neuronET
		f(&p)
		return p
	}
	tests := []struct {
		p    Neuron
		want string
	}{
		{ok(func(p *Neuron) { p.TauSyn = 0 }), "ttfs: TauSyn = 0: must be positive"},
		{ok(func(p *Neuron) { p.TauSyn = math.NaN() }), "ttfs: TauSyn = NaN"},
		{ok(func(p *Neuron) { p.TauMem = inf }), "ttfs: TauMem = +Inf"},
		{ok(func(p *Neuron) { p.TauMem = 1.5 }), "ttfs: TauMem = 1.5: the first-spike kernel needs TauMem = TauSyn (1) or TauMem = 2·TauSyn (2)"},
		{ok(func(p *Neuron) { p.GLeak = -1 }), "ttfs: GLeak = -1"},
		{ok(func(p *Neuron) { p.Threshold = math.NaN() }), "ttfs: Threshold = NaN: must be finite"},
		{ok(func(p *Neuron) { p.Leak = math.Inf(-1) }), "ttfs: Leak = -Inf: must be finite"},
		{ok(func(p *Neuron) { p.Threshold = -0.5 }), "ttfs: Threshold = -0.5: must exceed Leak = 0"},
		{ok(func(p *Neuron) { p.GLeak, p.Threshold, p.Leak = 1e300, 1e300, -1e300 }), "ttfs: GLeak·(Threshold − Leak)"},
		{ok(func(p *Neuron) { p.Eps = -1e-6 }), "ttfs: Eps = -1e-06: must be finite and non-negative"},
		{ok(func(p *Neuron) { p.Eps = math.NaN() }), "ttfs: Eps = NaN"},
	}
	for _, tc := range tests {
		err := tc.p.Validate()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func TestMisusePanics(t *testing.T) {
	var s Scratch
	assert.PanicsWithValue(t, "ttfs: Neuron.FirstSpike: 2 times and 1 weights", func() { neuronET.FirstSpike([]float64{0, 1}, []float64{1}) })
	assert.PanicsWithValue(t, "ttfs: Neuron.Layer: len(w) = 3, want 2 inputs × 2 outputs", func() { neuronET.Layer(make([]float64, 2), []float64{0, 1}, make([]float64, 3), &s) })
	bad := neuronET
	bad.TauMem = 3
	assert.Panics(t, func() { bad.FirstSpike(nil, nil) })
}

// TestSpecialInputs covers the documented special cases.
func TestSpecialInputs(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		t, w []float64
		want float64
	}{
		{"no inputs", nil, nil, inf},
		{"all silent", []float64{inf, inf}, []float64{3, 3}, inf},
		{"silent input ignored", []float64{inf, 0}, []float64{-100, 3}, 0.619061286735945},
		{"NaN and -Inf times ignored", []float64{nan, 0, math.Inf(-1)}, []float64{-100, 3, -100}, 0.619061286735945},
		{"NaN weight on a silent input", []float64{inf, 0}, []float64{nan, 3}, 0.619061286735945},
		{"NaN weight", []float64{0, 0.5}, []float64{3, nan}, inf},
		{"infinite weight", []float64{0, 0.5}, []float64{3, inf}, inf},
		{"zero weights", []float64{0, 1}, []float64{0, 0}, inf},
		// Ties form one window: three inputs at 0 of total weight 3 are #1.
		{"ties", []float64{0, 0, 0, 2}, []float64{1, 1.5, 0.5, -1}, 0.619061286735945},
		{"signed zero", []float64{math.Copysign(0, -1), 0}, []float64{2, 1}, 0.619061286735945},
	}
	var s Scratch
	out, out12 := make([]float64, 1), make([]float64, 12)
	for _, tc := range tests {
		neuronET.Layer(out, tc.t, tc.w, &s)
		w12 := make([]float64, 12*len(tc.w))
		for i, v := range tc.w {
			for j := range 12 {
				w12[12*i+j] = v
			}
		}
		neuronET.Layer(out12, tc.t, w12, &s)
		for name, got := range map[string]float64{"FirstSpike": neuronET.FirstSpike(tc.t, tc.w), "Layer": out[0], "Layer (12 outputs)": out12[11]} {
			if math.IsInf(tc.want, 1) {
				assert.True(t, math.IsInf(got, 1), "%s %s: got %v", name, tc.name, got)
			} else {
				assert.InDelta(t, tc.want, got, 2e-15, "%s %s", name, tc.name)
			}
		}
	}
	neuronET.Layer(nil, []float64{0}, nil, &s) // no outputs: nothing to do
}

// TestRobustPaths exercises the per-neuron scan that Layer falls back to: inputs spread
// over more than 300 τs, sums that overflow, and ε that overflows in the frame of a very early
// input. Expected values are docs/model.md §10 #1 and #2, shifted in time: an input 250 τs or more
// before the others adds at most 250·e^−250 of its weight to the membrane, far below rounding.
func TestRobustPaths(t *testing.T) {
	huge := Neuron{TauSyn: 1, TauMem: 1, Threshold: 0x1p900, GLeak: 1} // c = 2^900
	const s900 = 0x1p900
	tests := []struct {
		name string
		p    Neuron
		t, w []float64
		want float64
	}{
		{"spread 1000", neuronET, []float64{0, 1000}, []float64{0.5, 3}, 1000.619061286735945},
		{"spread 1000 DT", neuronDT, []float64{0, 1000}, []float64{0.5, 5}, 1000.239148024098485},
		{"sums overflow", huge, []float64{0, 250}, []float64{0.5 * s900, 3 * s900}, 250.619061286735945},
		{"sums overflow before the spike", huge, []float64{0, 250, 250.5}, []float64{0.5 * s900, 2 * s900, 1.5 * s900}, 250.749460904845552},
		{"early spike, later overflow", huge, []float64{0, 0.5, 250}, []float64{2 * s900, 1.5 * s900, 3 * s900}, 0.749460904845552},
		{"sums overflow to NaN", huge, []float64{0, 250, 251}, []float64{0.5 * s900, 3 * s900, -3 * s900}, 250.619061286735945},
		{"input at -800", neuronET, []float64{-800, 0}, []float64{0.5, 3}, 0.619061286735945},
		{"input at -800 with eps", Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, GLeak: 1, Eps: 1e-6}, []float64{-800, 0}, []float64{0.5, 3}, 0.619062161767961},
		{"huge times", neuronET, []float64{1e15, 1e15 + 0.5}, []float64{2, 1.5}, 1e15 + 0.749460904845552},
	}
	var s Scratch
	for _, tc := range tests {
		assert.InDelta(t, tc.want, tc.p.FirstSpike(tc.t, tc.w), 1e-12*math.Max(1, math.Abs(tc.want)), "FirstSpike %s", tc.name)
		for _, nOut := range []int{3, 12} {
			out := make([]float64, nOut)
			w := make([]float64, nOut*len(tc.w))
			for i, v := range tc.w {
				w[nOut*i] = v
				for j := 1; j < nOut; j++ {
					w[nOut*i+j] = -math.Abs(v) // the other columns never fire
				}
			}
			tc.p.Layer(out, tc.t, w, &s)
			assert.InDelta(t, tc.want, out[0], 1e-12*math.Max(1, math.Abs(tc.want)), "Layer %s with %d outputs", tc.name, nOut)
			for j := 1; j < nOut; j++ {
				assert.True(t, math.IsInf(out[j], 1), "Layer %s: silent column %d gave %v", tc.name, j, out[j])
			}
		}
	}
}

// membrane evaluates Σ_i w_i κ(t − t_i) − ε·e^(−t/τs) directly from the PSP kernels of
// docs/model.md §1 (the ε term is the reference's b += ε, or A1 += ε, in unshifted time).
func membrane(p Neuron, times, weights []float64, t float64) float64 {
	v := -p.Eps * math.Exp(-t/p.TauSyn)
	for i, ti := range times {
		if math.IsInf(ti, 0) || math.IsNaN(ti) || ti > t {
			continue
		}
		s := t - ti
		if p.TauMem == p.TauSyn {
			v += weights[i] * s / p.TauSyn * math.Exp(-s/p.TauSyn)
		} else {
			v += weights[i] * (math.Exp(-s/p.TauMem) - math.Exp(-s/p.TauSyn))
		}
	}
	return v
}

// brute is the brute-force reference: it scans the membrane on a grid of step 0.005·τs
// from the first input on and refines the first grid step that reaches threshold by
// bisection. It stops, returning +Inf, once it is past the last input by more than the time
// of the PSP kernel's peak (2·τs covers both ratios) and the bound Σ|w_i|·κ(t − t_i), which
// only decreases from then on, is below threshold. It also returns the height of the first
// grid point above threshold (small for a nearly tangential crossing).
func brute(p Neuron, times, weights []float64) (tc, excess float64) {
	c := p.GLeak * (p.Threshold - p.Leak)
	lo, hi := inf, math.Inf(-1)
	for _, t := range times {
		if !math.IsInf(t, 0) && !math.IsNaN(t) {
			lo, hi = min(lo, t), max(hi, t)
		}
	}
	if math.IsInf(lo, 1) {
		return inf, 0
	}
	abs := make([]float64, len(weights))
	for i, w := range weights {
		abs[i] = math.Abs(w)
	}
	bound := p
	bound.Eps = 0
	h := 0.005 * p.TauSyn
	prev := lo
	for k := 1; ; k++ {
		t := lo + float64(k)*h
		if v := membrane(p, times, weights, t); v >= c {
			a, b := prev, t
			for range 100 {
				m := (a + b) / 2
				if m <= a || m >= b {
					break
				}
				if membrane(p, times, weights, m) >= c {
					b = m
				} else {
					a = m
				}
			}
			return b, v - c
		}
		if t > hi+2*p.TauSyn && membrane(bound, times, abs, t) < c {
			return inf, 0
		}
		prev = t
	}
}

// checkBrute compares a kernel result with the brute force. It returns whether the case
// was too close to tangential to decide (the grid peak exceeds threshold by < 1e-9).
func checkBrute(t *testing.T, name string, p Neuron, times, weights []float64, got float64) (illConditioned bool) {
	t.Helper()
	c := p.GLeak * (p.Threshold - p.Leak)
	if math.IsNaN(got) {
		t.Fatalf("%s: NaN for times %v weights %v", name, times, weights)
	}
	want, excess := brute(p, times, weights)
	tol := 1e-9 * p.TauSyn
	onThreshold := func() bool {
		return math.Abs(membrane(p, times, weights, got)-c) <= 1e-9*c
	}
	switch {
	case math.IsInf(want, 1) && math.IsInf(got, 1):
	case math.IsInf(want, 1):
		// A crossing the grid stepped over (a peak narrower than the grid step).
		if !onThreshold() {
			t.Fatalf("%s: spike at %v where the membrane is %v ≠ %v; brute force finds none (times %v weights %v)",
				name, got, membrane(p, times, weights, got), c, times, weights)
		}
	case got <= want+tol:
		if got < want-tol && !onThreshold() {
			t.Fatalf("%s: spike at %v before the brute-force crossing %v, membrane %v ≠ %v (times %v weights %v)",
				name, got, want, membrane(p, times, weights, got), c, times, weights)
		}
	case excess < 1e-9*c:
		return true
	default:
		t.Fatalf("%s: %v, brute force %v (membrane exceeds threshold by %v there; times %v weights %v)",
			name, got, want, excess, times, weights)
	}
	return false
}

// randomNeuron draws parameters and inputs that exercise ties, silent inputs and
// inhibition.
func randomNeuron(r *rand.Rand) (p Neuron, times, weights []float64) {
	tau := []float64{1, 0.5, 2.5}[r.IntN(3)]
	p = Neuron{TauSyn: tau, TauMem: tau, Threshold: 1, GLeak: 1}
	if r.IntN(2) == 0 {
		p.TauMem = 2 * tau
		p.GLeak = 0.5
	}
	if r.IntN(4) == 0 {
		p.Threshold, p.Leak, p.GLeak = 0.4, -0.3, 2*p.GLeak
	}
	if r.IntN(3) == 0 {
		p.Eps = 1e-6
	}
	n := 1 + r.IntN(50)
	times, weights = make([]float64, n), make([]float64, n)
	mean, sd := []float64{0.8, 0.3, 1.5}[r.IntN(3)], []float64{1.5, 1, 0.5}[r.IntN(3)]
	grid := r.IntN(3) == 0 // many ties
	for i := range times {
		switch {
		case r.IntN(10) == 0:
			times[i] = inf
		case grid:
			times[i] = 0.25 * float64(r.IntN(13)) * tau
		default:
			times[i] = 3 * r.Float64() * tau
		}
		weights[i] = (mean + sd*r.NormFloat64()) * p.GLeak * (p.Threshold - p.Leak) / math.Sqrt(float64(n))
	}
	return p, times, weights
}

// TestMatchesBruteForce compares FirstSpike and Layer with the brute force on random
// neurons (1–50 inputs, mixed signs, silent inputs, ties, both ratios, ε on and off, τs ≠ 1,
// threshold constants ≠ 1).
func TestMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s Scratch
	out, out12 := make([]float64, 1), make([]float64, 12)
	n, fired, ill := 1000, 0, 0
	if testing.Short() {
		n = 200
	}
	for range n {
		p, times, weights := randomNeuron(r)
		got := p.FirstSpike(times, weights)
		if checkBrute(t, "FirstSpike", p, times, weights, got) {
			ill++
		}
		// Layer with this neuron alone and as the first of twelve.
		p.Layer(out, times, weights, &s)
		w12 := make([]float64, 12*len(weights))
		for i, v := range weights {
			for j := range 12 {
				w12[12*i+j] = v * (1 + 0.05*float64(j))
			}
		}
		p.Layer(out12, times, w12, &s)
		for _, l := range []float64{out[0], out12[0]} {
			if l != got && !(math.Abs(l-got) <= 1e-13*math.Max(1, math.Abs(got))) {
				t.Fatalf("Layer %v ≠ FirstSpike %v (times %v weights %v)", l, got, times, weights)
			}
		}
		if !math.IsInf(got, 1) {
			fired++
		}
	}
	t.Logf("%d neurons, %d fired, %d nearly tangential", n, fired, ill)
	assert.Greater(t, fired, n/4, "the random neurons should fire often enough to test something")
	assert.Less(t, ill, n/100)
}

// TestLayerMatchesFirstSpike runs whole layers (shared inputs, the compacted active list,
// groups of equal times) against FirstSpike per column.
func TestLayerMatchesFirstSpike(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var s Scratch
	for trial := range 60 {
		p := []Neuron{neuronET, neuronDT}[trial%2]
		if trial%3 == 0 {
			p.Eps = 1e-6
		}
		nIn, nOut := 1+r.IntN(300), 1+r.IntN(40)
		in := make([]float64, nIn)
		for i := range in {
			switch r.IntN(5) {
			case 0:
				in[i] = 2 // MNIST background: a large group of equal times
			case 1:
				in[i] = inf
			default:
				in[i] = 0.15 + 1.85*float64(r.IntN(256))/256
			}
		}
		w := make([]float64, nIn*nOut)
		for i := range w {
			w[i] = (0.05 + 0.8*r.NormFloat64()) * 3 / math.Sqrt(float64(nIn))
		}
		out := make([]float64, nOut)
		p.Layer(out, in, w, &s)
		col := make([]float64, nIn)
		for j := range out {
			for i := range col {
				col[i] = w[i*nOut+j]
			}
			want := p.FirstSpike(in, col)
			if math.IsInf(want, 1) {
				require.True(t, math.IsInf(out[j], 1), "trial %d neuron %d: Layer %v, FirstSpike +Inf", trial, j, out[j])
				continue
			}
			require.InDelta(t, want, out[j], 1e-13, "trial %d neuron %d", trial, j)
		}
	}
}

func TestLayerAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	in, w, out := mnistLike(r, 784, 50)
	var s Scratch
	neuronET.Layer(out, in, w, &s)
	allocs := testing.AllocsPerRun(20, func() { neuronET.Layer(out, in, w, &s) })
	assert.Zero(t, allocs)
	small := []float64{0.2, 0.5, 0.1}
	allocs = testing.AllocsPerRun(20, func() { neuronET.FirstSpike(small, small) })
	assert.Zero(t, allocs, "FirstSpike with few inputs")
}

// TestConformanceYinYang runs the reference's pretrained Yin-Yang network on its test
// split and compares with the output times the reference recorded.
func TestConformanceYinYang(t *testing.T) {
	const dir = "../learning/testdata/yinyang-pretrained/"
	load := func(name string) *npy.Array {
		a, err := npy.ReadFile(dir + name)
		require.NoError(t, err)
		return a
	}
	w0, w1, inputs, labels, want := load("W0.npy"), load("W1.npy"), load("test_inputs.npy"), load("test_labels.npy"), load("test_times.npy")
	require.Equal(t, []int{5, 120}, w0.Shape)
	require.Equal(t, []int{121, 3}, w1.Shape)
	nSamples := inputs.Shape[0]
	for _, tc := range []struct {
		eps, tol float64
	}{{1e-6, 1e-12}, {0, 2e-5}} { // README: ≈1e-13 with ε, ≈1e-5 without
		p := neuronET
		p.Eps = tc.eps
		var s Scratch
		in0, hidden, in1, out := make([]float64, 5), make([]float64, 120), make([]float64, 121), make([]float64, 3)
		correct, worst := 0, 0.0
		for b := range nSamples {
			copy(in0, inputs.Floats[4*b:4*b+4])
			in0[4] = 0.9 // bias spike
			p.Layer(hidden, in0, w0.Floats, &s)
			copy(in1, hidden)
			in1[120] = 0.9
			p.Layer(out, in1, w1.Floats, &s)
			best := 0
			for j := range out {
				ref := want.Floats[3*b+j]
				if math.IsInf(ref, 1) {
					require.True(t, math.IsInf(out[j], 1), "sample %d output %d: %v, reference silent", b, j, out[j])
				} else {
					worst = max(worst, math.Abs(out[j]-ref))
				}
				if out[j] < out[best] {
					best = j
				}
			}
			if !math.IsInf(out[best], 1) && int64(best) == labels.Ints[b] {
				correct++
			}
		}
		t.Logf("eps %g: largest |Δt| = %.3g, accuracy %.4f", tc.eps, worst, float64(correct)/float64(nSamples))
		assert.Less(t, worst, tc.tol, "eps %g", tc.eps)
		assert.Equal(t, 960, correct, "eps %g: test accuracy 96.0 %% (docs/model.md §8)", tc.eps)
	}
}

// mnistLike returns MNIST-like inputs and weights ~ N(0.05, 0.8) (the mnist config's
// initial distribution, docs/model.md §7) for an nIn × nOut layer. Like the MNIST test images (142 ink
// pixels with 65 distinct times per image on average), 18 % of the pixels are ink, half of them
// at the three darkest levels and the rest spread over the others, encoded as in docs/model.md §6
// (t = 0.15 + 1.85(1 − p/256)); the background spikes at exactly t = 2.
func mnistLike(r *rand.Rand, nIn, nOut int) (in, w, out []float64) {
	in = make([]float64, nIn)
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
	w = make([]float64, nIn*nOut)
	for i := range w {
		w[i] = 0.05 + 0.8*r.NormFloat64()
	}
	return in, w, make([]float64, nOut)
}

// TestStreamSorts checks the lazy bucket sort against the standard library's stable sort
// on spreads that make it take each of its paths: few inputs, all equal, well spread,
// clustered (a large bucket of distinct keys), MNIST-like (one large bucket of equal keys, also
// with a few faint pixels' times in it) and signed zeros.
func TestStreamSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	gens := map[string]func(i int) float64{
		"uniform": func(int) float64 { return 3 * r.Float64() },
		"equal":   func(int) float64 { return 2 },
		"grid":    func(int) float64 { return 0.15 + 1.85*float64(r.IntN(256))/256 },
		"clustered": func(i int) float64 { // a large bucket of distinct keys, and outliers
			if i%50 == 7 {
				return []float64{1e10, -1e-300}[r.IntN(2)]
			}
			return 1 + 1e-9*r.Float64()
		},
		"mnist": func(int) float64 { return []float64{2, 2, 2, 2, 0.15 + 1.85*r.Float64()}[r.IntN(5)] },
		"faint": func(int) float64 { // a large bucket of equal keys with a few just below them
			return []float64{0.15 + 1.85*r.Float64(), 2 - 0.0072*float64(r.IntN(3)), 2, 2, 2}[r.IntN(5)]
		},
		"zeros": func(i int) float64 { return []float64{0, math.Copysign(0, -1), 1e-300, 5e-324, 1}[(i*7+i/3)%5] },
		"onlyzeros": func(i int) float64 { // a large bucket whose keys differ but whose span is 0
			if i%97 == 3 {
				return 1
			}
			return []float64{0, math.Copysign(0, -1)}[r.IntN(2)]
		},
		"signed": func(int) float64 { return r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10)) },
	}
	for name, gen := range gens {
		for _, n := range []int{1, 5, 24, 25, 100, 1000} {
			times := make([]float64, n)
			for i := range times {
				times[i] = gen(i)
			}
			pairs := finitePairs(nil, times)
			want := append([]pair(nil), pairs...)
			slices.SortStableFunc(want, func(a, b pair) int { return cmp.Compare(times[a.idx], times[b.idx]) })
			order := func(p []pair) (idx []int32) {
				for _, v := range p {
					idx = append(idx, v.idx)
				}
				return idx
			}
			bis := append([]pair(nil), pairs...)
			binaryInsertionSort(bis)
			require.Equal(t, order(want), order(bis), "%s n=%d: binary insertion sort", name, n)
			var st stream
			st.init(pairs, make([]pair, n))
			for i := range n { // sort lazily, one position at a time, as Layer does
				st.ensure(i)
			}
			require.Equal(t, order(want), order(st.p), "%s n=%d", name, n)
			assert.Equal(t, times[want[0].idx], st.lo, "%s n=%d: earliest", name, n)
			assert.Equal(t, times[want[n-1].idx], st.hi, "%s n=%d: latest", name, n)
		}
	}
}
