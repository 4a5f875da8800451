package neurons

import (
	"math"

	"github.com/firstspike/firstspike/internal/mathx"
)

// ttfsWindow is a stretch of time from a group of inputs with equal times to the next group.
type ttfsWindow struct {
	x, e   float64   // start in the frame of the earliest input, and e^x
	dx, cn float64   // length and c·e^(x+dx) (+Inf and +Inf for the last window)
	row    []float64 // weight per neuron of the window's inputs (summed over a group)
	end    int32     // end of the window's inputs in the stream
}

// ttfsWindows is the list of windows in time order.
type ttfsWindows struct {
	list []ttfsWindow
	sums []float64 // summed weight rows of groups, capacity for all of them
	pos  int       // stream position at which the next window starts
}

func (wn *ttfsWindows) reset() {
	wn.list, wn.sums, wn.pos = wn.list[:0], wn.sums[:0], 0
}

// add appends a window of the sweeping paths, which only record them.
func (wn *ttfsWindows) add(x, e float64, end int) {
	wn.list = append(wn.list, ttfsWindow{x: x, e: e, end: int32(end)})
}

// ttfsScanChunk is the number of windows built at a time for the per-neuron scan.
const ttfsScanChunk = 16

// growWindows builds up to ttfsScanChunk more windows for the per-neuron scan. It returns false
// if the stream is exhausted.
func (s *LayerScratch) growWindows(w []float64, nOut int, k ttfsConst, t0 float64) bool {
	wn, st := &s.win, &s.stream
	sp := st.p
	n := len(sp)
	if wn.pos >= n {
		return false
	}
	if wn.pos == 0 && cap(wn.sums) < n/2*nOut {
		// At most n/2 groups: their rows never move, so windows can point at them.
		wn.sums = make([]float64, 0, n/2*nOut)
	}
	inf := math.Inf(1)
	pos := wn.pos
	for range ttfsScanChunk {
		if pos >= n {
			break
		}
		if pos >= st.sorted {
			st.sortTo(pos)
		}
		t := sp[pos].t
		end := pos + 1
		for end < n {
			if end >= st.sorted {
				st.sortTo(end)
			}
			if sp[end].t != t {
				break
			}
			end++
		}
		x := (t - t0) / k.tau
		e := mathx.Exp(x)
		if m := len(wn.list); m > 0 {
			prev := &wn.list[m-1]
			prev.dx, prev.cn = x-prev.x, k.c*e
		}
		r := int(sp[pos].idx) * nOut
		row := w[r : r+nOut]
		if end-pos > 1 {
			m := len(wn.sums)
			wn.sums = append(wn.sums, row...)
			row = wn.sums[m : m+nOut]
			for _, pr := range sp[pos+1 : end] {
				r := int(pr.idx) * nOut
				for j, v := range w[r : r+len(row)] {
					row[j] += v
				}
			}
		}
		wn.list = append(wn.list, ttfsWindow{x: x, e: e, dx: inf, cn: inf, row: row, end: int32(end)})
		pos = end
	}
	wn.pos = pos
	return true
}

// scanET is Layer for TauMem = TauSyn with few neurons or few windows: each neuron scans the
// windows on its own, with its sums in registers and the tests of wideET, until it fires; the
// windows are built as far as the neurons need them.
func (s *LayerScratch) scanET(out, w []float64, k ttfsConst, t0, eps0 float64) {
	nOut := len(out)
	for j := range out {
		a, u := 0.0, -eps0
		stop := false
		kk := 0 // the next window
		for {
			// The windows before the last one built are complete.
			if last := len(s.win.list) - 1; kk < last {
				i, an, u0, un := ttfsScanWindows(s.win.list[kk:last], j, a, u)
				kk += i
				if kk < last {
					a, u = an, un
					if stop = s.scanSolve(out, j, kk, an, u0, un >= s.win.list[kk].cn, k, t0); stop {
						break
					}
					kk++
					continue
				}
				a, u = an, u0
			}
			if s.growWindows(w, nOut, k, t0) {
				continue
			}
			// The last window: after its inputs the membrane has a single peak.
			wk := &s.win.list[kk]
			a += wk.row[j] * wk.e
			if a > u {
				stop = s.scanSolve(out, j, kk, a, u, false, k, t0)
			}
			break
		}
		if !stop && (!ttfsFinite(a) || !ttfsFinite(u)) {
			s.redo = append(s.redo, int32(j))
		}
	}
}

// ttfsScanWindows adds the inputs of the windows ws to neuron j's sums a and u (at the start
// of ws[0]) until a window's tests pass. It returns that window's index i (len(ws) if none),
// a after its inputs and u at its start and end; with i = len(ws), u at the end of ws.
// It calls nothing and is not inlined, so that the loop keeps everything in registers.
//
//go:noinline
func ttfsScanWindows(ws []ttfsWindow, j int, a, u float64) (i int, an, u0, un float64) {
	for i := range ws {
		wk := &ws[i]
		an := a + wk.row[j]*wk.e
		un := u + an*wk.dx
		if un >= wk.cn || an > u && an < un {
			return i, an, u, un
		}
		a, u = an, un
	}
	return len(ws), a, u, u
}

// scanSolve runs the closed form for neuron j on window kk and reports whether its scan is
// over: it fired, or its sums are not finite (then the robust scan decides).
func (s *LayerScratch) scanSolve(out []float64, j, kk int, a, u0 float64, sure bool, k ttfsConst, t0 float64) bool {
	wk := &s.win.list[kk]
	y, w, st := ttfsCrossET(a, u0, k.c, wk.x, k.c*wk.e, wk.dx, sure)
	switch st {
	case ttfsFound:
		out[j] = t0 + k.tau*(wk.x+y)
		s.rec.spike(int32(j), kk, a, w)
		return true
	case ttfsBad:
		s.redo = append(s.redo, int32(j))
		return true
	}
	return false
}
