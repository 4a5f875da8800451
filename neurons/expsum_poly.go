package neurons

import "math"

// When every rate of a level-0 sum of plain exponentials is an integer multiple n·λ of its
// slowest positive rate λ, the sum is a polynomial in q = e^(−λs) ∈ (0, 1]. The isolation then
// runs on that polynomial in x = −q, which increases with s, and needs no exponential per
// iteration: one logarithm turns the root into a time.

// polyMaxDeg bounds the degree handled as a polynomial. Higher multiples go to the
// general solver.
const polyMaxDeg = 8

// ratioTol is the relative distance from an integer below which a ratio of rates is
// taken as that integer; it is a few rounding errors of the rates, so the polynomial differs
// from the sum by about as much as rounding the rates did.
const ratioTol = 8 * 0x1p-52

// polyCoef holds the coefficients of a polynomial of degree ≤ polyMaxDeg.
type polyCoef = [polyMaxDeg + 1]float64

// polyFirst returns the first crossing of level 0 if it is a polynomial in q, and false
// otherwise.
func polyFirst(lv0 []term, horizon float64) (float64, bool) {
	if len(lv0) < 2 {
		return 0, false
	}
	for _, t := range lv0 {
		if t.b != 0 {
			return 0, false
		}
	}
	lam := lv0[1].mu // lv0[0].mu == 0 and terms are sorted
	var a polyCoef
	a[0] = lv0[0].a
	for _, t := range lv0[1:] {
		n, ok := multiple(t.mu / lam)
		if !ok {
			return 0, false
		}
		a[n] += t.a
	}
	return polyCrossing(&a, lam, horizon)
}

// multiple reports whether r is an integer 1 ≤ n ≤ polyMaxDeg up to rounding.
func multiple(r float64) (int, bool) {
	n := math.Round(r)
	if !(n >= 1 && n <= polyMaxDeg) || math.Abs(r-n) > ratioTol*n {
		return 0, false
	}
	return int(n), true
}

// polyCrossing returns the smallest s in [0, horizon] at which Σ a[n] q^n ≥ 0 with
// q = e^(−rate·s), +Inf if there is none. It reports false if the polynomial has fewer than
// two terms.
func polyCrossing(a *polyCoef, rate, horizon float64) (float64, bool) {
	// Dividing by the lowest power of q changes neither the sign nor the zeros for q > 0,
	// and makes the constant term nonzero, so the polynomial at x = 0 has the sign of the sum
	// as s → +Inf.
	m := 0
	for m <= polyMaxDeg && a[m] == 0 {
		m++
	}
	deg := polyMaxDeg
	for deg > m && a[deg] == 0 {
		deg--
	}
	if deg <= m {
		return 0, false
	}
	// x = −q: the coefficient of x^n is (−1)^n a_n.
	var c polyCoef
	terms := 0
	for n := m; n <= deg; n++ {
		v := a[n]
		if (n-m)&1 == 1 {
			v = -v
		}
		c[n-m] = v
		if v != 0 {
			terms++
		}
	}
	deg -= m
	lo, hi := -1.0, 0.0
	if !math.IsInf(horizon, 1) {
		hi = -math.Exp(-rate * horizon)
	}
	x, ok := polyQuick(&c, deg, lo, hi)
	if !ok {
		x = polyScan(&c, deg, terms, lo, hi)
	}
	q := -x
	if !(q > 0) {
		return math.Inf(1), true
	}
	s := -math.Log(q) / rate
	if s > horizon {
		s = horizon // the crossing was found at the horizon's q, which the logarithm rounds
	}
	if s < 0 {
		s = 0
	}
	return s, true
}

