package neurons

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refAt evaluates an ExpSum independently of At: the difference quotient of a Gap term
// from its textbook form, or from its Taylor series in Gap·s when that cancels.
func refAt(f ExpSum, s float64) float64 {
	v := f.C
	for _, t := range f.Terms {
		e := math.Exp(-t.Rate * s)
		var F float64
		switch x := t.Gap * s; {
		case t.Gap == 0:
			F = s
		case x < 1e-3:
			// (1 − e^(−x))/Gap = s Σ_j (−x)^j/(j+1)!
			sum, term := 1.0, 1.0
			for j := 1; j < 10; j++ {
				term *= -x / float64(j+1)
				sum += term
			}
			F = s * sum
		default:
			F = (1 - math.Exp(-x)) / t.Gap
		}
		v += (t.A + t.B*F) * e
	}
	return v
}

func TestExpSumValidate(t *testing.T) {
	require.NoError(t, ExpSum{C: -1, Terms: []ExpTerm{{A: 1, B: 2, Rate: 0, Gap: 0.5}}}.Validate())
	for _, c := range []struct {
		f    ExpSum
		want string
	}{
		{ExpSum{C: math.NaN()}, "neurons: ExpSum C = NaN: must be finite"},
		{ExpSum{Terms: []ExpTerm{{A: 1, Rate: 1}, {A: math.Inf(1), Rate: 1}}}, "neurons: ExpSum Terms[1].A = +Inf: must be finite"},
		{ExpSum{Terms: []ExpTerm{{B: math.NaN(), Rate: 1}}}, "neurons: ExpSum Terms[0].B = NaN: must be finite"},
		{ExpSum{Terms: []ExpTerm{{A: 1, Rate: -1}}}, "neurons: ExpSum Terms[0].Rate = -1: must be finite and ≥ 0"},
		{ExpSum{Terms: []ExpTerm{{A: 1, Rate: 1, Gap: -2}}}, "neurons: ExpSum Terms[0].Gap = -2: must be finite and ≥ 0"},
	} {
		err := c.f.Validate()
		require.Error(t, err)
		assert.Equal(t, c.want, err.Error())
		assert.PanicsWithValue(t, c.want, func() { c.f.FirstCrossing(1) })
	}
	assert.PanicsWithValue(t, "neurons: ExpSum.FirstCrossing horizon = NaN: must be ≥ 0", func() { ExpSum{C: 1}.FirstCrossing(math.NaN()) })
}

func TestExpSumAt(t *testing.T) {
	f := ExpSum{C: -1, Terms: []ExpTerm{{A: 2, Rate: 1}, {A: 0.5, B: -3, Rate: 0.25}, {B: 4, Rate: 2, Gap: 0.5}}}
	for _, s := range []float64{0, 0.1, 1, 7, 50} {
		// Source: the definition, term by term.
		want := -1 + 2*math.Exp(-s) + (0.5-3*s)*math.Exp(-0.25*s) + 4*(math.Exp(-2*s)-math.Exp(-2.5*s))/0.5
		assert.InDelta(t, want, f.At(s), 1e-14, "s=%v", s)
	}
	assert.Equal(t, -1.0, f.At(math.Inf(1)))
	g := ExpSum{C: 1, Terms: []ExpTerm{{A: 1, B: -1, Rate: 0}, {B: 2, Rate: 0, Gap: 4}}}
	assert.Equal(t, math.Inf(-1), g.At(math.Inf(1)), "A + B·s with B < 0 and rate 0")
	// A Gap term tends to the Gap = 0 term: (e^(−s) − e^(−(1+g)s))/g → s e^(−s).
	for _, gap := range []float64{1e-4, 1e-8, 1e-12, 1e-16, 1e-300} {
		h := ExpSum{Terms: []ExpTerm{{B: 1, Rate: 1, Gap: gap}}}
		// F(2) = 2 − g·2²/2 + O(g²): the term moves by about 0.27·g.
		assert.InDelta(t, 2*math.Exp(-2), h.At(2), 0.3*gap+1e-16, "gap=%g", gap)
	}
}

