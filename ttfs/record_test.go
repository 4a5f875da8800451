package ttfs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordGradients fills dw[i] = ∂t/∂w_i and dt[i] = ∂t/∂t_i of neuron j by the formulas of
// Record.Spike, from the record and the layer's inputs and weights alone: over the inputs of
// windows 0..k (the causal set), 0 for every other input. It reports whether neuron j has a
// recorded spike.
func recordGradients(p Neuron, rec *Record, in, w, out []float64, j int, dw, dt []float64) bool {
	clear(dw)
	clear(dt)
	k, g := rec.Spike(j)
	if k < 0 {
		return false
	}
	nOut := len(out)
	for m := range k + 1 {
		idx, _, e := rec.Window(m)
		for _, i := range idx {
			s := out[j] - in[i]
			dw[i] = -s * e * g
			dt[i] = w[int(i)*nOut+j] * e * (1 - s/p.TauSyn) * g
		}
	}
	return true
}

// recordWindowSum returns a = Σ w_ij·e^(x_i) over the inputs of windows 0..k for neuron j.
func recordWindowSum(rec *Record, w []float64, nOut, j, k int) float64 {
	a := 0.0
	for m := range k + 1 {
		idx, _, e := rec.Window(m)
		for _, i := range idx {
			a += w[int(i)*nOut+j] * e
		}
	}
	return a
}

// TestRecordSpecVectors checks the derivative formulas of Record.Spike against the
// gradients of docs/model.md §10 (mpmath at 40 digits, confirmed there by central finite differences,
// printed to 12 significant digits), for the neuron alone (the per-neuron scan over shared
// windows) and as the first of 12 neurons with 20 more inputs after its spike (the wide path).
func TestRecordSpecVectors(t *testing.T) {
	tests := []struct {
		name   string
		t, w   []float64
		out    float64
		dw, dt []float64
	}{
		{"#1", []float64{0}, []float64{3}, 0.619061286735945, []float64{-0.541698060765}, []float64{1}},
		{"#2", []float64{0, 0.5}, []float64{2, 1.5}, 0.749460904845552,
			[]float64{-0.317942321837, -0.174481382051}, []float64{0.212571412623, 0.787428587377}},
		{"#3", []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.14117061613921,
			[]float64{-0.768839692235, -0.758676938569, -0.658863337562}, []float64{-0.0456029060237, -0.0716264859889, 1.11722939201}},
		{"#3 unsorted", []float64{0.6, 0.1, 0.3}, []float64{2, 1.5, -0.5}, 1.14117061613921,
			[]float64{-0.658863337562, -0.768839692235, -0.758676938569}, []float64{1.11722939201, -0.0456029060237, -0.0716264859889}},
		{"#4 (2nd input non-causal)", []float64{0, 2}, []float64{4, 1}, 0.357402956181389, []float64{-0.139046296439, 0}, []float64{1, 0}},
		{"#5 (silent)", []float64{0, 1}, []float64{1, 1}, inf, []float64{0, 0}, []float64{0, 0}},
		{"#6", []float64{0, 0.3}, []float64{3, 0.5}, 0.506797706963606,
			[]float64{-0.251517199259, -0.138537424817}, []float64{0.734309909308, 0.265690090692}},
		{"#7 (inhibited)", []float64{0, 0.3}, []float64{3, -2}, inf, []float64{0, 0}, []float64{0, 0}},
	}
	const nOut, late = 12, 20
	var s Scratch
	var rec Record
	for _, tc := range tests {
		// The neuron alone, and padded: 20 late inputs at t = 5, 5.25, … (after every spike of
		// the table) and 11 more neurons with negative weights that never fire.
		n := len(tc.t)
		wideIn := append(slices.Clone(tc.t), make([]float64, late)...)
		wideW := make([]float64, (n+late)*nOut)
		for i := range n + late {
			if i >= n {
				wideIn[i] = 5 + 0.25*float64(i-n)
			}
			for j := range nOut {
				wideW[i*nOut+j] = -1
			}
			if i < n {
				wideW[i*nOut] = tc.w[i]
			}
		}
		for _, layer := range []struct {
			path  string
			in, w []float64
			nOut  int
		}{{"alone", tc.t, tc.w, 1}, {"wide", wideIn, wideW, nOut}} {
			name := tc.name + " " + layer.path
			out := make([]float64, layer.nOut)
			neuronET.RecordLayer(out, layer.in, layer.w, &s, &rec)
			require.True(t, rec.Usable(), name)
			dw, dt := make([]float64, len(layer.in)), make([]float64, len(layer.in))
			spiked := recordGradients(neuronET, &rec, layer.in, layer.w, out, 0, dw, dt)
			if math.IsInf(tc.out, 1) {
				assert.True(t, math.IsInf(out[0], 1), "%s: %v", name, out[0])
				assert.False(t, spiked, name)
				continue
			}
			require.True(t, spiked, name)
			assert.InDelta(t, tc.out, out[0], 1e-14, name)
			sum := 0.0
			for i := range layer.in {
				wantW, wantT := 0.0, 0.0
				if i < n {
					wantW, wantT = tc.dw[i], tc.dt[i]
				}
				assert.InDelta(t, wantW, dw[i], 1e-11, "%s: ∂t/∂w_%d", name, i)
				assert.InDelta(t, wantT, dt[i], 1e-11, "%s: ∂t/∂t_%d", name, i)
				sum += dt[i]
			}
			// Shifting all inputs shifts the spike alike (docs/model.md §3).
			assert.InDelta(t, 1, sum, 1e-14, "%s: Σ ∂t/∂t_i", name)
		}
	}
}

