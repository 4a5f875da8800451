package ttfs_test

import (
	"fmt"

	"github.com/firstspike/firstspike/ttfs"
)

func ExampleNeuron_FirstSpike() {
	// docs/model.md §10 #2: inputs at t = 0 and 0.5 with weights 2 and 1.5, τm = τs = 1, ϑ = 1.
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	fmt.Printf("%.12f\n", p.FirstSpike([]float64{0, 0.5}, []float64{2, 1.5}))
	// The reference implementation adds ε = 1e-6 to the b-sum.
	p.Eps = 1e-6
	fmt.Printf("%.12f\n", p.FirstSpike([]float64{0, 0.5}, []float64{2, 1.5}))
	// Output:
	// 0.749460904846
	// 0.749461329074
}

func ExampleNeuron_Layer() {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	in := []float64{0, 0.3, 0.5} // three inputs
	w := []float64{              // 3 × 3 weights: rows are inputs, columns are neurons
		2, 3, 3,
		0, 0.5, -2,
		1.5, 0, 0,
	}
	out := make([]float64, 3)
	var s ttfs.Scratch // reuse across samples: Layer then allocates nothing
	p.Layer(out, in, w, &s)
	// docs/model.md §10 #2, #6 and #7: the inhibited third neuron never reaches threshold.
	fmt.Printf("%.6f %.6f %v\n", out[0], out[1], out[2])
	// Output:
	// 0.749461 0.506798 +Inf
}

func ExampleNeuron_Validate() {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1.5, Threshold: 1, Leak: 0, GLeak: 1}
	fmt.Println(p.Validate())
	// Output:
	// ttfs: TauMem = 1.5: the first-spike kernel needs TauMem = TauSyn (1) or TauMem = 2·TauSyn (2); neurons.LIF handles other ratios
}

func ExampleNeuron_FirstOutput() {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	in := []float64{0, 0.3, 0.5}
	w1 := []float64{ // the hidden layer of ExampleNeuron_Layer: spikes at 0.749461, 0.506798, never
		2, 3, 3,
		0, 0.5, -2,
		1.5, 0, 0,
	}
	bias := []float64{0.2} // the output layer's inputs: the 3 hidden spikes, then a bias spike
	w2 := []float64{       // 4 × 2 weights
		1, 2.5,
		3, 0.5,
		5, 5,
		0.5, 0.5,
	}
	var s ttfs.FirstOutputScratch
	j, t := p.FirstOutput(in, w1, 3, bias, w2, &s)
	fmt.Printf("class %d at %.6f\n", j, t)

	// The same from both layers in full: the earliest output spike.
	hidden := make([]float64, 4)
	var ls ttfs.Scratch
	p.Layer(hidden[:3], in, w1, &ls)
	hidden[3] = bias[0]
	out := make([]float64, 2)
	p.Layer(out, hidden, w2, &ls)
	fmt.Printf("%.6f %.6f\n", out[0], out[1])
	// Output:
	// class 0 at 0.853888
	// 0.853888 1.129323
}
