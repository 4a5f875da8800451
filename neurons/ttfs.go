package neurons

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// TTFS holds the parameters of the first-spike neuron of the spec (§1): a current-based LIF
// neuron that starts at rest, integrates exponentially decaying input currents and spikes at
// most once, at its first upward threshold crossing.
//
// The membrane follows C du/dt = GLeak (Leak − u) + Σ_i w_i Θ(t − t_i) exp(−(t − t_i)/TauSyn)
// with C = GLeak·TauMem. Two ratios have closed forms and are supported: TauMem = TauSyn
// (Lambert W) and TauMem = 2·TauSyn (quadratic/log).
type TTFS struct {
	TauSyn    float64 // synaptic time constant τs > 0
	TauMem    float64 // membrane time constant: TauSyn or 2·TauSyn
	Threshold float64 // ϑ > Leak
	Leak      float64 // resting potential E_l
	GLeak     float64 // leak conductance g_l > 0

	// Eps is added to the b-sum as in the reference implementation (spec §2, REF edge case
	// (i)); 0 gives exact times, 1e-6 reproduces the reference's recorded times. With
	// TauMem = 2·TauSyn it is added to the A1-sum instead, as the reference does.
	Eps float64
}

// Validate reports whether the parameters describe a supported neuron: positive finite time
// constants with TauMem equal to TauSyn or to 2·TauSyn, a positive finite GLeak, finite Leak
// and Threshold with Threshold > Leak, and a finite Eps ≥ 0. The error names the offending
// field by its configuration name (tau_syn, tau_mem, threshold, leak, g_leak, eps).
func (p TTFS) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"tau_syn", p.TauSyn}, {"tau_mem", p.TauMem}, {"g_leak", p.GLeak}} {
		if !(f.v > 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("neurons: %s = %v: must be positive and finite", f.name, f.v)
		}
	}
	if p.TauMem != p.TauSyn && p.TauMem != 2*p.TauSyn {
		return fmt.Errorf("neurons: tau_mem = %v: the first-spike kernel needs tau_mem = tau_syn (%v) or tau_mem = 2·tau_syn (%v); the LIF solver handles other ratios",
			p.TauMem, p.TauSyn, 2*p.TauSyn)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"threshold", p.Threshold}, {"leak", p.Leak}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("neurons: %s = %v: must be finite", f.name, f.v)
		}
	}
	if !(p.Threshold > p.Leak) {
		return fmt.Errorf("neurons: threshold = %v: must exceed leak = %v", p.Threshold, p.Leak)
	}
	if c := p.GLeak * (p.Threshold - p.Leak); !(c > 0) || math.IsInf(c, 1) {
		return fmt.Errorf("neurons: g_leak·(threshold − leak) = %v·%v: the product must be positive and finite", p.GLeak, p.Threshold-p.Leak)
	}
	if !(p.Eps >= 0) || math.IsInf(p.Eps, 1) {
		return fmt.Errorf("neurons: eps = %v: must be finite and non-negative", p.Eps)
	}
	return nil
}

// ttfsConst holds what the kernels need from valid parameters.
type ttfsConst struct {
	dt  bool    // TauMem = 2·TauSyn
	tau float64 // TauSyn: times are scaled to x = t/TauSyn
	c   float64 // GLeak·(Threshold − Leak): the threshold of Σ_i w_i κ(t − t_i)
	eps float64
}

func (p TTFS) consts(method string) ttfsConst {
	if err := p.Validate(); err != nil {
		panic("neurons: TTFS." + method + " with invalid parameters: " + strings.TrimPrefix(err.Error(), "neurons: "))
	}
	return ttfsConst{dt: p.TauMem != p.TauSyn, tau: p.TauSyn, c: p.GLeak * (p.Threshold - p.Leak), eps: p.Eps}
}

// ttfsStackInputs is the number of inputs FirstSpike handles without allocating.
const ttfsStackInputs = 64

// FirstSpike returns the first spike time of one neuron whose inputs arrive at times (in any
// order; +Inf = no input) with the given weights. It returns +Inf if the membrane never reaches
// threshold. It panics if len(times) != len(weights) or if p is not valid.
//
// Inputs at ±Inf or NaN times contribute nothing. Weights of spiking inputs must be finite:
// if one is NaN or ±Inf, FirstSpike returns +Inf. The result is never NaN.
//
// FirstSpike allocates only for more than 64 inputs; Layer serves many neurons with the same
// inputs much faster.
func (p TTFS) FirstSpike(times, weights []float64) float64 {
	k := p.consts("FirstSpike")
	if len(times) != len(weights) {
		panic(fmt.Sprintf("neurons: TTFS.FirstSpike: %d times and %d weights", len(times), len(weights)))
	}
	if len(times) > ttfsStackInputs {
		var s LayerScratch
		s.pairs = ttfsFinitePairs(s.pairs, times)
		s.tmp = make([]ttfsPair, len(s.pairs))
		s.stream.init(s.pairs, s.tmp)
		s.stream.sortAll()
		return s.robust(0, times, weights, 1, k)
	}
	var pairBuf [ttfsStackInputs]ttfsPair
	var tBuf, wBuf [ttfsStackInputs]float64
	pairs := ttfsFinitePairs(pairBuf[:0], times)
	ttfsBinaryInsertionSort(pairs)
	ts, ws := tBuf[:len(pairs)], wBuf[:len(pairs)]
	for i, pr := range pairs {
		ts[i], ws[i] = times[pr.idx], weights[pr.idx]
	}
	return k.scan(ts, ws)
}

