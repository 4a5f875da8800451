package neurons

import "math"

// solveEps is the relative width to which brackets are closed: a few ulp of the root.
const solveEps = 2 * 0x1p-52

// solveMaxIter bounds the iterations of a bracket. Bisection alone would close a bracket of
// any realistic width long before; the bound only guards against pathological input.
const solveMaxIter = 300

// solveBracket is a safeguarded Newton iteration (rtsafe with bisection fallback) on a
// bracket [lo, hi] with g(lo) < 0 ≤ g(hi). It is written as a state machine so that each
// caller evaluates its own function inline:
//
//	x := b.start(lo, glo, hi, ghi)
//	for {
//		g, dg := eval(x)
//		var done bool
//		if x, done = b.update(x, g, dg); done {
//			break
//		}
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
}

func solveTol(lo, hi float64) float64 {
	return solveEps*math.Max(math.Abs(lo), math.Abs(hi)) + 0x1p-1020
}

// start records the bracket and returns the first point to evaluate: the secant guess
// between the ends, or the midpoint if the secant is unusable.
func (b *solveBracket) start(lo, glo, hi, ghi float64) float64 {
	b.lo, b.hi, b.glo, b.ghi = lo, hi, glo, ghi
	b.iter = 0
	b.step = hi - lo
	b.last = b.step
	if hi-lo <= solveTol(lo, hi) {
		return hi
	}
	x := lo - glo*((hi-lo)/(ghi-glo))
	if !(x > lo && x < hi) {
		x = lo + 0.5*(hi-lo)
	}
	return x
}

// update takes g(x) and g'(x) and returns the next point to evaluate, or the upper end of
// the bracket and true when the bracket is closed.
func (b *solveBracket) update(x, g, dg float64) (float64, bool) {
	if g < 0 {
		b.lo, b.glo = x, g
	} else {
		b.hi, b.ghi = x, g
	}
	b.iter++
	tol := solveTol(b.lo, b.hi)
	if b.hi-b.lo <= tol || b.iter >= solveMaxIter {
		return b.hi, true
	}
	prev := b.step
	b.step = b.last
	next := math.NaN()
	if dg != 0 {
		d := g / dg
		if nx := x - d; nx > b.lo && nx < b.hi && math.Abs(d) <= 0.5*math.Abs(prev) {
			next = nx
			if math.Abs(d) < tol {
				// Newton has converged from one side; step just across the root so the
				// bracket closes on the next evaluation.
				if g < 0 {
					next = x + tol
				} else {
					next = x - tol
				}
				if !(next > b.lo && next < b.hi) {
					next = math.NaN()
				}
			}
		}
	}
	if next != next { // NaN: bisect
		next = b.lo + 0.5*(b.hi-b.lo)
	}
	b.last = math.Abs(next - x)
	return next, false
}
