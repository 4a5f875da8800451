package neurons

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// longTests makes the randomized tests run ten times as many cases:
// go test -run 'LIF|ExpSum|Crossing' ./neurons -lif.long
var longTests = flag.Bool("lif.long", false, "run the randomized LIF and ExpSum tests on ten times as many cases")

// numCases returns n, scaled for -short and -lif.long.
func numCases(n int) int {
	switch {
	case *longTests:
		return 10 * n
	case testing.Short():
		return n / 10
	}
	return n
}

// crossingCase is a neuron, a state and a horizon for the randomized tests.
type crossingCase struct {
	name    string
	p       LIF
	v       float64
	cur     []float64
	horizon float64
}

func (c crossingCase) String() string {
	return fmt.Sprintf("%s: LIF{TauMem: %v, TauSyn: %v, Threshold: %v, Rest: %v} v=%v cur=%v horizon=%v",
		c.name, c.p.TauMem, c.p.TauSyn, c.p.Threshold, c.p.Rest, c.v, c.cur, c.horizon)
}

func logUniform(r *rand.Rand, lo, hi float64) float64 {
	return lo * math.Exp(r.Float64()*math.Log(hi/lo))
}

// randomTau draws a synaptic time constant related to tm in one of the ways that matter
// to the solver.
func randomTau(r *rand.Rand, tm float64) float64 {
	switch r.IntN(7) {
	case 0:
		return tm
	case 1:
		return tm / 2
	case 2: // near-equal
		eps := math.Pow(10, -2-12*r.Float64())
		if r.IntN(2) == 0 {
			eps = -eps
		}
		return tm * (1 + eps)
	case 3:
		return tm / float64(2+r.IntN(6))
	case 4:
		return tm * float64(2+r.IntN(4))
	default:
		return logUniform(r, 0.2, 100)
	}
}

func randomCase(r *rand.Rand) crossingCase {
	var c crossingCase
	switch r.IntN(3) {
	case 0:
		c.name = "cuba"
		c.p = LIF{TauMem: 20, TauSyn: []float64{5, 10}, Threshold: -50, Reset: -60, Rest: -49}
		c.v = -70 + 20*r.Float64()
		c.cur = []float64{40 * r.Float64(), -80 * r.Float64()}
		for k := range c.cur {
			if r.IntN(5) == 0 {
				c.cur[k] = 0
			}
		}
	default:
		c.name = "random"
		tm := logUniform(r, 0.5, 50)
		n := r.IntN(5)
		c.p = LIF{TauMem: tm, TauSyn: make([]float64, n), Rest: -65 + 10*r.NormFloat64()}
		c.cur = make([]float64, n)
		shared := r.IntN(3) == 0
		for k := range n {
			c.p.TauSyn[k] = randomTau(r, tm)
			if shared && k > 0 {
				c.p.TauSyn[k] = c.p.TauSyn[0]
			}
			c.cur[k] = 20 * r.NormFloat64()
			if r.IntN(6) == 0 {
				c.cur[k] = 0
			}
		}
		c.p.Threshold = c.p.Rest + 25*r.Float64() - 5
		c.p.Reset = c.p.Threshold - 10
		c.v = c.p.Threshold - logUniform(r, 1e-6, 30)
	}
	c.horizon = math.Inf(1)
	if r.IntN(2) == 0 {
		c.horizon = logUniform(r, 0.01, 200)
	}
	return c
}

// caseScale is the size of the terms of the membrane, for tolerances on potentials.
func caseScale(c crossingCase) float64 {
	s := math.Abs(c.v-c.p.Rest) + math.Abs(c.p.Threshold-c.p.Rest)
	for k, i := range c.cur {
		tk := c.p.TauSyn[k]
		s += math.Abs(i) * math.Max(1, tk/math.Abs(tk-c.p.TauMem)/1e3)
	}
	return s
}

func tauMax(p *LIF) float64 {
	m := p.TauMem
	for _, t := range p.TauSyn {
		m = math.Max(m, t)
	}
	return m
}

