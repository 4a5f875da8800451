package neurons

import (
	"fmt"
	"math"
)

// ExpTerm is one term of an ExpSum,
//
//	(A + B·F(s))·e^(−Rate·s),  F(s) = s                         if Gap = 0,
//	                           F(s) = (1 − e^(−Gap·s))/Gap       if Gap > 0.
//
// With Gap = 0 the term is the familiar (A + B·s)·e^(−Rate·s), which appears when two time
// constants are equal. With Gap > 0 it is A·e^(−Rate·s) + B·(e^(−Rate·s) − e^(−(Rate+Gap)·s))/Gap:
// a difference of two exponentials divided by the difference of their rates, written so that
// it stays accurate as Gap tends to 0, where it becomes the Gap = 0 term. Rate and Gap must be
// finite and ≥ 0.
type ExpTerm struct {
	A, B float64
	Rate float64
	Gap  float64
}

// ExpSum is the function f(s) = C + Σ_i Terms[i](s) of s ≥ 0, a sum of exponentials with
// polynomial (degree ≤ 1) or difference-quotient coefficients. The membrane of a LIF neuron
// with exponential synaptic currents, minus its threshold, is such a sum.
type ExpSum struct {
	C     float64
	Terms []ExpTerm
}

// Validate reports whether f is usable: finite coefficients, rates and gaps, and Rate, Gap ≥ 0.
func (f ExpSum) Validate() error {
	if !finite(f.C) {
		return fmt.Errorf("neurons: ExpSum C = %v: must be finite", f.C)
	}
	for i, t := range f.Terms {
		switch {
		case !finite(t.A):
			return fmt.Errorf("neurons: ExpSum Terms[%d].A = %v: must be finite", i, t.A)
		case !finite(t.B):
			return fmt.Errorf("neurons: ExpSum Terms[%d].B = %v: must be finite", i, t.B)
		case !finite(t.Rate) || t.Rate < 0:
			return fmt.Errorf("neurons: ExpSum Terms[%d].Rate = %v: must be finite and ≥ 0", i, t.Rate)
		case !finite(t.Gap) || t.Gap < 0:
			return fmt.Errorf("neurons: ExpSum Terms[%d].Gap = %v: must be finite and ≥ 0", i, t.Gap)
		}
	}
	return nil
}

// At returns f(s). At(+Inf) is the limit of f, which is ±Inf if a term grows without bound.
func (f ExpSum) At(s float64) float64 {
	if math.IsInf(s, 1) {
		return f.limit()
	}
	v := f.C
	for _, t := range f.Terms {
		v += termAt(t.A, t.B, t.Rate, t.Gap, s)
	}
	return v
}

func termAt(a, b, rate, gap, s float64) float64 {
	e := 1.0
	if rate != 0 {
		e = math.Exp(-rate * s)
		if e == 0 {
			return 0 // a + b·F may overflow where the exponential underflows
		}
	}
	if b == 0 {
		return a * e
	}
	return (a + b*termF(gap, s)) * e
}

// termF is F(s) of ExpTerm.
func termF(gap, s float64) float64 {
	if gap == 0 {
		return s
	}
	return -math.Expm1(-gap*s) / gap
}

func (f ExpSum) limit() float64 {
	v, slope := f.C, 0.0
	for _, t := range f.Terms {
		if t.Rate != 0 {
			continue
		}
		switch {
		case t.B == 0:
			v += t.A
		case t.Gap == 0:
			slope += t.B
		default:
			v += t.A + t.B/t.Gap
		}
	}
	if slope != 0 {
		return math.Copysign(math.Inf(1), slope)
	}
	return v
}

// FirstCrossing returns the smallest s in [0, horizon] at which f(s) ≥ 0, or +Inf if there
// is none. horizon may be +Inf.
//
// It never misses a crossing, also one where f only touches 0: a sum of n exponentials has at
// most n−1 extrema, and FirstCrossing isolates them recursively (each derivative, multiplied
// by the exponential of its slowest term, is again such a sum with one coefficient fewer), so
// it knows every interval on which f is monotone. It then closes the first bracket in which f
// turns non-negative to a few ulp with Halley's iteration, safeguarded by bisection. When f
// rises at 0 and a bound on its curvature shows that it cannot turn before reaching 0, it
// skips the isolation. When all rates are small integer multiples of one rate, f is a
// polynomial in q = e^(−rate·s) and the same steps run on that polynomial, which needs no
// exponential per iteration.
//
// Special cases are:
//
//	FirstCrossing(h) = 0     if f(0) ≥ 0
//	FirstCrossing(h) = +Inf  if f reaches 0 only in the limit s → +Inf
//
// It panics if f is not valid (see Validate), if horizon is NaN or negative, and never
// returns NaN. It allocates nothing when f has at most 9 terms.
func (f ExpSum) FirstCrossing(horizon float64) float64 {
	if err := f.Validate(); err != nil {
		panic(err.Error())
	}
	if !(horizon >= 0) {
		panic(fmt.Sprintf("neurons: ExpSum.FirstCrossing horizon = %v: must be ≥ 0", horizon))
	}
	return firstCrossing(f.C, f.Terms, horizon)
}

