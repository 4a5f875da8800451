package ttfs

import (
	"fmt"
	"math"
	"strings"

	"github.com/firstspike/firstspike/internal/mathx"
)

// Neuron holds the parameters of the first-spike neuron of docs/model.md §1: a current-based LIF
// neuron that starts at rest, integrates exponentially decaying input currents and spikes at
// most once, at its first upward threshold crossing.
//
// The membrane follows C du/dt = GLeak (Leak − u) + Σ_i w_i Θ(t − t_i) exp(−(t − t_i)/TauSyn)
// with C = GLeak·TauMem. Two ratios have closed forms and are supported: TauMem = TauSyn
// (Lambert W) and TauMem = 2·TauSyn (quadratic/log).
type Neuron struct {
	TauSyn    float64 // synaptic time constant τs > 0
	TauMem    float64 // membrane time constant: TauSyn or 2·TauSyn
	Threshold float64 // ϑ > Leak
	Leak      float64 // resting potential E_l
	GLeak     float64 // leak conductance g_l > 0

	// Eps is added to the b-sum as in the reference implementation (docs/model.md §2, REF edge case
	// (i)); 0 gives exact times, 1e-6 reproduces the reference's recorded times. With
	// TauMem = 2·TauSyn it is added to the A1-sum instead, as the reference does.
	Eps float64
}

// Validate reports whether the parameters describe a supported neuron: positive finite time
// constants with TauMem equal to TauSyn or to 2·TauSyn, a positive finite GLeak, finite Leak
// and Threshold with Threshold > Leak, and a finite Eps ≥ 0. The error names the offending
// field and its value.
func (p Neuron) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"TauSyn", p.TauSyn}, {"TauMem", p.TauMem}, {"GLeak", p.GLeak}} {
		if !(f.v > 0) || math.IsInf(f.v, 1) {
			return fmt.Errorf("ttfs: %s = %v: must be positive and finite", f.name, f.v)
		}
	}
	if p.TauMem != p.TauSyn && p.TauMem != 2*p.TauSyn {
		return fmt.Errorf("ttfs: TauMem = %v: the first-spike kernel needs TauMem = TauSyn (%v) or TauMem = 2·TauSyn (%v); neurons.LIF handles other ratios",
			p.TauMem, p.TauSyn, 2*p.TauSyn)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"Threshold", p.Threshold}, {"Leak", p.Leak}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("ttfs: %s = %v: must be finite", f.name, f.v)
		}
	}
	if !(p.Threshold > p.Leak) {
		return fmt.Errorf("ttfs: Threshold = %v: must exceed Leak = %v", p.Threshold, p.Leak)
	}
	if c := p.GLeak * (p.Threshold - p.Leak); !(c > 0) || math.IsInf(c, 1) {
		return fmt.Errorf("ttfs: GLeak·(Threshold − Leak) = %v·%v: the product must be positive and finite", p.GLeak, p.Threshold-p.Leak)
	}
	if !(p.Eps >= 0) || math.IsInf(p.Eps, 1) {
		return fmt.Errorf("ttfs: Eps = %v: must be finite and non-negative", p.Eps)
	}
	return nil
}

// constants holds what the kernels need from valid parameters.
type constants struct {
	dt  bool    // TauMem = 2·TauSyn
	tau float64 // TauSyn: times are scaled to x = t/TauSyn
	c   float64 // GLeak·(Threshold − Leak): the threshold of Σ_i w_i κ(t − t_i)
	eps float64
}

