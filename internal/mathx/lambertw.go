package mathx

import "math"

// 1/e split into the binary64 value nearest to it and the remainder, so that x + 1/e, the
// distance from the branch point, keeps full relative accuracy where x + invEHi cancels.
const (
	invEHi = 0.36787944117144233
	invELo = -1.2428753672788363e-17

	twoEHi = 5.43656365691809 // 2e = twoEHi + twoELo
	twoELo = 2.8912937834585003e-16
)

// w0Piece is one polynomial piece of F(p) = exp(−W0(x)) in u = p − centre: the constant term is
// c0Hi + c0Lo, c[k−1] is the coefficient of u^k.
type w0Piece struct {
	centre     float64
	halfInv    float64 // 1/(2·centre), for the square root's correction
	c0Hi, c0Lo float64
	c          [9]float64
}

// LambertW0 returns W0(x), the principal branch of the Lambert W function: the solution
// w ≥ −1 of w·e^w = x.
//
// Special cases are:
//
//	LambertW0(−1/e) = −1 (−1/e rounded to the nearest float64)
//	LambertW0(±0) = ±0
//	LambertW0(+Inf) = +Inf
//	LambertW0(x < −1/e) = NaN
//	LambertW0(NaN) = NaN
//
// The result is accurate to a few ulp over the whole domain, including next to the branch
// point −1/e where W0 is ill-conditioned in x: against 2300 reference values (mpmath, 60
// digits) the largest error is 0.53 ulp for x < 2.9 (the arguments of spike-time closed forms
// lie in [−1/e, 0)) and 1.4 ulp above.
func LambertW0(x float64) float64 {
	if x > -invEHi && x < 2.9 {
		if x >= -1.0/1024 && x <= 1.0/1024 {
			return w0Small(x)
		}
		return w0Table(x)
	}
	switch {
	case x < -invEHi || x != x:
		return math.NaN()
	case x == -invEHi:
		return -1
	case math.IsInf(x, 1):
		return x
	}
	return lambertWLog(x)
}

// w0Table returns W0(x) for −1/e < x < 2.9 as x·F(p): F(p) = exp(−W0) is smooth in
// p = √(2(e·x + 1)) and bounded away from 0, so the product keeps the relative accuracy of F at
// both ends of the interval; the pieces of F are in lambertw_coef.go.
func w0Table(x float64) float64 {
	// p must be known to about twice the precision of a float64, or its rounding would cost up
	// to 3 ulp of W0 after the table lookup. s = 2(e·x + 1) = 2e·(x + 1/e) is formed in
	// double-double arithmetic (next to the branch point x + 1/e cancels), and res = s − p² is
	// the residual of the square root, so that p + res/(2p) is √s to about 2⁻¹⁰⁴.
	dHi := x + invEHi // d = x + 1/e as dHi + dLo: Knuth's TwoSum, then the low part of 1/e
	bv := dHi - x
	dLo := (x - (dHi - bv)) + (invEHi - bv) + invELo
	sHi := twoEHi * dHi // s = 2e·d as sHi + sLo
	sLo := math.FMA(twoEHi, dHi, -sHi) + (twoEHi*dLo + twoELo*dHi)
	s := sHi + sLo // renormalise: next to the branch point sLo is not small against sHi
	sLo -= s - sHi
	p := math.Sqrt(s)
	res := math.FMA(-p, p, s) + sLo

	var pc *w0Piece
	if p < math.Sqrt2 {
		pc = &w0Near[min(int(p*(16/math.Sqrt2)), 15)]
	} else {
		pc = &w0Far[min(int((p-math.Sqrt2)*(8/math.Sqrt2)), 15)]
	}
	// 1/(2p) ≈ 1/(2·centre), to 1/3 or better, is enough for the tiny correction res/(2p) (in
	// the first piece, where it is not, the correction is below 0.05 ulp of W0 anyway), and
	// saves a division.
	u := (p - pc.centre) + res*pc.halfInv

	// Q(u) = Σ c[k−1] u^(k−1), k = 1…9, by Estrin's scheme: shorter dependency chains than
	// Horner's. Its rounding errors are scaled by |u| ≤ 0.09 in W0, so it needs no fused
	// multiply-adds (which cost a feature test each on baseline amd64).
	k := &pc.c
	u2 := u * u
	u4 := u2 * u2
	ab := (k[0] + k[1]*u) + (k[2]+k[3]*u)*u2
	cd := (k[4] + k[5]*u) + (k[6]+k[7]*u)*u2
	q := ab + (cd+k[8]*u4)*u4

	// W0 = x·(c0 + u·Q(u)) with the large term x·c0Hi rounded once: about half an ulp.
	return math.FMA(x, pc.c0Hi, x*math.FMA(u, q, pc.c0Lo))
}

