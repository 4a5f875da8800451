package neurons

import "math"

// When every rate of a level-0 sum of plain exponentials is an integer multiple n·λ of its
// slowest positive rate λ, the sum is a polynomial in q = e^(−λs) ∈ (0, 1]. The isolation then
// runs on that polynomial in x = −q, which increases with s, and needs no exponential per
// iteration: one logarithm turns the root into a time.

// expsPolyMaxDeg bounds the degree handled as a polynomial. Higher multiples go to the
// general solver.
const expsPolyMaxDeg = 8

// expsRatioTol is the relative distance from an integer below which a ratio of rates is
// taken as that integer; it is a few rounding errors of the rates, so the polynomial differs
// from the sum by about as much as rounding the rates did.
const expsRatioTol = 8 * 0x1p-52

type expsPoly struct {
	rate  float64                                     // λ: q = e^(−λs)
	c     [expsPolyMaxDeg][expsPolyMaxDeg + 1]float64 // c[k][n]: coefficient of x^n at level k
	deg   [expsPolyMaxDeg]int
	nlv   int
	lo    float64 // −1 (s = 0)
	hi    float64 // −q at the horizon (0 for +Inf)
	state [expsPolyMaxDeg]expsLevelState
}

// expsPolyFirst returns the first crossing of level 0 if it is a polynomial in q, and false
// otherwise.
func expsPolyFirst(lv0 []expsTerm, horizon float64) (float64, bool) {
	var p expsPoly
	if !p.init(lv0) {
		return 0, false
	}
	return p.firstCrossing(horizon), true
}

// init reports whether level 0 is a polynomial in q and, if so, builds its chain of levels.
func (p *expsPoly) init(lv0 []expsTerm) bool {
	if len(lv0) < 2 {
		return false
	}
	for _, t := range lv0 {
		if t.b != 0 {
			return false
		}
	}
	lam := lv0[1].mu // lv0[0].mu == 0 and terms are sorted
	var a [expsPolyMaxDeg + 1]float64
	a[0] = lv0[0].a
	for _, t := range lv0[1:] {
		r := t.mu / lam
		n := math.Round(r)
		if !(n <= expsPolyMaxDeg) || math.Abs(r-n) > expsRatioTol*n {
			return false
		}
		a[int(n)] += t.a
	}
	deg := expsPolyMaxDeg
	for a[deg] == 0 {
		deg--
	}
	p.rate = lam
	// x = −q: the coefficient of x^n is (−1)^n a_n. a_0 ≠ 0 (rate 0 is the slowest), so the
	// sign of level 0 at x = 0 is the sign of the sum as s → +Inf.
	for n := 0; n <= deg; n++ {
		if n&1 == 1 {
			p.c[0][n] = -a[n]
		} else {
			p.c[0][n] = a[n]
		}
	}
	p.deg[0] = deg
	p.nlv = 1
	for k := 0; expsPolyTerms(p.c[k][:p.deg[k]+1]) > 1; k++ {
		// Next level: the derivative, divided by the lowest power of x it contains (x < 0 on
		// the interval, so this only changes the sign, which does not matter below level 0).
		d := p.deg[k]
		src, dst := &p.c[k], &p.c[k+1]
		m := 1
		for src[m] == 0 {
			m++
		}
		for n := m; n <= d; n++ {
			dst[n-m] = float64(n) * src[n]
		}
		p.deg[k+1] = d - m
		p.nlv = k + 2
	}
	return true
}

// expsPolyTerms counts the nonzero coefficients.
func expsPolyTerms(c []float64) int {
	n := 0
	for _, v := range c {
		if v != 0 {
			n++
		}
	}
	return n
}

// eval returns level k and its derivative at x (Horner).
func (p *expsPoly) eval(k int, x float64) (float64, float64) {
	c := &p.c[k]
	d := p.deg[k]
	v, dv := c[d], 0.0
	for n := d - 1; n >= 0; n-- {
		dv = dv*x + v
		v = v*x + c[n]
	}
	return v, dv
}

