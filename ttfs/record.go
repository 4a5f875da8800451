package ttfs

import (
	"math"
	"slices"
)

// Record holds what RecordLayer computed for one sample in one layer that the backward
// pass needs again (docs/model.md §3): the spiking inputs in time order, grouped into windows of equal
// times with the exponential of each window's time, and for every neuron that spiked the
// window of its spike and the factor 1/(a(1 + W)) of its closed form. A backward pass that
// reads them sorts nothing and evaluates neither exponentials nor Lambert W.
//
// Only TauMem = TauSyn is recorded. The zero value is ready to use; RecordLayer overwrites a
// record and allocates nothing once it has grown to the problem size.
type Record struct {
	ok     bool
	origin float64
	inputs []int32 // spiking inputs in time order, up to the end of the last window
	wins   []recordWindow
	next   float64 // time of the first spiking input after the last window; +Inf if none
	spikes []recordSpike
	last   int32 // the latest window of a spike, −1 if none
}

type recordWindow struct {
	end  int32   // end of the window's inputs in inputs
	x, e float64 // x = (t − origin)/τs and e^x
}

type recordSpike struct {
	win1 int32 // the spike's window + 1; 0: no spike recorded (the zero value)
	g    float64
}

// RecordLayer is Layer that also fills rec for the backward pass.
func (p Neuron) RecordLayer(out, in, w []float64, s *Scratch, rec *Record) {
	s.rec = rec
	p.layer("RecordLayer", out, in, w, s)
	s.rec = nil
}

// Usable reports whether rec holds the windows and spikes of its RecordLayer call: false for
// TauMem = 2·TauSyn and for inputs spread over more than 300·τs, which the layer handles one
// neuron at a time.
func (r *Record) Usable() bool { return r.ok }

// Origin returns the earliest spiking input time t0, the origin of the record's exponentials:
// a window at time t has x = (t − t0)/TauSyn.
func (r *Record) Origin() float64 { return r.origin }

// Windows returns the number of recorded windows: those up to the last one in which a neuron
// spiked.
func (r *Record) Windows() int { return len(r.wins) }

// Window returns the inputs of window k (indices into the layer's inputs, all spiking at the
// same time t) with x = (t − Origin)/TauSyn and e^x. It panics if k is out of range.
func (r *Record) Window(k int) (inputs []int32, x, e float64) {
	start := int32(0)
	if k > 0 {
		start = r.wins[k-1].end
	}
	wk := &r.wins[k]
	return r.inputs[start:wk.end], wk.x, wk.e
}

// NextTime returns the time of the first spiking input after the recorded windows, +Inf if
// there is none.
func (r *Record) NextTime() float64 { return r.next }

// Spike returns the window in which neuron j spiked, −1 if it did not or if its time came from
// the per-neuron scan that Layer falls back to for overflowing sums, and g = 1/(a(1 + W)) of
// the closed form there: a is the weighted sum of e^x over the window's causal inputs and W the
// Lambert W value, so that ∂t/∂w_i = −(t − t_i)·e^(x_i)·g and ∂t/∂t_i = w_i·e^(x_i)·(1 − (t − t_i)/τs)·g
// for the causal inputs i. g is 0 where the derivative is not finite (a tangential touch of
// the threshold). It panics if j is out of range.
func (r *Record) Spike(j int) (window int, g float64) {
	sp := r.spikes[j]
	return int(sp.win1) - 1, sp.g
}

// begin starts recording a layer of nOut neurons with no spikes.
func (r *Record) begin(k constants, nOut int) {
	if r == nil {
		return
	}
	r.ok, r.origin, r.next, r.last = !k.dt, 0, math.Inf(1), -1
	r.inputs, r.wins = r.inputs[:0], r.wins[:0]
	if cap(r.spikes) < nOut {
		r.spikes = make([]recordSpike, nOut)
	}
	r.spikes = r.spikes[:nOut]
	clear(r.spikes)
}

// fail marks the record unusable: the layer took the per-neuron path.
func (r *Record) fail() {
	if r != nil {
		r.ok = false
	}
}

// spike records neuron j's spike in window win with the closed form's sum a and Lambert W value w.
func (r *Record) spike(j int32, win int, a, w float64) {
	if r == nil {
		return
	}
	g := 1 / (a * (1 + w))
	if w == -1 || !finite(g) {
		g = 0
	}
	r.spikes[j] = recordSpike{win1: int32(win) + 1, g: g}
	r.last = max(r.last, int32(win))
}

// finish copies the windows up to the last one with a spike and their inputs from s.
func (r *Record) finish(s *Scratch, t0 float64) {
	if r == nil || !r.ok {
		return
	}
	r.origin = t0
	last := r.last
	if len(s.redo) > 0 {
		for _, j := range s.redo {
			r.spikes[j].win1 = 0 // the robust scan's times are not recorded
		}
		last = -1
		for _, sp := range r.spikes {
			last = max(last, sp.win1-1)
		}
	}
	st := &s.stream
	if last < 0 {
		if len(st.p) > 0 {
			r.next = st.lo
		}
		return
	}
	r.wins = slices.Grow(r.wins[:0], int(last)+1)[:last+1]
	switch wn := &s.win; {
	case len(wn.recs) > 0: // wideET's windows
		copy(r.wins, wn.recs[:last+1])
	case len(wn.ends) > 0: // sweepET's windows
		start := int32(0)
		for k, end := range wn.ends[:last+1] {
			r.wins[k] = recordWindow{end: end, x: wn.xs[start], e: wn.es[start]}
			start = end
		}
	default:
		for k, wk := range s.win.list[:last+1] {
			r.wins[k] = recordWindow{end: wk.end, x: wk.x, e: wk.e}
		}
	}
	end := int(r.wins[last].end)
	r.inputs = slices.Grow(r.inputs[:0], end)[:end]
	for k, pr := range st.p[:end] {
		r.inputs[k] = pr.idx
	}
	if end < len(st.p) {
		st.ensure(end)
		r.next = st.p[end].t
	}
}