func (p Neuron) consts(method string) constants {
	c := p.GLeak * (p.Threshold - p.Leak)
	// Validate's conditions, tested without building its error messages: this runs per call.
	valid := p.TauSyn > 0 && p.TauSyn <= math.MaxFloat64 && (p.TauMem == p.TauSyn || p.TauMem == 2*p.TauSyn) &&
		p.GLeak > 0 && p.GLeak <= math.MaxFloat64 && p.Threshold > p.Leak &&
		finite(p.Threshold) && finite(p.Leak) && c > 0 && c <= math.MaxFloat64 &&
		p.Eps >= 0 && p.Eps <= math.MaxFloat64
	if !valid {
		err := p.Validate()
		panic("ttfs: Neuron." + method + " with invalid parameters: " + strings.TrimPrefix(err.Error(), "ttfs: "))
	}
	return constants{dt: p.TauMem != p.TauSyn, tau: p.TauSyn, c: c, eps: p.Eps}
}

// stackInputs is the number of inputs FirstSpike handles without allocating.
const stackInputs = 64

// FirstSpike returns the first spike time of one neuron whose inputs arrive at times (in any
// order; +Inf = no input) with the given weights. It returns +Inf if the membrane never reaches
// threshold. It panics if len(times) != len(weights) or if p is not valid.
//
// Inputs at ±Inf or NaN times contribute nothing. Weights of spiking inputs must be finite:
// if one is NaN or ±Inf, FirstSpike returns +Inf. The result is never NaN.
//
// FirstSpike allocates only for more than 64 inputs; Layer serves many neurons with the same
// inputs much faster.
func (p Neuron) FirstSpike(times, weights []float64) float64 {
	k := p.consts("FirstSpike")
	if len(times) != len(weights) {
		panic(fmt.Sprintf("ttfs: Neuron.FirstSpike: %d times and %d weights", len(times), len(weights)))
	}
	if len(times) > stackInputs {
		var s Scratch
		s.pairs = finitePairs(s.pairs, times)
		s.tmp = make([]pair, len(s.pairs))
		s.stream.init(s.pairs, s.tmp)
		s.stream.sortAll()
		return s.robust(0, times, weights, 1, k)
	}
	var pairBuf [stackInputs]pair
	var tBuf, wBuf [stackInputs]float64
	pairs := finitePairs(pairBuf[:0], times)
	binaryInsertionSort(pairs)
	ts, ws := tBuf[:len(pairs)], wBuf[:len(pairs)]
	for i, pr := range pairs {
		ts[i], ws[i] = pr.t, weights[pr.idx]
	}
	return k.scan(ts, ws)
}

// Scratch holds reusable buffers for Layer and RecordLayer; the zero value is ready to use.
// A scratch must not be shared between goroutines.
type Scratch struct {
	// ColumnSums, if not nil, holds for each neuron j the sum over all rows i of w[i·nOut+j]
	// for the weights w that Layer is called with; the caller keeps it up to date. Layer then
	// forms the weight sum of a group of equal input times that holds more than half of the
	// inputs (MNIST's background pixels) from the fewer rows outside the group. The times agree
	// with those computed without it to rounding. Layer panics if its length is not nOut.
	ColumnSums []float64

	pairs, tmp []pair    // finite inputs
	in         []float64 // the inputs of the current call
	rows       []int32   // the rows of a group, or outside a large one
	stream     stream    // ... in time order

	// Wide layers with TauMem = 2·TauSyn: per neuron that has not fired yet, in increasing
	// neuron order. A neuron that fires is marked dead (A1 = NaN, which no window test passes)
	// and removed once dead entries make up a quarter of the list, so that a firing costs no
	// data movement.
	act  []int32
	a, b []float64 // A1 + ε and A2
	dead int
	sum  []float64 // per neuron (not per entry): weight sum of the current group

	blk  blockState     // wide layers with TauMem = TauSyn
	cur  wideCursor     // ... and where wideET stands
	fire fireCandidates // TauMem = TauSyn: a window's closed forms (fireBlocks, fireWideET)
	win  windows        // the windows in time order: built lazily (narrow layers) or recorded

	redo   []int32 // neurons whose sums overflowed: the robust scan decides
	ts, ws []float64
	rec    *Record // nil unless recording
}

