package neurons

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLIFValidate(t *testing.T) {
	ok := cubaLIF()
	require.NoError(t, ok.Validate())
	noSyn := LIF{TauMem: 10, Threshold: 1, Reset: 0}
	require.NoError(t, noSyn.Validate(), "no receptors is a valid neuron")

	for _, c := range []struct {
		name string
		edit func(*LIF)
		want string
	}{
		{"TauMem zero", func(p *LIF) { p.TauMem = 0 }, "neurons: TauMem = 0: must be > 0"},
		{"TauMem NaN", func(p *LIF) { p.TauMem = math.NaN() }, "neurons: TauMem = NaN: must be > 0"},
		{"TauMem Inf", func(p *LIF) { p.TauMem = math.Inf(1) }, "neurons: TauMem = +Inf: must be finite"},
		{"TauMem subnormal", func(p *LIF) { p.TauMem = 1e-310 }, "neurons: TauMem = 1e-310: too small"},
		{"TauSyn negative", func(p *LIF) { p.TauSyn = []float64{5, -5} }, "neurons: TauSyn[1] = -5: must be > 0"},
		{"TauSyn Inf", func(p *LIF) { p.TauSyn = []float64{math.Inf(1), 5} }, "neurons: TauSyn[0] = +Inf: must be finite"},
		{"Threshold NaN", func(p *LIF) { p.Threshold = math.NaN() }, "neurons: Threshold = NaN: must be finite"},
		{"Reset Inf", func(p *LIF) { p.Reset = math.Inf(-1) }, "neurons: Reset = -Inf: must be finite"},
		{"Rest Inf", func(p *LIF) { p.Rest = math.Inf(1) }, "neurons: Rest = +Inf: must be finite"},
		{"Reset at Threshold", func(p *LIF) { p.Reset = p.Threshold }, "neurons: Reset = -50: must be < Threshold = -50"},
		{"Refractory negative", func(p *LIF) { p.Refractory = -1 }, "neurons: Refractory = -1: must be finite and ≥ 0"},
		{"Refractory NaN", func(p *LIF) { p.Refractory = math.NaN() }, "neurons: Refractory = NaN: must be finite and ≥ 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := cubaLIF()
			c.edit(&p)
			err := p.Validate()
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), c.want), "got %q, want prefix %q", err, c.want)
		})
	}
}

func TestLIFPropagateIdentityAndLimit(t *testing.T) {
	p := cubaLIF()
	cur := []float64{3.5, -7.25}
	v := p.Propagate(-55.5, cur, 0)
	assert.Equal(t, -55.5, v, "dt = 0 is the identity")
	assert.Equal(t, []float64{3.5, -7.25}, cur)

	v = p.Propagate(-55.5, cur, math.Inf(1))
	assert.Equal(t, p.Rest, v, "dt = +Inf relaxes to Rest")
	assert.Equal(t, []float64{0, 0}, cur)

	assert.PanicsWithValue(t, "neurons: LIF.Propagate dt = -1: must be ≥ 0", func() { p.Propagate(-55, cur, -1) })
	assert.Panics(t, func() { p.Propagate(-55, cur, math.NaN()) })
	assert.PanicsWithValue(t, "neurons: LIF.Propagate: 1 currents for 2 receptors", func() { p.Propagate(-55, cur[:1], 1) })
}

// TestLIFPropagateReference compares Propagate with the textbook closed form (a Taylor series
// of κ for τ_k near τm) on random neurons, including equal and near-equal time constants.
func TestLIFPropagateReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		c := randomCase(r)
		p := &c.p
		dt := logUniform(r, 1e-6, 200)
		cur := append([]float64(nil), c.cur...)
		got := p.Propagate(c.v, cur, dt)
		want := p.Rest + refU(p, c.v-p.Rest, c.cur, dt)
		assert.InDelta(t, want, got, 1e-12*caseScale(c)+1e-14*math.Abs(p.Rest), "%v dt=%v", c, dt)
		for k, i := range c.cur {
			assert.InDelta(t, i*math.Exp(-dt/p.TauSyn[k]), cur[k], 1e-15*math.Abs(i), "current %d", k)
		}
	}
}