// polyQuick settles the common case without isolating extrema: P rising at lo and
// reaching 0 before its slope can vanish. On [−1, 0] the second derivative of P is at most
// M = Σ n(n−1)|c_n| in magnitude, so the slope stays above P'(lo) − M(x − lo) > 0 on
// [lo, lo + P'(lo)/M): P is increasing there, and if it is ≥ 0 at the end of that interval
// its first crossing is the one root inside. It reports false when it cannot tell; the full
// scan then decides.
func polyQuick(c *polyCoef, deg int, lo, hi float64) (float64, bool) {
	var st levelState
	st.pos = lo
	st.hpos, st.dpos = polyEval(c, deg, lo)
	if st.hpos >= 0 {
		return lo, true
	}
	if !(st.dpos > 0) {
		return 0, false
	}
	m := polyCurvatureBound(c, deg)
	st.end = hi
	if r := lo + st.dpos/m; r < st.end { // m = 0: +Inf
		st.end = r
	}
	st.hend, st.dend = polyEval(c, deg, st.end)
	if !(st.hend >= 0) {
		return 0, false
	}
	return polySolve(c, deg, &st, solveEps), true
}

// polyCurvatureBound returns Σ n(n−1)|c_n|, a bound on the magnitude of the second
// derivative of the polynomial on [−1, 1].
func polyCurvatureBound(c *polyCoef, deg int) float64 {
	m := 0.0
	for n := 2; n <= deg; n++ {
		m += float64(n*(n-1)) * math.Abs(c[n])
	}
	return m
}

// polyEval returns the polynomial of degree d and its derivative at x (Horner).
func polyEval(c *polyCoef, d int, x float64) (float64, float64) {
	switch d {
	case 1:
		return c[0] + c[1]*x, c[1]
	case 2:
		return c[0] + x*(c[1]+x*c[2]), c[1] + 2*x*c[2]
	case 3:
		return c[0] + x*(c[1]+x*(c[2]+x*c[3])), c[1] + x*(2*c[2]+3*x*c[3])
	}
	v, dv := c[d], 0.0
	for n := d - 1; n >= 0; n-- {
		dv = dv*x + v
		v = v*x + c[n]
	}
	return v, dv
}

// polyEval2 is polyEval with the second derivative.
func polyEval2(c *polyCoef, d int, x float64) (float64, float64, float64) {
	if d == 4 {
		return c[0] + x*(c[1]+x*(c[2]+x*(c[3]+x*c[4]))),
			c[1] + x*(2*c[2]+x*(3*c[3]+x*4*c[4])),
			2*c[2] + x*(6*c[3]+x*12*c[4])
	}
	v, dv, d2v := c[d], 0.0, 0.0
	for n := d - 1; n >= 0; n-- {
		d2v = d2v*x + dv
		dv = dv*x + v
		v = v*x + c[n]
	}
	return v, dv, 2 * d2v
}

// polySolve returns the sign change of the polynomial in the current piece of st, whose
// ends have opposite signs (hpos < 0 ≤ hend for a crossing), to the relative width rel.
func polySolve(c *polyCoef, deg int, st *levelState, rel float64) float64 {
	sg := 1.0
	if st.hpos > 0 {
		sg = -1
	}
	var br solveBracket
	x := br.start(st.pos, sg*st.hpos, sg*st.dpos, st.end, sg*st.hend, sg*st.dend, rel)
	for done := br.closed(); !done; {
		h, dh, d2h := polyEval2(c, deg, x)
		x, done = br.update(x, sg*h, sg*dh, sg*d2h)
	}
	return x
}

// poly is the chain of levels of a polynomial and their scan states. Level k+1 is the
// derivative of level k divided by the lowest power of x it contains (x < 0 on the interval,
// so this only changes the sign, which does not matter below level 0); it has one nonzero
// coefficient fewer, since the constant term dies.
type poly struct {
	c     [polyMaxDeg]polyCoef // c[k][n]: coefficient of x^n at level k
	deg   [polyMaxDeg]int
	terms [polyMaxDeg]int // nonzero coefficients of level k
	nlv   int
	lo    float64 // −1 (s = 0)
	hi    float64 // −q at the horizon (0 for +Inf)
	state [polyMaxDeg]levelState
}