// LambertW0Neg returns W0(x) for −1/e ≤ x ≤ 0 like LambertW0 (with the same special cases at
// −1/e and ±0), in about half its time, within 2 ulp (1.22 ulp against the reference values
// of LambertW0's tests): the first-spike closed forms call it once per spike. It is NaN
// outside that range.
//
// It evaluates the pieces of LambertW0 in plain float64 arithmetic: only x + 1/e is formed
// with the remainder of 1/e, which keeps the distance from the branch point, where W0 is
// ill-conditioned, to a few ulp; the polynomial and the final product round a few times more.
func LambertW0Neg(x float64) float64 {
	if !(x >= -invEHi && x < 0) {
		if x == 0 {
			return x // ±0
		}
		return math.NaN()
	}
	d := x + invEHi                   // exact next to the branch point (Sterbenz)
	s := twoEHi*(d+invELo) + twoELo*d // 2e·(x + 1/e) = p²
	if s < 0 {
		s = 0 // x = −invEHi lies a little below −1/e: W0 = −1 as for LambertW0
	}
	p := math.Sqrt(s)
	pc := &w0Near[min(int(p*(16/math.Sqrt2)), 15)]
	u := p - pc.centre
	k := &pc.c
	u2 := u * u
	u4 := u2 * u2
	ab := (k[0] + k[1]*u) + (k[2]+k[3]*u)*u2
	cd := (k[4] + k[5]*u) + (k[6]+k[7]*u)*u2
	q := ab + (cd+k[8]*u4)*u4
	return x*pc.c0Hi + x*(pc.c0Lo+u*q)
}

// w0Small is the Taylor series of W0 at 0, Σ (−n)^(n−1)/n! xⁿ, for |x| ≤ 2⁻¹⁰; the first
// omitted term is below 2⁻⁶⁴|x|.
func w0Small(x float64) float64 {
	s := math.FMA(x, -54.0/5+x*(16807.0/720), 125.0/24)
	s = math.FMA(x, s, -8.0/3)
	s = math.FMA(x, s, 1.5)
	s = math.FMA(x, s, -1)
	return math.FMA(x, x*s, x) // x + x²·s rounded once
}

// lambertWLog refines the asymptotic start L1 − L2 + L2/L1 + … (L1 = ln|x|, L2 = ln|L1|) by
// the fourth-order iteration of Fritsch, Shafer and Crowley (CACM 16(2), 1973), written with
// ln|x| − ln|w| in place of ln(x/w) so that x/w cannot underflow. It serves W0 for x ≥ 2.9 and
// W−1 for −1/4 ≤ x < 0, where |1 + W| ≥ 1 and the residual is well-conditioned.
func lambertWLog(x float64) float64 {
	l1 := logAbs(x)
	l2 := math.Log(math.Abs(l1))
	r := l2 / l1
	// Terms of de Bruijn's asymptotic series up to 1/L1³.
	w := l1 - l2 + r + r*(l2-2)/(2*l1) + r*(6+l2*(2*l2-9))/(6*l1*l1)
	for range 8 {
		z := l1 - math.Log(math.Abs(w)) - w // |w| ≥ 1: no subnormal
		w1 := 1 + w
		q := 2 * w1 * (w1 + z*(2.0/3))
		e := z / w1 * (q - z) / (q - 2*z)
		w = math.FMA(w, e, w)
		if math.Abs(e) < 0x1p-22 {
			// The step is of fourth order: the error left is of order e⁴ < 2⁻⁸⁸.
			break
		}
	}
	return w
}

// LambertWm1 returns W−1(x), the lower real branch of the Lambert W function: the solution
// w ≤ −1 of w·e^w = x for −1/e ≤ x < 0.
//
// Special cases are:
//
//	LambertWm1(−1/e) = −1 (−1/e rounded to the nearest float64)
//	LambertWm1(±0) = −Inf
//	LambertWm1(x < −1/e) = NaN
//	LambertWm1(x > 0) = NaN
//	LambertWm1(NaN) = NaN
//
// The result is accurate to a few ulp (2.4 ulp at most against the reference values of
// LambertW0's tests), also next to the branch point and for subnormal x.
func LambertWm1(x float64) float64 {
	switch {
	case x < -invEHi || x > 0 || x != x:
		return math.NaN()
	case x == -invEHi:
		return -1
	case x == 0:
		return math.Inf(-1)
	case x >= -0.25:
		return lambertWLog(x)
	}
	// Near the branch point solve for v = W + 1 ∈ [−1.2, 0) in the form (v−1)e^v + 1 = e·(x + 1/e),
	// whose right side is known to full relative accuracy; computed as (v−1)·expm1(v) + v the
	// residual has an absolute error of a few ulp of v, so v is found to a few ulp of 1.
	d := math.E * ((x + invEHi) + invELo)
	p := math.Sqrt(2 * d)
	// Branch-point series W = −1 − p − p²/3 − 11/72 p³ − … (W0's series at −p).
	v := -p * (1 + p*(1.0/3+p*(11.0/72+p*(43.0/540+p*(769.0/17280+p*(221.0/8505+p*(680863.0/43545600+p*(1963.0/204120+p*(226287557.0/37623398400)))))))))
	for range 6 {
		em1 := math.Expm1(v)
		r := math.FMA(v-1, em1, v) - d
		ev := em1 + 1
		d1 := v * ev       // R'
		d2 := (1 + v) * ev // R''
		step := r / d1 / (1 - r*d2/(2*d1*d1))
		v -= step
		if math.Abs(step) <= 0x1p-24*math.Abs(v) {
			break // cubic convergence: the error left is below 2⁻⁷²|v|
		}
	}
	return v - 1
}

// Log returns the natural logarithm of x like math.Log, also for subnormal x, where math.Log
// on amd64 is wrong (Go issue 56600: its assembly does not normalise the significand, so that
// math.Log(5e-324) = −709.09 instead of −744.44).
func Log(x float64) float64 {
	if x > 0 && x < 0x1p-1022 {
		return math.Log(x*0x1p54) - 54*math.Ln2
	}
	return math.Log(x)
}

func logAbs(x float64) float64 { return Log(math.Abs(x)) }