// TestLIFPropagateNearEqual checks the accuracy the expm1 form keeps for τ_k → τm, where the
// textbook form loses all digits: κ must tend to (s/τm) e^(−s/τm), the τ_k = τm case.
func TestLIFPropagateNearEqual(t *testing.T) {
	for _, eps := range []float64{1e-3, 1e-6, 1e-9, 1e-12, 1e-15, -1e-15, -1e-12, -1e-9, -1e-6} {
		p := LIF{TauMem: 10, TauSyn: []float64{10 * (1 + eps)}, Threshold: 1, Reset: 0}
		for _, s := range []float64{0.01, 1, 10, 100} {
			cur := []float64{1}
			got := p.Propagate(0, cur, s)
			// Source: κ = (s/τm) e^(−s/τm) Σ_j x^j/(j+1)!, x = s(1/τm − 1/τk), summed in
			// refU; both sides round a handful of times.
			want := refU(&p, 0, []float64{1}, s)
			if math.Abs(s*(1/p.TauMem-1/p.TauSyn[0])) >= 1e-3 {
				continue // refU uses the textbook form there
			}
			assert.InDelta(t, want, got, 2e-15*math.Abs(want), "eps=%g s=%g", eps, s)
		}
	}
}

// TestLIFPropagateComposes checks that propagating by a then by b equals propagating by a+b.
func TestLIFPropagateComposes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 500 {
		c := randomCase(r)
		p := &c.p
		a, b := logUniform(r, 1e-3, 50), logUniform(r, 1e-3, 50)
		c1 := append([]float64(nil), c.cur...)
		v1 := p.Propagate(p.Propagate(c.v, c1, a), c1, b)
		c2 := append([]float64(nil), c.cur...)
		v2 := p.Propagate(c.v, c2, a+b)
		assert.InDelta(t, v2, v1, 1e-13*(caseScale(c)+math.Abs(p.Rest)), "%v a=%v b=%v", c, a, b)
		for k := range c1 {
			assert.InDelta(t, c2[k], c1[k], 1e-14*math.Abs(c.cur[k]))
		}
	}
}

// TestLIFPropagateRK4 compares Propagate with a Runge–Kutta integration of the ODE, which
// shares no code with the closed form.
func TestLIFPropagateRK4(t *testing.T) {
	p := LIF{TauMem: 12, TauSyn: []float64{3, 7, 12, 30}, Threshold: 100, Reset: 0, Rest: -3}
	v0, cur0 := 2.0, []float64{10, -6, 4, 1}
	for _, s := range []float64{0.5, 3, 17, 60} {
		cur := append([]float64(nil), cur0...)
		got := p.Propagate(v0, cur, s)
		// Integrate to s with RK4 (step 1e-3) by asking for the crossing of a threshold the
		// membrane cannot reach, then read the state from a second integration.
		want := p.Rest + rk4State(&p, v0-p.Rest, cur0, s, 1e-3)
		assert.InDelta(t, want, got, 1e-9, "s=%v", s)
	}
}