// term is a term (a + b·F_nu(s))·e^(−mu·s) of a level of the isolation; nu = 0 when b = 0.
type term struct {
	a, b, mu, nu float64
}

const (
	stackTerms  = 9                    // ExpSum terms handled without allocation
	stackLevels = 2*(stackTerms+1) + 1 // levels: at most rank+1
	stackBuf    = 160                  // terms over all derived levels
)

// levelState is the scan state of one level: the current piece [pos, end] on which the
// level's scaled function is monotone.
type levelState struct {
	pos, hpos, dpos float64 // left end, the function and its derivative there
	end, hend, dend float64 // right end (next root of the level below, or hi), likewise
	haveEnd         bool
	last            bool // end is hi: there are no further pieces
	exhausted       bool
	started         bool
}

// quick settles the common case without isolating extrema, as polyQuick does: level
// 0 rising at 0 and reaching 0 before its slope can vanish. The second derivative of a term
// (a + b·F) e^(−μs) is (a₂ + b₂·F) e^(−μs) (see eval2), and F e^(−μs) is at most 1/ν, or
// 1/(eμ) when ν = 0, so M = Σ |a₂| + |b₂|·that bounds the level's second derivative on
// [0, +Inf). It reports false when it cannot tell.
func quick(lv0 []term, horizon float64) (float64, bool) {
	var st levelState
	st.hpos, st.dpos = eval(lv0, 0)
	if st.hpos >= 0 {
		return 0, true
	}
	if !(st.dpos > 0) {
		return 0, false
	}
	m := curvatureBound(lv0)
	st.end = horizon
	if r := st.dpos / m; r < st.end { // m = 0: +Inf
		st.end = r
	}
	if math.IsInf(st.end, 1) {
		return 0, false
	}
	st.hend, st.dend = eval(lv0, st.end)
	if !(st.hend >= 0) {
		return 0, false
	}
	sv := solver{lv0: lv0, n: 1, hi: horizon}
	return sv.solve(0, &st), true
}

// curvatureBound returns a bound on the magnitude of the second derivative of a level on
// [0, +Inf) (see quick).
func curvatureBound(lv []term) float64 {
	m := 0.0
	for _, x := range lv {
		a1, b1 := x.b-x.mu*x.a, -(x.mu+x.nu)*x.b
		a2, b2 := b1-x.mu*a1, -(x.mu+x.nu)*b1
		m += math.Abs(a2)
		switch {
		case b2 == 0: // also μ = ν = 0, where a2 = b2 = 0: a + b·s is straight
		case x.nu > 0:
			m += math.Abs(b2) / x.nu
		default:
			m += math.Abs(b2) / (math.E * x.mu)
		}
	}
	return m
}

// solver holds the levels of the isolation and the scan state. Level k is the function
// H_k(s) = e^(μ_k s)·(d/ds H_{k−1}) with μ_k the slowest rate of the derivative, so all its
// rates are ≥ 0, one is 0, and it has the sign of the k-th level's derivative chain.
//
// Levels 1, 2, ... are stored back to back in store, by offset: slices of a local array
// kept in another array would make the compiler move both to the heap.
type solver struct {
	lv0   []term
	store []term
	span  [][2]int // level k ≥ 1 is store[span[k][0]:span[k][1]]
	state []levelState
	n     int // number of levels
	hi    float64
}

func (sv *solver) level(k int) []term {
	if k == 0 {
		return sv.lv0
	}
	return sv.store[sv.span[k][0]:sv.span[k][1]]
}

// firstCrossing is FirstCrossing without the checks of its arguments.
func firstCrossing(c float64, terms []ExpTerm, horizon float64) float64 {
	var small [stackTerms + 1]term
	var lv0 []term
	if n := len(terms) + 1; n <= len(small) {
		lv0 = small[:0]
	} else {
		lv0 = make([]term, 0, n)
	}
	lv0 = normalize(lv0, c, terms)
	if len(lv0) == 0 {
		return 0 // f ≡ 0
	}
	if s, ok := polyFirst(lv0, horizon); ok {
		return s
	}
	return generalFirst(lv0, horizon)
}

// generalFirst runs the isolation on the exponential sums themselves.
func generalFirst(lv0 []term, horizon float64) float64 {
	if s, ok := quick(lv0, horizon); ok {
		return s
	}
	var buf [stackBuf]term
	var spans [stackLevels][2]int
	var states [stackLevels]levelState
	sv := solver{lv0: lv0, hi: horizon}
	if n := len(lv0); n <= stackTerms+1 {
		sv.store, sv.span, sv.state = buf[:], spans[:], states[:]
	} else {
		// Level k has at most min(n, rank0 − k) terms and there are at most rank0 ≤ 2n levels.
		sv.store = make([]term, n*(2*n+1))
		sv.span = make([][2]int, 2*n+1)
		sv.state = make([]levelState, 2*n+1)
	}
	sv.n = 1
	used := 0
	cur := lv0
	for rank(cur) > 1 {
		next := derive(sv.store[used:used:used+len(cur)], cur)
		sv.span[sv.n] = [2]int{used, used + len(next)}
		used += len(next)
		sv.n++
		cur = next
	}
	return sv.scanFirst()
}
