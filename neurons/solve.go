package neurons

import "math"

// solveEps is the relative width to which brackets of a crossing are closed: a few ulp.
const solveEps = 2 * 0x1p-52

// solveEpsSplit is the relative width to which brackets of the zeros of derivatives are
// closed. Those zeros split the search into monotone pieces; an error δ in one moves the
// value at the piece's end, an extremum, only by O(δ²), far below rounding.
const solveEpsSplit = 1e-10

// solveMaxIter bounds the iterations of a bracket. Bisection alone would close a bracket of
// any realistic width long before; the bound only guards against pathological input.
const solveMaxIter = 300

// solveBracket is a safeguarded Halley iteration (rtsafe with bisection fallback, Halley's
// correction of the Newton step when it is moderate) on a bracket [lo, hi] with
// g(lo) < 0 ≤ g(hi). It is written as a state machine so that each caller evaluates its own
// function inline:
//
//	x := b.start(lo, glo, dlo, hi, ghi, dhi, solveEps)
//	for done := b.closed(); !done; {
//		g, dg, d2g := eval(x)
//		x, done = b.update(x, g, dg, d2g)
//	}
//
// The result x is the upper end of the final bracket, so g(x) ≥ 0 as evaluated, and the
// bracket is a few ulp wide: the returned point is where g, as computed, turns
// non-negative.
type solveBracket struct {
	lo, hi   float64
	glo, ghi float64
	step     float64 // length of the step before last, for the rtsafe convergence test
	last     float64 // length of the last step
	iter     int
	probed   bool    // the last point was a probe next to an end of the bracket
	rel      float64 // relative width to close the bracket to
}

func solveTol(rel, lo, hi float64) float64 {
	m := math.Abs(lo)
	if a := math.Abs(hi); a > m {
		m = a
	}
	return rel*m + 0x1p-1020
}

// start records the bracket, with the function's values and slopes at its ends, and the
// relative width rel to close it to. It returns the first point to evaluate: the Newton step
// from the end it is shorter from, if it stays inside, else the secant guess, else the
// midpoint; or hi if the bracket is already closed.
func (b *solveBracket) start(lo, glo, dlo, hi, ghi, dhi, rel float64) float64 {
	b.lo, b.hi, b.glo, b.ghi, b.rel = lo, hi, glo, ghi, rel
	b.iter = 0
	b.probed = false
	b.step = hi - lo
	b.last = b.step
	if b.closed() {
		return hi
	}
	x := math.NaN()
	best := math.Inf(1)
	if d := -glo / dlo; d > 0 && d < hi-lo { // dlo > 0, or the step is not positive
		x, best = lo+d, d
	}
	if d := ghi / dhi; d >= 0 && d < hi-lo && d < best {
		x = hi - d
	}
	if !(x > lo && x < hi) {
		x = lo - glo*((hi-lo)/(ghi-glo))
	}
	if !(x > lo && x < hi) {
		x = lo + 0.5*(hi-lo)
	}
	return x
}

func (b *solveBracket) closed() bool { return b.hi-b.lo <= solveTol(b.rel, b.lo, b.hi) }

// update takes g(x) and its first and second derivatives at x and returns the next point to
// evaluate, or the upper end of the bracket and true when the bracket is closed.
func (b *solveBracket) update(x, g, dg, d2g float64) (float64, bool) {
	if g < 0 {
		b.lo, b.glo = x, g
	} else {
		b.hi, b.ghi = x, g
	}
	b.iter++
	if b.closed() || b.iter >= solveMaxIter {
		return b.hi, true
	}
	// Steps of half the closing width keep the bracket within it despite rounding.
	tol := 0.5 * solveTol(b.rel, b.lo, b.hi)
	prev := b.step
	b.step = b.last
	next := math.NaN()
	probe := false
	if d := g / dg; dg != 0 && !math.IsNaN(d) {
		// Halley: d/(1 − d g''/(2g')), cubically convergent; plain Newton if the correction
		// is large, where the quadratic model behind it is poor.
		if c := 1 - 0.5*d*(d2g/dg); c > 0.5 && c < 2 {
			d /= c
		}
		nx := x - d
		switch {
		case math.Abs(d) < tol:
			// Newton has converged from one side: step just across the root so the bracket
			// closes on the next evaluation.
			if g < 0 {
				next = x + tol
			} else {
				next = x - tol
			}
		case nx > b.lo && nx < b.hi:
			if math.Abs(d) <= 0.5*math.Abs(prev) {
				next = nx
			}
		case !b.probed && nx >= b.hi && b.hi-x <= 2*math.Abs(d):
			// Newton points at or just past hi: the root is at hi, which g(hi) = 0 or a
			// root at the end of a monotone piece makes common. Probe just below it.
			next, probe = b.hi-tol, true
		case !b.probed && nx <= b.lo && x-b.lo <= 2*math.Abs(d):
			next, probe = b.lo+tol, true
		}
	}
	if !(next > b.lo && next < b.hi) {
		next, probe = b.lo+0.5*(b.hi-b.lo), false
	}
	b.probed = probe
	b.last = math.Abs(next - x)
	return next, false
}