// maxSpread bounds the span of scaled input times (in units of τs) that Layer handles with
// exponentials shared by all neurons: e^300 ≈ 2·10^130 leaves room for large weights and many
// inputs. Wider spans take the re-basing per-neuron scan.
const maxSpread = 300

// Layer serves layers with at most scanOutputs neurons or scanInputs spiking inputs
// on the narrow path (scanET): with few inputs all windows are built first and stepped with
// all neurons, with few neurons and many inputs the windows are swept in time order; the wide
// path's per-window bookkeeping would cost more than it saves there.
const (
	scanOutputs = 8
	scanInputs  = 16
)

// Layer computes the first spike times of nOut neurons that share the same inputs: in holds
// the n input times of one sample (+Inf = no spike), w the n × nOut weights in row-major order
// (row = presynaptic, column = postsynaptic) and out receives nOut times. It sorts the inputs
// once and stops each neuron's scan at its first valid window.
//
// The windows (groups of inputs with equal times) are visited in time order with all neurons
// that have not fired yet, weight row by weight row, so that memory is read contiguously; the
// exponential of each window's time is shared by all neurons, and inputs later than the last
// neuron's spike are neither sorted nor exponentiated. Layers with at most 16 spiking inputs
// build all their windows first; layers with at most 8 neurons and more inputs sweep the
// windows keeping each neuron's sums in a few registers.
//
// Inputs at ±Inf or NaN times contribute nothing; a neuron with a NaN or infinite weight on a
// spiking input gets +Inf. No result is NaN. Layer panics if len(w) != len(in)·len(out) or if
// p is not valid, and allocates nothing once s has grown to the problem size.
func (p Neuron) Layer(out, in, w []float64, s *Scratch) {
	s.rec = nil
	p.layer("Layer", out, in, w, s)
}

func (p Neuron) layer(method string, out, in, w []float64, s *Scratch) {
	k := p.consts(method)
	path, t0, eps0 := s.setup(method, k, out, in, w)
	switch path {
	case pathNone:
		return
	case pathRobust:
		s.stream.sortAll()
		for j := range out {
			out[j] = s.robust(j, in, w, len(out), k)
		}
		s.rec.fail()
		return
	}
	s.in = in
	switch path {
	case pathDT:
		s.wideDT(out, w, k, t0, eps0)
	case pathNarrow:
		s.scanET(out, w, k, t0, eps0)
	default:
		s.wideET(out, w, k, t0, eps0)
	}
	s.in = nil // the caller's slice is not the scratch's to keep
	s.finishLayer(out, in, w, k, t0)
}

// layerPath is the way Layer computes a call's times.
type layerPath int

const (
	pathNone   layerPath = iota // no spiking input or no neuron: every time is +Inf
	pathRobust                  // the per-neuron scan, for inputs spread too far
	pathDT                      // wideDT
	pathNarrow                  // scanET
	pathWide                    // wideET
)

// setup starts a Layer call: it checks the shapes, sets every time to +Inf, begins the
// record, sorts (lazily) the spiking inputs into the stream and chooses the path. t0 is the
// earliest input time and eps0 is ε in its frame: b + ε unshifted.
func (s *Scratch) setup(method string, k constants, out, in, w []float64) (path layerPath, t0, eps0 float64) {
	nOut := len(out)
	if len(w) != len(in)*nOut {
		panic(fmt.Sprintf("ttfs: Neuron.%s: len(w) = %d, want %d inputs × %d outputs", method, len(w), len(in), nOut))
	}
	s.rec.begin(k, nOut)
	for j := range out {
		out[j] = math.Inf(1)
	}
	s.pairs = finitePairs(s.pairs[:0], in)
	n := len(s.pairs)
	if n == 0 || nOut == 0 {
		return pathNone, 0, 0
	}
	if cap(s.tmp) < n {
		s.tmp = make([]pair, cap(s.pairs))
	}
	st := &s.stream
	st.init(s.pairs, s.tmp[:n])
	t0 = st.lo
	eps0 = k.eps * mathx.Exp(-t0/k.tau)
	s.redo = s.redo[:0]
	s.win.reset()
	switch {
	case (st.hi-t0)/k.tau > maxSpread || math.IsInf(eps0, 1):
		return pathRobust, t0, eps0
	case k.dt:
		return pathDT, t0, eps0
	case nOut <= scanOutputs || n <= scanInputs:
		return pathNarrow, t0, eps0
	}
	return pathWide, t0, eps0
}

