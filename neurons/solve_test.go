package neurons

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// solveRun closes the bracket [lo, hi] of g with solveBracket and counts evaluations.
func solveRun(g func(float64) (float64, float64, float64), lo, hi, rel float64) (float64, int) {
	glo, dlo, _ := g(lo)
	ghi, dhi, _ := g(hi)
	var b solveBracket
	x := b.start(lo, glo, dlo, hi, ghi, dhi, rel)
	n := 0
	for done := b.closed(); !done; {
		v, dv, d2v := g(x)
		n++
		x, done = b.update(x, v, dv, d2v)
	}
	return x, n
}

func TestSolveBracket(t *testing.T) {
	cbrt2 := math.Cbrt(2)
	for _, c := range []struct {
		name     string
		g        func(float64) (float64, float64, float64)
		lo, hi   float64
		root     float64
		maxEvals int
	}{
		{"x³ − 2", func(x float64) (float64, float64, float64) { return x*x*x - 2, 3 * x * x, 6 * x }, 0, 10, cbrt2, 20},
		{"e^x − 5", func(x float64) (float64, float64, float64) { e := math.Exp(x); return e - 5, e, e }, -3, 40, math.Log(5), 30},
		// A triple root: g' = 0 at the root, Newton converges only linearly; the bracket
		// still closes (bisection).
		{"(x − 1)³", func(x float64) (float64, float64, float64) {
			d := x - 1
			return d * d * d, 3 * d * d, 6 * d
		}, 0, 3, 1, 300},
		// The root is the upper end, where g = 0 exactly.
		{"root at hi", func(x float64) (float64, float64, float64) { return x - 2, 1, 0 }, 0, 2, 2, 5},
		// g jumps: no derivative information helps, only bisection.
		{"step", func(x float64) (float64, float64, float64) {
			if x < 0.3 {
				return -1, 0, 0
			}
			return 1, 0, 0
		}, 0, 1, 0.3, 80},
		// Tiny roots: relative tolerance, not absolute.
		{"x − 1e-200", func(x float64) (float64, float64, float64) { return x - 1e-200, 1, 0 }, 0, 1, 1e-200, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, n := solveRun(c.g, c.lo, c.hi, solveEps)
			assert.InDelta(t, c.root, x, 4*solveEps*math.Abs(c.root)+1e-300)
			v, _, _ := c.g(x)
			assert.GreaterOrEqual(t, v, 0.0, "g at the result")
			assert.LessOrEqual(t, n, c.maxEvals)
		})
	}
}
