package learning

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/firstspike/firstspike/internal/mathx"
	"github.com/firstspike/firstspike/ttfs"
)

// gradConst holds what the gradient kernels need from valid neuron parameters.
type gradConst struct {
	dt     bool    // TauMem = 2·TauSyn
	tau    float64 // TauSyn: times are scaled to x = t/TauSyn
	tauMem float64
	c      float64 // GLeak·(Threshold − Leak)
	eps    float64
}

func newGradConst(p ttfs.Neuron, fn string) gradConst {
	if err := p.Validate(); err != nil {
		panic("learning: " + fn + " with invalid neuron: " + strings.TrimPrefix(err.Error(), "ttfs: "))
	}
	return gradConst{dt: p.TauMem != p.TauSyn, tau: p.TauSyn, tauMem: p.TauMem, c: p.GLeak * (p.Threshold - p.Leak), eps: p.Eps}
}

// gradNegInvE is −1/e rounded down: the smallest argument LambertW0 accepts.
const gradNegInvE = -0.36787944117144233

// etFactor returns 1/(a(1+W)) with W = W0(−(c/a)·e^(b/a)) for the sums a, b of a causal set (in
// any common time frame: the result times e^x_i is frame-independent), or 0 where the reference
// gets no usable derivative: a = 0, z < −1/e (its W = −∞ gives zeros) or the tangential touch
// W = −1, where the derivative is infinite.
func etFactor(a, b, c float64) float64 {
	if a == 0 || !finite(a) || math.IsNaN(b) {
		return 0
	}
	r := b / a
	z := -(c / a) * math.Exp(r)
	if math.IsInf(z, 0) || z == 0 {
		z = -math.Exp(r + mathx.Log(c) - mathx.Log(math.Abs(a)))
		if a < 0 {
			z = -z
		}
	}
	if !(z >= gradNegInvE) {
		return 0
	}
	f := 1 / (a * (1 + mathx.LambertW0(z)))
	if !finite(f) {
		return 0
	}
	return f
}

// dtFactors returns f1 = (1 + c·E/S)/A1 and f2 = 1/S, S = √(A2² − 4·A1·c), E = e^(t_out/τm) in
// the frame of the sums, so that ∂t/∂w_i = τm (f1 e^(t_i/τs) − f2 e^(t_i/τm)) and
// ∂t/∂t_i = w_i (2 f1 e^(t_i/τs) − f2 e^(t_i/τm)) (docs/model.md §3, in the reference's form, which also
// holds for output times that are not exact crossings). ok is false where the reference gets
// NaN or ±Inf: a negative discriminant, S = 0 or A1 = 0.
func dtFactors(a1, a2, c, e float64) (f1, f2 float64, ok bool) {
	s := math.Sqrt(math.FMA(a2, a2, -4*a1*c))
	if !(s > 0) || a1 == 0 || !finite(s) {
		return 0, 0, false
	}
	f1, f2 = (1+c*e/s)/a1, 1/s
	return f1, f2, finite(f1)
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return math.Abs(v) <= math.MaxFloat64 }