func (p *expsPoly) firstCrossing(horizon float64) float64 {
	p.lo, p.hi = -1, 0
	if !math.IsInf(horizon, 1) {
		p.hi = -math.Exp(-p.rate * horizon)
	}
	x := p.scanFirst()
	q := -x
	if !(q > 0) {
		return math.Inf(1)
	}
	s := -math.Log(q) / p.rate
	if s > horizon {
		s = horizon // the crossing was found at the horizon's q, which the logarithm rounds
	}
	if s < 0 {
		s = 0
	}
	return s
}

// scanFirst returns the smallest x in [lo, hi] with level 0 ≥ 0, or +Inf.
func (p *expsPoly) scanFirst() float64 {
	inf := math.Inf(1)
	for k := 0; k < p.nlv; k++ {
		p.state[k] = expsLevelState{}
	}
	h0, _ := p.eval(0, p.lo)
	if h0 >= 0 {
		return p.lo
	}
	st := &p.state[0]
	st.pos, st.hpos = p.lo, h0
	for {
		p.pieceEnd(0)
		a, ha := st.pos, st.hpos
		b, hb := st.end, st.hend
		if hb >= 0 {
			return p.solve(0, a, ha, b, hb)
		}
		if st.last {
			return inf
		}
		st.pos, st.hpos = b, hb
		st.haveEnd = false
	}
}

func (p *expsPoly) pieceEnd(k int) {
	st := &p.state[k]
	if st.haveEnd {
		return
	}
	st.haveEnd = true
	if k+1 < p.nlv {
		if r, ok := p.nextRoot(k + 1); ok && r < p.hi {
			st.end = r
			st.hend, _ = p.eval(k, r)
			st.last = false
			return
		}
	}
	st.end, st.last = p.hi, true
	st.hend, _ = p.eval(k, p.hi)
}

// nextRoot returns the next sign change of level k ≥ 1 in (pos, hi).
func (p *expsPoly) nextRoot(k int) (float64, bool) {
	st := &p.state[k]
	if st.exhausted {
		return 0, false
	}
	c := &p.c[k]
	d := p.deg[k]
	if expsPolyTerms(c[:d+1]) == 2 {
		// c_0 + c_d x^d: at most one root in [−1, 0), in closed form.
		st.exhausted = true
		r := -c[0] / c[d]
		var x float64
		switch {
		case d == 1:
			x = r
		case d&1 == 0 && !(r > 0):
			return 0, false
		case d == 2:
			x = -math.Sqrt(r)
		default:
			x = -math.Pow(math.Abs(r), 1/float64(d))
			if d&1 == 1 && r > 0 {
				return 0, false // x^d > 0 needs x > 0
			}
		}
		return x, x > p.lo && x < p.hi
	}
	if !st.started {
		st.started = true
		st.pos = p.lo
		st.hpos, _ = p.eval(k, p.lo)
	}
	for {
		p.pieceEnd(k)
		a, ha := st.pos, st.hpos
		b, hb := st.end, st.hend
		st.pos, st.hpos = b, hb
		st.haveEnd = false
		if st.last {
			st.exhausted = true
		}
		if ha < 0 && hb > 0 || ha > 0 && hb < 0 {
			return p.solve(k, a, ha, b, hb), true
		}
		if hb == 0 && ha != 0 && !st.last {
			return b, true
		}
		if st.exhausted {
			return 0, false
		}
	}
}

func (p *expsPoly) solve(k int, a, ha, b, hb float64) float64 {
	sg := 1.0
	if ha > 0 {
		sg = -1
	}
	var br solveBracket
	x := br.start(a, sg*ha, b, sg*hb)
	for done := x == b && b-a <= solveTol(a, b); !done; {
		h, dh := p.eval(k, x)
		x, done = br.update(x, sg*h, sg*dh)
	}
	return x
}
