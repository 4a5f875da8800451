package ttfs

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// blockSize is the number of neurons that wideET treats as one: a block leaves the scan when
// all its neurons have fired, so the loops over a window touch contiguous weights and sums
// and never gather, at the price of carrying a block's fired neurons (their a is NaN, which
// no window test passes) until its last one fires.
const blockSize = 8

// blockState is the per-neuron state of wideET for TauMem = TauSyn, in neuron order: a and u
// at the start of the current window in u, and u at its end in un (the two swap after each
// window, so that the closed form still sees u at the window's start). The neurons are padded
// to whole blocks with neurons that have fired (a = NaN) from the start.
type blockState struct {
	a, u, un []float64
	live     []int32 // blocks with a neuron that has not fired, increasing
	fired    []uint8 // per block: neurons that have fired or gave up
	masks    []uint8 // per live block: neurons whose window tests passed; zero up to a multiple of 8
	nOut     int

	// ws, if not nil, is the sum of the weights of the windows stepped so far per neuron, kept
	// for the live blocks when a group of equal times holds most inputs (see blockWeights).
	ws, wsBuf []float64
}

// keepWeightSums makes the steps keep the weight sums ws from now on, starting at zero.
func (b *blockState) keepWeightSums() {
	b.wsBuf = grow(b.wsBuf, len(b.a))
	clear(b.wsBuf)
	b.ws = b.wsBuf
}

// start makes all nOut neurons live with a = a0 and u = u0.
func (b *blockState) start(nOut int, a0, u0 float64) {
	nb := (nOut + blockSize - 1) / blockSize
	nPad := nb * blockSize
	b.nOut = nOut
	b.ws = nil
	b.a, b.u, b.un = grow(b.a, nPad), grow(b.u, nPad), grow(b.un, nPad)
	a, u := b.a, b.u[:len(b.a)]
	for i := range a {
		a[i], u[i] = a0, u0
	}
	for i := nOut; i < nPad; i++ {
		b.a[i] = math.NaN()
	}
	nm := (nb + 7) &^ 7
	if cap(b.live) < nb || cap(b.masks) < nm {
		b.live, b.fired, b.masks = make([]int32, nb), make([]uint8, nb), make([]uint8, nm)
	}
	b.live, b.fired, b.masks = b.live[:nb], b.fired[:nb], b.masks[:nm]
	for i := range b.live {
		b.live[i], b.fired[i] = int32(i), 0
	}
	clear(b.masks)
	if nb > 0 {
		b.fired[nb-1] = uint8(nPad - nOut)
	}
}

// empty reports whether every neuron has fired or given up.
func (b *blockState) empty() bool { return len(b.live) == 0 }

// padded returns the weights of a window for the padded neurons: row itself if the memory
// after it (the next row, whose values the padding neurons ignore) is long enough, else a
// copy in buf.
func (b *blockState) padded(row, buf []float64) []float64 {
	nPad := len(b.a)
	if cap(row) >= nPad {
		return row[:nPad]
	}
	copy(buf[:nPad], row)
	clear(buf[len(row):nPad])
	return buf[:nPad]
}

// stepBlocksET adds the window's inputs (weights[n] for neuron n) to the sums of the live
// neurons and runs the closed form for those whose window tests pass (see wideET), on the
// window of length dx that starts at x0, where e = e^x0, c0 = c·e^x0 and cn = c·e^(x0+dx).
func (s *Scratch) stepBlocksET(out, weights []float64, x0, e, dx, c0, cn, t0 float64, k constants) {
	b := &s.blk
	if stepBlocks(b.a, b.u, b.un, weights, b.ws, b.live, b.masks, e, dx, cn, c0, true) {
		s.fireWideET(out, x0, dx, c0, cn, t0, k)
	}
	b.u, b.un = b.un, b.u
}

