package ttfs

import (
	"math"
	"math/bits"

	"github.com/firstspike/firstspike/internal/mathx"
)

// window is a stretch of time from a group of inputs with equal times to the next group.
type window struct {
	x, e   float64 // start in the frame of the earliest input, and e^x
	dx, cn float64 // length and c·e^(x+dx) (+Inf and +Inf for the last window)
	c0     float64 // c·e^x
	row    int32   // the weights of the window's inputs: see windows.row
	end    int32   // end of the window's inputs in the stream
}

// windows is the list of windows in time order.
type windows struct {
	list []window
	sums []float64 // summed weight rows of groups

	// The layer's weights, output, constants and origin, kept here rather than in registers
	// for the loops that call the closed form (see fireBlocks).
	w, out []float64
	k      constants
	t0     float64

	xs, es []float64 // sweepET: x and e^x per stream position

	// ends holds, if sweepET records, the end of each window's inputs in the stream: sweepET
	// keeps no list of windows, whose x and e^x are those of the window's first input.
	ends []int32

	// recs holds, if wideET records, its windows as the record keeps them: wideET keeps no
	// list of windows either.
	recs []recordWindow
}

// row returns the weights of the inputs of window wk per neuron: a row of the layer's weights
// (wk.row is its input) or, for a group of equal times, the rows summed in stream order
// (−1 − wk.row is its place in sums). Windows hold no slices, which would cost a write
// barrier to store.
func (wn *windows) row(wk *window) []float64 {
	nOut := len(wn.out)
	if r := int(wk.row); r >= 0 {
		return wn.w[r*nOut : r*nOut+nOut]
	}
	r := -1 - int(wk.row)
	return wn.sums[r*nOut : r*nOut+nOut]
}

func (wn *windows) reset() {
	wn.list, wn.sums, wn.ends, wn.recs = wn.list[:0], wn.sums[:0], wn.ends[:0], wn.recs[:0]
}

// scanET is Layer for TauMem = TauSyn with few neurons or few windows. With few inputs it
// builds all windows and steps through them with all neurons that have not fired yet, in
// blocks of eight (stepWindowsET); with few neurons and many inputs it sweeps the windows in
// time order, building them as it goes, with the neurons that have not fired yet (sweepET).
//
// A neuron's membrane on a window [x0, xn] is u(x)·e^(−x) with u(x) = u0 + a·(x − x0) (docs/model.md §2:
// u = a·x − b), so it reaches threshold at the window's end iff u(xn) ≥ c·e^xn, and it has its
// peak inside the window iff u0 < a < u(xn); that peak, below a·e^(−x0), can reach threshold
// only if a ≥ c·e^x0. These tests find every window that holds the crossing; the closed form
// then runs about once per neuron.
func (s *Scratch) scanET(out, w []float64, k constants, t0, eps0 float64) {
	if len(s.stream.p) > scanInputs && len(out) <= sweepOutputs {
		s.sweepET(out, w, k, t0, eps0)
		return
	}
	s.startWindows(out, w, k, t0)
	s.stepWindowsET(eps0)
	s.win.w, s.win.out = nil, nil // the caller's slices are not the scratch's to keep
}

// startWindows keeps the layer's weights, output, constants and origin in s.win and builds
// all windows.
func (s *Scratch) startWindows(out, w []float64, k constants, t0 float64) {
	s.win.w, s.win.out, s.win.k, s.win.t0 = w, out, k, t0
	s.buildWindows()
}