// rk4State integrates the ODE from (u0, cur) to time end with step about h and returns u.
func rk4State(p *LIF, u0 float64, cur []float64, end, h float64) float64 {
	n := int(math.Ceil(end / h))
	h = end / float64(n)
	y := append([]float64{u0}, cur...)
	d := func(y []float64) []float64 {
		out := make([]float64, len(y))
		sum := 0.0
		for k := 1; k < len(y); k++ {
			sum += y[k]
			out[k] = -y[k] / p.TauSyn[k-1]
		}
		out[0] = (-y[0] + sum) / p.TauMem
		return out
	}
	add := func(y, k []float64, f float64) []float64 {
		out := make([]float64, len(y))
		for i := range y {
			out[i] = y[i] + f*k[i]
		}
		return out
	}
	for range n {
		k1 := d(y)
		k2 := d(add(y, k1, h/2))
		k3 := d(add(y, k2, h/2))
		k4 := d(add(y, k3, h))
		for i := range y {
			y[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
		}
	}
	return y[0]
}

func TestLIFPropagateAllocs(t *testing.T) {
	p := cubaLIF()
	cur := []float64{1, -2}
	allocs := testing.AllocsPerRun(100, func() { p.Propagate(-55, cur, 0.5) })
	assert.Zero(t, allocs)
}

// nextCrossingTable holds first crossings computed with mpmath 1.3.0 at 50 significant digits: the
// membrane from its textbook closed form, a grid of 20000 points on [0, end], then 200
// bisection steps (script below). Inputs are the float64 values written here.
//
//	from mpmath import mp, mpf, exp
//	mp.dps = 50
//	def u(s, tm, ts, u0, I):
//	    r = u0*exp(-s/tm)
//	    for tk, ik in zip(ts, I):
//	        r += ik*(s/tm)*exp(-s/tm) if tk == tm else ik*tk/(tk-tm)*(exp(-s/tk)-exp(-s/tm))
//	    return r
//	# first s on the grid with u(s) ≥ theta, then bisection of the last grid step.
var nextCrossingTable = []struct {
	name   string
	tauMem float64
	tauSyn []float64
	u0     float64
	cur    []float64
	theta  float64
	want   float64
}{
	{"cuba reset, no current (20 ln 11)", 20, []float64{5, 10}, -11, []float64{0, 0}, -1, 47.95790545596741088123887},
	{"cuba, both currents", 20, []float64{5, 10}, -9, []float64{10, -20}, -1, 64.26717898754722284703753},
	{"cuba near threshold", 20, []float64{5, 10}, -1.2, []float64{3, -1}, -1, 1.444288260267550961672512},
	{"cuba inhibited dip", 20, []float64{5, 10}, -1.5, []float64{5, -30}, -1, 67.20155290175414970242537},
	{"general ratios 3, 7", 10, []float64{3, 7}, 0, []float64{30, -10}, 2, 1.478509406636097620245516},
	{"tau_s = tau_m (1+1e-9)", 10, []float64{10.00000001}, 0, []float64{25}, 5, 2.591711017737396161806798},
	{"tau_s = tau_m (1-1e-7) and 2.5", 10, []float64{9.999999, 2.5}, 0, []float64{20, -4}, 3, 2.187619427982492316038132},
	{"tau_s = tau_m and 4", 10, []float64{10, 4}, -2, []float64{15, 10}, 6, 5.971205074874061291376358},
	{"tau_s = tau_m (Lambert W), model.md §10 ET #1", 1, []float64{1}, 0, []float64{3}, 1, 0.619061286735945112152327},
	{"tau_m = 2 tau_s (quadratic), model.md §10 DT", 2, []float64{1}, 0, []float64{10}, 1, 0.2391480240984851372907103},
	{"slow synapse tau_s = 5 tau_m", 20, []float64{100}, -5, []float64{2}, 1, 60.28402188194379407229556},
	{"three receptors", 15, []float64{2, 6, 40}, 1, []float64{20, -8, 3}, 2, 2.325034443764019768980201},
}

func TestLIFNextCrossingTable(t *testing.T) {
	for _, c := range nextCrossingTable {
		t.Run(c.name, func(t *testing.T) {
			const rest = -49.0
			p := LIF{TauMem: c.tauMem, TauSyn: c.tauSyn, Rest: rest, Threshold: rest + c.theta}
			p.Reset = p.Threshold - 10
			require.NoError(t, p.Validate())
			// Rest + u0 and Rest + theta round; correct the expected time to first order for
			// the potentials actually represented.
			got := p.NextCrossing(rest+c.u0, append([]float64(nil), c.cur...), math.Inf(1))
			tol := 1e-12*c.want + 2e-14*c.tauMem
			assert.InDelta(t, c.want, got, tol)

			// The same with Rest = 0, where the potentials are exact.
			p = LIF{TauMem: c.tauMem, TauSyn: c.tauSyn, Threshold: c.theta, Reset: c.theta - 10}
			got = p.NextCrossing(c.u0, append([]float64(nil), c.cur...), math.Inf(1))
			assert.InDelta(t, c.want, got, 1e-12*c.want+1e-15*c.tauMem)
			// A horizon just before the crossing hides it; one just after does not.
			assert.True(t, math.IsInf(p.NextCrossing(c.u0, append([]float64(nil), c.cur...), c.want*(1-1e-9)), 1))
			assert.InDelta(t, c.want, p.NextCrossing(c.u0, append([]float64(nil), c.cur...), c.want*(1+1e-9)), 1e-12*c.want+1e-15*c.tauMem)
		})
	}
}

// firstSpike feeds input spikes at times (sorted) with currents w (in voltage units, on
// receptor 0) to p, starting at Rest at time 0, and returns the first crossing: Propagate
// between inputs, NextCrossing with the time to the next input as horizon.
func firstSpike(p *LIF, times, w []float64) float64 {
	v, cur := p.Rest, make([]float64, len(p.TauSyn))
	now := 0.0
	for k, tk := range times {
		v = p.Propagate(v, cur, tk-now)
		now = tk
		cur[0] += w[k]
		next := math.Inf(1)
		if k+1 < len(times) {
			next = times[k+1]
		}
		if s := p.NextCrossing(v, cur, next-now); !math.IsInf(s, 1) {
			return now + s
		}
	}
	return math.Inf(1)
}

// TestLIFSpecVectors runs the first-spike test vectors of docs/model.md §10 (mpmath, 40 digits) through
// Propagate and NextCrossing: ET with τm = τs = 1, ϑ = 1, E_l = 0, g_l = 1 (current = w), and
// DT with τs = 1, τm = 2, g_l = 0.5 (current = w/g_l).
func TestLIFSpecVectors(t *testing.T) {
	et := LIF{TauMem: 1, TauSyn: []float64{1}, Threshold: 1, Reset: 0, Rest: 0}
	dt := LIF{TauMem: 2, TauSyn: []float64{1}, Threshold: 1, Reset: 0, Rest: 0}
	inf := math.Inf(1)
	for _, c := range []struct {
		name  string
		p     *LIF
		times []float64
		w     []float64
		want  float64
	}{
		{"ET #1", &et, []float64{0}, []float64{3}, 0.619061286735945},
		{"ET #2", &et, []float64{0, 0.5}, []float64{2, 1.5}, 0.749460904845552},
		{"ET #3", &et, []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.14117061613921},
		{"ET #4", &et, []float64{0, 2}, []float64{4, 1}, 0.357402956181389},
		{"ET #5 (peak 0.658)", &et, []float64{0, 1}, []float64{1, 1}, inf},
		{"ET #6", &et, []float64{0, 0.3}, []float64{3, 0.5}, 0.506797706963606},
		{"ET #7", &et, []float64{0, 0.3}, []float64{3, -2}, inf},
		{"DT w = 5", &dt, []float64{0}, []float64{5 / 0.5}, 0.239148024098485},
		{"DT w = (3, 2)", &dt, []float64{0, 0.4}, []float64{3 / 0.5, 2 / 0.5}, 0.431515976415583},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := firstSpike(c.p, c.times, c.w)
			if math.IsInf(c.want, 1) {
				assert.True(t, math.IsInf(got, 1), "got %v", got)
				return
			}
			assert.InDelta(t, c.want, got, 1e-14)
		})
	}
}

