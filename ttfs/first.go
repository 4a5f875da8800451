package ttfs

import (
	"fmt"
	"math"
	"slices"

	"github.com/firstspike/firstspike/internal/mathx"
)

// FirstOutputScratch holds reusable buffers for FirstOutput; the zero value is ready to use.
// A scratch must not be shared between goroutines.
type FirstOutputScratch struct {
	// HiddenColumnSums and OutputColumnSums play the part of Scratch.ColumnSums for the
	// hidden and the output layer's weights; either may be nil.
	HiddenColumnSums, OutputColumnSums []float64

	hidden, output Scratch
	times          []float64 // the output layer's inputs: the hidden times, then the bias times
	outTimes       []float64 // the output layer's times, on the full path
	emitted        []bool    // per hidden neuron: its spike is in known
	fresh          []pair    // the hidden spikes of a window
	counts         []int32   // addFresh's buckets
	kk             int       // the next window of a narrow hidden layer

	// The output layer, behind the hidden one: its inputs known so far in time order (equal
	// times by index, as Layer's stream keeps them), the start of the next window's group in
	// known, that group's x and e^x once the origin t0 is set, and the sums per neuron.
	known   []pair
	bias    []pair // the output layer's spiking bias inputs in time order
	nextB   int    // the first of them not yet in known
	pos     int
	started bool
	t0, x   float64
	e       float64
	a, u    []float64
	live    []int32
	sum     []float64
	best    int // the earliest output spike found so far (−1: none) and its time
	bestT   float64

	// Counts of the calls that stopped before the hidden layer was done and of those that
	// took Layer on both layers, for tests.
	early, fullRuns int
}

// firstStatus is what the output layer's step found.
type firstStatus int

const (
	firstMore     firstStatus = iota // it needs more hidden spikes
	firstDone                        // it has the earliest output spike, or knows there is none
	firstFallBack                    // Layer must decide: sums out of range, or inputs spread too far
)

// FirstOutput runs a network of two fully connected layers of these neurons up to its first
// output spike and returns the output neuron that spikes first, the lowest index among equal
// times, and its time; −1 and +Inf if no output neuron spikes. in holds the hidden layer's
// input times (bias spikes included; +Inf = no spike) and w1 its len(in) × nHidden weights.
// The output layer's inputs are the nHidden hidden spike times followed by the times in bias,
// and w2 holds its (nHidden + len(bias)) × nOut weights, all in row-major order as for Layer.
//
// The hidden layer runs window by window as Layer runs it, and the output layer follows it,
// taking each of its windows as soon as the hidden spikes before the window's end are known;
// both stop at the first output spike, so that later inputs are neither sorted nor stepped and
// later hidden spikes not computed. This is what a first-spike classifier needs. The time is
// that of Layer on both layers, bit for bit, with these exceptions, where it agrees with it to
// rounding: hidden spikes after the first output spike that spread the output layer's inputs
// over more than 300·TauSyn (Layer then hands that layer to its per-neuron scan); more than
// half of the output layer's inputs spiking at one time with OutputColumnSums set; a group of
// equal times whose first weight is −0. Where sums overflow or a weight is not finite, or the
// inputs known at the stop are spread that far, FirstOutput computes both layers with Layer.
//
// FirstOutput panics if the lengths do not fit or if p is not valid, and allocates nothing
// once s has grown to the problem size.
func (p Neuron) FirstOutput(in, w1 []float64, nHidden int, bias, w2 []float64, s *FirstOutputScratch) (j int, t float64) {
	k := p.consts("FirstOutput")
	nIn2 := nHidden + len(bias)
	if nHidden < 0 || nIn2 == 0 || len(w2)%nIn2 != 0 {
		panic(fmt.Sprintf("ttfs: Neuron.FirstOutput: len(w2) = %d is not a multiple of %d hidden and bias inputs", len(w2), nIn2))
	}
	nOut := len(w2) / nIn2
	s.times = grow(s.times, nIn2)
	hid := s.times[:nHidden]
	copy(s.times[nHidden:], bias)
	h := &s.hidden
	h.ColumnSums, h.rec = s.HiddenColumnSums, nil
	path, t0, eps0 := h.setup("FirstOutput", k, hid, in, w1)
	narrow := path == pathNarrow && !(len(h.stream.p) > scanInputs && nHidden <= sweepOutputs)
	if !narrow && path != pathWide || nOut == 0 {
		return s.full(p, in, w1, w2, nHidden, nOut)
	}
	h.in = in
	if narrow {
		h.startWindows(hid, w1, k, t0)
		h.startWindowsET(eps0)
		s.kk = 0
	} else {
		h.startWideET(hid, w1, k, eps0)
	}
	s.startOutput(nHidden, nOut, bias)
	for {
		until, done := s.stepHidden(narrow, hid, w1, k, t0)
		st := s.stepOutput(k, w2, nOut, until, done)
		if st == firstMore && !done {
			continue
		}
		if st == firstDone && !s.hiddenPending(hid, done) && !s.spreadTooFar(k) {
			j, t = s.best, s.bestT
			if !done {
				s.early++
			}
			h.in, h.win.w, h.win.out = nil, nil, nil // the caller's slices are not the scratch's to keep
			return j, t
		}
		h.in, h.win.w, h.win.out = nil, nil, nil
		return s.full(p, in, w1, w2, nHidden, nOut)
	}
}

