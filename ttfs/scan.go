package ttfs

import (
	"math"

	"github.com/firstspike/firstspike/internal/mathx"
)

// Outcomes of the closed forms on one window.
const (
	crossNone  = iota // the window holds no upward crossing
	crossFound        // the crossing, clamped into the window
	crossBad          // the sums are not finite: recompute on the robust path
)

// crossET returns the rising threshold crossing y of (u0 + a·y)·e^(−y) = c0 on the window
// y ∈ [0, y1] (y1 may be +Inf), which starts at x0 in the frame of the layer: y = q − W0(z) with
// q = −u0/a and z = −(c0/a)·e^q (docs/model.md §2 in the window's own frame: b/a = x0 + q, c0 = c·e^x0).
// If sure, the caller has seen the membrane reach c within the window, and a z a rounding
// error below −1/e is read as the tangential touch W0 = −1. It also returns W0.
func crossET(a, u0, c, x0, c0, y1 float64, sure bool) (y, w float64, st int) {
	if !(a > 0 && a <= math.MaxFloat64 && u0-u0 == 0) {
		if a-a == 0 && u0-u0 == 0 {
			return 0, 0, crossNone // a ≤ 0: the membrane of this window never rises through c
		}
		return 0, 0, crossBad
	}
	inv := 1 / a
	q := -u0 * inv
	if m := c0 * inv; m > 0 && m <= math.MaxFloat64 {
		if peakBelow(q, m) && !sure {
			return 0, 0, crossNone
		}
		w = mathx.LambertW0Neg(-m * mathx.Exp(q))
	} else {
		w = w0Far(a, q, m, c, x0)
	}
	y, w, ok := crossOffset(q, w, y1, sure)
	if !ok {
		return 0, 0, crossNone
	}
	return y, w, crossFound
}

// crossOffset finishes the closed form from w = W0(z): the crossing's offset y = q − w into
// the window, clamped to [0, y1], and w. A NaN w (z < −1/e) means that the peak stays below
// threshold (ok is false) unless the membrane is sure to reach it at the window's end, where
// the crossing is then the peak itself (w = −1).
func crossOffset(q, w, y1 float64, sure bool) (y, wOut float64, ok bool) {
	if w != w { // z < −1/e
		if !sure {
			return 0, 0, false
		}
		w = -1
	}
	y = q - w
	if y < 0 {
		y = 0
	}
	if y > y1 {
		y = y1
	}
	return y, w, true
}

// peakBelow reports, without an exponential, that the membrane's peak stays clearly below
// threshold: that z = −m·e^q < −1/e by a relative margin of 10⁻¹², where W0(z) is not real.
// The peak lies at y* = q + 1, and z < −1/e iff m·e^(y*) > 1; e^y ≥ 1 + y + y²/2 + y³/6 for all
// real y (the remainder of the Taylor series is e^ξ·y⁴/24 ≥ 0). The margin leaves every case
// that rounding could decide to Exp and LambertW0Neg, so the outcome is that of the closed
// form, bit for bit.
func peakBelow(q, m float64) bool {
	y := q + 1
	return m*(1+y*(1+y*(0.5+y*(1.0/6)))) > 1+1e-12
}

// w0Far returns W0(z) for z = −m·e^q where m = c0/a = c·e^x0/a has over- or underflowed.
// z then over- or underflows only where it is far from [−1/e, 0) or negligible, except for
// ∞·0 = NaN: then it forms the product in logarithms. It is NaN where z < −1/e.
func w0Far(a, q, m, c, x0 float64) float64 {
	z := -m * mathx.Exp(q)
	if z != z {
		z = -math.Exp(q + mathx.Log(c) + x0 - mathx.Log(a))
	}
	return mathx.LambertW0Neg(z)
}

// crossDT returns the earliest crossing x of a2·q − a1·q² = c with q = e^(−x/2) on the
// window [x0, x1], where q0 = e^(−x0/2): the larger root q of a1·q² − a2·q + c = 0 (docs/model.md §2).
// It solves for y = 1 − q/q0 in the frame of the window start, A1·y² − B·y + C = 0 with
// A1 = a1·q0², B = 2·A1 − a2·q0 (> 0 while the membrane rises) and C = c − V(x0) > 0, as
// y = 2C/(B + √(B² − 4·A1·C)) and x = x0 − 2·log1p(−y): the time into the window keeps its
// relative accuracy however short it is. sure is as for crossET: a negative discriminant
// is then read as zero.
func crossDT(a1, a2, c, x0, x1, q0 float64, sure bool) (float64, int) {
	if !finite(a1) || !finite(a2) {
		return 0, crossBad
	}
	if !(a1 > 0 && a2 > 0) {
		return 0, crossNone // the membrane of this window never rises through c
	}
	A1, A2 := a1*q0*q0, a2*q0
	d := math.FMA(A2, A2, -4*A1*c) // = B² − 4·A1·C
	if math.IsInf(d, 0) {
		d = A2 * A2 * (1 - 4*(A1/A2)*(c/A2)) // A2² overflowed: factor it out
	}
	if !(d >= 0) {
		if !sure {
			return 0, crossNone
		}
		d = 0
	}
	B, C := 2*A1-A2, c-A2+A1
	y := 2 * C / (B + math.Sqrt(d))
	if !(B > 0) || !(y < 1) {
		if sure {
			return x0, crossFound // rounding at a crossing right at the window start
		}
		return 0, crossNone
	}
	x := x0 - 2*math.Log1p(-y)
	switch {
	case x != x:
		return 0, crossBad
	case x > x1:
		x = x1
	}
	return x, crossFound
}