// NeuronGrad computes, for one neuron with inputs at tIn with weights w that spiked at tOut,
// the derivatives ∂tOut/∂w_i into dW and ∂tOut/∂tIn_i into dTin (docs/model.md §3). It needs no
// membrane trace: only the input times, the output time, the weights and the parameters.
// Inputs after tOut, silent inputs and a silent output give zeros.
//
// As in the reference, the closed form is re-evaluated on the causal set {i : tOut − tIn_i ≥ 0}
// (with p.Eps added like the reference adds it), so tOut may come from elsewhere (an
// integrator, a chip) and need not be an exact crossing. Where the reference has no finite
// derivative (the causal set cannot reach threshold, or touches it tangentially) the
// derivatives are 0. It panics if the slice lengths differ or p is not valid.
func NeuronGrad(p ttfs.Neuron, tIn, w []float64, tOut float64, dW, dTin []float64) {
	k := newGradConst(p, "NeuronGrad")
	n := len(tIn)
	if len(w) != n || len(dW) != n || len(dTin) != n {
		panic(fmt.Sprintf("learning: NeuronGrad: %d input times, %d weights, len(dW) = %d, len(dTin) = %d", n, len(w), len(dW), len(dTin)))
	}
	clear(dW)
	clear(dTin)
	if !finite(tOut) {
		return
	}
	causal := func(t float64) bool { return finite(t) && tOut-t >= 0 }
	// Work in the frame of tOut: every causal e^((t_i − tOut)/τs) is at most 1.
	if k.dt {
		a1 := k.eps * math.Exp(-tOut/k.tau)
		a2 := k.eps * math.Exp(-tOut/k.tauMem)
		for i, t := range tIn {
			if causal(t) {
				a1 += w[i] * math.Exp((t-tOut)/k.tau)
				a2 += w[i] * math.Exp((t-tOut)/k.tauMem)
			}
		}
		f1, f2, ok := dtFactors(a1, a2, k.c, 1)
		if !ok {
			return
		}
		for i, t := range tIn {
			if causal(t) {
				es, em := math.Exp((t-tOut)/k.tau), math.Exp((t-tOut)/k.tauMem)
				dW[i] = k.tauMem * (f1*es - f2*em)
				dTin[i] = w[i] * (2*f1*es - f2*em)
			}
		}
		return
	}
	a, b := 0.0, k.eps*math.Exp(-tOut/k.tau)
	for i, t := range tIn {
		if causal(t) {
			x := (t - tOut) / k.tau
			e := math.Exp(x)
			a = math.FMA(w[i], e, a)
			b = math.FMA(w[i], x*e, b)
		}
	}
	f := etFactor(a, b, k.c)
	if f == 0 {
		return
	}
	for i, t := range tIn {
		if causal(t) {
			e := math.Exp((t - tOut) / k.tau)
			dW[i] = -(tOut - t) * e * f
			dTin[i] = w[i] * e * (1 - (tOut-t)/k.tau) * f
		}
	}
}

// BackwardScratch holds reusable buffers for LayerBackward; the zero value is ready to use.
// A scratch must not be shared between goroutines.
type BackwardScratch struct {
	inIdx []int32   // finite inputs
	ex    []float64 // per input: e^x (x = (t − t_ref)/τs)
	xs    []float64 // per input: ET x; DT e^(x/2)

	// Per output neuron that gets an error; if sorted, by decreasing output time, so that the
	// neurons an input is causal for are a prefix.
	act    []int32
	sorted bool
	tOut   []float64 // output time
	xOut   []float64 // ET: (tOut − t_ref)/τs; DT: e^((tOut − t_ref)/τm)
	a, b   []float64 // ET: a, b + ε; DT: A1 + ε, A2 + ε
	big    []float64 // ET: max over causal inputs of (x_out − x_i)·e^x_i; DT: max |∂t/∂w|
	g      []float64 // δ_j times the factor of ∂t/∂t_i (DT: δ_j·f1)
	gw     []float64 // ET: g, or 0 for a column dropped by maxDwNorm; DT: 1 or 0
	f2     []float64 // DT: δ_j·f2

	col, dW, dT []float64 // per-neuron fallback
	fallback    []int32   // outputs that take the per-neuron fallback

	winX, winE []float64 // LayerBackwardRecorded: the record's windows, x and e^x

	actWin   []int32 // LayerBackwardRecorded: the spike window of each of act, before sorting
	winCount []int32 // sortLatestFirstByWindow
	actTmp   []int32

	cols     etColumns   // weightsOnlyET
	deferred *etDeferred // if not nil, weightsOnlyET leaves its additions to it
}