// fireWideET runs the closed form (crossET) for the neurons of the live blocks whose
// coarse test passed in the window just stepped and that pass the exact window tests, and
// marks those that are done. Like fireBlocks it works in passes, so that the exponentials and
// Lambert W values of different neurons overlap; neurons whose sums are out of the common
// range take solveBlockET, in turn.
func (s *Scratch) fireWideET(out []float64, x0, dx, c0, cn, t0 float64, k constants) {
	b := &s.blk
	f := s.fire.reset(len(b.a))
	for i0 := 0; i0 < len(b.live); i0 += 8 {
		for m := binary.LittleEndian.Uint64(b.masks[i0:]); m != 0; m &= m - 1 {
			z := bits.TrailingZeros64(m)
			n := int(b.live[i0+z>>3])*blockSize + z&7
			a, u, un := b.a[n], b.u[n], b.un[n]
			if !windowTests(a, u, un, c0, cn) {
				continue
			}
			// crossET's common case, whose tests imply 0 < a ≤ MaxFloat64 and a finite u.
			inv := 1 / a
			q, mc := -u*inv, c0*inv
			if !(a <= math.MaxFloat64 && u-u == 0 && mc > 0 && mc <= math.MaxFloat64) {
				f.add(-1-n, 0, 0) // solveBlockET decides, in turn
				continue
			}
			if peakBelow(q, mc) && !(un >= cn) {
				continue
			}
			f.add(n, q, -mc)
		}
	}
	f.solve()
	died := false
	for i, n32 := range f.n {
		n := int(n32)
		if n < 0 {
			n = -1 - n
			if !s.solveBlockET(n, b.a[n], b.u[n], out, x0, c0, dx, b.un[n] >= cn, t0, k) {
				continue
			}
		} else {
			y, w, ok := crossOffset(f.q[i], f.z[i], dx, b.un[n] >= cn)
			if !ok {
				continue
			}
			out[n] = t0 + k.tau*(x0+y)
			s.rec.spike(int32(n), len(s.win.recs)-1, b.a[n], w) // the current window: wideET records as it goes
		}
		if b.done(n) {
			died = true
		}
	}
	if died {
		b.dropFired()
	}
}

// done marks neuron n as done (a = NaN: it fired or gave up) and reports whether that leaves
// its block without a live neuron.
func (b *blockState) done(n int) bool {
	b.a[n] = math.NaN()
	blk := n / blockSize
	b.fired[blk]++
	return b.fired[blk] == blockSize
}

// dropFired removes the blocks all of whose neurons have fired from the live list.
func (b *blockState) dropFired() {
	j := 0
	for _, blk := range b.live {
		if b.fired[blk] < blockSize {
			b.live[j] = blk
			j++
		}
	}
	clear(b.masks[j:len(b.live)])
	b.live = b.live[:j]
}

// windowTests reports whether a neuron's membrane can cross threshold in a window, from
// its sums a after the window's inputs and u at the window's start and end (un), and c·e^x at
// the window's start (c0) and end (cn): it reaches threshold at the end (un ≥ cn), or its
// peak lies inside the window (u < a < un) and can reach threshold (a ≥ c0; see wideET).
// Ordered comparisons: NaN passes neither test.
//
// Every neuron that passes has un ≥ coarseLimit(c0, cn), the one test of the coarse step
// (stepBlocks) of wide layers, whose windows are short: there only a few neurons close to
// threshold pass it, and these tests sort them out.
func windowTests(a, u, un, c0, cn float64) bool {
	return un >= cn || a >= c0 && a > u && a < un
}

// coarseLimit returns the bound of the coarse step's one test un ≥ lim: the smaller of c0
// and cn, or the one that is not NaN, so that no neuron that passes windowTests fails it.
func coarseLimit(c0, cn float64) float64 {
	switch {
	case c0 != c0:
		return cn
	case cn != cn:
		return c0
	}
	return min(c0, cn)
}

// stepBlocksGo is the portable form of stepBlocks.
func stepBlocksGo(a, u, un, weights, ws []float64, live []int32, masks []uint8, e, dx, cn, c0 float64, coarse bool) bool {
	var any uint8
	lim := coarseLimit(c0, cn)
	for i, blk := range live {
		lo := int(blk) * blockSize
		if ws != nil {
			for j, wv := range weights[lo : lo+blockSize] {
				ws[lo+j] += wv
			}
		}
		ab, ub, unb, wb := a[lo:lo+blockSize], u[lo:lo+blockSize], un[lo:lo+blockSize], weights[lo:lo+blockSize]
		var m uint8
		for j, wv := range wb {
			aj := ab[j] + wv*e
			u0 := ub[j]
			unj := u0 + aj*dx
			ab[j], unb[j] = aj, unj
			if coarse && unj >= lim || !coarse && windowTests(aj, u0, unj, c0, cn) {
				m |= 1 << j
			}
		}
		masks[i] = m
		any |= m
	}
	return any != 0
}