// full is FirstOutput by Layer on both layers.
func (s *FirstOutputScratch) full(p Neuron, in, w1, w2 []float64, nHidden, nOut int) (int, float64) {
	s.fullRuns++
	s.hidden.ColumnSums, s.output.ColumnSums = s.HiddenColumnSums, s.OutputColumnSums
	p.Layer(s.times[:nHidden], in, w1, &s.hidden)
	s.outTimes = grow(s.outTimes, nOut)
	p.Layer(s.outTimes, s.times, w2, &s.output)
	best, bt := -1, math.Inf(1)
	for j, t := range s.outTimes {
		if t < bt {
			best, bt = j, t
		}
	}
	return best, bt
}

// stepHidden runs the hidden layer through its next window and adds the neurons that spiked
// in it to the output layer's known inputs. It returns a time before which every hidden spike
// is known (the next window's start), and whether the layer is done.
func (s *FirstOutputScratch) stepHidden(narrow bool, hid, w1 []float64, k constants, t0 float64) (until float64, done bool) {
	h := &s.hidden
	h.fire.n = h.fire.n[:0]
	if narrow {
		if last := len(h.win.list) - 1; s.kk < last && !h.blk.empty() {
			h.stepWindowET(s.kk)
			s.addFired(hid)
			until = h.stream.p[h.win.list[s.kk].end].t
			s.kk++
			return until, false
		}
		h.lastWindowET()
	} else {
		if h.wideStepET(hid, w1, k, t0) {
			s.addFired(hid)
			return h.stream.p[h.cur.pos].t, false
		}
		h.sweepBlocks(hid)
	}
	s.fresh = s.fresh[:0]
	for n, t := range hid {
		if t-t == 0 && !s.emitted[n] {
			s.emitted[n] = true
			s.fresh = append(s.fresh, pair{t: t, idx: int32(n)})
		}
	}
	s.addFresh()
	return math.Inf(1), true
}

// addFired adds the hidden neurons that spiked in the window just stepped: those among its
// closed-form candidates, which come in increasing order, that have a time now.
func (s *FirstOutputScratch) addFired(hid []float64) {
	s.fresh = s.fresh[:0]
	for _, n := range s.hidden.fire.n {
		if n < 0 {
			n = -1 - n
		}
		if t := hid[n]; t-t == 0 && !s.emitted[n] {
			s.emitted[n] = true
			s.fresh = append(s.fresh, pair{t: t, idx: n})
		}
	}
	s.addFresh()
}

// addFresh adds the hidden spikes in s.fresh, in increasing neuron order, to the known inputs
// of the output layer. They all come from one window of the hidden layer, so that none is
// earlier than a known input that the output layer has not taken yet: they are distributed
// into len(s.fresh) buckets of equal width by time at the end of known, in order within a
// bucket, and an insertion pass then puts known in time order, equal times by index. It costs
// a few passes over the spikes, with few moves in the last.
func (s *FirstOutputScratch) addFresh() {
	fr := s.fresh
	m := len(fr)
	if m == 0 {
		return
	}
	start := len(s.known)
	kn := s.known[:start+m]
	lo, hi := fr[0].t, fr[0].t
	for _, pr := range fr[1:] { // finite times: plain comparisons, cheaper than min and max
		if pr.t < lo {
			lo = pr.t
		}
		if pr.t > hi {
			hi = pr.t
		}
	}
	scale := float64(m) / (hi - lo)
	if m > 2 && scale > 0 && scale <= math.MaxFloat64 {
		if cap(s.counts) < m {
			s.counts = make([]int32, m)
		}
		c := s.counts[:m]
		clear(c)
		last := uint(m - 1)
		for i := range fr {
			b := min(uint(int((fr[i].t-lo)*scale)), last)
			fr[i].bkt = int32(b)
			c[b]++
		}
		at := int32(start)
		for b, n := range c {
			c[b] = at
			at += n
		}
		for _, pr := range fr {
			kn[c[pr.bkt]] = pr
			c[pr.bkt]++
		}
	} else {
		copy(kn[start:], fr)
	}
	for i := start; i < len(kn); i++ {
		pr := kn[i]
		j := i
		for j > s.pos && (kn[j-1].t > pr.t || kn[j-1].t == pr.t && kn[j-1].idx > pr.idx) {
			kn[j] = kn[j-1]
			j--
		}
		kn[j] = pr
	}
	s.known = kn
}