func TestExpSumFirstCrossingTable(t *testing.T) {
	inf := math.Inf(1)
	ln2 := math.Ln2
	r2 := math.Sqrt2
	for _, c := range []struct {
		name    string
		f       ExpSum
		horizon float64
		want    float64
		tol     float64
	}{
		{"zero function", ExpSum{}, inf, 0, 0},
		{"negative constant", ExpSum{C: -1}, inf, inf, 0},
		{"non-negative at 0", ExpSum{C: -1, Terms: []ExpTerm{{A: 2, Rate: 1}}}, inf, 0, 0},
		// 1 − 2e^(−s) = 0 at s = ln 2.
		{"one exponential", ExpSum{C: 1, Terms: []ExpTerm{{A: -2, Rate: 1}}}, inf, ln2, 1e-15},
		{"one exponential, horizon before", ExpSum{C: 1, Terms: []ExpTerm{{A: -2, Rate: 1}}}, 0.69, inf, 0},
		{"one exponential, horizon at", ExpSum{C: 1, Terms: []ExpTerm{{A: -2, Rate: 1}}}, ln2 * (1 + 1e-14), ln2, 1e-15},
		// 3s e^(−s) = 1 at s = −W0(−1/3) (docs/model.md §10 ET #1).
		{"s·e^(−s)", ExpSum{C: -1, Terms: []ExpTerm{{B: 3, Rate: 1}}}, inf, 0.619061286735945, 1e-15},
		// The same with a tiny gap: the term differs by O(gap).
		{"gap 1e-12", ExpSum{C: -1, Terms: []ExpTerm{{B: 3, Rate: 1, Gap: 1e-12}}}, inf, 0.619061286735945, 1e-11},
		// The maximum of s e^(−s) is 1/e < 0.4.
		{"s·e^(−s) below", ExpSum{C: -0.4, Terms: []ExpTerm{{B: 1, Rate: 1}}}, inf, inf, 0},
		// −1 + 0.5 s: a rate-0 linear term, root 2.
		{"linear", ExpSum{C: -1, Terms: []ExpTerm{{B: 0.5}}}, inf, 2, 1e-15},
		// 0.5 e^(−s) − e^(−2s) (C = 0): e^(−s) = 1/2, then tends to 0 from above.
		{"C = 0, crossing", ExpSum{Terms: []ExpTerm{{A: 0.5, Rate: 1}, {A: -1, Rate: 2}}}, inf, ln2, 1e-15},
		// −e^(−s) + 0.5 e^(−2s) < 0, tends to 0 from below.
		{"C = 0, only in the limit", ExpSum{Terms: []ExpTerm{{A: -1, Rate: 1}, {A: 0.5, Rate: 2}}}, inf, inf, 0},
		// −(e^(−s) − 2e^(−2s))² touches 0 at e^(−s) = 1/2 only: a tangency, found to about
		// √ulp (polynomial path: rates 2, 3, 4).
		{"tangency, polynomial", ExpSum{Terms: []ExpTerm{{A: -1, Rate: 2}, {A: 4, Rate: 3}, {A: -4, Rate: 4}}}, inf, ln2, 1e-7},
		// −(e^(−s) − 2e^(−√2 s))² touches 0 at s = ln 2/(√2 − 1) (general path).
		{"tangency, general", ExpSum{Terms: []ExpTerm{{A: -1, Rate: 2}, {A: 4, Rate: 1 + r2}, {A: -4, Rate: 2 * r2}}}, inf, ln2 / (r2 - 1), 1e-6},
		// The tangency, lowered by 1e-9: no crossing.
		{"below a tangency", ExpSum{C: -1e-9, Terms: []ExpTerm{{A: -1, Rate: 2}, {A: 4, Rate: 1 + r2}, {A: -4, Rate: 2 * r2}}}, inf, inf, 0},
		// 1 − 3e^(−s) + 2.5e^(−2s)... as a polynomial in q = e^(−s): 2.5q² − 3q + 1 > 0 for
		// all q (discriminant 9 − 10 < 0), so f(0) = 0.5 ≥ 0 and the answer is 0; shifted
		// down by 0.6 it has roots q = (3 ± √(9 − 4)) / 5 = 1, 0.1528: crossing at −ln(0.1528…).
		{"polynomial, later root", ExpSum{C: 0.4, Terms: []ExpTerm{{A: -3, Rate: 1}, {A: 2.5, Rate: 2}}}, inf, -math.Log((3 - math.Sqrt(5)) / 5), 1e-14},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.f.FirstCrossing(c.horizon)
			if math.IsInf(c.want, 1) {
				assert.True(t, math.IsInf(got, 1), "got %v", got)
				return
			}
			assert.InDelta(t, c.want, got, c.tol)
		})
	}
}

