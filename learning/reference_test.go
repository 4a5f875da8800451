package learning

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/ttfs"
)

// This file holds slow, plain reference implementations written straight from the formulas
// of docs/model.md §2–3. Tests use them as independent checks of the package's fast paths and as
// stand-ins (refForward, refBackward) for the kernels of other packages.

// refLambertW0 is the principal branch of Lambert W by Halley iteration.
func refLambertW0(z float64) float64 {
	const e = math.E
	switch {
	case z < -1/e:
		return math.NaN()
	case z == -1/e:
		return -1
	case z == 0:
		return 0
	}
	var w float64
	switch {
	case z < -0.25:
		p := math.Sqrt(2 * (e*z + 1))
		w = -1 + p - p*p/3 + 11.0/72*p*p*p
	case z < 3:
		w = math.Log1p(z) * 0.8
	default:
		l := math.Log(z)
		w = l - math.Log(l)
	}
	for i := 0; i < 100; i++ {
		ew := math.Exp(w)
		f := w*ew - z
		if f == 0 {
			break
		}
		w1 := w - f/(ew*(w+1)-(w+2)*f/(2*w+2))
		if math.Abs(w1-w) <= 1e-16*(1+math.Abs(w1)) {
			w = w1
			break
		}
		w = w1
	}
	return w
}

// refCandidate returns the closed-form crossing of the causal set given by the sorted
// prefix (docs/model.md §2), +Inf if the membrane cannot reach threshold with it.
func refCandidate(p ttfs.Neuron, t, w []float64) float64 {
	c := p.GLeak * (p.Threshold - p.Leak)
	if p.TauMem == p.TauSyn {
		tau := p.TauSyn
		a, b := 0.0, p.Eps
		for i := range t {
			e := math.Exp(t[i] / tau)
			a += w[i] * e
			b += w[i] * t[i] / tau * e
		}
		if a == 0 {
			return math.Inf(1)
		}
		z := -c / a * math.Exp(b/a)
		if z < -1/math.E || math.IsInf(z, 0) || math.IsNaN(z) {
			return math.Inf(1)
		}
		return tau * (b/a - refLambertW0(z))
	}
	// τm = 2τs: A1 q² − A2 q + c = 0 in q = exp(−t/τm), the larger root.
	a1, a2 := p.Eps, 0.0
	for i := range t {
		a1 += w[i] * math.Exp(t[i]/p.TauSyn)
		a2 += w[i] * math.Exp(t[i]/p.TauMem)
	}
	d := a2*a2 - 4*a1*c
	if d < 0 {
		return math.Inf(1)
	}
	x := 2 * a1 / (a2 + math.Sqrt(d))
	if !(x > 0) {
		return math.Inf(1)
	}
	return 2 * p.TauSyn * math.Log(x)
}

// refFirstSpike is the minimum over sorted prefixes of the candidates that fall in their
// window [t_k, t_{k+1}] (docs/model.md §2), by brute force over all prefixes.
func refFirstSpike(p ttfs.Neuron, times, weights []float64) float64 {
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]] < times[idx[b]] })
	var ts, ws []float64
	for _, i := range idx {
		if !math.IsInf(times[i], 1) {
			ts = append(ts, times[i])
			ws = append(ws, weights[i])
		}
	}
	best := math.Inf(1)
	for k := 1; k <= len(ts); k++ {
		cand := refCandidate(p, ts[:k], ws[:k])
		next := math.Inf(1)
		if k < len(ts) {
			next = ts[k]
		}
		if cand >= ts[k-1] && cand <= next && cand < best {
			best = cand
		}
	}
	return best
}

// refMembrane returns Σ_i w_i κ(t − t_i), which crosses g_l(ϑ − E_l) at a spike.
func refMembrane(p ttfs.Neuron, times, weights []float64, t float64) float64 {
	u := 0.0
	for i, ti := range times {
		s := t - ti
		if !(s > 0) {
			continue
		}
		if p.TauMem == p.TauSyn {
			u += weights[i] * s / p.TauSyn * math.Exp(-s/p.TauSyn)
		} else {
			u += weights[i] * (math.Exp(-s/p.TauMem) - math.Exp(-s/p.TauSyn))
		}
	}
	return u
}

