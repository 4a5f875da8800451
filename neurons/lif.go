package neurons

import (
	"fmt"
	"math"
)

// LIF is a current-based leaky integrate-and-fire neuron with exponentially decaying synaptic
// currents, one per receptor type:
//
//	TauMem dV/dt = −(V − Rest) + Σ_k I_k,    TauSyn[k] dI_k/dt = −I_k.
//
// Currents are in voltage units (current times membrane resistance): the CUBA model of
// Brette et al. (2007), dV/dt = (ge + gi − (V − El))/τm, is I_0 = ge and I_1 = gi.
// After a spike V is held at Reset for Refractory; the currents keep evolving.
//
// Between events the membrane has the closed form, with u = V − Rest and s the time since
// the last event,
//
//	u(s) = u(0) e^(−s/τm) + Σ_k I_k(0) κ_k(s),
//	κ_k(s) = τ_k/(τ_k − τm) (e^(−s/τ_k) − e^(−s/τm))    (τ_k ≠ τm),
//	κ_k(s) = (s/τm) e^(−s/τm)                            (τ_k = τm).
//
// Propagate and NextCrossing evaluate κ_k as e^(−s/τ_slow) (1 − e^(−δs))/(τm δ), with τ_slow
// the larger of τ_k and τm and δ = |1/τm − 1/τ_k|, through expm1, so they stay accurate for
// τ_k arbitrarily close to τm.
type LIF struct {
	TauMem     float64   // membrane time constant > 0
	TauSyn     []float64 // synaptic time constant of each receptor type, each > 0
	Threshold  float64   // V at which the neuron spikes
	Reset      float64   // V after a spike
	Rest       float64   // resting (leak reversal) potential
	Refractory float64   // time V is held at Reset after a spike, ≥ 0
}

// Validate reports whether the parameters are usable: positive, finite time constants,
// finite potentials with Reset < Threshold, and a non-negative refractory period.
// The error names the first offending field and its value.
func (p *LIF) Validate() error {
	if err := checkTau("TauMem", p.TauMem); err != nil {
		return err
	}
	for k, t := range p.TauSyn {
		if err := checkTau(fmt.Sprintf("TauSyn[%d]", k), t); err != nil {
			return err
		}
	}
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"Threshold", p.Threshold}, {"Reset", p.Reset}, {"Rest", p.Rest}} {
		if !finite(f.v) {
			return fmt.Errorf("neurons: %s = %v: must be finite", f.name, f.v)
		}
	}
	if !(p.Reset < p.Threshold) {
		return fmt.Errorf("neurons: Reset = %v: must be < Threshold = %v", p.Reset, p.Threshold)
	}
	if !finite(p.Refractory) || p.Refractory < 0 {
		return fmt.Errorf("neurons: Refractory = %v: must be finite and ≥ 0", p.Refractory)
	}
	return nil
}

func checkTau(name string, t float64) error {
	switch {
	case !(t > 0):
		return fmt.Errorf("neurons: %s = %v: must be > 0", name, t)
	case math.IsInf(t, 1):
		return fmt.Errorf("neurons: %s = %v: must be finite", name, t)
	case math.IsInf(1/t, 1):
		return fmt.Errorf("neurons: %s = %v: too small, 1/%s overflows", name, t, name)
	}
	return nil
}

// Propagate advances the free membrane (no input, no threshold) by dt ≥ 0 exactly. It returns
// the new V and updates the currents cur (len(TauSyn)) in place.
//
// Propagate(v, cur, 0) returns v and leaves cur unchanged; Propagate(v, cur, +Inf) returns
// Rest and sets the currents to 0. It costs one exponential for the membrane and, per
// receptor with a nonzero current, one exponential and one expm1; it allocates nothing.
// It panics if len(cur) ≠ len(TauSyn) or dt is negative or NaN.
func (p *LIF) Propagate(v float64, cur []float64, dt float64) float64 {
	if len(cur) != len(p.TauSyn) {
		panic(fmt.Sprintf("neurons: LIF.Propagate: %d currents for %d receptors", len(cur), len(p.TauSyn)))
	}
	if dt == 0 {
		return v
	}
	if !(dt > 0) {
		panic(fmt.Sprintf("neurons: LIF.Propagate dt = %v: must be ≥ 0", dt))
	}
	if math.IsInf(dt, 1) {
		clear(cur)
		return p.Rest
	}
	tm := p.TauMem
	em := math.Exp(-dt / tm)
	u := (v - p.Rest) * em
	for k, i := range cur {
		if i == 0 {
			continue
		}
		tk := p.TauSyn[k]
		if tk == tm {
			u += i * (dt / tm) * em
			cur[k] = i * em
			continue
		}
		ek := math.Exp(-dt / tk)
		gap := math.Abs(tk - tm)
		// κ = e^(−s/τ_slow) (1 − e^(−δs))/(τm δ) with δ = |τk − τm|/(τm τk).
		w := -math.Expm1(-dt*(gap/(tm*tk))) * (tk / gap)
		if tk > tm {
			u += i * ek * w
		} else {
			u += i * em * w
		}
		cur[k] = i * ek
	}
	return p.Rest + u
}

// plainRatio bounds |τ_k/(τ_k − τm)| for which NextCrossing splits κ_k into two
// exponentials with coefficients ±I τ_k/(τ_k − τm): rounding then costs at most this many
// ulp of I. Closer time constants keep the difference-quotient form.
const plainRatio = 16