// randomSum draws a sum with 1–7 terms: plain exponentials, s·e terms, Gap terms (some
// tiny), rates that are integer multiples of one another or not.
func randomSum(r *rand.Rand) ExpSum {
	n := 1 + r.IntN(7)
	f := ExpSum{C: r.NormFloat64(), Terms: make([]ExpTerm, n)}
	if r.IntN(5) == 0 {
		f.C = 0
	}
	base := logUniform(r, 0.05, 5)
	commensurate := r.IntN(2) == 0
	for k := range f.Terms {
		t := &f.Terms[k]
		t.A = 3 * r.NormFloat64()
		if commensurate {
			t.Rate = base * float64(1+r.IntN(6))
		} else {
			t.Rate = base * logUniform(r, 0.2, 10)
		}
		switch r.IntN(6) {
		case 0:
			t.B = 3 * r.NormFloat64() * t.Rate
		case 1:
			t.B = 3 * r.NormFloat64() * t.Rate
			t.Gap = t.Rate * math.Pow(10, -14*r.Float64())
		}
	}
	return f
}

// TestExpSumFirstCrossingRandom compares FirstCrossing with a grid search and bisection on
// the independent evaluation refAt.
func TestExpSumFirstCrossingRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for range numCases(3000) {
		f := randomSum(r)
		horizon := math.Inf(1)
		if r.IntN(2) == 0 {
			horizon = logUniform(r, 0.1, 100)
		}
		checkCrossing(t, f, horizon, 3000)
	}
}

