package learning_test

import (
	"fmt"
	"math"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/ttfs"
)

// The two-layer network of spec §10 (#11): forward pass, loss and output errors.
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

// The built-in configs follow the reference's schema.
func ExamplePreset() {
	cfg, err := learning.Preset("yinyang")
	if err != nil {
		fmt.Println(err)
		return
	}
	t := cfg.Training
	fmt.Println(cfg.Dataset, cfg.Layout.NInputs, cfg.Layout.LayerSizes, cfg.Layout.BiasTimes)
	fmt.Println(t.Optimizer, t.LearningRate, t.BatchSize, t.EpochNumber, t.LRScheduler.Gamma, t.LRScheduler.StepSize)
	// Output:
	// yin_yang 4 [120 3] [[0.9] [0.9]]
	// adam 0.005 150 300 0.95 20
}

// Learning rates under StepLR, stepped once per epoch.
func ExampleSchedule_Rate() {
	s := learning.Schedule{Type: "StepLR", Gamma: 0.5, StepSize: 10}
	for _, e := range []int{0, 9, 10, 25} {
		fmt.Println(e, s.Rate(0.004, e))
	}
	// Output:
	// 0 0.004
	// 9 0.004
	// 10 0.002
	// 25 0.001
}

// Training a small Yin-Yang network for a few epochs, checkpointing it and resuming.
func ExampleNewTrainer() {
	cfg, err := learning.Preset("yinyang")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg.Layout.LayerSizes = []int{30, 3}
	tr, va := datasets.YinYang(500, 42), datasets.YinYang(200, 41)
	train := learning.Samples{Inputs: tr.Inputs, Labels: tr.Labels, NIn: tr.NIn}
	val := learning.Samples{Inputs: va.Inputs, Labels: va.Labels, NIn: va.NIn}

	trn, err := learning.NewTrainer(cfg, 1, train, val, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for trn.Epoch < 3 {
		if _, err := trn.RunEpoch(); err != nil {
			fmt.Println(err)
			return
		}
	}
	ck, err := trn.Checkpoint()
	if err != nil {
		fmt.Println(err)
		return
	}
	resumed, err := ck.Resume(train, val, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	first, last := trn.History[0], trn.History[len(trn.History)-1]
	fmt.Println("epochs:", trn.Epoch, "resumed at:", resumed.Epoch)
	fmt.Println("validation accuracy improved:", last.ValAccuracy > first.ValAccuracy)
	// Output:
	// epochs: 3 resumed at: 3
	// validation accuracy improved: true
}

// The reference's Euler integrator puts spikes on its time grid (spec §10, vector #3): inputs
// at 0.3 and 0.6 land in steps 29 and 59 because the reference truncates t/resolution.
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
