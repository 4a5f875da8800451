package learning

import (
	"math"

	"github.com/firstspike/firstspike/ttfs"
)

// LayerBackwardRecorded is LayerBackward for a layer whose forward pass ran through
// ttfs.Neuron.RecordLayer with these inputs and weights: it reads the input order, the
// exponentials and each neuron's closed-form factor from rec instead of sorting and summing
// again, so that the backward pass costs one sweep over the causal weights. Its results agree
// with LayerBackward's to rounding (the record's frame is the earliest input rather than the
// earliest causal one); outputs that rec does not cover (a spike time from the per-neuron
// scan) take LayerBackward's per-neuron path. If rec is not usable (rec.Usable() is false) it
// calls LayerBackward.
//
// out must be the times RecordLayer produced: an output time that was changed afterwards
// (for example by a substrate model) needs LayerBackward, which re-evaluates the closed form
// on the causal set. It panics like LayerBackward.
func LayerBackwardRecorded(p ttfs.Neuron, rec *ttfs.Record, in, out, w, delta []float64, maxDwNorm float64, gW, deltaIn []float64, s *BackwardScratch) {
	if !rec.Usable() || p.TauMem != p.TauSyn {
		LayerBackward(p, in, out, w, delta, maxDwNorm, gW, deltaIn, s)
		return
	}
	k := newGradConst(p, "LayerBackwardRecorded")
	n, m := len(in), len(out)
	checkBackwardShapes("LayerBackwardRecorded", in, out, w, delta, gW, deltaIn)
	clear(deltaIn)
	drop := maxDwNorm > 0 && !math.IsInf(maxDwNorm, 1)

	// Outputs that spiked in a recorded window and carry an error; the others with an error
	// take the per-neuron path.
	s.act, s.actWin = s.act[:0], s.actWin[:0]
	s.fallback = s.fallback[:0]
	lastWin := -1
	for j, t := range out {
		if !finite(t) || !finite(delta[j]) || delta[j] == 0 {
			continue
		}
		if win, _ := rec.Spike(j); win < 0 {
			s.fallback = append(s.fallback, int32(j))
		} else {
			s.act = append(s.act, int32(j))
			s.actWin = append(s.actWin, int32(win))
			lastWin = max(lastWin, win)
		}
	}
	na := len(s.act)

	// The causal inputs of any of them, in time order, with the record's exponentials.
	origin := rec.Origin()
	s.ex, s.xs = growFloats(s.ex, n), growFloats(s.xs, n)
	s.inIdx = s.inIdx[:0]
	s.winX, s.winE = growFloats(s.winX, lastWin+1), growFloats(s.winE, lastWin+1)
	for kw := range lastWin + 1 {
		inputs, x, e := rec.Window(kw)
		for _, i := range inputs {
			s.ex[i], s.xs[i] = e, x
		}
		s.inIdx = append(s.inIdx, inputs...)
		s.winX[kw], s.winE[kw] = x, e
	}
	s.sortLatestFirstByWindow(out, lastWin)

	s.tOut, s.xOut = growFloats(s.tOut, na), growFloats(s.xOut, na)
	s.g, s.gw = growFloats(s.g, na), growFloats(s.gw, na)
	for q, j := range s.act {
		win, g := rec.Spike(int(j))
		s.tOut[q] = out[j]
		s.xOut[q] = (out[j] - origin) / k.tau
		s.g[q] = delta[j] * g
		s.gw[q] = s.g[q]
		// The column's largest |G_ij| = τs (x_out − x_i)·e^x_i·|g|: (X − x)·e^x rises up to
		// x = X − 1 and falls after it, so the largest value over the causal windows is at
		// one of the two windows around X − 1.
		if drop && s.g[q] != 0 && k.tau*math.Abs(s.g[q])*recordBig(s.winX[:win+1], s.winE, s.xOut[q]) > maxDwNorm {
			s.gw[q] = 0
		}
	}
	s.applyET(in, w, m, k.tau, gW, deltaIn)
	for _, j := range s.fallback {
		s.neuronFallback(p, in, out, w, delta, int(j), drop, maxDwNorm, gW, deltaIn)
	}
}

// recordBig returns the largest (X − x_k)·e_k over the windows with times x (increasing) and
// exponentials e.
func recordBig(x, e []float64, X float64) float64 {
	peak := X - 1
	// The first window after the peak of (X − x)·e^x, or len(x).
	lo, hi := 0, len(x)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if x[mid] > peak {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	big := 0.0
	if lo > 0 {
		big = (X - x[lo-1]) * e[lo-1]
	}
	if lo < len(x) {
		big = max(big, (X-x[lo])*e[lo])
	}
	return big
}

// sortLatestFirstByWindow is sortLatestFirst for neurons whose spike windows s.actWin holds
// (up to lastWin): a spike in a later window is no earlier than one in an earlier window, so the
// neurons are put in order of decreasing window by counting, and an insertion sort, which has
// only the neighbours within a window and equal times at window boundaries to move, finishes
// the order of sortLatestFirst.
func (s *BackwardScratch) sortLatestFirstByWindow(out []float64, lastWin int) {
	s.sorted = len(s.inIdx) > 16
	if !s.sorted || len(s.act) < 2 {
		return
	}
	if cap(s.winCount) < lastWin+2 {
		s.winCount = make([]int32, lastWin+2)
	}
	count := s.winCount[:lastWin+2]
	clear(count)
	wins := s.actWin[:len(s.act)]
	for _, win := range wins {
		count[lastWin-int(win)+1]++ // bucket 0 is the latest window
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	if cap(s.actTmp) < len(s.act) {
		s.actTmp = make([]int32, len(s.act))
	}
	tmp := s.actTmp[:len(s.act)]
	for q, j := range s.act {
		b := lastWin - int(wins[q])
		tmp[count[b]] = j
		count[b]++
	}
	act := s.act
	copy(act, tmp)
	for q := 1; q < len(act); q++ {
		j := act[q]
		t := out[j]
		p := q
		for ; p > 0; p-- {
			if tp := out[act[p-1]]; tp > t || tp == t && act[p-1] < j {
				break
			}
			act[p] = act[p-1]
		}
		act[p] = j
	}
}
