package neurons_test

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/neurons"
)

// A neuron of the CUBA benchmark (Brette et al. 2007): times in ms, potentials in mV.
func cuba() neurons.LIF {
	return neurons.LIF{
		TauMem: 20, TauSyn: []float64{5, 10}, // excitatory, inhibitory
		Threshold: -50, Reset: -60, Rest: -49, Refractory: 5,
	}
}

func ExampleLIF_NextCrossing() {
	p := cuba()
	// Just reset, no input: V relaxes towards Rest = −49 mV, above the threshold, and crosses
	// it after 20 ln 11 ms.
	fmt.Printf("%.6f ms\n", p.NextCrossing(-60, []float64{0, 0}, math.Inf(1)))
	// Excitatory input brings the spike earlier, inhibitory input delays it.
	fmt.Printf("%.6f ms\n", p.NextCrossing(-60, []float64{10, 0}, math.Inf(1)))
	fmt.Printf("%.6f ms\n", p.NextCrossing(-60, []float64{10, -20}, math.Inf(1)))
	// Not within the next 30 ms.
	fmt.Println(p.NextCrossing(-60, []float64{10, -20}, 30))
	// Output:
	// 47.957905 ms
	// 40.756870 ms
	// 65.860366 ms
	// +Inf
}

func ExampleLIF_Propagate() {
	p := cuba()
	cur := []float64{10, -20}
	v := p.Propagate(-60, cur, 1) // 1 ms later
	fmt.Printf("V = %.6f mV, currents %.6f %.6f\n", v, cur[0], cur[1])
	// At the crossing NextCrossing predicts, V is at the threshold.
	cur = []float64{10, -20}
	s := p.NextCrossing(-60, cur, math.Inf(1))
	fmt.Printf("V(%.3f ms) = %.9f mV\n", s, p.Propagate(-60, cur, s))
	// Output:
	// V = -59.949702 mV, currents 8.187308 -18.096748
	// V(65.860 ms) = -50.000000000 mV
}

func ExampleLIF_Validate() {
	p := cuba()
	p.TauSyn[1] = -5
	fmt.Println(p.Validate())
	// Output:
	// neurons: TauSyn[1] = -5: must be > 0
}

func ExampleCrossingEqualTau() {
	// docs/model.md §10 ET #1: τm = τs = 1, one input of weight 3 at t = 0, threshold 1.
	fmt.Printf("%.15f\n", neurons.CrossingEqualTau(1, 0, 3, 1))
	// Output:
	// 0.619061286735945
}

func ExampleCrossingHalfTau() {
	// docs/model.md §10 DT: τm = 2τs = 2, g_l = 0.5, weight 5 (current 5/g_l), threshold 1.
	fmt.Printf("%.15f\n", neurons.CrossingHalfTau(2, 0, 10, 1))
	// Output:
	// 0.239148024098485
}