// NextCrossing returns the smallest s in [0, horizon] at which the free membrane that starts
// at (v, cur) reaches Threshold, or +Inf if it does not within horizon (horizon may be +Inf).
// It returns 0 if v ≥ Threshold. It never misses a crossing, also one where the membrane
// only touches Threshold, and never returns NaN. The time is accurate to about 1e-12
// relative or a few ulp of the time constants; at a tangency, where the crossing is only
// determined to about the square root of the rounding error, correspondingly less.
//
// Special cases are:
//
//	NextCrossing(v, cur, h) = 0     if v ≥ Threshold
//	NextCrossing(v, cur, h) = +Inf  if V stays below Threshold on [0, h], or only tends to it
//
// Where the membrane has a closed form it uses it: no current (a logarithm), all nonzero
// currents sharing one time constant τ with τ = τm (Lambert W, CrossingEqualTau) or
// τm = 2τ (a quadratic, CrossingHalfTau). Otherwise it solves the exponential sum
// u(s) − (Threshold − Rest) with ExpSum.FirstCrossing, which runs on a polynomial without
// exponentials when the time constants are small integer multiples of one another (as in the
// CUBA network, τm = 20, τe = 5, τi = 10). It allocates nothing for up to 8 receptors.
//
// It panics if len(cur) ≠ len(TauSyn), if v or a current is not finite, or if horizon is
// negative or NaN. The parameters must be valid (see Validate).
func (p *LIF) NextCrossing(v float64, cur []float64, horizon float64) float64 {
	if len(cur) != len(p.TauSyn) {
		panic(fmt.Sprintf("neurons: LIF.NextCrossing: %d currents for %d receptors", len(cur), len(p.TauSyn)))
	}
	if !(horizon >= 0) {
		panic(fmt.Sprintf("neurons: LIF.NextCrossing horizon = %v: must be ≥ 0", horizon))
	}
	if !finite(v) {
		panic(fmt.Sprintf("neurons: LIF.NextCrossing v = %v: must be finite", v))
	}
	for k, i := range cur {
		if !finite(i) {
			panic(fmt.Sprintf("neurons: LIF.NextCrossing cur[%d] = %v: must be finite", k, i))
		}
	}
	if v >= p.Threshold {
		return 0
	}
	s := p.crossing(v, cur, horizon)
	if s > horizon {
		return math.Inf(1)
	}
	return s
}

// crossing is NextCrossing for v < Threshold, before the horizon is applied (except by the
// general solver, which stops searching there).
func (p *LIF) crossing(v float64, cur []float64, horizon float64) float64 {
	tm := p.TauMem
	u0 := v - p.Rest
	theta := p.Threshold - p.Rest
	// The nonzero currents, and whether they share one time constant.
	var ts, itot float64
	active, shared := 0, true
	for k, i := range cur {
		if i == 0 {
			continue
		}
		if t := p.TauSyn[k]; active == 0 {
			ts = t
		} else if t != ts {
			shared = false
		}
		itot += i
		active++
	}
	if active == 0 {
		return decayCrossing(tm, v-p.Threshold, theta)
	}
	if shared {
		switch {
		case ts == tm:
			return CrossingEqualTau(tm, u0, itot, theta)
		case tm == 2*ts:
			return CrossingHalfTau(tm, u0, itot, theta)
		}
	}
	if s, ok := p.polyCrossing(u0, theta, cur, horizon); ok {
		return s
	}
	var buf [9]ExpTerm
	terms := buf[:0]
	if active+1 > len(buf) {
		terms = make([]ExpTerm, 0, active+1)
	}
	am := u0 // coefficient of e^(−s/τm)
	for k, i := range cur {
		if i == 0 {
			continue
		}
		tk := p.TauSyn[k]
		switch r := tk / (tk - tm); {
		case tk == tm:
			terms = append(terms, ExpTerm{B: i / tm, Rate: 1 / tm})
		case math.Abs(r) <= plainRatio:
			c := i * r
			terms = append(terms, ExpTerm{A: c, Rate: 1 / tk})
			am -= c
		default:
			terms = append(terms, ExpTerm{B: i / tm, Rate: 1 / math.Max(tk, tm), Gap: math.Abs(tk-tm) / (tm * tk)})
		}
	}
	terms = append(terms, ExpTerm{A: am, Rate: 1 / tm})
	return firstCrossing(-theta, terms, horizon)
}

// polyCrossing solves for the crossing as a polynomial in q = e^(−s/τ), τ the largest of
// the membrane's and the active receptors' time constants, when all of them are τ/n for
// integers n ≤ 8, as ExpSum.FirstCrossing would, but without building the sum first. It
// reports false if the time constants do not qualify.
func (p *LIF) polyCrossing(u0, theta float64, cur []float64, horizon float64) (float64, bool) {
	tm := p.TauMem
	slow := tm
	for k, i := range cur {
		if i != 0 && p.TauSyn[k] > slow {
			slow = p.TauSyn[k]
		}
	}
	nm, ok := multiple(slow / tm)
	if !ok {
		return 0, false
	}
	var a polyCoef
	am := u0 // coefficient of e^(−s/τm)
	for k, i := range cur {
		if i == 0 {
			continue
		}
		tk := p.TauSyn[k]
		n, ok := multiple(slow / tk)
		if !ok || n == nm {
			return 0, false // n == nm: τk = τm up to rounding, a term s·e^(−s/τm)
		}
		c := i * (tk / (tk - tm))
		a[n] += c
		am -= c
	}
	a[0] = -theta
	a[nm] += am
	return polyCrossing(&a, 1/slow, horizon)
}

// decayCrossing is the crossing of a membrane without current, u0 e^(−s/τm), of theta;
// below = u0 − theta < 0.
func decayCrossing(tm, below, theta float64) float64 {
	if !(theta < 0) {
		return math.Inf(1) // u decays towards 0 ≤ theta from below theta
	}
	// u0 e^(−s/τm) = theta ⇔ s = τm log(u0/theta), u0/theta = 1 + below/theta > 1.
	return tm * math.Log1p(below/theta)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