// checkCase compares NextCrossing with the grid-and-bisection reference and reports
// any disagreement.
func checkCase(t *testing.T, c crossingCase, gridN int) {
	t.Helper()
	p := &c.p
	u0 := c.v - p.Rest
	theta := p.Threshold - p.Rest
	got := p.NextCrossing(c.v, append([]float64(nil), c.cur...), c.horizon)
	if math.IsNaN(got) || got < 0 || (got > c.horizon && !math.IsInf(got, 1)) {
		t.Fatalf("%v: NextCrossing = %v", c, got)
	}
	scale := caseScale(c)
	tolU := 1e-10 * scale
	end := math.Min(c.horizon, 60*tauMax(p))
	j := refGrid(p, u0, c.cur, theta, end, gridN, tolU)
	if j >= 0 {
		// The reference sees a clear crossing at grid point j: NextCrossing must not be later.
		sj := end * float64(j) / float64(gridN)
		if !(got <= sj) {
			t.Fatalf("%v: NextCrossing = %v, but u(%v) − θ = %v > 0", c, got, sj, refU(p, u0, c.cur, sj)-theta)
		}
	}
	if math.IsInf(got, 1) {
		return
	}
	// NextCrossing found a crossing: u reaches θ there, up to rounding ...
	if ex := refU(p, u0, c.cur, got) - theta; ex < -tolU || (got > 0 && ex > tolU) {
		t.Fatalf("%v: NextCrossing = %v, but u − θ = %v there (tol %v)", c, got, ex, tolU)
	}
	// ... and not earlier on the grid.
	if i := refGrid(p, u0, c.cur, theta, got, gridN/4, tolU); i >= 0 && i < gridN/4 {
		s := got * float64(i) / float64(gridN/4)
		t.Fatalf("%v: NextCrossing = %v, but u(%v) − θ = %v ≥ 0 earlier", c, got, s, refU(p, u0, c.cur, s)-theta)
	}
	// Transversal crossings: the time agrees with bisection on the reference.
	if j > 0 {
		sPrev := end * float64(j-1) / float64(gridN)
		if got >= sPrev {
			ref := refBisect(p, u0, c.cur, theta, sPrev, end*float64(j)/float64(gridN))
			h := 1e-7 * got
			slope := (refU(p, u0, c.cur, got+h) - refU(p, u0, c.cur, got-h)) / (2 * h)
			tolT := 1e-12*got + 4e-16*tauMax(p) + 1e-14*scale/math.Abs(slope)
			// NextCrossing may be earlier, at a bump inside the grid step (u ≈ θ there was
			// checked above); it must not be later.
			if d := got - ref; d > tolT {
				t.Errorf("%v: NextCrossing = %v, bisection = %v: Δ = %v, tol %v", c, got, ref, d, tolT)
			}
		}
	}
}

func TestLIFNextCrossingRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range numCases(3000) {
		checkCase(t, randomCase(r), 4000)
	}
}

// refMax returns the largest value of u on a grid of [0, end] refined by golden-section
// search, and where it is.
func refMax(p *LIF, u0 float64, cur []float64, end float64, n int) (float64, float64) {
	best, bs := math.Inf(-1), 0.0
	for j := 0; j <= n; j++ {
		s := end * float64(j) / float64(n)
		if u := refU(p, u0, cur, s); u > best {
			best, bs = u, s
		}
	}
	a, b := math.Max(0, bs-end/float64(n)), math.Min(end, bs+end/float64(n))
	g := (math.Sqrt(5) - 1) / 2
	for range 200 {
		x1, x2 := b-g*(b-a), a+g*(b-a)
		if refU(p, u0, cur, x1) < refU(p, u0, cur, x2) {
			a = x1
		} else {
			b = x2
		}
	}
	s := (a + b) / 2
	return refU(p, u0, cur, s), s
}

// TestLIFNextCrossingGrazing puts the threshold just below and just above the membrane's
// maximum: the first must be found, near the maximum, the second must not.
func TestLIFNextCrossingGrazing(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := numCases(300)
	tested := 0
	for tested < n {
		c := randomCase(r)
		c.horizon = math.Inf(1)
		p := &c.p
		if len(c.cur) == 0 {
			continue
		}
		u0 := c.v - p.Rest
		end := 60 * tauMax(p)
		// A grid fine enough for the fastest time constant, so that the maximum found is the
		// global one.
		tmin := p.TauMem
		for _, tk := range p.TauSyn {
			tmin = math.Min(tmin, tk)
		}
		m, sm := refMax(p, u0, c.cur, end, int(math.Min(2e4, math.Max(1000, 10*end/tmin))))
		if !(m > 1e-3*caseScale(c)) || sm <= 0 || sm >= end || m <= u0+1e-3*math.Abs(m) {
			continue // the maximum must be interior, clearly positive (u → 0 at +Inf), above u(0)
		}
		tested++
		for _, eta := range []float64{-1e-9, 1e-9} {
			c.p.Threshold = p.Rest + m*(1+eta)
			c.p.Reset = c.p.Threshold - 10
			if th := c.p.Threshold - p.Rest; math.Abs(th-m) < 0.5e-9*m {
				t.Fatalf("%v: threshold %v not representable", c, th)
			}
			got := c.p.NextCrossing(c.v, append([]float64(nil), c.cur...), c.horizon)
			if eta < 0 {
				// The crossing is within ≈ √(2η) of the time scale before the maximum.
				if !(got <= sm && got > sm-1e-3*end) {
					t.Fatalf("%v: threshold %g below the maximum %v at %v: NextCrossing = %v", c, -eta, m, sm, got)
				}
			} else if !math.IsInf(got, 1) {
				t.Fatalf("%v: threshold %g above the maximum %v at %v: NextCrossing = %v", c, eta, m, sm, got)
			}
		}
	}
}