func TestLIFNextCrossingSpecialCases(t *testing.T) {
	p := cubaLIF()
	inf := math.Inf(1)
	assert.Equal(t, 0.0, p.NextCrossing(-50, []float64{0, 0}, inf), "v = Threshold")
	assert.Equal(t, 0.0, p.NextCrossing(-40, []float64{0, -100}, 0), "v > Threshold, horizon 0")
	assert.True(t, math.IsInf(p.NextCrossing(-55, []float64{0, 0}, 0), 1), "horizon 0")
	// Rest below Threshold, no current: the membrane only relaxes.
	q := LIF{TauMem: 10, TauSyn: []float64{2}, Threshold: -50, Reset: -60, Rest: -65}
	assert.True(t, math.IsInf(q.NextCrossing(-55, []float64{0}, inf), 1))
	// Rest = Threshold: the membrane tends to the threshold and never reaches it...
	q.Rest = -50
	assert.True(t, math.IsInf(q.NextCrossing(-55, []float64{0}, inf), 1))
	// ... unless a current lifts it: u = u0 e^(−s/10) + I·2/(2−10)(e^(−s/2) − e^(−s/10))
	// crosses 0 where e^(−4s/5)·(−I/4) = −u0 − I/4... with u0 = −5, I = 100: solve
	// −5q + 25q − 25q⁵ = 0 for q = e^(−s/10): q⁴ = 20/25, s = −2.5 ln 0.8.
	assert.InDelta(t, -2.5*math.Log(0.8), q.NextCrossing(-55, []float64{100}, inf), 1e-14)
	// No receptors at all.
	n := LIF{TauMem: 10, Threshold: -50, Reset: -60, Rest: -40}
	assert.InDelta(t, 10*math.Log(15.0/10), n.NextCrossing(-55, nil, inf), 1e-14)

	// Huge finite horizons behave like +Inf, on every path: the polynomial one (CUBA), the
	// closed forms, the general solver.
	for _, c := range nextCrossingTable {
		q := LIF{TauMem: c.tauMem, TauSyn: c.tauSyn, Threshold: c.theta, Reset: c.theta - 10}
		want := q.NextCrossing(c.u0, append([]float64(nil), c.cur...), inf)
		assert.Equal(t, want, q.NextCrossing(c.u0, append([]float64(nil), c.cur...), 1e300), c.name)
		assert.Equal(t, want, q.NextCrossing(c.u0, append([]float64(nil), c.cur...), math.MaxFloat64), c.name)
	}
	big := ExpSum{C: -1, Terms: []ExpTerm{{A: 0.5, B: 1e9, Rate: 1e-3}, {B: -3e9, Rate: 2.5e-3}}}
	assert.Equal(t, big.FirstCrossing(inf), big.FirstCrossing(1e300))
	assert.False(t, math.IsNaN(big.At(1e300)))

	assert.PanicsWithValue(t, "neurons: LIF.NextCrossing horizon = -1: must be ≥ 0", func() { p.NextCrossing(-55, []float64{0, 0}, -1) })
	assert.Panics(t, func() { p.NextCrossing(-55, []float64{0, 0}, math.NaN()) })
	assert.PanicsWithValue(t, "neurons: LIF.NextCrossing v = NaN: must be finite", func() { p.NextCrossing(math.NaN(), []float64{0, 0}, 1) })
	assert.PanicsWithValue(t, "neurons: LIF.NextCrossing cur[1] = +Inf: must be finite", func() { p.NextCrossing(-55, []float64{0, inf}, 1) })
	assert.PanicsWithValue(t, "neurons: LIF.NextCrossing: 3 currents for 2 receptors", func() { p.NextCrossing(-55, []float64{0, 0, 0}, 1) })
}