// buildWindows sorts the stream and builds all its windows in s.win.list; the last one keeps
// dx = cn = +Inf.
func (s *Scratch) buildWindows() {
	wn, st := &s.win, &s.stream
	st.sortAll()
	k, sp := wn.k, st.p
	inf := math.Inf(1)
	for pos := 0; pos < len(sp); {
		t := sp[pos].t
		end := pos + 1
		for end < len(sp) && sp[end].t == t {
			end++
		}
		row := sp[pos].idx
		if end-pos > 1 {
			row = s.addGroupRow(pos, end)
		}
		x := (t - wn.t0) / k.tau
		e := mathx.Exp(x)
		c0 := k.c * e
		if m := len(wn.list); m > 0 {
			prev := &wn.list[m-1]
			prev.dx, prev.cn = x-prev.x, c0
		}
		wn.list = append(wn.list, window{x: x, e: e, dx: inf, cn: inf, c0: c0, row: row, end: int32(end)})
		pos = end
	}
}

// addGroupRow adds up the weight rows of the group of inputs sp[pos:end] of the stream in
// stream order, appends them to s.win.sums and returns the window's row for them.
func (s *Scratch) addGroupRow(pos, end int) int32 {
	wn, sp := &s.win, s.stream.p
	w, nOut := wn.w, len(wn.out)
	m := len(wn.sums)
	r := int(sp[pos].idx) * nOut
	wn.sums = append(wn.sums, w[r:r+nOut]...)
	addRows(wn.sums[m:m+nOut], w, sp[pos+1:end])
	return int32(-1 - m/nOut)
}

// stepWindowsET steps through the built windows with the neurons in blocks of eight (see
// wideET) and runs the closed form, as soon as a neuron passes a window's tests, in that window.
func (s *Scratch) stepWindowsET(eps0 float64) {
	s.startWindowsET(eps0)
	last := len(s.win.list) - 1
	for kk := 0; kk < last && !s.blk.empty(); kk++ {
		s.stepWindowET(kk)
	}
	s.lastWindowET()
}

// startWindowsET makes all neurons live with u = −ε, for stepWindowET.
func (s *Scratch) startWindowsET(eps0 float64) {
	b := &s.blk
	b.start(len(s.win.out), 0, -eps0)
	s.sum = grow(s.sum, len(b.a))
}

// stepWindowET steps the live neurons through window kk, which is not the last one, and runs
// the closed form for those whose window tests pass.
func (s *Scratch) stepWindowET(kk int) {
	b := &s.blk
	wk := &s.win.list[kk]
	if stepBlocks(b.a, b.u, b.un, b.padded(s.win.row(wk), s.sum), nil, b.live, b.masks, wk.e, wk.dx, wk.cn, wk.c0, false) {
		s.fireBlocks(kk)
	}
	b.u, b.un = b.un, b.u
}

// lastWindowET finishes stepWindowsET in the last window: after its inputs the membrane has a
// single peak. A neuron is done if its a is NaN: it fired (its time is finite), it was handed
// to the robust scan (its time is NaN until then), or its sums became NaN in the steps (its
// time is +Inf: the robust scan decides).
func (s *Scratch) lastWindowET() {
	b := &s.blk
	nOut := len(s.win.out)
	last := len(s.win.list) - 1
	wk := &s.win.list[last]
	row := b.padded(s.win.row(wk), s.sum)
	out := s.win.out
	for _, blk := range b.live {
		n0 := int(blk) * blockSize
		ab, ub, wb := b.a[n0:n0+blockSize], b.u[n0:n0+blockSize], row[n0:n0+blockSize]
		for z := range min(blockSize, nOut-n0) {
			a, u := ab[z], ub[z]
			if a != a {
				if math.IsInf(out[n0+z], 1) {
					s.redo = append(s.redo, int32(n0+z))
				}
				continue
			}
			a += wb[z] * wk.e
			if a > u && a >= wk.c0 && !peakBelow(-u/a, wk.c0/a) && s.fireET(n0+z, last, a, u, u) {
				continue
			}
			if !finite(a) || !finite(u) {
				s.redo = append(s.redo, int32(n0+z)) // overflowed, or a non-finite weight
			}
		}
	}
}

