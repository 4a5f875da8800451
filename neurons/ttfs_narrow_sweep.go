package neurons

import (
	"math"
	"math/bits"

	"github.com/firstspike/firstspike/internal/mathx"
)

// ttfsSweepOutputs is the largest number of neurons that sweepET serves.
const ttfsSweepOutputs = 8

// sweepET is scanET for few neurons (at most ttfsSweepOutputs) and many inputs: it visits the
// windows in time order with all neurons that have not fired yet, so that the inputs are
// sorted and exponentiated exactly as far as the last spike needs, and the windows are stored
// only if s.rec is set.
func (s *LayerScratch) sweepET(out, w []float64, k ttfsConst, t0, eps0 float64) {
	nOut := len(out)
	var as, us [ttfsSweepOutputs]float64 // a after the window's inputs and u at its start
	for j := range nOut {
		us[j] = -eps0
	}
	live := uint(1)<<nOut - 1
	st := &s.stream
	sp := st.p
	n := len(sp)
	s.sum = ttfsGrow(s.sum, nOut)
	x, e := 0.0, 1.0 // the window's start and e^x
	pos, kk := 0, 0
	for {
		end := st.groupAt(pos)
		if end == n {
			break
		}
		xn := (sp[end].t - t0) / k.tau
		en := mathx.Exp(xn)
		dx, c0, cn := xn-x, k.c*e, k.c*en
		if s.rec != nil {
			s.win.list = append(s.win.list, ttfsWindow{x: x, e: e, dx: dx, cn: cn, end: int32(end)})
		}
		ws := s.groupWeights(w, pos, end, nOut)
		for m := live; m != 0; m &= m - 1 {
			j := bits.TrailingZeros(m) & (ttfsSweepOutputs - 1)
			a, u := as[j]+ws[j]*e, us[j]
			un := u + a*dx
			as[j], us[j] = a, un
			if un >= cn || a > u && a < un && a >= c0 {
				if s.fireSweep(out, j, kk, a, u, x, c0, dx, un >= cn, k, t0) {
					live &^= 1 << j
				}
			}
		}
		pos, x, e = end, xn, en
		kk++
		if live == 0 {
			return
		}
	}
	// The last window: after its inputs the membrane has a single peak.
	if s.rec != nil {
		s.win.add(x, e, n)
	}
	inf := math.Inf(1)
	ws := s.groupWeights(w, pos, n, nOut)
	c0 := k.c * e
	for m := live; m != 0; m &= m - 1 {
		j := bits.TrailingZeros(m) & (ttfsSweepOutputs - 1)
		a, u := as[j]+ws[j]*e, us[j]
		if a > u && a >= c0 && s.fireSweep(out, j, kk, a, u, x, c0, inf, false, k, t0) {
			continue
		}
		if !ttfsFinite(a) || !ttfsFinite(u) {
			s.redo = append(s.redo, int32(j)) // overflowed, or a non-finite weight
		}
	}
}

// groupWeights returns the weights of the window sp[pos:end] of the stream (inputs with equal
// times) per neuron: the input's row, or the rows summed in stream order.
func (s *LayerScratch) groupWeights(w []float64, pos, end, nOut int) []float64 {
	sp := s.stream.p
	r0 := int(sp[pos].idx) * nOut
	if end-pos == 1 {
		return w[r0 : r0+nOut]
	}
	sum := s.sum[:nOut]
	copy(sum, w[r0:r0+nOut])
	for _, pr := range sp[pos+1 : end] {
		r := int(pr.idx) * nOut
		for j, v := range w[r : r+nOut] {
			sum[j] += v
		}
	}
	return sum
}

// fireSweep runs the closed form for neuron j in window kk of sweepET and reports whether the
// neuron is done: it fired, or its sums are not finite (then the robust scan decides).
func (s *LayerScratch) fireSweep(out []float64, j, kk int, a, u0, x0, c0, dx float64, sure bool, k ttfsConst, t0 float64) bool {
	y, w, st := ttfsCrossET(a, u0, k.c, x0, c0, dx, sure)
	switch st {
	case ttfsFound:
		out[j] = t0 + k.tau*(x0+y)
		s.rec.spike(int32(j), kk, a, w)
	case ttfsBad:
		s.redo = append(s.redo, int32(j))
	default:
		return false
	}
	return true
}