// scan returns the first spike time of one neuron from its finite inputs sorted by time (ts
// ascending, equal times adjacent) with weights ws, which it may scale in place. It is the
// per-neuron form of Layer's scan that never overflows: weights above 2^500 are scaled by a
// power of two (with c and ε, which leaves the crossing time unchanged), and the exponentials
// are re-based to the current input whenever it lies more than maxSpread time constants
// after the base.
func (k constants) scan(ts, ws []float64) float64 {
	inf := math.Inf(1)
	n := len(ts)
	big := 0.0
	for _, w := range ws {
		if v := math.Abs(w); v > big {
			big = v
		} else if v != v {
			return inf // a NaN weight
		}
	}
	if big == 0 || !finite(big) {
		return inf
	}
	c, eps := k.c, k.eps
	if big > 0x1p500 {
		_, e := math.Frexp(big)
		for i := range ws {
			ws[i] = math.Ldexp(ws[i], -e)
		}
		c, eps = math.Ldexp(c, -e), math.Ldexp(eps, -e)
	}
	base := ts[0]
	epsB := eps * math.Exp(-base/k.tau) // ε in the frame of base; +Inf only while irrelevant
	// ET: a, b and up = a·x − b − ε at the window start; DT: a = A1, b = A2 (ε added on use).
	a, b, up := 0.0, 0.0, -epsB
	// e = e^x and h = e^(x/2) of the current window's time, carried over from the previous
	// window's end so that each window costs one exponential (two for DT).
	e, h := 1.0, 1.0
	for i := 0; i < n; {
		t := ts[i]
		wsum := ws[i]
		for i++; i < n && ts[i] == t; i++ {
			wsum += ws[i]
		}
		x := (t - base) / k.tau
		if x > maxSpread {
			// Re-base to t: a·x − b keeps its value up to the factor e^(−x), so the window tests
			// and the closed forms are unchanged.
			f := math.Exp(-x)
			if k.dt {
				a, b = a*f, b*math.Exp(-x/2)
			} else {
				a, b = a*f, (b-x*a)*f
			}
			base, x, e, h = t, 0, 1, 1
			epsB = eps * math.Exp(-base/k.tau)
			up = -b - epsB
			if f == 0 {
				a, b, up = 0, 0, -epsB
			}
		}
		last := i == n
		xn, en, hn := inf, inf, inf
		if !last {
			xn = (ts[i] - base) / k.tau
			en = mathx.Exp(xn)
			if k.dt {
				hn = mathx.Exp(xn / 2)
			}
		}
		var xc float64
		var st int
		if k.dt {
			a, b = math.FMA(wsum, e, a), math.FMA(wsum, h, b)
			a1 := a + epsB
			q0, qn := 1/h, 1/hn
			rising := 2*a1*q0 > b
			if !rising && last {
				return inf
			}
			vn := math.FMA(-a1, qn, b) * qn
			if vn >= c || (rising && 2*a1*qn < b) {
				xc, st = crossDT(a1, b, c, x, xn, q0, vn >= c)
			}
		} else {
			a, b = math.FMA(wsum, e, a), math.FMA(wsum, x*e, b)
			be := b + epsB
			if last {
				if !(a > up) {
					return inf
				}
				var y float64
				y, _, st = crossET(a, math.FMA(a, x, -be), c, x, c*e, inf, false)
				xc = x + y
			} else {
				u := math.FMA(a, xn, -be)
				if cn := c * en; u >= cn || (a < u && a > up) {
					var y float64
					y, _, st = crossET(a, math.FMA(a, x, -be), c, x, c*e, xn-x, u >= cn)
					xc = x + y
				}
				up = u
			}
		}
		switch st {
		case crossFound:
			return base + k.tau*xc
		case crossBad:
			return inf // cannot happen with scaled weights; never return NaN
		}
		e, h = en, hn
	}
	return inf
}