// recordRandomLayer draws a layer of nIn inputs and nOut neurons with TauMem = TauSyn: τs, the
// threshold constant and ε as randomNeuron draws them; input times that are silent with
// probability 1/10 (+Inf, and now and then NaN or −Inf, which Layer ignores too), and otherwise either continuous in [0, 3τs) or, with probability 1/2 per
// layer, on a grid of 0.25·τs (many equal times); weights whose mean differs from neuron to
// neuron, so that neurons fire early, late or never.
func recordRandomLayer(r *rand.Rand, nIn, nOut int) (p Neuron, in, w []float64) {
	p, _, _ = randomNeuron(r)
	p.TauMem = p.TauSyn
	grid := r.IntN(2) == 0
	in = make([]float64, nIn)
	for i := range in {
		switch {
		case r.IntN(10) == 0:
			in[i] = []float64{inf, inf, inf, math.NaN(), math.Inf(-1)}[r.IntN(5)]
		case grid:
			in[i] = 0.25 * float64(r.IntN(13)) * p.TauSyn
		default:
			in[i] = 3 * r.Float64() * p.TauSyn
		}
	}
	c := p.GLeak * (p.Threshold - p.Leak)
	w = make([]float64, nIn*nOut)
	for j := range nOut {
		mean := 6 * r.Float64() / float64(nIn)
		for i := range nIn {
			w[i*nOut+j] = (mean + 2*r.NormFloat64()/math.Sqrt(float64(nIn))) * c
		}
	}
	return p, in, w
}

