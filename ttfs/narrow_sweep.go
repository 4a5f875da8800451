package ttfs

import (
	"math"
	"math/bits"

	"github.com/firstspike/firstspike/internal/mathx"
)

// sweepOutputs is the largest number of neurons that sweepET serves.
const sweepOutputs = 8

// sweepBatch is how many inputs sweepET sorts and exponentiates at a time.
const sweepBatch = 8

// sweepET is scanET for few neurons (at most sweepOutputs) and many inputs: it visits the
// windows in time order with all neurons that have not fired yet, building each window as it
// goes, so that the inputs are sorted and exponentiated about as far as the last spike needs.
// If s.rec is set, the windows' ends are kept in s.win.ends.
//
// The inputs are sorted and exponentiated a few at a time, ahead of the windows (sweepAhead),
// so that the loop over the windows calls nothing in the common case: a value that a loop
// holds in a register across a call is saved and restored on every turn.
func (s *Scratch) sweepET(out, w []float64, k constants, t0, eps0 float64) {
	nOut := len(out)
	var as, us [sweepOutputs]float64 // a after the window's inputs and u at its start
	for j := range nOut {
		us[j] = -eps0
	}
	live := uint(1)<<nOut - 1
	sp := s.stream.p
	n := len(sp)
	wn := &s.win
	wn.xs, wn.es = grow(wn.xs, n), grow(wn.es, n)
	s.sum = grow(s.sum, nOut)
	xs, es := wn.xs[:n], wn.es[:n]
	ready := s.sweepAhead(0, 0, t0, k.tau) // xs and es hold x and e^x of the inputs before ready
	pos, kk := 0, 0
	for {
		end := pos + 1
		for ; end < n; end++ {
			if end >= ready {
				ready = s.sweepAhead(end, ready, t0, k.tau)
			}
			if sp[end].t != sp[pos].t {
				break
			}
		}
		if end == n {
			break
		}
		x, e, xn := xs[pos], es[pos], xs[end]
		dx, c0, cn := xn-x, k.c*e, k.c*es[end]
		if s.rec != nil {
			wn.ends = append(wn.ends, int32(end))
		}
		r0 := int(sp[pos].idx) * nOut
		group := end-pos > 1
		if group {
			s.sumGroup(w, pos, end, nOut)
		}
		for m := live; m != 0; m &= m - 1 {
			j := bits.TrailingZeros(m) & (sweepOutputs - 1)
			wj := w[r0+j]
			if group {
				wj = s.sum[j]
			}
			a, u := as[j]+wj*e, us[j]
			un := u + a*dx
			as[j], us[j] = a, un
			if (un >= cn || a > u && a < un && a >= c0) && s.fireSweep(out, j, kk, a, u, x, c0, dx, un >= cn, k, t0) {
				live &^= 1 << j
			}
		}
		if live == 0 {
			return
		}
		pos = end
		kk++
	}
	// The last window: after its inputs the membrane has a single peak.
	x, e := xs[pos], es[pos]
	if s.rec != nil {
		wn.ends = append(wn.ends, int32(n))
	}
	r0 := int(sp[pos].idx) * nOut
	group := n-pos > 1
	if group {
		s.sumGroup(w, pos, n, nOut)
	}
	inf, c0 := math.Inf(1), k.c*e
	for m := live; m != 0; m &= m - 1 {
		j := bits.TrailingZeros(m) & (sweepOutputs - 1)
		wj := w[r0+j]
		if group {
			wj = s.sum[j]
		}
		a, u := as[j]+wj*e, us[j]
		if a > u && a >= c0 && s.fireSweep(out, j, kk, a, u, x, c0, inf, false, k, t0) {
			continue
		}
		if !finite(a) || !finite(u) {
			s.redo = append(s.redo, int32(j)) // overflowed, or a non-finite weight
		}
	}
}

// sweepAhead sorts the stream to at least sweepBatch inputs beyond position i, or to its
// end, and fills s.win.xs and s.win.es with x = (t − t0)/τ and e^x from position from to the
// end of the sorted stream, which it returns.
func (s *Scratch) sweepAhead(i, from int, t0, tau float64) int {
	st := &s.stream
	if i+sweepBatch > st.sorted {
		st.sortTo(min(i+sweepBatch, len(st.p)-1))
	}
	sp, xs, es := st.p[from:st.sorted], s.win.xs[from:st.sorted], s.win.es[from:st.sorted]
	for i := range sp {
		xs[i] = (sp[i].t - t0) / tau
	}
	for i, x := range xs {
		es[i] = mathx.Exp(x)
	}
	return st.sorted
}

// sumGroup sets s.sum[:nOut] to the weights of the group of equal times sp[pos:end] of the
// stream per neuron: the rows summed in stream order.
func (s *Scratch) sumGroup(w []float64, pos, end, nOut int) {
	sp := s.stream.p
	sum := s.sum[:nOut]
	r := int(sp[pos].idx) * nOut
	copy(sum, w[r:r+nOut])
	addRows(sum, w, sp[pos+1:end])
}

// addRows adds to sum the rows of w (len(sum) columns) of the inputs in rows, one row
// after the other.
func addRows(sum, w []float64, rows []pair) {
	nOut := len(sum)
	for _, pr := range rows {
		r := int(pr.idx) * nOut
		for j, v := range w[r : r+nOut] {
			sum[j] += v
		}
	}
}

// fireSweep runs the closed form for neuron j in window kk of sweepET and reports whether the
// neuron is done: it fired, or its sums are not finite (then the robust scan decides).
func (s *Scratch) fireSweep(out []float64, j, kk int, a, u0, x0, c0, dx float64, sure bool, k constants, t0 float64) bool {
	y, w, st := crossET(a, u0, k.c, x0, c0, dx, sure)
	switch st {
	case crossFound:
		out[j] = t0 + k.tau*(x0+y)
		s.rec.spike(int32(j), kk, a, w)
	case crossBad:
		s.redo = append(s.redo, int32(j))
	default:
		return false
	}
	return true
}