// insert adds pr to the known inputs in time order and by index among equal times: after the
// groups that the output layer has taken, all of which are earlier.
func (s *FirstOutputScratch) insert(pr pair) {
	kn := append(s.known, pr)
	i := len(kn) - 1
	for i > s.pos && (kn[i-1].t > pr.t || kn[i-1].t == pr.t && kn[i-1].idx > pr.idx) {
		kn[i] = kn[i-1]
		i--
	}
	kn[i] = pr
	s.known = kn
}

// hiddenPending reports whether a hidden neuron's time is left to the robust scan: its sums
// overflowed or a weight is not finite. Its time is then unknown until the layer is done.
func (s *FirstOutputScratch) hiddenPending(hid []float64, done bool) bool {
	h := &s.hidden
	if len(h.redo) > 0 {
		return true
	}
	if done {
		return false // the layer's last step has handed every such neuron over
	}
	a, u := h.blk.a[:len(hid)], h.blk.u[:len(hid)]
	for n, t := range hid {
		// x − x is 0 for finite x, NaN for ±Inf and NaN.
		if t-t != 0 && (a[n]-a[n] != 0 || u[n]-u[n] != 0) {
			return true
		}
	}
	return false
}

// spreadTooFar reports whether the output layer's known inputs span more than maxSpread:
// Layer then takes its per-neuron scan.
func (s *FirstOutputScratch) spreadTooFar(k constants) bool {
	if !s.started {
		return false
	}
	hi := s.known[len(s.known)-1].t
	if len(s.bias) > 0 {
		hi = max(hi, s.bias[len(s.bias)-1].t)
	}
	return (hi-s.t0)/k.tau > maxSpread
}

// startOutput readies the output layer's state for a sample.
func (s *FirstOutputScratch) startOutput(nHidden, nOut int, bias []float64) {
	if cap(s.emitted) < nHidden {
		s.emitted = make([]bool, nHidden)
	}
	s.emitted = s.emitted[:nHidden]
	clear(s.emitted)
	// Room for every input of the output layer, so that the appends never allocate.
	nIn2 := nHidden + len(bias)
	s.known = slices.Grow(s.known[:0], nIn2)
	s.fresh = slices.Grow(s.fresh[:0], nIn2)
	s.pos, s.started = 0, false
	s.bias = finitePairs(s.bias[:0], bias)
	for i := range s.bias {
		s.bias[i].idx += int32(nHidden)
	}
	insertionSort(s.bias) // stable: equal times stay in index order
	s.nextB = 0
	s.a, s.u = grow(s.a, nOut), grow(s.u, nOut)
	if cap(s.live) < nOut {
		s.live = make([]int32, nOut)
	}
	s.live = s.live[:nOut]
	for j := range s.live {
		s.live[j] = int32(j)
	}
	s.sum = grow(s.sum, nOut)
	s.best, s.bestT = -1, math.Inf(1)
}