// recordCheck checks rec after RecordLayer(out, in, w) against the inputs themselves: the
// windows are the distinct spiking input times in increasing order up to the last window with
// a spike, each holding exactly the inputs at its time, with x and e^x of that time; each
// neuron's spike lies in its window; and NextTime is the next spiking input time. It reports
// the number of neurons that spiked.
func recordCheck(t *testing.T, name string, p Neuron, rec *Record, in, out []float64) (spiked int) {
	t.Helper()
	require.True(t, rec.Usable(), name)
	// The distinct spiking input times, in increasing order.
	var times []float64
	for _, v := range in {
		if !math.IsInf(v, 0) && !math.IsNaN(v) {
			times = append(times, v)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	if len(times) > 0 {
		require.Equal(t, times[0], rec.Origin(), "%s: origin", name)
	}
	last := -1
	for j, o := range out {
		k, g := rec.Spike(j)
		// Without overflowing sums every spike comes from the shared windows.
		require.Equal(t, math.IsInf(o, 1), k < 0, "%s: neuron %d at %v in window %d", name, j, o, k)
		if k < 0 {
			continue
		}
		spiked++
		last = max(last, k)
		require.Less(t, k, rec.Windows(), "%s: neuron %d", name, j)
		require.False(t, math.IsNaN(g) || math.IsInf(g, 0), "%s: neuron %d: g = %v", name, j, g)
		_, x, _ := rec.Window(k)
		tk := rec.Origin() + p.TauSyn*x
		next := rec.NextTime()
		if k+1 < rec.Windows() {
			_, xn, _ := rec.Window(k + 1)
			next = rec.Origin() + p.TauSyn*xn
		}
		require.True(t, tk <= o && o <= next, "%s: neuron %d spikes at %v outside its window [%v, %v] (window %d)", name, j, o, tk, next, k)
	}
	require.Equal(t, last+1, rec.Windows(), "%s: windows up to the last one with a spike", name)
	for k := range rec.Windows() {
		idx, x, e := rec.Window(k)
		tk := times[k]
		assert.InDelta(t, tk, rec.Origin()+p.TauSyn*x, 1e-15*(math.Abs(tk)+math.Abs(tk-rec.Origin())), "%s: window %d time", name, k)
		assert.InDelta(t, math.Exp(x), e, 1e-12*math.Exp(x), "%s: window %d: e^x", name, k)
		var want []int32
		for i, v := range in {
			if v == tk {
				want = append(want, int32(i))
			}
		}
		got := slices.Clone(idx)
		slices.Sort(got)
		require.Equal(t, want, got, "%s: window %d at %v: its inputs", name, k, tk)
	}
	if rec.Windows() > 0 { // TestRecordNextTimeWithoutWindows covers the other case
		next := inf
		if rec.Windows() < len(times) {
			next = times[rec.Windows()]
		}
		require.Equal(t, next, rec.NextTime(), "%s: next time", name)
	}
	return spiked
}

// recordLayerCase is one random layer of TestRecordMatchesLayer and
// TestRecordDerivatives.
type recordLayerCase struct {
	name  string
	p     Neuron
	in, w []float64
	nOut  int
}

// recordLayerCases draws the layers: narrow (at most 8 neurons, or at most 16 inputs, which
// Layer scans one neuron at a time) and wide (40 × 30, the windows with all neurons at once),
// each with the inputs recordRandomLayer draws (silent inputs, groups of equal times), and
// MNIST-like wide layers (hundreds of background inputs at the same time).
func recordLayerCases(r *rand.Rand, n int) []recordLayerCase {
	var cases []recordLayerCase
	for trial := range n {
		var nIn, nOut int
		switch trial % 3 {
		case 0: // few neurons
			nIn, nOut = 1+r.IntN(60), 1+r.IntN(8)
		case 1: // few inputs
			nIn, nOut = 1+r.IntN(16), 1+r.IntN(40)
		default:
			nIn, nOut = 40, 30
		}
		p, in, w := recordRandomLayer(r, nIn, nOut)
		cases = append(cases, recordLayerCase{fmt.Sprintf("trial %d (%d × %d)", trial, nIn, nOut), p, in, w, nOut})
	}
	for trial := range max(1, n/20) {
		in, w, out := mnistLike(r, 784, 50)
		for i := range w {
			w[i] *= 0.05 // so that the neurons fire over the whole span of input times
		}
		cases = append(cases, recordLayerCase{fmt.Sprintf("MNIST-like %d", trial), neuronET, in, w, len(out)})
	}
	return cases
}

// TestRecordMatchesLayer checks that RecordLayer gives the bits of Layer and a record
// that agrees with its inputs and outputs (recordCheck).
func TestRecordMatchesLayer(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var s, sr Scratch
	var rec Record
	nNeurons, spiked, windows := 0, 0, 0
	for _, tc := range recordLayerCases(r, 300) {
		want, got := make([]float64, tc.nOut), make([]float64, tc.nOut)
		tc.p.Layer(want, tc.in, tc.w, &s)
		tc.p.RecordLayer(got, tc.in, tc.w, &sr, &rec)
		for j := range want {
			require.Equal(t, math.Float64bits(want[j]), math.Float64bits(got[j]), "%s: neuron %d: Layer %v, RecordLayer %v", tc.name, j, want[j], got[j])
		}
		spiked += recordCheck(t, tc.name, tc.p, &rec, tc.in, got)
		nNeurons += tc.nOut
		windows += rec.Windows()
	}
	t.Logf("%d neurons, %d spiked; %d windows recorded", nNeurons, spiked, windows)
	assert.Greater(t, spiked, nNeurons/4, "enough neurons fire to test something")
	assert.Less(t, spiked, 3*nNeurons/4, "enough neurons stay silent to test something")
}

// TestRecordDerivatives compares the derivatives of Spike's doc with central finite
// differences of Layer. A derivative does not exist where a change of the parameter moves the
// spike into another window (the membrane's peak in an earlier window reaches threshold); those
// cases, recognised by one-sided differences that disagree, are skipped and counted, as are
// neurons whose crossing is nearly tangential (1 + W < 0.01, where the derivatives are huge
// and the finite differences lose their accuracy).
func TestRecordDerivatives(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	n := 60
	if testing.Short() {
		n = 15
	}
	var s, sr Scratch
	var rec Record
	checked, kinks, tangential := 0, 0, 0
	for _, tc := range recordLayerCases(r, n)[:n] { // the MNIST-like ones have too many inputs
		nIn, nOut := len(tc.in), tc.nOut
		out, tmp := make([]float64, nOut), make([]float64, nOut)
		tc.p.RecordLayer(out, tc.in, tc.w, &sr, &rec)
		require.True(t, rec.Usable(), tc.name)
		dw, dt := make([]float64, nIn), make([]float64, nIn)
		in, w := slices.Clone(tc.in), slices.Clone(tc.w)
		c := tc.p.GLeak * (tc.p.Threshold - tc.p.Leak)
		for j := range nOut {
			if !recordGradients(tc.p, &rec, tc.in, tc.w, out, j, dw, dt) {
				continue
			}
			k, g := rec.Spike(j)
			if a := recordWindowSum(&rec, tc.w, nOut, j, k); !(1/(a*g) >= 0.01) {
				tangential++
				continue
			}
			// diff returns the central difference of neuron j's spike time in v[at] with step h,
			// or ok = false if the one-sided differences disagree (a jump between windows).
			diff := func(v []float64, at int, h float64) (d float64, ok bool) {
				v0 := v[at]
				v[at] = v0 + h
				tc.p.Layer(tmp, in, w, &s)
				up := tmp[j]
				v[at] = v0 - h
				tc.p.Layer(tmp, in, w, &s)
				down := tmp[j]
				v[at] = v0
				fwd, bwd := (up-out[j])/h, (out[j]-down)/h
				if math.IsInf(up, 0) || math.IsInf(down, 0) || math.Abs(fwd-bwd) > 1e-3*(math.Abs(fwd)+math.Abs(bwd))+1e-6 {
					return 0, false
				}
				return (up - down) / (2 * h), true
			}
			if tc.p.Eps == 0 {
				// Shifting all inputs shifts the spike alike (docs/model.md §3); ε is tied to t = 0.
				sum := 0.0
				for _, v := range dt {
					sum += v
				}
				require.InDelta(t, 1, sum, 1e-9, "%s: neuron %d: Σ ∂t/∂t_i", tc.name, j)
			}
			for i := range nIn {
				if math.IsInf(tc.in[i], 0) || math.IsNaN(tc.in[i]) {
					continue
				}
				// Inputs at the spike time are causal on one side only.
				if math.Abs(out[j]-tc.in[i]) < 1e-4*tc.p.TauSyn {
					continue
				}
				for _, d := range []struct {
					what    string
					v       []float64
					at      int
					h, want float64
					scale   float64 // of the derivative, for the absolute part of the tolerance
				}{
					{"∂t/∂w", w, i*nOut + j, 1e-6 * c, dw[i], tc.p.TauSyn / c},
					{"∂t/∂t", in, i, 1e-6 * tc.p.TauSyn, dt[i], 1},
				} {
					got, ok := diff(d.v, d.at, d.h)
					if !ok {
						kinks++
						continue
					}
					checked++
					if math.Abs(got-d.want) > 1e-6*math.Abs(d.want)+1e-8*d.scale {
						t.Fatalf("%s (%+v): neuron %d, input %d at %v (weight %v), spike at %v in window %d: %s = %v by the record, %v by finite differences",
							tc.name, tc.p, j, i, tc.in[i], tc.w[i*nOut+j], out[j], k, d.what, d.want, got)
					}
				}
			}
		}
	}
	t.Logf("%d derivatives checked; skipped: %d at jumps, %d nearly tangential neurons", checked, kinks, tangential)
	assert.Greater(t, checked, 1000)
	assert.Less(t, kinks, checked/100)
}

// TestRecordUsable checks the cases the record does not cover, and that a record is
// usable again after them.
func TestRecordUsable(t *testing.T) {
	var s Scratch
	var rec Record
	assert.False(t, rec.Usable(), "zero value")
	out := make([]float64, 2)
	in := []float64{0, 0.5, inf}
	w := []float64{2, 3, 1.5, 0, 5, 5}
	neuronDT.RecordLayer(out, in, w, &s, &rec)
	assert.False(t, rec.Usable(), "TauMem = 2·TauSyn")
	neuronET.RecordLayer(out, in, w, &s, &rec)
	require.True(t, rec.Usable(), "TauMem = TauSyn")
	recordCheck(t, "two neurons", neuronET, &rec, in, out)
	for _, spread := range []float64{300.5, 1000} {
		for _, p := range []Neuron{neuronET, {TauSyn: 2.5, TauMem: 2.5, Threshold: 1, GLeak: 1}} {
			far := []float64{0, 0.5, spread * p.TauSyn}
			p.Layer(out, far, w, &s)
			want := slices.Clone(out)
			p.RecordLayer(out, far, w, &s, &rec)
			assert.False(t, rec.Usable(), "inputs spread over %v·τs, τs = %v", spread, p.TauSyn)
			assert.Equal(t, want, out, "inputs spread over %v·τs, τs = %v: RecordLayer and Layer", spread, p.TauSyn)
		}
	}
	// Spread over exactly 300·τs: the shared windows still serve the layer.
	neuronET.RecordLayer(out, []float64{0, 0.5, 300}, w, &s, &rec)
	assert.True(t, rec.Usable(), "inputs spread over 300·τs")
	// No spiking input: usable, and empty.
	neuronET.RecordLayer(out, []float64{inf, inf, inf}, w, &s, &rec)
	require.True(t, rec.Usable(), "silent inputs")
	assert.Zero(t, rec.Windows())
	assert.True(t, math.IsInf(rec.NextTime(), 1))
	for j := range out {
		k, _ := rec.Spike(j)
		assert.Equal(t, -1, k)
	}
}

func TestRecordAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	var s Scratch
	var rec Record
	for _, nOut := range []int{5, 50} {
		in, w, out := mnistLike(r, 784, nOut)
		for i := range w {
			w[i] *= 0.05
		}
		neuronET.RecordLayer(out, in, w, &s, &rec)
		allocs := testing.AllocsPerRun(20, func() { neuronET.RecordLayer(out, in, w, &s, &rec) })
		assert.Zero(t, allocs, "%d neurons", nOut)
	}
}

// TestRecordOverflow: a neuron whose shared sums overflow gets its time from the
// per-neuron scan, and Spike reports no window for it; the other neurons are recorded as
// usual. With c = 2^900, neuron 0 is docs/model.md §10 #1 shifted to t = 250 after a weak input at 0
// (e^250·3·2^900 overflows), neuron 1 is #1 itself; both scaled by 2^900, which leaves the
// times unchanged and divides ∂t/∂w by 2^900.
func TestRecordOverflow(t *testing.T) {
	p := Neuron{TauSyn: 1, TauMem: 1, Threshold: 0x1p900, GLeak: 1}
	const s900 = 0x1p900
	var s Scratch
	var rec Record
	for _, nOut := range []int{2, 12} {
		// Inputs at 0 and 250, then 20 more at 260, 260.25, …: the wide path for 12 neurons.
		in := []float64{0, 250}
		for i := range 20 {
			in = append(in, 260+0.25*float64(i))
		}
		w := make([]float64, len(in)*nOut)
		for i := range w {
			w[i] = -s900 // the neurons after the first two never fire
		}
		w[0*nOut+0], w[1*nOut+0] = 0.5*s900, 3*s900
		w[0*nOut+1], w[1*nOut+1] = 3*s900, 0
		out := make([]float64, nOut)
		p.RecordLayer(out, in, w, &s, &rec)
		require.True(t, rec.Usable(), "%d neurons", nOut)
		assert.InDelta(t, 250.619061286735945, out[0], 1e-12, "%d neurons: neuron 0", nOut)
		assert.InDelta(t, 0.619061286735945, out[1], 1e-14, "%d neurons: neuron 1", nOut)
		k, _ := rec.Spike(0)
		assert.Equal(t, -1, k, "%d neurons: neuron 0 took the per-neuron scan", nOut)
		dw, dt := make([]float64, len(in)), make([]float64, len(in))
		require.True(t, recordGradients(p, &rec, in, w, out, 1, dw, dt), "%d neurons: neuron 1", nOut)
		assert.InDelta(t, -0.541698060765, dw[0]*s900, 1e-11, "%d neurons: ∂t/∂w_0 of neuron 1 (docs/model.md §10 #1)", nOut)
		assert.InDelta(t, 1, dt[0], 1e-14, "%d neurons: ∂t/∂t_0 of neuron 1 (docs/model.md §10 #1)", nOut)
		assert.Equal(t, 1, rec.Windows(), "%d neurons", nOut)
		assert.Equal(t, 250.0, rec.NextTime(), "%d neurons", nOut)
	}
}

// TestRecordNextTimeWithoutWindows: when no neuron spikes no window is recorded, and
// NextTime's doc ("the time of the first spiking input after the recorded windows") then names
// the earliest spiking input.
func TestRecordNextTimeWithoutWindows(t *testing.T) {
	var s Scratch
	var rec Record
	out := make([]float64, 1)
	neuronET.RecordLayer(out, []float64{0.5, 0.25, inf}, []float64{1, 1, 1}, &s, &rec)
	require.True(t, math.IsInf(out[0], 1), "two unit inputs 0.25·τs apart peak at about 0.72 < ϑ")
	require.True(t, rec.Usable())
	require.Zero(t, rec.Windows())
	assert.Equal(t, 0.25, rec.NextTime())
}

func ExampleNeuron_RecordLayer() {
	// docs/model.md §10 #2: inputs at t = 0 and 0.5 with weights 2 and 1.5, τm = τs = 1, ϑ = 1.
	p := Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	in, w := []float64{0, 0.5}, []float64{2, 1.5}
	out := make([]float64, 1)
	var s Scratch
	var rec Record
	p.RecordLayer(out, in, w, &s, &rec)
	k, g := rec.Spike(0)
	fmt.Printf("t = %.9f in window %d of %d\n", out[0], k, rec.Windows())
	// The backward pass: the causal inputs are those of windows 0..k.
	for m := range k + 1 {
		inputs, _, e := rec.Window(m)
		for _, i := range inputs {
			dw := -(out[0] - in[i]) * e * g
			dt := w[i] * e * (1 - (out[0]-in[i])/p.TauSyn) * g
			fmt.Printf("input %d: ∂t/∂w = %.9f, ∂t/∂t_i = %.9f\n", i, dw, dt)
		}
	}
	// Output:
	// t = 0.749460905 in window 1 of 2
	// input 0: ∂t/∂w = -0.317942322, ∂t/∂t_i = 0.212571413
	// input 1: ∂t/∂w = -0.174481382, ∂t/∂t_i = 0.787428587
}

// FuzzRecordLayer checks RecordLayer against Layer and its record against the inputs
// (recordCheck) on the neurons of FuzzFirstSpike, as layers of 2 and of 10 neurons whose
// columns differ so that they fire in different windows.
func FuzzRecordLayer(f *testing.F) {
	f.Add([]byte{0, 0, 0x00, 0x60})                                // #1-like: one input of weight 3
	f.Add([]byte{1, 0, 0x00, 0xa0, 6, 0x00, 0x40})                 // DT: not recorded
	f.Add([]byte{2, 0, 0x00, 0x40, 5, 0x00, 0xc0, 10, 0x00, 0x40}) // ε, inhibition
	f.Add([]byte{4, 3, 0x00, 0x20, 3, 0x00, 0x20, 3, 0x00, 0x20})  // ties, τs = 0.5
	f.Add([]byte{0, 255, 0x00, 0x60, 8, 0x00, 0x30})               // a silent input
	f.Fuzz(func(t *testing.T, data []byte) {
		p, times, weights, ok := fuzzNeuron(data)
		if !ok {
			return
		}
		var s, sr Scratch
		var rec Record
		for _, nOut := range []int{2, 10} {
			w := make([]float64, nOut*len(weights))
			for i, v := range weights {
				for j := range nOut {
					w[nOut*i+j] = v * (1 + 0.5*float64(j))
				}
			}
			want, got := make([]float64, nOut), make([]float64, nOut)
			p.Layer(want, times, w, &s)
			p.RecordLayer(got, times, w, &sr, &rec)
			for j := range want {
				if math.Float64bits(want[j]) != math.Float64bits(got[j]) {
					t.Fatalf("%d neurons: neuron %d: Layer %v, RecordLayer %v", nOut, j, want[j], got[j])
				}
			}
			if p.TauMem != p.TauSyn {
				if rec.Usable() {
					t.Fatalf("a record for TauMem = 2·TauSyn")
				}
				continue
			}
			recordCheck(t, fmt.Sprintf("%d neurons", nOut), p, &rec, times, got)
		}
	})
}