// backwardMaxSpread bounds the span, in units of τs, between the earliest input and the
// latest output that LayerBackward handles with exponentials shared by all neurons; wider
// spans use per-neuron frames.
const backwardMaxSpread = 600

// LayerBackward back-propagates one sample through one layer (docs/model.md §3). in holds the n input
// times (bias inputs included), out the m output times, w the n × m weights (row-major),
// delta the m errors ∂L/∂out (NaN is read as 0). It adds the weight gradient to gW (n × m),
// dropping a column whose largest entry exceeds maxDwNorm in magnitude (maxDwNorm ≤ 0 or
// +Inf disables the drop), and writes ∂L/∂in into deltaIn (n).
//
// deltaIn may be nil when ∂L/∂in is not needed (the first layer): the pass over the weights
// that forms it is then skipped. Non-finite entries of delta are read as 0, like NaN. The
// derivatives are those of NeuronGrad; only the causal inputs of each spiking output with a
// nonzero error are visited. LayerBackward panics if the slice lengths do not fit or p is not
// valid, and allocates nothing once s has grown to the problem size.
func LayerBackward(p ttfs.Neuron, in, out, w, delta []float64, maxDwNorm float64, gW, deltaIn []float64, s *BackwardScratch) {
	k := newGradConst(p, "LayerBackward")
	n, m := len(in), len(out)
	checkBackwardShapes("LayerBackward", in, out, w, delta, gW, deltaIn)
	clear(deltaIn)
	drop := maxDwNorm > 0 && !math.IsInf(maxDwNorm, 1)

	// Outputs that spiked and carry an error, latest first.
	s.act = s.act[:0]
	for j, t := range out {
		if finite(t) && finite(delta[j]) && delta[j] != 0 {
			s.act = append(s.act, int32(j))
		}
	}
	if len(s.act) == 0 {
		return
	}
	tLate := math.Inf(-1)
	for _, j := range s.act {
		tLate = max(tLate, out[j])
	}
	s.inIdx = s.inIdx[:0]
	tRef := math.Inf(1)
	for i, t := range in {
		if finite(t) && t <= tLate {
			s.inIdx = append(s.inIdx, int32(i))
			tRef = min(tRef, t)
		}
	}
	if len(s.inIdx) == 0 {
		return
	}
	s.sortLatestFirst(out)
	epsA := k.eps * math.Exp(-tRef/k.tau)
	epsB := k.eps * math.Exp(-tRef/k.tauMem)
	if (tLate-tRef)/k.tau > backwardMaxSpread || !finite(epsA) {
		for _, j := range s.act {
			s.neuronFallback(p, in, out, w, delta, int(j), drop, maxDwNorm, gW, deltaIn)
		}
		return
	}
	na := len(s.act)
	s.ex, s.xs = growFloats(s.ex, n), growFloats(s.xs, n)
	for _, i := range s.inIdx {
		x := (in[i] - tRef) / k.tau
		s.ex[i] = math.Exp(x)
		if k.dt {
			s.xs[i] = math.Exp(x / 2)
		} else {
			s.xs[i] = x
		}
	}
	s.tOut, s.xOut = growFloats(s.tOut, na), growFloats(s.xOut, na)
	s.a, s.b, s.big = growFloats(s.a, na), growFloats(s.b, na), growFloats(s.big, na)
	s.g, s.gw, s.f2 = growFloats(s.g, na), growFloats(s.gw, na), growFloats(s.f2, na)
	for q, j := range s.act {
		s.tOut[q] = out[j]
		s.big[q] = 0
		if k.dt {
			s.xOut[q] = math.Exp((out[j] - tRef) / k.tauMem)
			s.a[q], s.b[q] = epsA, epsB
		} else {
			s.xOut[q] = (out[j] - tRef) / k.tau
			s.a[q], s.b[q] = 0, epsA
		}
	}

	// Pass 1: the causal sums of every active neuron, row by row.
	if k.dt {
		s.sumsDT(in, w, m)
	} else {
		s.sumsET(in, w, m)
	}

	// Per neuron: the factors, and whether its column is dropped.
	s.fallback = s.fallback[:0]
	for q, j := range s.act {
		d := delta[j]
		if !finite(s.a[q]) || !finite(s.b[q]) {
			s.fallback = append(s.fallback, j) // overflowed: its own frame
			s.g[q], s.gw[q], s.f2[q] = 0, 0, 0
			continue
		}
		if k.dt {
			f1, f2, ok := dtFactors(s.a[q], s.b[q], k.c, s.xOut[q])
			if !ok {
				f1, f2 = 0, 0
			}
			s.g[q], s.f2[q], s.gw[q] = d*f1, d*f2, 1
		} else {
			s.g[q] = d * etFactor(s.a[q], s.b[q], k.c)
			s.gw[q] = s.g[q]
		}
	}
	if drop {
		if k.dt {
			s.maxDT(in, k.tauMem)
		}
		for q := range s.act {
			scale := k.tau * math.Abs(s.g[q]) // ET: |G_ij| = τs (x_out − x_i) e^x_i |g|
			if k.dt {
				scale = 1 // maxDT has formed the column maxima
			}
			if s.big[q]*scale > maxDwNorm {
				s.gw[q] = 0
			}
		}
	}

	// Pass 2: the weight gradient and, if wanted, ∂L/∂in.
	if k.dt {
		s.applyDT(in, w, m, k.tauMem, gW, deltaIn)
	} else {
		s.applyET(in, w, m, k.tau, gW, deltaIn)
	}
	for _, j := range s.fallback {
		s.neuronFallback(p, in, out, w, delta, int(j), drop, maxDwNorm, gW, deltaIn)
	}
}

