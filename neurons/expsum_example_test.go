package neurons_test

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/neurons"
)

func ExampleExpSum_FirstCrossing() {
	// f(s) = 1 − 2e^(−s) turns non-negative at s = ln 2.
	f := neurons.ExpSum{C: 1, Terms: []neurons.ExpTerm{{A: -2, Rate: 1}}}
	fmt.Printf("%.12f (ln 2 = %.12f)\n", f.FirstCrossing(math.Inf(1)), math.Ln2)

	// −(e^(−s) − 2e^(−√2 s))² only touches 0, at s = ln 2/(√2 − 1); FirstCrossing finds the
	// tangency (to about √ulp, as for any tangency), and nothing once it is lowered.
	r := math.Sqrt2
	g := neurons.ExpSum{Terms: []neurons.ExpTerm{{A: -1, Rate: 2}, {A: 4, Rate: 1 + r}, {A: -4, Rate: 2 * r}}}
	fmt.Printf("%.6f (%.6f)\n", g.FirstCrossing(math.Inf(1)), math.Ln2/(r-1))
	g.C = -1e-9
	fmt.Println(g.FirstCrossing(math.Inf(1)))

	// (A + B·s)e^(−s) with A = 0, B = 3, minus 1: the Lambert W case, −W0(−1/3).
	h := neurons.ExpSum{C: -1, Terms: []neurons.ExpTerm{{B: 3, Rate: 1}}}
	fmt.Printf("%.15f\n", h.FirstCrossing(math.Inf(1)))
	// Output:
	// 0.693147180560 (ln 2 = 0.693147180560)
	// 1.673405 (1.673405)
	// +Inf
	// 0.619061286735945
}