// finishLayer ends a Layer call: the robust scan for the neurons handed to it, and the record.
func (s *Scratch) finishLayer(out, in, w []float64, k constants, t0 float64) {
	if len(s.redo) > 0 {
		s.stream.sortAll()
		for _, j := range s.redo {
			out[j] = s.robust(int(j), in, w, len(out), k)
		}
	}
	s.rec.finish(s, t0)
}

func finite(v float64) bool { return math.Abs(v) <= math.MaxFloat64 }

func grow(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n)
	}
	return v[:n]
}

// groupEnd returns the end of the group of inputs with the same time that starts at stream
// position pos, sorting the stream as far as it needs.
func (st *stream) groupEnd(pos int) int {
	st.ensure(pos)
	sp := st.p
	t := sp[pos].t
	end := pos + 1
	for end < len(sp) {
		if end >= st.sorted {
			st.ensure(end)
		}
		if sp[end].t != t {
			break
		}
		end++
	}
	return end
}

// start makes all nOut neurons active with the given initial sums.
func (s *Scratch) start(nOut int, a0, b0 float64) {
	if cap(s.act) < nOut {
		s.act = make([]int32, nOut)
	}
	s.act = s.act[:nOut]
	for i := range s.act {
		s.act[i] = int32(i)
	}
	s.a, s.b, s.sum = grow(s.a, nOut), grow(s.b, nOut), grow(s.sum, nOut)
	s.dead = 0
	a, b := s.a, s.b[:len(s.a)]
	for i := range a {
		a[i], b[i] = a0, b0
	}
}

// windowWeights returns the weights of the window sp[pos:end] per neuron: the input's row, or
// for a group of equal times the rows summed for the active neurons.
func (s *Scratch) windowWeights(w []float64, rows []pair, nOut int) []float64 {
	r0 := int(rows[0].idx) * nOut
	if len(rows) == 1 {
		return w[r0 : r0+nOut]
	}
	s.sumRows(w, rows, nOut)
	return s.sum[:nOut]
}

// sumRows adds up the weight rows of a group of inputs with equal times for the active
// neurons n, into s.sum[n], eight rows at a time so that each sum is loaded and stored once
// per eight.
func (s *Scratch) sumRows(w []float64, rows []pair, nOut int) {
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
			sum[n] += ((r1[n] + r2[n]) + (r3[n] + r4[n])) + ((r5[n] + r6[n]) + (r7[n] + r8[n]))
		}
	}
	for ; k < len(rows); k++ {
		r1 := row(k)
		for _, n := range act {
			sum[n] += r1[n]
		}
	}
}

// compact removes the dead entries from the active list, and sends neurons whose sums are no
// longer finite without having fired to the robust scan.
func (s *Scratch) compact(out []float64) {
	act, a, b := s.act, s.a, s.b
	j := 0
	for i, n := range act {
		if !finite(a[i]) || !finite(b[i]) {
			if math.IsInf(out[n], 1) {
				s.redo = append(s.redo, n) // overflowed, or a non-finite weight
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
func (s *Scratch) robust(n int, in, w []float64, nOut int, k constants) float64 {
	s.ts, s.ws = s.ts[:0], s.ws[:0]
	for _, pr := range s.stream.p {
		s.ts = append(s.ts, in[pr.idx])
		s.ws = append(s.ws, w[int(pr.idx)*nOut+n])
	}
	return k.scan(s.ts, s.ws)
}