// checkBackwardShapes panics, naming the function fn, if the slice lengths of a backward
// pass do not fit len(in) inputs and len(out) outputs.
func checkBackwardShapes(fn string, in, out, w, delta, gW, deltaIn []float64) {
	n, m := len(in), len(out)
	if len(w) != n*m || len(delta) != m || len(gW) != n*m || (deltaIn != nil && len(deltaIn) != n) {
		panic(fmt.Sprintf("learning: %s: n = %d inputs, m = %d outputs: len(w) = %d, len(delta) = %d, len(gW) = %d, len(deltaIn) = %d",
			fn, n, m, len(w), len(delta), len(gW), len(deltaIn)))
	}
}

// sortLatestFirst orders s.act by decreasing output time (ties by index) if there are more
// than 16 causal inputs, and records in s.sorted whether it did: the neurons an input is
// causal for are then a prefix, and the row loops stop at its end. With few inputs the sort
// would cost more than it saves.
func (s *BackwardScratch) sortLatestFirst(out []float64) {
	s.sorted = len(s.inIdx) > 16
	if s.sorted {
		slices.SortFunc(s.act, func(i, j int32) int {
			switch ti, tj := out[i], out[j]; {
			case ti > tj:
				return -1
			case ti < tj:
				return 1
			}
			return int(i - j)
		})
	}
}

func growFloats(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n)
	}
	return v[:n]
}

// sumsET forms a = Σ w e^x and b = ε + Σ w x e^x over each active neuron's causal inputs and
// the largest (x_out − x_i)·e^x_i, which sets the largest weight-gradient entry of its column.
func (s *BackwardScratch) sumsET(in, w []float64, m int) {
	sorted := s.sorted
	act, tOut, xOut := s.act, s.tOut[:len(s.act)], s.xOut[:len(s.act)]
	a, b, big := s.a[:len(act)], s.b[:len(act)], s.big[:len(act)]
	for _, i := range s.inIdx {
		t, e, x := in[i], s.ex[i], s.xs[i]
		xe := x * e
		row := w[int(i)*m : int(i)*m+m]
		for q, j := range act {
			if tOut[q] < t {
				if sorted {
					break
				}
				continue
			}
			wv := row[j]
			a[q] += wv * e
			b[q] += wv * xe
			if v := xOut[q]*e - xe; v > big[q] {
				big[q] = v
			}
		}
	}
}