// ttfsFinitePairs appends the keys of the finite times to dst.
func ttfsFinitePairs(dst []ttfsPair, times []float64) []ttfsPair {
	for i, t := range times {
		if !math.IsInf(t, 0) && !math.IsNaN(t) {
			dst = append(dst, ttfsPair{ttfsKey(t), int32(i)})
		}
	}
	return dst
}

// LayerScratch holds reusable buffers for Layer; the zero value is ready to use. A scratch must
// not be shared between goroutines.
type LayerScratch struct {
	pairs, tmp []ttfsPair // finite inputs
	stream     ttfsStream // ... in time order

	// Per neuron that has not fired yet, in increasing neuron order. A neuron that fires is
	// marked dead (a = NaN, which no window test passes) and removed once dead entries make
	// up a quarter of the list, so that a firing costs no data movement.
	act  []int32
	a, b []float64 // ET: a, b + ε; DT: A1 + ε, A2
	dead int
	sum  []float64 // per neuron (not per entry): weight sum of the current group
	redo []int32   // neurons whose sums overflowed

	ts, ws []float64 // one neuron's inputs for the robust scan
}

// ttfsMaxSpread bounds the span of scaled input times (in units of τs) that Layer handles with
// exponentials shared by all neurons: e^300 ≈ 2·10^130 leaves room for large weights and many
// inputs. Wider spans take the re-basing per-neuron scan.
const ttfsMaxSpread = 300

// Layer computes the first spike times of nOut neurons that share the same inputs: in holds
// the n input times of one sample (+Inf = no spike), w the n × nOut weights in row-major order
// (row = presynaptic, column = postsynaptic) and out receives nOut times. It sorts the inputs
// once and stops each neuron's scan at its first valid window.
//
// The windows are visited in time order with all neurons that have not fired yet, weight row
// by weight row, so that memory is read contiguously; the exponentials of each input time are
// shared by all neurons, inputs with equal times form one window, and inputs later than the
// last neuron's spike are neither sorted nor exponentiated.
//
// Inputs at ±Inf or NaN times contribute nothing; a neuron with a NaN or infinite weight on a
// spiking input gets +Inf. No result is NaN. Layer panics if len(w) != len(in)·len(out) or if
// p is not valid, and allocates nothing once s has grown to the problem size.
func (p TTFS) Layer(out, in, w []float64, s *LayerScratch) {
	k := p.consts("Layer")
	nOut := len(out)
	if len(w) != len(in)*nOut {
		panic(fmt.Sprintf("neurons: TTFS.Layer: len(w) = %d, want %d inputs × %d outputs", len(w), len(in), nOut))
	}
	for j := range out {
		out[j] = math.Inf(1)
	}
	s.pairs = ttfsFinitePairs(s.pairs[:0], in)
	n := len(s.pairs)
	if n == 0 || nOut == 0 {
		return
	}
	if cap(s.tmp) < n {
		s.tmp = make([]ttfsPair, cap(s.pairs))
	}
	st := &s.stream
	st.init(s.pairs, s.tmp[:n])
	tMin, tMax := ttfsKeyTime(st.lo), ttfsKeyTime(st.hi)
	eps0 := k.eps * math.Exp(-tMin/k.tau) // ε in the frame of the earliest input: b + ε unshifted
	if (tMax-tMin)/k.tau > ttfsMaxSpread || math.IsInf(eps0, 1) {
		st.sortAll()
		for j := range out {
			out[j] = s.robust(j, in, w, nOut, k)
		}
		return
	}
	s.start(nOut, k, eps0)
	// x is the current window's start in the frame of tMin, e = e^x (DT: h = e^(x/2)).
	x, e, h := 0.0, 1.0, 1.0
	sp := st.p
	for pos := 0; pos < n && len(s.act) > 0; {
		// The window's inputs are sp[pos:end], all at the same time.
		st.ensure(pos)
		end := pos + 1
		for end < n {
			if end >= st.sorted {
				st.ensure(end)
			}
			if sp[end].key != sp[pos].key {
				break
			}
			end++
		}
		r0 := int(sp[pos].idx) * nOut
		weights := w[r0 : r0+nOut] // indexed by neuron
		if end-pos > 1 {
			s.sumRows(w, sp[pos:end], nOut)
			weights = s.sum
		}
		if end == n {
			s.stepLast(out, weights, x, e, h, tMin, k)
			break
		}
		xn := (in[sp[end].idx] - tMin) / k.tau
		en := math.Exp(xn)
		if k.dt {
			hn := math.Exp(xn / 2)
			s.stepDT(out, weights, x, e, h, xn, 1/hn, tMin, k)
			h = hn
		} else {
			s.stepET(out, weights, x, e, xn, k.c*en, tMin, k)
		}
		pos, x, e = end, xn, en
		// Removing the dead entries costs about what one more window spends on them.
		if s.dead > len(s.act)/4 && n-pos > 2 {
			s.compact(out)
		}
	}
	// The neurons still listed are silent unless their sums overflowed (dead entries that
	// fired have a spike time).
	a, b := s.a[:len(s.act)], s.b[:len(s.act)]
	for i, n := range s.act {
		if (!ttfsFinite(a[i]) || !ttfsFinite(b[i])) && math.IsInf(out[n], 1) && !slices.Contains(s.redo, n) {
			s.redo = append(s.redo, n)
		}
	}
	s.finish(out, in, w, k)
}