// checkCrossing asserts what FirstCrossing must satisfy against the grid search: not later than
// a clear crossing on the grid, f ≈ 0 at the result (f ≥ 0 if it is 0), nothing clearly
// non-negative earlier on the grid, and the time of a transversal crossing.
func checkCrossing(t *testing.T, f ExpSum, horizon float64, n int) {
	t.Helper()
	got := f.FirstCrossing(horizon)
	if math.IsNaN(got) || got < 0 || (got > horizon && !math.IsInf(got, 1)) {
		t.Fatalf("%+v horizon %v: FirstCrossing = %v", f, horizon, got)
	}
	scale := math.Abs(f.C)
	slowest := math.Inf(1)
	for _, tm := range f.Terms {
		scale += math.Abs(tm.A) + math.Abs(tm.B)/math.Max(tm.Rate, 1e-3)
		if tm.Rate > 0 {
			slowest = math.Min(slowest, tm.Rate)
		}
	}
	tol := 1e-11 * scale
	end := math.Min(horizon, 40/slowest)
	if math.IsInf(slowest, 1) {
		end = math.Min(horizon, 100)
		slowest = 1
	}
	step := end / float64(n)
	first := -1
	for j := 0; j <= n; j++ {
		if refAt(f, float64(j)*step) >= tol {
			first = j
			break
		}
	}
	if first >= 0 && !(got <= float64(first)*step) {
		t.Fatalf("%+v horizon %v: FirstCrossing = %v, but f(%v) = %v", f, horizon, got, float64(first)*step, refAt(f, float64(first)*step))
	}
	if math.IsInf(got, 1) {
		return
	}
	if v := refAt(f, got); v < -tol || (got > 0 && v > tol) {
		t.Fatalf("%+v horizon %v: FirstCrossing = %v, but f = %v there", f, horizon, got, v)
	}
	for j := 0; j <= n && float64(j)*step < got*(1-1e-9); j++ {
		if v := refAt(f, float64(j)*step); v >= tol {
			t.Fatalf("%+v: FirstCrossing = %v, but f(%v) = %v earlier", f, got, float64(j)*step, v)
		}
	}
	// Compare with bisection when the grid brackets a clear sign change: a crossing where f
	// only touches 0 (f(0) = 0, say) is found by FirstCrossing but not by the grid.
	if first > 0 && got >= float64(first-1)*step && refAt(f, float64(first-1)*step) < -tol {
		a, b := float64(first-1)*step, float64(first)*step
		for range 200 {
			m := a + (b-a)/2
			if m <= a || m >= b {
				break
			}
			if refAt(f, m) >= 0 {
				b = m
			} else {
				a = m
			}
		}
		h := 1e-7 * math.Max(b, 1/slowest)
		slope := math.Abs(refAt(f, b+h)-refAt(f, math.Max(0, b-h))) / (b + h - math.Max(0, b-h))
		// FirstCrossing may be earlier: a bump inside the grid step that the grid did not
		// resolve (f ≈ 0 there was checked above). It must not be later.
		if d := got - b; d > 1e-12*b+1e-15/slowest+1e-14*scale/slope {
			t.Errorf("%+v: FirstCrossing = %v, bisection = %v: Δ = %v", f, got, b, d)
		}
	}
}

func TestExpSumFirstCrossingManyTerms(t *testing.T) {
	// More terms than the stack buffers hold: the solver allocates and gives the same
	// answer. Σ_k e^(−k s)/k² − 0.5 for k = 1…14 starts at π²/6 − 0.5 − … > 0: shift it so
	// it starts below 0 and rises: f = 0.5 − Σ_k e^(−k s)/k².
	f := ExpSum{C: 0.5}
	for k := 1; k <= 14; k++ {
		// Non-integer multiples so that the general path runs.
		f.Terms = append(f.Terms, ExpTerm{A: -1 / float64(k*k), Rate: float64(k) * (1 + 1e-3*float64(k))})
	}
	checkCrossing(t, f, math.Inf(1), 20000)
	g := f
	g.Terms = append([]ExpTerm(nil), f.Terms[:9]...)
	checkCrossing(t, g, math.Inf(1), 20000)
}

func TestExpSumFirstCrossingAllocs(t *testing.T) {
	poly := ExpSum{C: 1, Terms: []ExpTerm{{A: -3, Rate: 1}, {A: 2, Rate: 2}, {A: -0.5, Rate: 4}}}
	general := ExpSum{C: 1, Terms: []ExpTerm{{A: -3, Rate: 1}, {B: 2, Rate: 1.3}, {B: -0.5, Rate: 2.2, Gap: 1e-6}}}
	nine := ExpSum{C: 1}
	for k := range 9 {
		nine.Terms = append(nine.Terms, ExpTerm{A: -0.3, B: 0.1, Rate: 1 + 0.37*float64(k), Gap: 0.1})
	}
	for name, f := range map[string]ExpSum{"poly": poly, "general": general, "nine terms": nine} {
		assert.Zero(t, testing.AllocsPerRun(50, func() { f.FirstCrossing(math.Inf(1)) }), name)
	}
}