// applyET adds G_ij = −τs (x_out − x_i) e^x_i g_j to gW and forms
// ∂L/∂t_i = e^x_i Σ_j w_ij g_j (1 − (x_out − x_i)).
func (s *BackwardScratch) applyET(in, w []float64, m int, tau float64, gW, deltaIn []float64) {
	sorted := s.sorted
	if deltaIn == nil && sorted {
		s.weightsOnlyET(in, m, tau, gW)
		return
	}
	s.deferred.flushInto(gW)
	act, tOut, xOut := s.act, s.tOut[:len(s.act)], s.xOut[:len(s.act)]
	g, gw := s.g[:len(act)], s.gw[:len(act)]
	for _, i := range s.inIdx {
		t, e, x := in[i], s.ex[i], s.xs[i]
		te := tau * e
		grow := gW[int(i)*m : int(i)*m+m]
		if deltaIn == nil {
			for q, j := range act {
				if tOut[q] < t {
					continue
				}
				grow[j] -= (xOut[q] - x) * te * gw[q]
			}
			continue
		}
		row := w[int(i)*m : int(i)*m+m]
		acc := 0.0
		for q, j := range act {
			if tOut[q] < t {
				if sorted {
					break
				}
				continue
			}
			dx := xOut[q] - x
			grow[j] -= dx * te * gw[q]
			acc += row[j] * g[q] * (1 - dx)
		}
		deltaIn[i] = e * acc
	}
}

// weightsOnlyET is applyET without ∂L/∂t_i (the first layer) for neurons sorted latest first:
// it visits only the columns that get a gradient (gw ≠ 0), and per input only the prefix of
// them it is causal for, found by moving the prefix's end from the previous input's. With
// s.deferred set it leaves the additions to etDeferred.flush.
func (s *BackwardScratch) weightsOnlyET(in []float64, m int, tau float64, gW []float64) {
	cols := &s.cols
	if s.deferred != nil {
		cols = s.deferred.next(gW, m)
	}
	cols.j, cols.xOut, cols.g, cols.tOut = cols.j[:0], cols.xOut[:0], cols.g[:0], cols.tOut[:0]
	for q, j := range s.act {
		if s.gw[q] != 0 {
			cols.j = append(cols.j, j)
			cols.xOut = append(cols.xOut, s.xOut[q])
			cols.g = append(cols.g, s.gw[q])
			cols.tOut = append(cols.tOut, s.tOut[q])
		}
	}
	cj := cols.j
	cx, cg, ct := cols.xOut[:len(cj)], cols.g[:len(cj)], cols.tOut[:len(cj)]
	n := 0 // the neurons with an output time ≥ t: a prefix, as ct is nonincreasing
	for _, i := range s.inIdx {
		t, e, x := in[i], s.ex[i], s.xs[i]
		for n > 0 && ct[n-1] < t {
			n--
		}
		for n < len(ct) && ct[n] >= t {
			n++
		}
		if n == 0 {
			continue
		}
		if s.deferred != nil {
			cols.rows = append(cols.rows, etDeferredRow{row: i, n: int32(n), x: x, te: tau * e})
			continue
		}
		etRow(gW[int(i)*m:int(i)*m+m], cj[:n], cx[:n], cg[:n], x, tau*e)
	}
}

// etRow subtracts (xOut_q − x)·te·g_q from grow[j_q] for each column q. It is a function of
// its own so that its loop keeps its few values in registers.
//
//go:noinline
func etRow(grow []float64, j []int32, xOut, g []float64, x, te float64) {
	xOut, g = xOut[:len(j)], g[:len(j)]
	for q, jq := range j {
		grow[jq] -= (xOut[q] - x) * te * g[q]
	}
}

