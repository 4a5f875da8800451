package neurons

import (
	"fmt"
	"math"
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
	var pairBuf, tmpBuf [ttfsStackInputs]ttfsPair
	var tBuf, wBuf [ttfsStackInputs]float64
	pairs, tmp, ts, ws := pairBuf[:0], tmpBuf[:], tBuf[:0], wBuf[:0]
	if len(times) > ttfsStackInputs {
		pairs = make([]ttfsPair, 0, len(times))
		tmp = make([]ttfsPair, len(times))
		ts, ws = make([]float64, 0, len(times)), make([]float64, 0, len(times))
	}
	for i, t := range times {
		if !math.IsInf(t, 0) && !math.IsNaN(t) {
			pairs = append(pairs, ttfsPair{ttfsKey(t), int32(i)})
		}
	}
	var count []int32
	ttfsSort(pairs, tmp, &count)
	for _, pr := range pairs {
		ts = append(ts, times[pr.idx])
		ws = append(ws, weights[pr.idx])
	}
	return k.scan(ts, ws)
}

// LayerScratch holds reusable buffers for Layer; the zero value is ready to use. A scratch must
// not be shared between goroutines.
type LayerScratch struct {
	pairs, tmp []ttfsPair // finite inputs sorted by time
	count      []int32

	// Groups of equal input times: group g holds pairs[gEnd[g−1]:gEnd[g]].
	gEnd []int32
	gT   []float64 // time
	gX   []float64 // x = (t − t_0)/τs, t_0 the earliest input time
	gE   []float64 // e^x
	gF   []float64 // ET: x·e^x; DT: e^(x/2)
	gG   []float64 // ET: c·e^x, the threshold of a·x − b at x; DT: e^(−x/2)

	// Per neuron that has not fired yet, in increasing neuron order.
	act  []int32
	a, b []float64 // ET: a, b + ε; DT: A1 + ε, A2
	up   []float64 // ET: a·x − b at the start of the current window
	sum  []float64 // weight sum of the current group
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
// Inputs with equal times form one window. Inputs at ±Inf or NaN times contribute nothing; a
// neuron with a NaN or infinite weight on a spiking input gets +Inf. No result is NaN. Layer
// panics if len(w) != len(in)·len(out) or if p is not valid, and allocates nothing once s
// has grown to the problem size.
func (p TTFS) Layer(out, in, w []float64, s *LayerScratch) {
	k := p.consts("Layer")
	nOut := len(out)
	if len(w) != len(in)*nOut {
		panic(fmt.Sprintf("neurons: TTFS.Layer: len(w) = %d, want %d inputs × %d outputs", len(w), len(in), nOut))
	}
	for j := range out {
		out[j] = math.Inf(1)
	}
	ng := s.group(in, k)
	if ng == 0 || nOut == 0 {
		return
	}
	t0 := s.gT[0]
	eps0 := k.eps * math.Exp(-t0/k.tau) // ε in the shifted frame: b + ε unshifted
	if s.gX[ng-1] > ttfsMaxSpread || math.IsInf(eps0, 1) {
		for n := range out {
			out[n] = s.robust(n, in, w, nOut, k)
		}
		return
	}
	s.start(nOut, k, eps0)
	for g := 0; g < ng && len(s.act) > 0; g++ {
		lo := int32(0)
		if g > 0 {
			lo = s.gEnd[g-1]
		}
		rows := s.pairs[lo:s.gEnd[g]]
		r0 := int(rows[0].idx) * nOut
		single := len(rows) == 1
		if !single {
			s.sumRows(w, rows, nOut)
		}
		if k.dt {
			s.stepDT(out, w[r0:r0+nOut], single, g, ng, t0, k)
		} else {
			s.stepET(out, w[r0:r0+nOut], single, g, ng, t0, k)
		}
	}
	for i, n := range s.act {
		if !ttfsFinite(s.a[i]) || !ttfsFinite(s.b[i]) {
			s.redo = append(s.redo, n)
		}
	}
	for _, n := range s.redo {
		out[n] = s.robust(int(n), in, w, nOut, k)
	}
}

func ttfsFinite(v float64) bool { return math.Abs(v) <= math.MaxFloat64 }

// group sorts the finite inputs and fills the per-group arrays; it returns the number of
// groups.
func (s *LayerScratch) group(in []float64, k ttfsConst) int {
	s.pairs = s.pairs[:0]
	for i, t := range in {
		if !math.IsInf(t, 0) && !math.IsNaN(t) {
			s.pairs = append(s.pairs, ttfsPair{ttfsKey(t), int32(i)})
		}
	}
	if len(s.pairs) == 0 {
		return 0
	}
	if cap(s.tmp) < len(s.pairs) {
		s.tmp = make([]ttfsPair, cap(s.pairs))
	}
	ttfsSort(s.pairs, s.tmp[:len(s.pairs)], &s.count)
	s.gEnd, s.gT = s.gEnd[:0], s.gT[:0]
	for i := range s.pairs {
		if i > 0 && s.pairs[i].key != s.pairs[i-1].key {
			s.gEnd = append(s.gEnd, int32(i))
		}
		if i == 0 || s.pairs[i].key != s.pairs[i-1].key {
			s.gT = append(s.gT, in[s.pairs[i].idx]+0)
		}
	}
	s.gEnd = append(s.gEnd, int32(len(s.pairs)))
	ng := len(s.gT)
	s.gX, s.gE = ttfsGrow(s.gX, ng), ttfsGrow(s.gE, ng)
	s.gF, s.gG = ttfsGrow(s.gF, ng), ttfsGrow(s.gG, ng)
	t0 := s.gT[0]
	for g, t := range s.gT {
		x := (t - t0) / k.tau
		e := math.Exp(x)
		s.gX[g], s.gE[g] = x, e
		if k.dt {
			s.gF[g], s.gG[g] = math.Exp(x/2), math.Exp(-x/2)
		} else {
			s.gF[g], s.gG[g] = x*e, k.c*e
		}
	}
	return ng
}

func ttfsGrow(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n, n+n/4)
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
	s.a, s.b = ttfsGrow(s.a, nOut), ttfsGrow(s.b, nOut)
	s.up, s.sum = ttfsGrow(s.up, nOut), ttfsGrow(s.sum, nOut)
	s.redo = s.redo[:0]
	if k.dt {
		for i := range s.a {
			s.a[i], s.b[i] = eps0, 0
		}
		return
	}
	for i := range s.a {
		s.a[i], s.b[i], s.up[i] = 0, eps0, -eps0
	}
}