// refBruteFirstSpike finds the first upward threshold crossing by scanning a fine grid and
// bisecting, without any closed form.
func refBruteFirstSpike(p ttfs.Neuron, times, weights []float64) float64 {
	c := p.GLeak * (p.Threshold - p.Leak)
	t0 := math.Inf(1)
	t1 := math.Inf(-1)
	for _, t := range times {
		if !math.IsInf(t, 1) {
			t0 = min(t0, t)
			t1 = max(t1, t)
		}
	}
	if math.IsInf(t0, 1) {
		return math.Inf(1)
	}
	const dt = 2e-3
	end := t1 + 12*p.TauMem
	prev := t0
	for t := t0 + dt; t <= end; t += dt {
		if refMembrane(p, times, weights, t) >= c {
			lo, hi := prev, t
			for i := 0; i < 100; i++ {
				mid := (lo + hi) / 2
				if refMembrane(p, times, weights, mid) >= c {
					hi = mid
				} else {
					lo = mid
				}
			}
			return hi
		}
		prev = t
	}
	return math.Inf(1)
}

// refNeuronGrad evaluates the docs/model.md §3 derivatives of one neuron's spike time (ET and DT).
func refNeuronGrad(p ttfs.Neuron, tIn, w []float64, tOut float64, dW, dT []float64) {
	clear(dW)
	clear(dT)
	if math.IsInf(tOut, 1) {
		return
	}
	causal := func(i int) bool { return !math.IsInf(tIn[i], 1) && tOut-tIn[i] >= 0 }
	c := p.GLeak * (p.Threshold - p.Leak)
	if p.TauMem == p.TauSyn {
		tau := p.TauSyn
		a, b := 0.0, p.Eps
		for i := range tIn {
			if causal(i) {
				e := math.Exp(tIn[i] / tau)
				a += w[i] * e
				b += w[i] * tIn[i] / tau * e
			}
		}
		W := refLambertW0(-c / a * math.Exp(b/a))
		for i := range tIn {
			if causal(i) {
				e := math.Exp(tIn[i] / tau)
				dW[i] = -(tOut - tIn[i]) * e / (a * (1 + W))
				dT[i] = w[i] * e * (1 - (tOut-tIn[i])/tau) / (a * (1 + W))
			}
		}
		return
	}
	a1, a2 := p.Eps, 0.0
	for i := range tIn {
		if causal(i) {
			a1 += w[i] * math.Exp(tIn[i]/p.TauSyn)
			a2 += w[i] * math.Exp(tIn[i]/p.TauMem)
		}
	}
	s := math.Sqrt(a2*a2 - 4*a1*c)
	q := math.Exp(-tOut / p.TauMem)
	for i := range tIn {
		if causal(i) {
			es, em := math.Exp(tIn[i]/p.TauSyn), math.Exp(tIn[i]/p.TauMem)
			dW[i] = p.TauMem * (q*es - em) / s
			dT[i] = w[i] * (2*q*es - em) / s
		}
	}
}

// refLayerBackward is LayerBackward written plainly from docs/model.md §3.
func refLayerBackward(p ttfs.Neuron, in, out, w, delta []float64, maxDwNorm float64, gW, deltaIn []float64, _ *BackwardScratch) {
	n, m := len(in), len(out)
	clear(deltaIn)
	col := make([]float64, n)
	wcol := make([]float64, n)
	dW := make([]float64, n)
	dT := make([]float64, n)
	for j := 0; j < m; j++ {
		d := delta[j]
		if math.IsNaN(d) {
			d = 0
		}
		for i := 0; i < n; i++ {
			wcol[i] = w[i*m+j]
		}
		refNeuronGrad(p, in, wcol, out[j], dW, dT)
		big := 0.0
		for i := 0; i < n; i++ {
			col[i] = dW[i] * d
			big = max(big, math.Abs(col[i]))
			deltaIn[i] += dT[i] * d
		}
		if maxDwNorm > 0 && !math.IsInf(maxDwNorm, 1) && big > maxDwNorm {
			continue
		}
		for i := 0; i < n; i++ {
			gW[i*m+j] += col[i]
		}
	}
}

