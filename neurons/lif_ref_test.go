package neurons

import (
	"math"
)

// Independent reference computations for the tests: the membrane from the textbook closed
// form (with a Taylor series of κ when τ_k is close to τm, where the textbook form cancels),
// a grid search followed by bisection, and a classical Runge–Kutta integration of the ODE.

// refU returns u(s) = V(s) − Rest of the free membrane from its textbook closed form.
func refU(p *LIF, u0 float64, cur []float64, s float64) float64 {
	tm := p.TauMem
	em := math.Exp(-s / tm)
	u := u0 * em
	for k, i := range cur {
		tk := p.TauSyn[k]
		x := s * (1/tm - 1/tk)
		if math.Abs(x) < 1e-3 {
			// κ = (s/τm) e^(−s/τm) (e^x − 1)/x = (s/τm) e^(−s/τm) Σ_j x^j/(j+1)!
			sum, term := 1.0, 1.0
			for j := 1; j < 10; j++ {
				term *= x / float64(j+1)
				sum += term
			}
			u += i * (s / tm) * em * sum
		} else {
			u += i * tk / (tk - tm) * (math.Exp(-s/tk) - em)
		}
	}
	return u
}

// refGrid evaluates the excess u(s) − theta on n+1 equally spaced points of [0, end] and
// returns the first index where it is ≥ tol, or -1.
func refGrid(p *LIF, u0 float64, cur []float64, theta, end float64, n int, tol float64) int {
	for j := 0; j <= n; j++ {
		s := end * float64(j) / float64(n)
		if refU(p, u0, cur, s)-theta >= tol {
			return j
		}
	}
	return -1
}

// refBisect closes [a, b] with u(a) < theta ≤ u(b) by bisection.
func refBisect(p *LIF, u0 float64, cur []float64, theta, a, b float64) float64 {
	for range 200 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		if refU(p, u0, cur, m) >= theta {
			b = m
		} else {
			a = m
		}
	}
	return b
}

// rk4 integrates TauMem du/dt = −u + Σ I_k, τ_k dI_k/dt = −I_k with step h from
// (u0, cur) and returns the first time u reaches theta (linear interpolation refined by
// bisection on a cubic Hermite interpolant of the last step), or +Inf before end.
func rk4(p *LIF, u0 float64, cur []float64, theta, end, h float64) float64 {
	n := len(cur)
	y := make([]float64, n+1)
	y[0] = u0
	copy(y[1:], cur)
	k1 := make([]float64, n+1)
	k2 := make([]float64, n+1)
	k3 := make([]float64, n+1)
	k4 := make([]float64, n+1)
	tmp := make([]float64, n+1)
	deriv := func(dst, y []float64) {
		sum := 0.0
		for k := 1; k <= n; k++ {
			sum += y[k]
			dst[k] = -y[k] / p.TauSyn[k-1]
		}
		dst[0] = (-y[0] + sum) / p.TauMem
	}
	if y[0] >= theta {
		return 0
	}
	t := 0.0
	for t < end {
		deriv(k1, y)
		for i := range y {
			tmp[i] = y[i] + 0.5*h*k1[i]
		}
		deriv(k2, tmp)
		for i := range y {
			tmp[i] = y[i] + 0.5*h*k2[i]
		}
		deriv(k3, tmp)
		for i := range y {
			tmp[i] = y[i] + h*k3[i]
		}
		deriv(k4, tmp)
		u0, du0 := y[0], k1[0]
		for i := range y {
			y[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
		}
		deriv(k1, y)
		u1, du1 := y[0], k1[0]
		if u1 >= theta {
			// Cubic Hermite interpolation on [t, t+h], then bisection on it.
			herm := func(x float64) float64 {
				x2, x3 := x*x, x*x*x
				return (2*x3-3*x2+1)*u0 + (x3-2*x2+x)*h*du0 + (-2*x3+3*x2)*u1 + (x3-x2)*h*du1
			}
			a, b := 0.0, 1.0
			for range 100 {
				m := (a + b) / 2
				if herm(m) >= theta {
					b = m
				} else {
					a = m
				}
			}
			return t + b*h
		}
		t += h
	}
	return math.Inf(1)
}