// finish runs the robust scan for the neurons in s.redo.
func (s *LayerScratch) finish(out, in, w []float64, k ttfsConst) {
	if len(s.redo) == 0 {
		return
	}
	s.stream.sortAll()
	for _, n := range s.redo {
		out[n] = s.robust(int(n), in, w, len(out), k)
	}
}

func ttfsFinite(v float64) bool { return math.Abs(v) <= math.MaxFloat64 }

func ttfsGrow(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n)
	}
	return v[:n]
}

// start makes all nOut neurons active with empty sums.
func (s *LayerScratch) start(nOut int, k ttfsConst, eps0 float64) {
	if cap(s.act) < nOut {
		s.act = make([]int32, nOut)
	}
	s.act = s.act[:nOut]
	for i := range s.act {
		s.act[i] = int32(i)
	}
	s.a, s.b, s.sum = ttfsGrow(s.a, nOut), ttfsGrow(s.b, nOut), ttfsGrow(s.sum, nOut)
	s.redo, s.dead = s.redo[:0], 0
	a, b := s.a, s.b[:len(s.a)]
	if k.dt {
		a, b = b, a
	}
	for i := range a {
		a[i], b[i] = 0, eps0 // ET: a = 0, b = ε; DT: A1 = ε, A2 = 0
	}
}

// sumRows adds up the weight rows of a group of inputs with equal times into s.sum[n] for the
// active neurons n, eight rows at a time so that each sum is loaded and stored once per eight.
func (s *LayerScratch) sumRows(w []float64, rows []ttfsPair, nOut int) {
	act := s.act
	sum := s.sum[:nOut]
	row := func(k int) []float64 {
		r := int(rows[k].idx) * nOut
		return w[r : r+nOut]
	}
	r0 := row(0)
	for _, n := range act {
		sum[n] = r0[n]
	}
	k := 1
	for ; k+8 <= len(rows); k += 8 {
		r1, r2, r3, r4 := row(k), row(k+1), row(k+2), row(k+3)
		r5, r6, r7, r8 := row(k+4), row(k+5), row(k+6), row(k+7)
		for _, n := range act {
			sum[n] += (((r1[n] + r2[n]) + (r3[n] + r4[n])) + ((r5[n] + r6[n]) + (r7[n] + r8[n])))
		}
	}
	for ; k+4 <= len(rows); k += 4 {
		r1, r2, r3, r4 := row(k), row(k+1), row(k+2), row(k+3)
		for _, n := range act {
			sum[n] += ((r1[n] + r2[n]) + r3[n]) + r4[n]
		}
	}
	for ; k < len(rows); k++ {
		r1 := row(k)
		for _, n := range act {
			sum[n] += r1[n]
		}
	}
}

// stepET adds the window's inputs (weights[n] for neuron n) to the active neurons' sums and
// looks for a crossing in the window [x0, xn], where e = e^x0 and cn = c·e^xn.
//
// With u(x) = a·x − b the membrane on the window is u(x)·e^(−x), so it reaches threshold at the
// window's end iff u(xn) ≥ c·e^xn, and it has its peak inside the window iff u(x0) < a < u(xn)
// (V' ∝ a − u). These two cheap tests find every window that holds the crossing; the closed
// form then runs about once per neuron, off the hot loop.
func (s *LayerScratch) stepET(out, weights []float64, x0, e, xn, cn, t0 float64, k ttfsConst) {
	act := s.act
	a, b := s.a[:len(act)], s.b[:len(act)]
	xe := x0 * e
	for i, n := range act {
		wv := weights[n]
		ai, bi := a[i]+wv*e, b[i]+wv*xe
		a[i], b[i] = ai, bi
		if u := ai*xn - bi; u >= cn || ai < u && ai > ai*x0-bi {
			s.solveET(i, n, ai, bi, out, x0, xn, u >= cn, t0, k)
		}
	}
}