// sumsDT forms A1 = ε + Σ w e^x and A2 = ε + Σ w e^(x/2) over each active neuron's causal inputs.
func (s *BackwardScratch) sumsDT(in, w []float64, m int) {
	sorted := s.sorted
	act, tOut := s.act, s.tOut[:len(s.act)]
	a1, a2 := s.a[:len(act)], s.b[:len(act)]
	for _, i := range s.inIdx {
		t, es, em := in[i], s.ex[i], s.xs[i]
		row := w[int(i)*m : int(i)*m+m]
		for q, j := range act {
			if tOut[q] < t {
				if sorted {
					break
				}
				continue
			}
			wv := row[j]
			a1[q] += wv * es
			a2[q] += wv * em
		}
	}
}

// maxDT forms each column's largest |G_ij| = τm |g_j e^x_i − f2_j e^(x_i/2)|.
func (s *BackwardScratch) maxDT(in []float64, tauMem float64) {
	sorted := s.sorted
	act, tOut := s.act, s.tOut[:len(s.act)]
	g, f2, big := s.g[:len(act)], s.f2[:len(act)], s.big[:len(act)]
	for _, i := range s.inIdx {
		t, es, em := in[i], s.ex[i], s.xs[i]
		for q := range act {
			if tOut[q] < t {
				if sorted {
					break
				}
				continue
			}
			if v := tauMem * math.Abs(g[q]*es-f2[q]*em); v > big[q] {
				big[q] = v
			}
		}
	}
}

// applyDT adds G_ij = τm (g_j e^x_i − f2_j e^(x_i/2)) to gW for the columns kept (g = δ·f1,
// f2 = δ·f2 of dtFactors) and
// forms ∂L/∂t_i = Σ_j w_ij (2 g_j e^x_i − f2_j e^(x_i/2)).
func (s *BackwardScratch) applyDT(in, w []float64, m int, tauMem float64, gW, deltaIn []float64) {
	s.deferred.flushInto(gW)
	sorted := s.sorted
	act, tOut := s.act, s.tOut[:len(s.act)]
	g, gw, f2 := s.g[:len(act)], s.gw[:len(act)], s.f2[:len(act)]
	for _, i := range s.inIdx {
		t, es, em := in[i], s.ex[i], s.xs[i]
		grow := gW[int(i)*m : int(i)*m+m]
		row := w[int(i)*m : int(i)*m+m]
		acc := 0.0
		for q, j := range act {
			if tOut[q] < t {
				if sorted {
					break
				}
				continue
			}
			if gw[q] != 0 {
				grow[j] += tauMem * (g[q]*es - f2[q]*em)
			}
			acc += row[j] * (2*g[q]*es - f2[q]*em)
		}
		if deltaIn != nil {
			deltaIn[i] = acc
		}
	}
}

// neuronFallback handles output j on its own through NeuronGrad, whose frame is the neuron's
// own output time: for inputs spread over more than backwardMaxSpread time constants or sums
// that overflowed the shared frame.
func (s *BackwardScratch) neuronFallback(p ttfs.Neuron, in, out, w, delta []float64, j int, drop bool, maxDwNorm float64, gW, deltaIn []float64) {
	s.deferred.flushInto(gW)
	n, m := len(in), len(out)
	s.col, s.dW, s.dT = growFloats(s.col, n), growFloats(s.dW, n), growFloats(s.dT, n)
	for i := range s.col {
		s.col[i] = w[i*m+j]
	}
	NeuronGrad(p, in, s.col, out[j], s.dW, s.dT)
	d := delta[j]
	big := 0.0
	for i := range n {
		big = max(big, math.Abs(s.dW[i]*d))
		if deltaIn != nil {
			deltaIn[i] += s.dT[i] * d
		}
	}
	if drop && big > maxDwNorm {
		return
	}
	for i := range n {
		gW[i*m+j] += s.dW[i] * d
	}
}