// TestExpSumFirstCrossingBeforeDip checks sums that rise at 0, cross 0, fall back below 0 and
// cross again: the shortcut for rising starts (quick, polyQuick) must not bracket
// both crossings. The sums are K(q − q1)(q − q2)(q − q3) with q = e^(−λs), K < 0 and
// 1 > q1 > q2 > q3 > 0: negative at s = 0, rising, zero at s = −ln(q1)/λ, negative again
// after −ln(q2)/λ, positive after −ln(q3)/λ. With the rates perturbed by up to 1% (the
// general solver) the first crossing moves a little; a grid and bisection find it.
func TestExpSumFirstCrossingBeforeDip(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for i := range numCases(2000) {
		q1 := 0.3 + 0.69*r.Float64()
		q2 := q1 * (0.1 + 0.8*r.Float64())
		q3 := q2 * (0.1 + 0.8*r.Float64())
		k := -logUniform(r, 0.1, 10)
		lam := logUniform(r, 0.01, 10)
		f := ExpSum{C: -k * q1 * q2 * q3, Terms: []ExpTerm{
			{A: k * (q1*q2 + q1*q3 + q2*q3), Rate: lam},
			{A: -k * (q1 + q2 + q3), Rate: 2 * lam},
			{A: k, Rate: 3 * lam},
		}}
		want := -math.Log(q1) / lam
		tol := 1e-9 * want
		if i%2 == 1 {
			for j := range f.Terms {
				f.Terms[j].Rate *= 1 + 0.01*(2*r.Float64()-1)
			}
			// The first sign change of the perturbed sum, by grid and bisection.
			end := -2 * math.Log(q3) / lam
			const n = 20000
			a := 0.0
			for j := 1; j <= n; j++ {
				b := end * float64(j) / n
				if refAt(f, b) >= 0 {
					for range 200 {
						m := a + (b-a)/2
						if refAt(f, m) >= 0 {
							b = m
						} else {
							a = m
						}
					}
					want = b
					break
				}
				a = b
			}
		}
		got := f.FirstCrossing(math.Inf(1))
		// Near q2 ≈ q1 the crossing is nearly a tangency; allow for its conditioning.
		slope := math.Abs(refAt(f, want*(1+1e-6))-refAt(f, want*(1-1e-6))) / (2e-6 * want)
		if d := math.Abs(got - want); d > tol+1e-13/slope {
			t.Fatalf("%+v: FirstCrossing = %v, first crossing %v (q = %v, %v, %v)", f, got, want, q1, q2, q3)
		}
	}
}

// TestExpSumCurvatureBounds checks the bounds on the second derivative that the shortcuts for
// rising starts rely on against the second derivative on a grid.
func TestExpSumCurvatureBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	for range numCases(2000) {
		f := randomSum(r)
		lv := normalize(nil, f.C, f.Terms)
		m := curvatureBound(lv)
		for j := 0; j <= 400; j++ {
			s := 0.05 * float64(j) * float64(j) / lv0Rate(lv)
			_, _, d2 := eval2(lv, s)
			if math.Abs(d2) > m*(1+1e-12) {
				t.Fatalf("%+v: |H''(%v)| = %v > bound %v", lv, s, math.Abs(d2), m)
			}
		}
		var c polyCoef
		deg := 1 + r.IntN(polyMaxDeg)
		for n := range deg + 1 {
			c[n] = r.NormFloat64()
		}
		mp := polyCurvatureBound(&c, deg)
		for j := 0; j <= 400; j++ {
			x := -float64(j) / 400
			// Second derivative by the difference of first derivatives (Horner).
			_, d1 := polyEval(&c, deg, x-1e-6)
			_, d2 := polyEval(&c, deg, x+1e-6)
			if dd := math.Abs(d2-d1) / 2e-6; dd > mp*(1+1e-6)+1e-6 {
				t.Fatalf("%v deg %d: |P''(%v)| = %v > bound %v", c, deg, x, dd, mp)
			}
		}
	}
}

// lv0Rate returns the largest rate of a level, or 1: a time scale for sampling it.
func lv0Rate(lv []term) float64 {
	r := 0.0
	for _, x := range lv {
		r = math.Max(r, math.Max(x.mu, x.nu))
	}
	if r == 0 {
		return 1
	}
	return r
}
