package neurons

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCrossingEqualTau(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		name               string
		tau, u0, i0, theta float64
		want               float64
		tol                float64
	}{
		// docs/model.md §10 ET #1 (mpmath, 40 digits): t = −W0(−1/3).
		{"model.md §10 ET #1", 1, 0, 3, 1, 0.619061286735945, 1e-15},
		{"model.md §10 ET #1, tau = 5", 5, 0, 3, 1, 5 * 0.619061286735945, 5e-15},
		// u0 ≥ theta.
		{"above threshold", 1, 2, -1, 1, 0, 0},
		// theta = 0: u ≥ 0 ⇔ u0 + i0 x ≥ 0, x = 2/4.
		{"threshold at rest", 2, -2, 4, 0, 2 * 0.5, 1e-15},
		{"threshold at rest, inhibited", 2, -2, -4, 0, inf, 0},
		// i0 = 0: u0 e^(−x) = theta, x = ln(u0/theta) = ln 4.
		{"no current", 3, -4, 0, -1, 3 * math.Log(4), 1e-14},
		{"no current, rest below", 3, -4, 0, 1, inf, 0},
		// Maximum i0 e^(u0/i0 − 1) = 3/e ≈ 1.10 below theta = 1.2.
		{"maximum below threshold", 1, 0, 3, 1.2, inf, 0},
		// u0 > i0 > 0: the maximum lies before s = 0, u only falls from u0 < theta.
		{"past the maximum", 1, 0.9, 0.5, 1, inf, 0},
		// i0 < 0, theta < 0: u dips, then climbs back to 0 through theta (W−1). Reference:
		// the general solver (see TestCrossingEqualTauMatchesGeneral) and mpmath 50 digits:
		// (−0.5 − 2x) e^(−x) = −0.2 at x = 3.66822343998224365598983...
		{"inhibited, rest above threshold", 1, -0.5, -2, -0.2, 3.6682234399822436559898, 1e-14},
		{"inhibited, rest below threshold", 1, -0.5, -2, 0.2, inf, 0},
		// |u0/i0| > 700: e^(−u0/i0) overflows; the general solver takes over. With u0 = −1000,
		// i0 = −1: (1000 + x) e^(−x) = 1 at x = 6.91464612857859579815...; reference mpmath
		// findroot, 50 digits.
		{"huge ratio", 1, -1000, -1, -1, 6.9146461285785957981586, 1e-13},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CrossingEqualTau(c.tau, c.u0, c.i0, c.theta)
			if math.IsInf(c.want, 1) {
				assert.True(t, math.IsInf(got, 1), "got %v", got)
				return
			}
			assert.InDelta(t, c.want, got, c.tol)
		})
	}
}

// TestCrossingEqualTauMatchesGeneral compares the Lambert W closed form with the general
// solver on the same function (an ExpSum term (u0 + i0 s/τ) e^(−s/τ)) for random states.
func TestCrossingEqualTauMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range numCases(20000) {
		tau := logUniform(r, 0.1, 50)
		u0 := 10 * r.NormFloat64()
		i0 := 10 * r.NormFloat64()
		theta := u0 + logUniform(r, 1e-8, 20)
		if r.IntN(4) == 0 {
			theta = -theta
		}
		got := CrossingEqualTau(tau, u0, i0, theta)
		terms := []ExpTerm{{A: u0, B: i0 / tau, Rate: 1 / tau}}
		want := ExpSum{C: -theta, Terms: terms}.FirstCrossing(math.Inf(1))
		assertSameCrossing(t, want, got, tau, u0, i0, theta, func(s float64) float64 {
			return (u0+i0*s/tau)*math.Exp(-s/tau) - theta
		})
	}
}

// assertSameCrossing compares two crossing times of f, allowing for the conditioning of
// the root (a grazing crossing is only determined to about √ulp) and for grazes that one
// solver sees and the other does not (then f must be within rounding of 0 there).
func assertSameCrossing(t *testing.T, want, got, tau float64, u0, i0, theta float64, f func(float64) float64) {
	t.Helper()
	scale := math.Abs(u0) + math.Abs(i0) + math.Abs(theta)
	if math.IsInf(want, 1) != math.IsInf(got, 1) {
		s := math.Min(want, got)
		if math.Abs(f(s)) > 1e-12*scale {
			t.Fatalf("τ=%v u0=%v i0=%v θ=%v: general %v, closed form %v, f = %v there", tau, u0, i0, theta, want, got, f(s))
		}
		return
	}
	if math.IsInf(want, 1) {
		return
	}
	h := 1e-7 * tau
	slope := math.Abs(f(want+h)-f(math.Max(0, want-h))) / (want + h - math.Max(0, want-h))
	tol := 1e-12*want + 1e-15*tau + 1e-14*scale/slope
	if math.Abs(want-got) > tol {
		// Near a tangency the two may pick different points of the plateau where f ≈ 0.
		if math.Abs(f(got)) > 1e-12*scale || math.Abs(f(want)) > 1e-12*scale {
			t.Fatalf("τ=%v u0=%v i0=%v θ=%v: general %v, closed form %v (tol %v)", tau, u0, i0, theta, want, got, tol)
		}
	}
}

