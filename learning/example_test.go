package learning_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/ttfs"
)

// The two-layer network of docs/model.md §10 (#11): forward pass, loss and output errors.
func ExampleEvaluate() {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	net := learning.NewNetwork(p, 2, []int{3, 2}, [][]float64{{0.9}, {0.9}})
	copy(net.Layers[0].Weights, []float64{1.5, 2.0, 1.0, 2.0, -0.5, 1.8, 1.0, 1.5, 1.5})
	copy(net.Layers[1].Weights, []float64{2.0, 1.0, 1.5, 1.5, 1.0, 1.2, 1.0, 1.0})
	data := learning.Samples{Inputs: []float64{0.5, 1.2}, Labels: []int{0}, NIn: 2}
	loss := learning.TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}

	ev, err := learning.Evaluate(net, &learning.Exact{}, loss, data, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("output times %.6f %.6f\n", ev.Times[0], ev.Times[1])
	fmt.Printf("prediction %d, loss %.6f\n", ev.Predictions[0], ev.Loss)
	// Output:
	// output times 1.455210 1.496496
	// prediction 0, loss 0.616675
}

// A first-spike prediction: the earliest output wins, no spike is no decision.
func ExamplePredict() {
	inf := math.Inf(1)
	fmt.Println(learning.Predict([]float64{1.3, 0.8, 0.8}))
	fmt.Println(learning.Predict([]float64{inf, inf, inf}))
	// Output:
	// 1
	// -1
}

// Learning rates under StepLR, stepped once per epoch.
func ExampleStepLR_Rate() {
	s := learning.StepLR{Gamma: 0.5, StepSize: 10}
	for _, e := range []int{0, 9, 10, 25} {
		fmt.Println(e, s.Rate(0.004, e))
	}
	// Output:
	// 0 0.004
	// 9 0.004
	// 10 0.002
	// 25 0.001
}

// Training on data the program makes itself: which of two inputs spikes first? The Setup is
// filled in in Go; the trainer is checkpointed and resumed.
func ExampleNewTrainer() {
	// Samples of two input times in [0.2, 1.8]; the label is the input that spikes first.
	rng := rand.New(rand.NewPCG(1, 2))
	makeSamples := func(n int) learning.Samples {
		s := learning.Samples{NIn: 2}
		for range n {
			t0, t1 := 0.2+1.6*rng.Float64(), 0.2+1.6*rng.Float64()
			label := 0
			if t1 < t0 {
				label = 1
			}
			s.Inputs = append(s.Inputs, t0, t1)
			s.Labels = append(s.Labels, label)
		}
		return s
	}
	train, val := makeSamples(400), makeSamples(200)

	neuron := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, GLeak: 1}
	setup := learning.Setup{
		// 2 inputs and a bias spike at 0.5 → 16 hidden neurons → 2 outputs.
		Network:      learning.NewNetwork(neuron, 2, []int{16, 2}, [][]float64{{0.5}, {}}),
		Init:         []learning.Normal{{Mean: 1, StdDev: 1}, {Mean: 1, StdDev: 1}},
		Seed:         1,
		Loss:         learning.TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1},
		Optimizer:    learning.NewAdam(),
		LearningRate: 0.01,
		BatchSize:    20,
		MaxDwNorm:    0.2,
		Bumping:      learning.Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.005, Exponential: true, Targeted: true},
	}
	trn, err := learning.NewTrainer(setup, train, val)
	if err != nil {
		fmt.Println(err)
		return
	}
	for trn.Epoch < 10 {
		if _, err := trn.RunEpoch(); err != nil {
			fmt.Println(err)
			return
		}
	}
	first, last := trn.History[0], trn.History[len(trn.History)-1]
	fmt.Printf("validation accuracy above 90 %%: %v (untrained: %v)\n", last.ValAccuracy > 0.9, first.ValAccuracy > 0.9)

	// A checkpoint resumes with the same Setup (a fresh optimizer: its state comes from the
	// checkpoint).
	ck, err := trn.Checkpoint()
	if err != nil {
		fmt.Println(err)
		return
	}
	setup.Optimizer = learning.NewAdam()
	resumed, err := learning.Resume(setup, ck, train, val)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("resumed after epoch", resumed.Epoch)
	// Output:
	// validation accuracy above 90 %: true (untrained: false)
	// resumed after epoch 10
}

// The reference's Euler integrator puts spikes on its time grid (docs/model.md §10, vector #3): the
// inputs at 0.1, 0.3 and 0.6 land in steps 10, 30 and 60, and the spike at step 113.
func ExampleEuler() {
	p := ttfs.Neuron{TauSyn: 1, TauMem: 1, Threshold: 1, Leak: 0, GLeak: 1}
	net := learning.NewNetwork(p, 3, []int{1}, [][]float64{nil})
	copy(net.Layers[0].Weights, []float64{1.5, -0.5, 2})
	in := []float64{0.1, 0.3, 0.6}
	for _, fwd := range []learning.Forward{&learning.Exact{}, &learning.Euler{Resolution: 0.01, SimTime: 3.5}} {
		times := [][]float64{make([]float64, 1)}
		if err := fwd.Forward(net, in, times); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%T: %.6f\n", fwd, times[0][0])
	}
	// Output:
	// *learning.Exact: 1.141171
	// *learning.Euler: 1.130000
}