// refForward is a Forward backend built on refFirstSpike.
type refForward struct{}

func (refForward) Forward(net *Network, in []float64, times [][]float64) error {
	n := checkForwardArgs(net, in, times)
	nIn := net.Inputs()
	for b := 0; b < n; b++ {
		x := append([]float64(nil), in[b*nIn:(b+1)*nIn]...)
		for l := range net.Layers {
			ly := &net.Layers[l]
			x = append(x, ly.BiasTimes...)
			out := times[l][b*ly.Outputs : (b+1)*ly.Outputs]
			col := make([]float64, ly.Rows())
			for j := range out {
				for i := range col {
					col[i] = ly.Weights[i*ly.Outputs+j]
				}
				out[j] = refFirstSpike(net.Neuron, x, col)
			}
			x = append([]float64(nil), out...)
		}
	}
	return nil
}

var (
	etNeuron = ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	dtNeuron = ttfs.Neuron{TauSyn: 1, TauMem: 2, Threshold: 1, Leak: 0, GLeak: 0.5}
)

// specVectors are the ET test vectors of docs/model.md §10 (mpmath, 40 digits).
var specVectors = []struct {
	name        string
	t, w        []float64
	out, outEps float64
	dW, dT      []float64
}{
	{"#1", []float64{0}, []float64{3}, 0.619061286735945, 0.619062161767961, []float64{-0.541698060765}, []float64{1}},
	{"#2", []float64{0, 0.5}, []float64{2, 1.5}, 0.749460904845552, 0.749461329073661,
		[]float64{-0.317942321837, -0.174481382051}, []float64{0.212571412623, 0.787428587377}},
	{"#3", []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.14117061613921, 1.14117128430579,
		[]float64{-0.768839692235, -0.758676938569, -0.658863337562}, []float64{-0.0456029060237, -0.0716264859889, 1.11722939201}},
	{"#3 unsorted", []float64{0.6, 0.1, 0.3}, []float64{2, 1.5, -0.5}, 1.14117061613921, 1.14117128430579,
		[]float64{-0.658863337562, -0.768839692235, -0.758676938569}, []float64{1.11722939201, -0.0456029060237, -0.0716264859889}},
	{"#4", []float64{0, 2}, []float64{4, 1}, 0.357402956181389, 0.357403345227727, []float64{-0.139046296439, 0}, []float64{1, 0}},
	{"#5", []float64{0, 1}, []float64{1, 1}, math.Inf(1), math.Inf(1), []float64{0, 0}, []float64{0, 0}},
	{"#6", []float64{0, 0.3}, []float64{3, 0.5}, 0.506797706963606, 0.506798203250876,
		[]float64{-0.251517199259, -0.138537424817}, []float64{0.734309909308, 0.265690090692}},
	{"#7", []float64{0, 0.3}, []float64{3, -2}, math.Inf(1), math.Inf(1), []float64{0, 0}, []float64{0, 0}},
}

func TestReferenceMatchesSpecVectors(t *testing.T) {
	for _, v := range specVectors {
		got := refFirstSpike(etNeuron, v.t, v.w)
		if math.IsInf(v.out, 1) {
			assert.True(t, math.IsInf(got, 1), "%s: got %v", v.name, got)
		} else {
			assert.InDelta(t, v.out, got, 1e-13, v.name)
		}
		pe := etNeuron
		pe.Eps = 1e-6
		if ge := refFirstSpike(pe, v.t, v.w); !math.IsInf(v.outEps, 1) {
			assert.InDelta(t, v.outEps, ge, 1e-13, v.name+" eps")
		}
		dW := make([]float64, len(v.t))
		dT := make([]float64, len(v.t))
		refNeuronGrad(etNeuron, v.t, v.w, got, dW, dT)
		for i := range v.t {
			assert.InDelta(t, v.dW[i], dW[i], 1e-11, "%s dW[%d]", v.name, i)
			assert.InDelta(t, v.dT[i], dT[i], 1e-11, "%s dT[%d]", v.name, i)
		}
	}
	// DT vectors of docs/model.md §10.
	assert.InDelta(t, 0.239148024098485, refFirstSpike(dtNeuron, []float64{0}, []float64{5}), 1e-13)
	got := refFirstSpike(dtNeuron, []float64{0, 0.4}, []float64{3, 2})
	assert.InDelta(t, 0.431515976415583, got, 1e-13)
	dW, dT := make([]float64, 2), make([]float64, 2)
	refNeuronGrad(dtNeuron, []float64{0, 0.4}, []float64{3, 2}, got, dW, dT)
	assert.InDelta(t, -0.0923700700494, dW[0], 1e-12)
	assert.InDelta(t, -0.0090889967262, dW[1], 1e-12)
	assert.InDelta(t, 0.436834941695, dT[0], 1e-12)
	assert.InDelta(t, 0.563165058305, dT[1], 1e-12)
}