// stepOutput takes the output layer's windows that the known inputs settle: a window whose
// inputs are all known (their time is before until) and whose end is known (no input can
// come between it and the window's start). It stops at the first window with a spike if no
// later window can hold one as early.
func (s *FirstOutputScratch) stepOutput(k constants, w2 []float64, nOut int, until float64, done bool) firstStatus {
	for s.nextB < len(s.bias) && (done || s.bias[s.nextB].t < until) {
		s.insert(s.bias[s.nextB])
		s.nextB++
	}
	kn, pos := s.known, s.pos
	if pos >= len(kn) {
		if done {
			return firstDone
		}
		return firstMore
	}
	if !done && !(kn[pos].t < until) {
		return firstMore
	}
	if !s.started {
		// The origin is the earliest input, as in Layer: none can come before it now.
		s.started, s.t0, s.x, s.e = true, kn[pos].t, 0, 1
		eps0 := k.eps * mathx.Exp(-s.t0/k.tau)
		if math.IsInf(eps0, 1) {
			return firstFallBack
		}
		for j := range s.a {
			s.a[j], s.u[j] = 0, -eps0
		}
	}
	// The loop keeps the window's state in locals; s gets it back when it returns.
	x, e, t0 := s.x, s.e, s.t0
	live, as, us := s.live, s.a[:nOut], s.u[:nOut]
	defer func() { s.pos, s.x, s.e, s.live = pos, x, e, live }()
	for {
		t := kn[pos].t
		end := pos + 1
		for end < len(kn) && kn[end].t == t {
			end++
		}
		if !done && (end == len(kn) || kn[end].t > until) {
			return firstMore // the window's end may be still to come
		}
		var row []float64
		if end-pos == 1 {
			r := int(kn[pos].idx) * nOut
			row = w2[r : r+nOut]
		} else {
			row = s.groupRow(w2, nOut, pos, end)
		}
		if end == len(kn) {
			pos = end
			return s.lastOutputWindow(k, row[:nOut], live, x, e)
		}
		tn := kn[end].t
		xn := (tn - t0) / k.tau
		if xn > maxSpread {
			return firstFallBack
		}
		en := mathx.Exp(xn)
		dx, c0, cn := xn-x, k.c*e, k.c*en
		row = row[:nOut]
		// Sums that overflow or meet a weight that is not finite stay out of range (+ and ·
		// never bring ±Inf or NaN back), so outputFinite finds them when the layer stops;
		// those that pass the window tests meet crossBad first.
		for i := 0; i < len(live); i++ {
			j := live[i]
			a := as[j] + row[j]*e
			u := us[j]
			un := u + a*dx
			as[j], us[j] = a, un
			if windowTests(a, u, un, c0, cn) {
				y, _, st := crossET(a, u, k.c, x, c0, dx, un >= cn)
				switch st {
				case crossFound:
					s.found(int(j), t0+k.tau*(x+y))
					last := len(live) - 1
					live[i] = live[last] // found breaks ties by index: the order may change
					live = live[:last]
					i--
				case crossBad:
					return firstFallBack
				}
			}
		}
		pos, x, e = end, xn, en
		if s.best >= 0 && s.bestT < tn {
			if !s.outputFinite(live) {
				return firstFallBack
			}
			return firstDone // every later window starts at tn or later
		}
		if !done && !(tn < until) {
			return firstMore // the next window's inputs may be still to come
		}
	}
}

// lastOutputWindow finishes the output layer in its last window, which starts at x with
// e = e^x and whose inputs have weights row: after them the membrane has a single peak.
func (s *FirstOutputScratch) lastOutputWindow(k constants, row []float64, live []int32, x, e float64) firstStatus {
	c0 := k.c * e
	for _, j := range live {
		a, u := s.a[j]+row[j]*e, s.u[j]
		if !(a-a == 0 && u-u == 0) {
			return firstFallBack // Layer's robust scan decides
		}
		if a > u && a >= c0 {
			y, _, st := crossET(a, u, k.c, x, c0, math.Inf(1), false)
			switch st {
			case crossFound:
				s.found(int(j), s.t0+k.tau*(x+y))
			case crossBad:
				return firstFallBack
			}
		}
	}
	return firstDone
}

// outputFinite reports whether the sums of the live output neurons are finite.
func (s *FirstOutputScratch) outputFinite(live []int32) bool {
	for _, j := range live {
		if !finite(s.a[j]) || !finite(s.u[j]) {
			return false
		}
	}
	return true
}

// found notes output neuron j's spike at t: the earliest so far wins, the lowest index among
// equal times.
func (s *FirstOutputScratch) found(j int, t float64) {
	if t < s.bestT || t == s.bestT && j < s.best {
		s.best, s.bestT = j, t
	}
}

// groupRow returns the weights per output neuron of the known inputs pos:end, more than one,
// which spike at one time: the rows summed in order as Layer sums them (from the first row for
// layers of up to scanOutputs neurons, from zero for wider ones).
func (s *FirstOutputScratch) groupRow(w2 []float64, nOut, pos, end int) []float64 {
	rows := s.known[pos:end]
	sum := s.sum[:nOut]
	if nOut <= scanOutputs {
		r := int(rows[0].idx) * nOut
		copy(sum, w2[r:r+nOut])
		rows = rows[1:]
	} else {
		clear(sum)
	}
	addRows(sum, w2, rows)
	return sum
}
