package neurons

import "math"

// normalize writes the terms of C + Σ terms into dst as one level of the isolation:
// sorted by (mu, nu), equal (mu, nu) merged, zero terms dropped, and the slowest rate
// subtracted from every rate. Subtracting it multiplies the function by a positive
// exponential, which changes neither its sign nor its zeros.
func normalize(dst []term, c float64, terms []ExpTerm) []term {
	if c != 0 {
		dst = append(dst, term{a: c})
	}
	for _, t := range terms {
		if t.A == 0 && t.B == 0 {
			continue
		}
		nu := t.Gap
		if t.B == 0 {
			nu = 0
		}
		dst = append(dst, term{a: t.A, b: t.B, mu: t.Rate, nu: nu})
	}
	return tidy(dst)
}

// derive appends to dst the next level of src: the derivative of src, multiplied by
// e^(μ s) for the slowest rate μ of the derivative. src must be a level (slowest rate 0).
// A term of rate 0 loses a coefficient: a constant vanishes, a + b·s becomes b, and a + b·F
// becomes b·e^(−nu s); the other terms keep theirs. So each level has a smaller rank
// (number of coefficients) than the one before, and at most rank−1 zeros.
func derive(dst, src []term) []term {
	for _, t := range src {
		var d term
		switch {
		case t.mu != 0:
			// ((a + b F) e^(−μs))' = ((b − μa) − (μ + ν) b F) e^(−μs), using F' = 1 − νF.
			d = term{a: t.b - t.mu*t.a, b: -(t.mu + t.nu) * t.b, mu: t.mu, nu: t.nu}
		case t.b == 0:
			continue
		case t.nu == 0:
			d = term{a: t.b}
		default:
			d = term{a: t.b, mu: t.nu}
		}
		if d.a == 0 && d.b == 0 {
			continue
		}
		if d.b == 0 {
			d.nu = 0
		}
		dst = append(dst, d)
	}
	return tidy(dst)
}

// tidy sorts, merges, drops zeros and shifts the rates so the slowest is 0.
func tidy(t []term) []term {
	for i := 1; i < len(t); i++ {
		x := t[i]
		j := i
		for j > 0 && (t[j-1].mu > x.mu || t[j-1].mu == x.mu && t[j-1].nu > x.nu) {
			t[j] = t[j-1]
			j--
		}
		t[j] = x
	}
	out := t[:0]
	for _, x := range t {
		if n := len(out); n > 0 && out[n-1].mu == x.mu && out[n-1].nu == x.nu {
			out[n-1].a += x.a
			out[n-1].b += x.b
			continue
		}
		out = append(out, x)
	}
	k := 0
	for _, x := range out {
		if x.a == 0 && x.b == 0 {
			continue
		}
		if x.b == 0 {
			x.nu = 0
		}
		out[k] = x
		k++
	}
	out = out[:k]
	if len(out) > 0 && out[0].mu != 0 {
		m := out[0].mu
		for i := range out {
			out[i].mu -= m
		}
	}
	return out
}

// rank is the number of coefficients of a level: a bound (plus one) on its zeros.
func rank(t []term) int {
	r := 0
	for _, x := range t {
		r++
		if x.b != 0 {
			r++
		}
	}
	return r
}

// eval returns the level t and its derivative at s. Terms are sorted by mu, so terms of
// equal rate share one exponential.
func eval(t []term, s float64) (h, dh float64) {
	mu, e := 0.0, 1.0
	for i := range t {
		x := &t[i]
		if x.mu != mu {
			mu = x.mu
			e = math.Exp(-mu * s)
		}
		if e == 0 {
			continue // (a + b·F) may overflow where the exponential underflows
		}
		if x.b == 0 {
			h += x.a * e
			dh -= x.mu * x.a * e
			continue
		}
		f, df := s, 1.0
		if x.nu != 0 {
			m := math.Expm1(-x.nu * s)
			f, df = -m/x.nu, 1+m
		}
		v := x.a + x.b*f
		h += v * e
		dh += (x.b*df - x.mu*v) * e
	}
	return h, dh
}

// eval2 is eval with the second derivative.
func eval2(t []term, s float64) (h, dh, d2h float64) {
	mu, e := 0.0, 1.0
	for i := range t {
		x := &t[i]
		if x.mu != mu {
			mu = x.mu
			e = math.Exp(-mu * s)
		}
		if e == 0 {
			continue
		}
		if x.b == 0 {
			h += x.a * e
			dh -= x.mu * x.a * e
			d2h += x.mu * x.mu * x.a * e
			continue
		}
		f := s
		if x.nu != 0 {
			f = -math.Expm1(-x.nu*s) / x.nu
		}
		// Each derivative maps the coefficients (a, b) to (b − μa, −(μ + ν)b).
		a1, b1 := x.b-x.mu*x.a, -(x.mu+x.nu)*x.b
		a2, b2 := b1-x.mu*a1, -(x.mu+x.nu)*b1
		h += (x.a + x.b*f) * e
		dh += (a1 + b1*f) * e
		d2h += (a2 + b2*f) * e
	}
	return h, dh, d2h
}

// limitSign returns the sign of level k as s → +Inf: that of its rate-0 part, which
// dominates, or, if that part tends to 0, the opposite of the sign of the next level (the
// derivative): a function that tends to 0 while increasing is negative.
func (sv *solver) limitSign(k int) int {
	flip := 1
	for ; k < sv.n; k++ {
		var lin, lim float64
		for _, x := range sv.level(k) {
			if x.mu != 0 {
				break
			}
			switch {
			case x.b == 0:
				lim += x.a
			case x.nu == 0:
				lin += x.b
			default:
				lim += x.a + x.b/x.nu
			}
		}
		if lin != 0 {
			return flip * sign(lin)
		}
		if lim != 0 {
			return flip * sign(lim)
		}
		flip = -flip
	}
	return 0
}

// slowTime returns 1/(the smallest positive rate or gap) of a level, a time scale on which
// it changes; 1 if it has none (then it is constant or linear).
func slowTime(t []term) float64 {
	r := math.Inf(1)
	for _, x := range t {
		if x.mu > 0 && x.mu < r {
			r = x.mu
		}
		if x.b != 0 && x.nu > 0 && x.nu < r {
			r = x.nu
		}
	}
	if math.IsInf(r, 1) {
		return 1
	}
	return 1 / r
}

// rank2Root returns the zero in (0, +Inf) of a level of rank 2, +Inf if it has none. Such
// a level is c + a·e^(−μs), or a + b·F(s); its zero is simple.
func rank2Root(t []term) float64 {
	inf := math.Inf(1)
	if len(t) == 2 {
		c, a, mu := t[0].a, t[1].a, t[1].mu
		// c + a e^(−μs) = 0 ⇔ e^(μs) = −a/c.
		if (c < 0) == (a < 0) || math.Abs(a) <= math.Abs(c) {
			return inf
		}
		r := math.Abs(a) / math.Abs(c)
		if math.IsInf(r, 1) {
			return (math.Log(math.Abs(a)) - math.Log(math.Abs(c))) / mu
		}
		return math.Log(r) / mu
	}
	x := t[0]
	if x.nu == 0 {
		s := -x.a / x.b
		if s > 0 && !math.IsInf(s, 1) {
			return s
		}
		return inf
	}
	// a + b(1 − e^(−νs))/ν = 0 ⇔ e^(−νs) = 1 + aν/b.
	r := x.a * x.nu / x.b
	if !(r > -1 && r < 0) {
		return inf
	}
	return -math.Log1p(r) / x.nu
}