// sumRows adds up the weight rows of a group of inputs with equal times for the active neurons.
func (s *LayerScratch) sumRows(w []float64, rows []ttfsPair, nOut int) {
	act := s.act
	sum := s.sum[:len(act)]
	r := int(rows[0].idx) * nOut
	row := w[r : r+nOut]
	for i, n := range act {
		sum[i] = row[n]
	}
	for _, pr := range rows[1:] {
		r := int(pr.idx) * nOut
		row := w[r : r+nOut]
		for i, n := range act {
			sum[i] += row[n]
		}
	}
}

// stepET adds group g to the active neurons' sums (the weights are row[n] for a single input,
// else s.sum) and looks for a crossing in the window from its time to the next group's time.
//
// With u(x) = a·x − b the membrane on the window is u(x)·e^(−x), so it reaches threshold at the
// window's end iff u(x_next) ≥ c·e^(x_next), and it has its peak inside the window iff
// u(x_g) < a < u(x_next) (V' ∝ a − u). These two cheap tests find every window that holds the
// crossing; the closed form then runs about once per neuron.
func (s *LayerScratch) stepET(out, row []float64, single bool, g, ng int, t0 float64, k ttfsConst) {
	act := s.act
	a, b, up, sum := s.a[:len(act)], s.b[:len(act)], s.up[:len(act)], s.sum[:len(act)]
	ex, xex, x0 := s.gE[g], s.gF[g], s.gX[g]
	last := g == ng-1
	xn, cn := math.Inf(1), math.Inf(1)
	if !last {
		xn, cn = s.gX[g+1], s.gG[g+1]
	}
	j := 0
	for i, n := range act {
		wv := sum[i]
		if single {
			wv = row[n]
		}
		ai := math.FMA(wv, ex, a[i])
		bi := math.FMA(wv, xex, b[i])
		var u float64
		if !last {
			u = math.FMA(ai, xn, -bi)
			if u >= cn || (ai < u && ai > up[i]) {
				x, st := ttfsCrossET(ai, bi, k.c, x0, xn, u >= cn)
				if st == ttfsFound {
					out[n] = t0 + k.tau*x
					continue
				}
				if st == ttfsBad {
					s.redo = append(s.redo, n)
					continue
				}
			}
		} else if ai > up[i] {
			x, st := ttfsCrossET(ai, bi, k.c, x0, xn, false)
			if st == ttfsFound {
				out[n] = t0 + k.tau*x
				continue
			}
			if st == ttfsBad {
				s.redo = append(s.redo, n)
				continue
			}
		}
		act[j], a[j], b[j], up[j] = n, ai, bi, u
		j++
	}
	s.act = act[:j]
}

// stepDT is stepET for TauMem = 2·TauSyn: the membrane on a window is A2·q − A1·q² with
// q = e^(−x/2); it rises while 2·A1·q > A2.
func (s *LayerScratch) stepDT(out, row []float64, single bool, g, ng int, t0 float64, k ttfsConst) {
	act := s.act
	a1, a2, sum := s.a[:len(act)], s.b[:len(act)], s.sum[:len(act)]
	e1, e2, x0, q0 := s.gE[g], s.gF[g], s.gX[g], s.gG[g]
	last := g == ng-1
	xn, qn := math.Inf(1), 0.0
	if !last {
		xn, qn = s.gX[g+1], s.gG[g+1]
	}
	j := 0
	for i, n := range act {
		wv := sum[i]
		if single {
			wv = row[n]
		}
		ai := math.FMA(wv, e1, a1[i])
		bi := math.FMA(wv, e2, a2[i])
		if rising := 2*ai*q0 > bi; rising || !last {
			vn := math.FMA(-ai, qn, bi) * qn
			if vn >= k.c || (rising && 2*ai*qn < bi) {
				x, st := ttfsCrossDT(ai, bi, k.c, x0, xn, vn >= k.c)
				if st == ttfsFound {
					out[n] = t0 + k.tau*x
					continue
				}
				if st == ttfsBad {
					s.redo = append(s.redo, n)
					continue
				}
			}
		}
		act[j], a1[j], a2[j] = n, ai, bi
		j++
	}
	s.act = act[:j]
}

// robust returns neuron n's first spike time by the per-neuron scan, for inputs spread too
// widely for the shared exponentials or weights so large that the shared sums overflowed.
func (s *LayerScratch) robust(n int, in, w []float64, nOut int, k ttfsConst) float64 {
	s.ts, s.ws = s.ts[:0], s.ws[:0]
	for _, pr := range s.pairs {
		s.ts = append(s.ts, in[pr.idx])
		s.ws = append(s.ws, w[int(pr.idx)*nOut+n])
	}
	return k.scan(s.ts, s.ws)
}