// fireBlocks runs the closed form in window kk for the neurons whose tests passed there, and
// marks those that are done (a = NaN). It works in passes over the window's candidates: their
// arguments, then all exponentials, then all Lambert W values, then the times. Each pass's
// turns are independent and short, so the processor overlaps the latency-bound Exp and
// LambertW0Neg of several neurons instead of waiting for one at a time; the arithmetic is that
// of fireET, operation for operation.
func (s *Scratch) fireBlocks(kk int) {
	b := &s.blk
	wk := &s.win.list[kk]
	f := s.fire.reset(len(b.a))
	for i, blk := range b.live {
		for n0, m := int(blk)*blockSize, b.masks[i]; m != 0; m &= m - 1 {
			n := n0 + bits.TrailingZeros8(m)
			inv := 1 / b.a[n]
			q, mc := -b.u[n]*inv, wk.c0*inv
			// With c0 positive and finite, these tests imply 0 < a ≤ MaxFloat64 and a finite u0.
			if !(mc > 0 && mc <= math.MaxFloat64 && q-q == 0) {
				f.add(-1-n, 0, 0) // fireET decides, in turn
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
			if !s.fireET(n, kk, b.a[n], b.u[n], b.un[n]) {
				continue
			}
		} else {
			y, w, ok := crossOffset(f.q[i], f.z[i], wk.dx, b.un[n] >= wk.cn)
			if !ok {
				continue
			}
			s.win.out[n] = s.win.t0 + s.win.k.tau*(wk.x+y)
			s.rec.spike(int32(n), kk, b.a[n], w)
		}
		if b.done(n) {
			died = true
		}
	}
	if died {
		b.dropFired()
	}
}

// fireCandidates holds the candidates of one window for fireBlocks and fireWideET: the neuron
// (−1 − n for those that the one-neuron path decides), q = −u0/a and −c0/a, which solve
// turns into W0(−(c0/a)·e^q). Its slices have room for every neuron of the padded blocks.
type fireCandidates struct {
	n    []int32
	q, z []float64
	buf  struct {
		n    []int32
		q, z []float64
	}
}

// reset empties f, with room for size candidates.
func (f *fireCandidates) reset(size int) *fireCandidates {
	if len(f.buf.n) < size {
		f.buf.n, f.buf.q, f.buf.z = make([]int32, size), make([]float64, size), make([]float64, size)
	}
	f.n, f.q, f.z = f.buf.n[:0], f.buf.q[:0], f.buf.z[:0]
	return f
}

// add appends a candidate; the slices never grow beyond the room reset made.
func (f *fireCandidates) add(n int, q, mc float64) {
	k := len(f.n)
	f.n, f.q, f.z = f.n[:k+1], f.q[:k+1], f.z[:k+1]
	f.n[k], f.q[k], f.z[k] = int32(n), q, mc
}

// solve replaces each −c0/a by W0(−(c0/a)·e^q): all exponentials first, then all Lambert W
// values, so that those of different candidates overlap.
func (f *fireCandidates) solve() {
	z, q := f.z, f.q[:len(f.z)]
	for i := range z {
		z[i] *= mathx.Exp(q[i])
	}
	for i := range z {
		z[i] = mathx.LambertW0Neg(z[i])
	}
}

// fireET runs the closed form for neuron j in window kk, with a after the window's inputs and
// u at its start and end, and reports whether the neuron is done: it fired, or its sums are
// not finite (then the robust scan decides).
func (s *Scratch) fireET(j, kk int, a, u0, un float64) bool {
	wk, k := &s.win.list[kk], s.win.k
	y, w, st := crossET(a, u0, k.c, wk.x, wk.c0, wk.dx, un >= wk.cn)
	switch st {
	case crossNone:
		return false
	case crossFound:
		s.win.out[j] = s.win.t0 + k.tau*(wk.x+y)
		s.rec.spike(int32(j), kk, a, w)
	case crossBad:
		s.win.out[j] = math.NaN() // marks it as handed over; the robust scan sets the time
		s.redo = append(s.redo, int32(j))
	}
	return true
}