// polyScan returns the smallest x in [lo, hi] at which the polynomial c of degree deg
// with the given number of nonzero coefficients is ≥ 0, or +Inf.
func polyScan(c *polyCoef, deg, terms int, lo, hi float64) float64 {
	p := poly{lo: lo, hi: hi, nlv: 1}
	p.c[0], p.deg[0], p.terms[0] = *c, deg, terms
	// A level with two terms has its roots in closed form (nextRoot) and needs no level below.
	for k := 0; p.terms[k] > 2; k++ {
		d := p.deg[k]
		src, dst := &p.c[k], &p.c[k+1]
		m := 1
		for src[m] == 0 {
			m++
		}
		for n := m; n <= d; n++ {
			dst[n-m] = float64(n) * src[n]
		}
		p.deg[k+1], p.terms[k+1] = d-m, p.terms[k]-1
		p.nlv = k + 2
	}
	return p.scanFirst()
}

func (p *poly) eval(k int, x float64) (float64, float64) {
	return polyEval(&p.c[k], p.deg[k], x)
}

// scanFirst returns the smallest x in [lo, hi] with level 0 ≥ 0, or +Inf. It runs once on a
// fresh p: the scan states start zero.
func (p *poly) scanFirst() float64 {
	st := &p.state[0]
	st.pos = p.lo
	st.hpos, st.dpos = p.eval(0, p.lo)
	if st.hpos >= 0 {
		return p.lo
	}
	for {
		p.pieceEnd(0)
		if st.hend >= 0 {
			return p.solve(0, st)
		}
		if st.last {
			return math.Inf(1)
		}
		p.advance(st)
	}
}

func (p *poly) pieceEnd(k int) {
	st := &p.state[k]
	if st.haveEnd {
		return
	}
	st.haveEnd = true
	st.end, st.last = p.hi, true
	if k+1 < p.nlv {
		if r, ok := p.nextRoot(k + 1); ok && r < p.hi {
			st.end, st.last = r, false
		}
	}
	st.hend, st.dend = p.eval(k, st.end)
}

// nextRoot returns the next sign change of level k ≥ 1 in (pos, hi).
func (p *poly) nextRoot(k int) (float64, bool) {
	st := &p.state[k]
	if st.exhausted {
		return 0, false
	}
	if p.terms[k] == 2 {
		// c_0 + c_d x^d: at most one root in [−1, 0), in closed form.
		st.exhausted = true
		c := &p.c[k]
		d := p.deg[k]
		r := -c[0] / c[d]
		var x float64
		switch {
		case d == 1:
			x = r
		case d&1 == 0 && !(r > 0), d&1 == 1 && r > 0:
			return 0, false // x^d = r has no negative solution
		case d == 2:
			x = -math.Sqrt(r)
		default:
			x = -math.Pow(math.Abs(r), 1/float64(d))
		}
		return x, x > p.lo && x < p.hi
	}
	if !st.started {
		st.started = true
		st.pos = p.lo
		st.hpos, st.dpos = p.eval(k, p.lo)
	}
	for {
		p.pieceEnd(k)
		ha, hb := st.hpos, st.hend
		if ha < 0 && hb > 0 || ha > 0 && hb < 0 {
			r := p.solve(k, st)
			p.advance(st)
			return r, true
		}
		b := st.end
		p.advance(st)
		if hb == 0 && ha != 0 && !st.exhausted {
			return b, true
		}
		if st.exhausted {
			return 0, false
		}
	}
}

// advance moves the scan of a level to its next piece.
func (p *poly) advance(st *levelState) {
	st.pos, st.hpos, st.dpos = st.end, st.hend, st.dend
	st.haveEnd = false
	st.exhausted = st.last
}

// solve returns the sign change of level k in the current piece of st: to a few ulp at
// level 0, more loosely below (see solveEpsSplit).
func (p *poly) solve(k int, st *levelState) float64 {
	rel := solveEps
	if k > 0 {
		rel = solveEpsSplit
	}
	return polySolve(&p.c[k], p.deg[k], st, rel)
}
