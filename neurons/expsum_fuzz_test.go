package neurons

import (
	"math"
	"testing"
)

// FuzzExpSumFirstCrossing checks FirstCrossing on arbitrary sums of three terms against the
// grid search of checkCrossing: never NaN, never a crossing missed that the grid finds, f ≈ 0 at
// the result and not clearly non-negative before.
func FuzzExpSumFirstCrossing(f *testing.F) {
	f.Add(1.0, -2.0, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 1.0, math.Inf(1))
	f.Add(-1.0, 0.0, 3.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 3.0, math.Inf(1))
	f.Add(0.0, -1.0, 0.0, 2.0, 0.0, 4.0, 0.0, 3.0, -4.0, 0.0, 4.0, math.Inf(1)) // tangency
	f.Add(-0.3, 0.0, 1.0, 1.0, 1e-9, 0.5, 0.2, 1.3, 0.0, 1.0, 0.7, 20.0)
	f.Add(-1.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, math.Inf(1)) // linear
	// f(0) = 0 exactly, then f > 0: the answer is 0, not the grid's first clear crossing.
	f.Add(-1.0, 1.0, -222.5, 33.0, 444.0, 0.0, 32.875, 1.0, 0.0, 68.0, 80.0, math.Inf(1))
	// A bump at s ≈ 0.001 inside the first grid step, before the crossing the grid sees.
	f.Add(-0.044444444444444446, 0.0, 43.5, 80.0, 1.0, 0.0, 83.57142857142857, 0.14285714285714285, 0.0, -85.0, 0.25, math.Inf(1))
	f.Fuzz(func(t *testing.T, c, a1, b1, r1, g1, a2, b2, r2, a3, b3, r3, horizon float64) {
		for _, x := range []float64{c, a1, b1, a2, b2, a3, b3} {
			if !(math.Abs(x) <= 1e6) {
				t.Skip()
			}
		}
		for _, x := range []float64{r1, g1, r2, r3} {
			if !(x >= 0 && x <= 1e3) {
				t.Skip()
			}
		}
		// Rates that differ by less than rounding make the grid reference meaningless.
		if math.IsNaN(horizon) {
			t.Skip()
		}
		fs := ExpSum{C: c, Terms: []ExpTerm{{A: a1, B: b1, Rate: r1, Gap: g1}, {A: a2, B: b2, Rate: r2}, {A: a3, B: b3, Rate: r3}}}
		checkCrossing(t, fs, math.Abs(horizon), 500)
	})
}
