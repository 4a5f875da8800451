package ttfs

import (
	"math"

	"github.com/firstspike/firstspike/internal/mathx"
)

// wideET is Layer for TauMem = TauSyn and many neurons: the windows in time order, each with
// all neurons that have not fired yet. t0 is the earliest input time, the origin of the frame
// x = (t − t0)/τs, and eps0 is ε in that frame.
//
// A neuron's membrane on a window [x0, xn] is u(x)·e^(−x) with u(x) = u0 + a·(x − x0) (docs/model.md §2:
// u = a·x − b), so it reaches threshold at the window's end iff u(xn) ≥ c·e^xn, and it has its
// peak inside the window iff u0 < a < u(xn) (V' ∝ a − u); the peak, a·e^(−x*) where u = a,
// can only reach c if a ≥ c·e^x0. These cheap tests find every window that holds the crossing;
// the closed form then runs about once per neuron, off the hot loop. u carries over from window
// to window: an input adds nothing to u at its own time.
func (s *Scratch) wideET(out, w []float64, k constants, t0, eps0 float64) {
	s.startWideET(out, w, k, eps0)
	for s.wideStepET(out, w, k, t0) {
	}
	s.sweepBlocks(out)
}

// wideCursor is where wideET stands: the stream position of the next window's inputs, and
// that window's start x, e^x and c·e^x.
type wideCursor struct {
	pos      int
	x, e, c0 float64
}

// startWideET makes all neurons live with u = −ε and puts the cursor on the first window.
func (s *Scratch) startWideET(out, w []float64, k constants, eps0 float64) {
	nOut := len(out)
	b := &s.blk
	b.start(nOut, 0, -eps0)
	s.sum = grow(s.sum, len(b.a))
	clear(s.sum[nOut:])
	if s.ColumnSums != nil && s.stream.hasMajority(len(w)/nOut) {
		// blockWeights will form the large group from the column sums and these.
		b.keepWeightSums()
	}
	s.cur = wideCursor{x: 0, e: 1, c0: k.c} // the first window starts at the earliest input
}

// wideStepET steps the live neurons through the window at the cursor and moves the cursor on.
// It reports whether a window with live neurons remains.
func (s *Scratch) wideStepET(out, w []float64, k constants, t0 float64) bool {
	st, b, c := &s.stream, &s.blk, &s.cur
	n := len(st.p)
	if c.pos >= n || b.empty() {
		return false
	}
	end := st.groupEnd(c.pos)
	weights := s.blockWeights(w, c.pos, end, len(out))
	if s.rec != nil {
		s.win.recs = append(s.win.recs, recordWindow{end: int32(end), x: c.x, e: c.e})
	}
	if end == n {
		s.lastBlocksET(out, weights, c.x, c.e, c.c0, t0, k)
		c.pos = n
		return false
	}
	xn := (st.p[end].t - t0) / k.tau
	en := mathx.Exp(xn)
	cn := k.c * en
	s.stepBlocksET(out, weights, c.x, c.e, xn-c.x, c.c0, cn, t0, k)
	c.pos, c.x, c.e, c.c0 = end, xn, en, cn
	return true
}

// sweep sends the neurons still listed whose sums are not finite to the robust scan: dead
// entries that fired have a spike time.
func (s *Scratch) sweep(out []float64) {
	a, b := s.a[:len(s.act)], s.b[:len(s.act)]
	for i, n := range s.act {
		if (!finite(a[i]) || !finite(b[i])) && math.IsInf(out[n], 1) {
			s.redo = append(s.redo, n)
		}
	}
}

// wideDT is wideET for TauMem = 2·TauSyn: the membrane on a window is A2·q − A1·q² with
// q = e^(−x/2), which rises while 2·A1·q > A2.
func (s *Scratch) wideDT(out, w []float64, k constants, t0, eps0 float64) {
	nOut := len(out)
	s.start(nOut, eps0, 0) // A1 = ε, A2 = 0
	st := &s.stream
	n := len(st.p)
	x, e, h := 0.0, 1.0, 1.0 // the window's start, e^x and e^(x/2)
	for pos := 0; pos < n && len(s.act) > 0; {
		end := st.groupEnd(pos)
		weights := s.windowWeights(w, st.p[pos:end], nOut)
		if end == n {
			s.lastDT(out, weights, x, e, h, t0, k)
			break
		}
		xn := (st.p[end].t - t0) / k.tau
		en, hn := mathx.Exp(xn), mathx.Exp(xn/2)
		s.stepDT(out, weights, x, e, h, xn, 1/hn, t0, k)
		pos, x, e, h = end, xn, en, hn
		if s.dead > len(s.act)/4 && n-pos > 2 {
			s.compact(out)
		}
	}
	s.sweep(out)
}

// stepDT adds the window's inputs to the sums of the active neurons and runs the closed form
// for those whose window tests pass (see wideET), with e = e^x0, h = e^(x0/2) and qn = e^(−xn/2).
func (s *Scratch) stepDT(out, weights []float64, x0, e, h, xn, qn, t0 float64, k constants) {
	act := s.act
	a1, a2 := s.a[:len(act)], s.b[:len(act)]
	q0 := 1 / h
	for i, n := range act {
		wv := weights[n]
		ai, bi := a1[i]+wv*e, a2[i]+wv*h
		a1[i], a2[i] = ai, bi
		if vn := (bi - ai*qn) * qn; vn >= k.c || 2*ai*qn < bi && 2*ai*q0 > bi {
			s.solveDT(i, n, ai, bi, out, x0, xn, q0, vn >= k.c, t0, k)
		}
	}
}

// lastDT is lastBlocksET for TauMem = 2·TauSyn.
func (s *Scratch) lastDT(out, weights []float64, x0, e, h, t0 float64, k constants) {
	act := s.act
	a1, a2 := s.a[:len(act)], s.b[:len(act)]
	inf := math.Inf(1)
	for i, n := range act {
		wv := weights[n]
		a1[i], a2[i] = a1[i]+wv*e, a2[i]+wv*h
		if 2*a1[i]/h > a2[i] {
			s.solveDT(i, n, a1[i], a2[i], out, x0, inf, 1/h, false, t0, k)
		}
	}
}

// solveDT is solveBlockET for TauMem = 2·TauSyn, for entry i of the active list.
func (s *Scratch) solveDT(i int, n int32, a1, a2 float64, out []float64, x0, xn, q0 float64, sure bool, t0 float64, k constants) {
	x, st := crossDT(a1, a2, k.c, x0, xn, q0, sure)
	switch st {
	case crossNone:
		return
	case crossFound:
		out[n] = t0 + k.tau*x
	}
	s.a[i] = math.NaN()
	s.dead++
}