// TestLIFNextCrossingRK4 compares NextCrossing on neurons with several receptors with the
// crossing of a Runge–Kutta integration of the ODE (step τmin/400, cubic Hermite
// interpolation of the crossing step), which is independent of the closed-form membrane.
func TestLIFNextCrossingRK4(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	n := 0
	for n < 60 {
		tm := logUniform(r, 2, 30)
		k := 2 + r.IntN(3)
		p := LIF{TauMem: tm, TauSyn: make([]float64, k), Rest: 0}
		cur := make([]float64, k)
		tmin := tm
		for j := range k {
			p.TauSyn[j] = tm * logUniform(r, 0.1, 5)
			if r.IntN(4) == 0 {
				p.TauSyn[j] = tm // equal
			}
			tmin = math.Min(tmin, p.TauSyn[j])
			cur[j] = 20 * r.NormFloat64()
		}
		u0 := 3 * r.NormFloat64()
		p.Threshold = u0 + logUniform(r, 0.1, 10)
		p.Reset = p.Threshold - 10
		got := p.NextCrossing(u0, append([]float64(nil), cur...), math.Inf(1))
		if math.IsInf(got, 1) || got > 20*tm {
			continue
		}
		// Only transversal crossings: the slope there sets how far rounding moves the time.
		h := 1e-6 * tm
		slope := (refU(&p, u0, cur, got+h) - refU(&p, u0, cur, got-h)) / (2 * h)
		if slope < 1e-3 {
			continue
		}
		n++
		want := rk4(&p, u0, cur, p.Threshold, got+tmin, tmin/400)
		assert.InDelta(t, want, got, 1e-8*tm, "τm=%v τs=%v u0=%v I=%v θ=%v", tm, p.TauSyn, u0, cur, p.Threshold)
	}
}

func TestLIFNextCrossingAllocs(t *testing.T) {
	cuba := cubaLIF()
	general := LIF{TauMem: 10, TauSyn: []float64{3, 7, 10.000001, 10}, Threshold: 5, Reset: 0}
	eight := LIF{TauMem: 10, TauSyn: []float64{1.1, 2.3, 3.7, 4.1, 6.3, 10.000001, 17, 29}, Threshold: 5, Reset: 0}
	for _, c := range []struct {
		name string
		p    *LIF
		cur  []float64
	}{
		{"cuba", &cuba, []float64{3, -2}},
		{"general", &general, []float64{30, -10, 4, 2}},
		{"eight receptors", &eight, []float64{30, -10, 4, 2, -3, 5, 1, -1}},
	} {
		allocs := testing.AllocsPerRun(100, func() { c.p.NextCrossing(c.p.Threshold-1, c.cur, math.Inf(1)) })
		assert.Zero(t, allocs, c.name)
	}
}