// TestReferenceMatchesBruteForce checks the prefix closed forms against a grid search on
// random neurons with excitatory and inhibitory inputs (docs/model.md §9 describes the same check).
func TestReferenceMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	trials := 150
	if testing.Short() {
		trials = 40
	}
	for _, p := range []ttfs.Neuron{etNeuron, dtNeuron} {
		for k := 0; k < trials; k++ {
			n := 1 + rng.IntN(5)
			ts, ws := make([]float64, n), make([]float64, n)
			for i := range ts {
				ts[i] = 3 * rng.Float64()
				ws[i] = 0.8 + 1.5*rng.NormFloat64()
			}
			want := refBruteFirstSpike(p, ts, ws)
			got := refFirstSpike(p, ts, ws)
			if math.IsInf(want, 1) {
				require.True(t, math.IsInf(got, 1), "τm=%v t=%v w=%v: got %v, brute force none", p.TauMem, ts, ws, got)
				continue
			}
			require.InDelta(t, want, got, 2e-6, "τm=%v t=%v w=%v", p.TauMem, ts, ws)
		}
	}
}

// TestReferenceGradientsMatchFiniteDifferences checks refNeuronGrad against central
// differences of refFirstSpike.
func TestReferenceGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for _, p := range []ttfs.Neuron{etNeuron, dtNeuron} {
		for k := 0; k < 200 && checked < 150; k++ {
			n := 1 + rng.IntN(4)
			ts, ws := make([]float64, n), make([]float64, n)
			for i := range ts {
				ts[i] = 2 * rng.Float64()
				ws[i] = 1 + rng.NormFloat64()
			}
			out := refFirstSpike(p, ts, ws)
			if math.IsInf(out, 1) {
				continue
			}
			dW, dT := make([]float64, n), make([]float64, n)
			refNeuronGrad(p, ts, ws, out, dW, dT)
			const h = 1e-6
			ok := true
			fd := func(x []float64, i int) float64 {
				x0 := x[i]
				x[i] = x0 + h
				up := refFirstSpike(p, ts, ws)
				x[i] = x0 - h
				dn := refFirstSpike(p, ts, ws)
				x[i] = x0
				if math.IsInf(up, 0) || math.IsInf(dn, 0) {
					ok = false
				}
				return (up - dn) / (2 * h)
			}
			for i := 0; i < n; i++ {
				// Skip inputs sitting on a window edge, where the derivative jumps.
				if math.Abs(ts[i]-out) < 1e-3 {
					ok = false
				}
			}
			gw, gt := make([]float64, n), make([]float64, n)
			for i := 0; i < n; i++ {
				gw[i], gt[i] = fd(ws, i), fd(ts, i)
			}
			if !ok {
				continue
			}
			for i := 0; i < n; i++ {
				tol := 1e-5 * (1 + math.Abs(gw[i]))
				require.InDelta(t, gw[i], dW[i], tol, "τm=%v t=%v w=%v ∂t/∂w[%d]", p.TauMem, ts, ws, i)
				require.InDelta(t, gt[i], dT[i], 1e-5*(1+math.Abs(gt[i])), "τm=%v t=%v w=%v ∂t/∂t[%d]", p.TauMem, ts, ws, i)
			}
			checked++
		}
	}
	require.Greater(t, checked, 50)
}
