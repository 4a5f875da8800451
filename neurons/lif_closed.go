package neurons

import (
	"math"

	"github.com/firstspike/firstspike/internal/mathx"
)

// CrossingEqualTau returns the first s ≥ 0 at which
//
//	u(s) = (u0 + i0·s/tau)·e^(−s/tau)
//
// reaches theta: the membrane u = V − Rest of a LIF neuron whose synaptic current i0 (in
// voltage units) has the membrane's time constant tau, with theta = Threshold − Rest.
// It returns 0 if u0 ≥ theta and +Inf if u never reaches theta.
//
// With x = s/tau the condition (u0 + i0 x) e^(−x) = theta gives
//
//	x = −u0/i0 − W(z),  z = −(theta/i0)·e^(−u0/i0),
//
// with the principal branch W0 where u rises through theta (i0 > 0) and the lower branch W−1
// where u climbs back from below theta after its minimum (i0 < 0, theta < 0); z < −1/e means
// that the maximum of u stays below theta. Where e^(−u0/i0) would overflow or underflow it
// falls back to the general solver.
func CrossingEqualTau(tau, u0, i0, theta float64) float64 {
	inf := math.Inf(1)
	switch {
	case u0 >= theta:
		return 0
	case i0 == 0:
		return decayCrossing(tau, u0-theta, theta)
	case theta == 0:
		// u ≥ 0 ⇔ u0 + i0 x ≥ 0, and u0 < 0.
		if i0 > 0 {
			return tau * (-u0 / i0)
		}
		return inf
	case i0 < 0 && theta > 0:
		return inf // u stays below max(u0, 0) < theta
	}
	r := -u0 / i0
	if math.Abs(r) > 700 {
		terms := [1]ExpTerm{{A: u0, B: i0 / tau, Rate: 1 / tau}}
		return firstCrossing(-theta, terms[:], inf)
	}
	z := -(theta / i0) * math.Exp(r)
	var w float64
	if i0 > 0 {
		if z < -1/math.E {
			return inf // the maximum i0·e^(u0/i0 − 1) is below theta
		}
		w = mathx.LambertW0(z)
	} else {
		// u tends to 0 > theta from below after its minimum: the crossing exists, so a z
		// below −1/e can only be rounding at a tangency.
		w = mathx.LambertWm1(max(z, -1/math.E))
	}
	if math.IsNaN(w) {
		return inf
	}
	// e^(−x) = −theta/(i0 W) as well: the logarithm keeps x accurate to a few ulp when
	// x = r − W cancels.
	x := r - w
	if math.Abs(r) > 4 || math.Abs(w) > 4 {
		x = -math.Log(-theta / (i0 * w))
	}
	if !(x >= 0) {
		return inf // the rising crossing is before s = 0: u only falls from u0 < theta
	}
	return tau * x
}

// CrossingHalfTau returns the first s ≥ 0 at which
//
//	u(s) = (u0 + i0)·e^(−s/tauMem) − i0·e^(−2s/tauMem)
//
// reaches theta: the membrane u = V − Rest of a LIF neuron whose synaptic current i0 (in
// voltage units) has half the membrane's time constant tauMem, with theta = Threshold − Rest.
// It returns 0 if u0 ≥ theta and +Inf if u never reaches theta.
//
// With q = e^(−s/tauMem) the condition is the quadratic i0 q² − (u0 + i0) q + theta = 0;
// CrossingHalfTau solves it for p = 1 − q, which keeps early crossings accurate, and for q
// itself when the crossing is late.
func CrossingHalfTau(tauMem, u0, i0, theta float64) float64 {
	if u0 >= theta {
		return 0
	}
	// u − theta = −(α p² + β p + γ) with p = 1 − q ∈ [0, 1): α = i0, β = u0 − i0,
	// γ = theta − u0 > 0. The crossing is the smallest root p in (0, 1).
	p := smallestRoot01(i0, u0-i0, theta-u0)
	switch {
	case math.IsInf(p, 1):
		return p
	case p <= 0.5:
		return -tauMem * math.Log1p(-p)
	}
	// Late crossing: q = 1 − p has lost its low digits; take the matching root of the
	// quadratic in q, i0 q² − (u0 + i0) q + theta, instead.
	q := 1 - p
	if r1, r2, ok := quadRoots(i0, -(u0 + i0), theta); ok {
		if math.Abs(r2-q) < math.Abs(r1-q) {
			r1 = r2
		}
		if r1 > 0 && math.Abs(r1-q) <= 0x1p-20 {
			q = r1
		}
	}
	return -tauMem * math.Log(q)
}

// smallestRoot01 returns the smallest root in (0, 1) of α p² + β p + γ with γ > 0, or
// +Inf if there is none.
func smallestRoot01(alpha, beta, gamma float64) float64 {
	best := math.Inf(1)
	if alpha == 0 {
		if p := -gamma / beta; p > 0 && p < 1 {
			best = p
		}
		return best
	}
	r1, r2, ok := quadRoots(alpha, beta, gamma)
	if !ok {
		return best
	}
	for _, r := range [2]float64{r1, r2} {
		if r > 0 && r < 1 && r < best {
			best = r
		}
	}
	return best
}

// quadRoots returns the real roots of a x² + b x + c (a ≠ 0), computed without
// cancellation, and false if they are complex.
func quadRoots(a, b, c float64) (float64, float64, bool) {
	disc := b*b - 4*a*c
	if !(disc >= 0) {
		return 0, 0, false
	}
	t := -0.5 * (b + math.Copysign(math.Sqrt(disc), b))
	if t == 0 {
		return 0, 0, true // b = c = 0
	}
	return t / a, c / t, true
}