// lastBlocksET adds the last window's inputs and solves for the live neurons whose membrane
// still rises at its start: after the last input the membrane has a single peak.
func (s *Scratch) lastBlocksET(out, weights []float64, x0, e, c0, t0 float64, k constants) {
	b := &s.blk
	inf := math.Inf(1)
	last := func(n int) {
		aj := b.a[n] + weights[n]*e
		b.a[n] = aj
		if aj > b.u[n] && aj >= c0 { // a peak below c·e^x0 stays below threshold
			s.solveBlockET(n, aj, b.u[n], out, x0, c0, inf, false, t0, k)
		}
	}
	for _, blk := range b.live {
		for n := int(blk) * blockSize; n < min(int(blk+1)*blockSize, b.nOut); n++ {
			last(n)
		}
	}
}

// solveBlockET runs the closed form for neuron n on the window of length y1 that starts at x0
// and reports whether the neuron is done: it fired, or its sums are not finite (then its time
// is NaN until the robust scan, to which it is handed, sets it).
func (s *Scratch) solveBlockET(n int, a, u0 float64, out []float64, x0, c0, y1 float64, sure bool, t0 float64, k constants) bool {
	y, w, st := crossET(a, u0, k.c, x0, c0, y1, sure)
	switch st {
	case crossNone:
		return false
	case crossFound:
		out[n] = t0 + k.tau*(x0+y)
		s.rec.spike(int32(n), len(s.win.recs)-1, a, w) // the current window: wideET records as it goes
	case crossBad:
		out[n] = math.NaN()
		s.redo = append(s.redo, int32(n))
	}
	s.blk.a[n] = math.NaN()
	return true
}

// sweepBlocks sends the neurons that have not fired and whose sums are not finite to the
// robust scan.
func (s *Scratch) sweepBlocks(out []float64) {
	b := &s.blk
	for n := range out {
		if (!finite(b.a[n]) || !finite(b.u[n])) && math.IsInf(out[n], 1) {
			s.redo = append(s.redo, int32(n))
		}
	}
}

// blockWeights returns the weights of the window st.p[pos:end] (a group of inputs with equal
// times) per padded neuron: the input's row, or the rows summed for the live neurons. A group
// of more than half the rows, with column sums at hand, is summed as the column sums minus the
// weight sums of the windows before it (which the steps keep: see wideET) and minus the rows
// after it and of the silent inputs.
func (s *Scratch) blockWeights(w []float64, pos, end, nOut int) []float64 {
	b := &s.blk
	st := &s.stream
	sum := s.sum[:len(b.a)]
	rows := st.p[pos:end]
	if len(rows) == 1 {
		r0 := int(rows[0].idx) * nOut
		return b.padded(w[r0:r0+nOut], sum)
	}
	s.rows = s.rows[:0]
	cs := s.ColumnSums
	fromSums := b.ws != nil && 2*len(rows) > len(w)/nOut
	if fromSums {
		if len(cs) != nOut {
			panic(fmt.Sprintf("ttfs: Scratch.ColumnSums has %d entries for %d neurons", len(cs), nOut))
		}
		for _, pr := range st.p[end:] {
			s.rows = append(s.rows, pr.idx)
		}
		for i, t := range s.in {
			if t-t != 0 { // silent: ±Inf or NaN
				s.rows = append(s.rows, int32(i))
			}
		}
	} else {
		for _, pr := range rows {
			s.rows = append(s.rows, pr.idx)
		}
	}
	if !fromSums && len(b.live)*blockSize > nOut/2 {
		clear(sum[:nOut])
		accumulateRows(sum[:nOut], w, s.rows, nOut, false)
		return sum
	}
	for _, blk := range b.live {
		lo := int(blk) * blockSize
		hi := min(lo+blockSize, nOut)
		if fromSums {
			for j, v := range cs[lo:hi] {
				sum[lo+j] = v - b.ws[lo+j]
			}
		} else {
			clear(sum[lo:hi])
		}
		if len(s.rows) > 0 {
			accumulateRows(sum[lo:hi], w[lo:], s.rows, nOut, fromSums)
		}
	}
	return sum
}

// accumulateRowsGo adds the rows idx of the matrix w (row k starts at idx[k]·stride) to
// dst, or subtracts them if neg, row after row.
func accumulateRowsGo(dst, w []float64, idx []int32, stride int, neg bool) {
	for _, i := range idx {
		row := w[int(i)*stride:][:len(dst)]
		if neg {
			for j, v := range row {
				dst[j] -= v
			}
		} else {
			for j, v := range row {
				dst[j] += v
			}
		}
	}
}