func TestCrossingHalfTau(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		name                  string
		tauMem, u0, i0, theta float64
		want, tol             float64
	}{
		// docs/model.md §10 DT (mpmath, 40 digits): τm = 2, current w/g_l = 5/0.5.
		{"model.md §10 DT", 2, 0, 10, 1, 0.239148024098485, 1e-15},
		{"above threshold", 2, 1, 0, 1, 0, 0},
		// i0 = 0: u0 e^(−s/τm) = theta, s = τm ln(u0/theta) = 2 ln 4.
		{"no current", 2, -4, 0, -1, 2 * math.Log(4), 1e-14},
		{"no current, rest below", 2, -4, 0, 1, inf, 0},
		// u = 1.5q − q² (u0 = 0.5, i0 = 1) equals 0.54 at q = 0.9 and q = 0.6; the first in
		// time is the larger q: s = −τm ln 0.9.
		{"two roots, the larger q first", 2, 0.5, 1, 0.54, -2 * math.Log(0.9), 1e-14},
		// Maximum of (u0 + i0) q − i0 q² is (u0+i0)²/(4 i0) = 0.25 < theta = 0.3.
		{"maximum below threshold", 2, 0, 1, 0.3, inf, 0},
		// Late crossing: −0.5q − 0.5q² = −1e-8 at q ≈ 2e-8, where 1 − p has lost its
		// digits: s = 17.7275335833924195418...; reference mpmath findroot, 50 digits.
		{"late crossing", 1, -1, 0.5, -1e-8, 17.727533583392419541804, 1e-13},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := CrossingHalfTau(c.tauMem, c.u0, c.i0, c.theta)
			if math.IsInf(c.want, 1) {
				assert.True(t, math.IsInf(got, 1), "got %v", got)
				return
			}
			assert.InDelta(t, c.want, got, c.tol)
		})
	}
}

// TestCrossingHalfTauMatchesGeneral compares the quadratic closed form with the polynomial
// isolation of the general solver on (u0 + i0) e^(−s/τm) − i0 e^(−2s/τm).
func TestCrossingHalfTauMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range numCases(20000) {
		tm := logUniform(r, 0.1, 50)
		u0 := 10 * r.NormFloat64()
		i0 := 10 * r.NormFloat64()
		theta := u0 + logUniform(r, 1e-8, 20)
		if r.IntN(4) == 0 {
			theta = -theta
		}
		got := CrossingHalfTau(tm, u0, i0, theta)
		terms := []ExpTerm{{A: u0 + i0, Rate: 1 / tm}, {A: -i0, Rate: 2 / tm}}
		want := ExpSum{C: -theta, Terms: terms}.FirstCrossing(math.Inf(1))
		assertSameCrossing(t, want, got, tm, u0, i0, theta, func(s float64) float64 {
			q := math.Exp(-s / tm)
			return (u0+i0)*q - i0*q*q - theta
		})
	}
}

// TestCrossingClosedFormsBruteForce runs the closed forms, through NextCrossing on neurons
// with one receptor of time constant τm or τm/2, against the grid search and bisection on the
// textbook membrane.
func TestCrossingClosedFormsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for i := range numCases(500) {
		tm := logUniform(r, 0.5, 50)
		ts := tm
		name := "τs = τm"
		if i%2 == 1 {
			ts, name = tm/2, "τm = 2τs"
		}
		c := crossingCase{name: name, p: LIF{TauMem: tm, TauSyn: []float64{ts}, Rest: -65 + 10*r.NormFloat64()}}
		c.p.Threshold = c.p.Rest + 25*r.Float64() - 5
		c.p.Reset = c.p.Threshold - 10
		c.v = c.p.Threshold - logUniform(r, 1e-6, 30)
		c.cur = []float64{20 * r.NormFloat64()}
		c.horizon = math.Inf(1)
		checkCase(t, c, 4000)
	}
}