// solveET runs the closed form for entry i of the active list on the window [x0, xn] and marks
// the entry dead if the neuron fired or its sums overflowed.
func (s *LayerScratch) solveET(i int, n int32, a, b float64, out []float64, x0, xn float64, sure bool, t0 float64, k ttfsConst) {
	x, st := ttfsCrossET(a, b, k.c, x0, xn, sure)
	switch st {
	case ttfsNone:
		return
	case ttfsFound:
		out[n] = t0 + k.tau*x
	case ttfsBad:
		s.redo = append(s.redo, n)
	}
	s.a[i] = math.NaN()
	s.dead++
}

// stepDT is stepET for TauMem = 2·TauSyn: the membrane on a window is A2·q − A1·q² with
// q = e^(−x/2), which rises while 2·A1·q > A2. Here e = e^x0, h = e^(x0/2) and qn = e^(−xn/2).
func (s *LayerScratch) stepDT(out, weights []float64, x0, e, h, xn, qn, t0 float64, k ttfsConst) {
	act := s.act
	a1, a2 := s.a[:len(act)], s.b[:len(act)]
	q0 := 1 / h
	for i, n := range act {
		wv := weights[n]
		ai, bi := a1[i]+wv*e, a2[i]+wv*h
		a1[i], a2[i] = ai, bi
		if vn := (bi - ai*qn) * qn; vn >= k.c || 2*ai*qn < bi && 2*ai*q0 > bi {
			s.solveDT(i, n, ai, bi, out, x0, xn, q0, vn >= k.c, t0, k)
		}
	}
}

// solveDT is solveET for TauMem = 2·TauSyn.
func (s *LayerScratch) solveDT(i int, n int32, a1, a2 float64, out []float64, x0, xn, q0 float64, sure bool, t0 float64, k ttfsConst) {
	x, st := ttfsCrossDT(a1, a2, k.c, x0, xn, q0, sure)
	switch st {
	case ttfsNone:
		return
	case ttfsFound:
		out[n] = t0 + k.tau*x
	case ttfsBad:
		s.redo = append(s.redo, n)
	}
	s.a[i] = math.NaN()
	s.dead++
}

// stepLast adds the last window's inputs and solves for the neurons whose membrane still rises
// at its start: after the last input the membrane has a single peak.
func (s *LayerScratch) stepLast(out, weights []float64, x0, e, h, t0 float64, k ttfsConst) {
	act := s.act
	a, b := s.a[:len(act)], s.b[:len(act)]
	inf := math.Inf(1)
	for i, n := range act {
		wv := weights[n]
		if k.dt {
			a[i], b[i] = a[i]+wv*e, b[i]+wv*h
			if 2*a[i]/h > b[i] {
				s.solveDT(i, n, a[i], b[i], out, x0, inf, 1/h, false, t0, k)
			}
			continue
		}
		a[i], b[i] = a[i]+wv*e, b[i]+wv*x0*e
		if a[i] > a[i]*x0-b[i] {
			s.solveET(i, n, a[i], b[i], out, x0, inf, false, t0, k)
		}
	}
}

// compact removes the dead entries from the active list, and sends neurons whose sums are no
// longer finite without having fired to the robust scan.
func (s *LayerScratch) compact(out []float64) {
	act, a, b := s.act, s.a, s.b
	j := 0
	for i, n := range act {
		if math.IsNaN(a[i]) || !ttfsFinite(a[i]) || !ttfsFinite(b[i]) {
			if math.IsInf(out[n], 1) && !slices.Contains(s.redo, n) {
				s.redo = append(s.redo, n) // overflowed: the robust scan decides
			}
			continue
		}
		act[j], a[j], b[j] = n, a[i], b[i]
		j++
	}
	s.act, s.dead = act[:j], 0
}

// robust returns neuron n's first spike time by the per-neuron scan, for inputs spread too
// widely for the shared exponentials or weights so large that the shared sums overflowed.
// The stream must be fully sorted.
func (s *LayerScratch) robust(n int, in, w []float64, nOut int, k ttfsConst) float64 {
	s.ts, s.ws = s.ts[:0], s.ws[:0]
	for _, pr := range s.stream.p {
		s.ts = append(s.ts, in[pr.idx])
		s.ws = append(s.ws, w[int(pr.idx)*nOut+n])
	}
	return k.scan(s.ts, s.ws)
}
