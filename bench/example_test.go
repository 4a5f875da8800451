package bench_test

import (
	"fmt"

	"github.com/firstspike/firstspike/bench"
)

func ExampleScenarios() {
	for _, s := range bench.Scenarios() {
		fmt.Println(s.Name)
	}
	// Output:
	// cuba
	// cuba-jump
	// ttfs-yinyang
	// ttfs-mnist
	// ttfs-kernel
	// queue-hold
}

// A smaller CUBA network, simulated for 200 ms. The counts depend only on the seed; the
// times (r.Median, r.EventsPerSecond, ...) on the machine.
func ExampleRunCUBA() {
	c := bench.DefaultCUBA()
	c.Excitatory, c.Inhibitory = 800, 200
	r, err := bench.RunCUBA(bench.CUBARun{Network: c, Duration: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d neurons, %d synapses, %d spikes (%.2f Hz), %d synaptic events\n",
		r.Scenario, r.Neurons, r.Synapses, r.Spikes, r.RateHz, r.SynapticEvents)
	// Output:
	// cuba: 1000 neurons, 19785 synapses, 2053 spikes (10.26 Hz), 40488 synaptic events
}

// First-spike inference on 1000 Yin-Yang test samples with weights drawn as training
// starts: untrained, the network gets less than half of them right.
func ExampleRunTTFS() {
	r, err := bench.RunTTFS(bench.TTFSRun{Data: bench.DataYinYang, Seed: 1, Samples: 1000})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %s, %d samples, accuracy %.1f %%\n", r.Scenario, r.Layers, r.Samples, 100*r.Accuracy)
	// Output:
	// ttfs-yinyang: 4+1-120+1-3, 1000 samples, accuracy 45.5 %
}

func ExampleRunHold() {
	r, err := bench.RunHold(bench.HoldRun{Pending: []int{1000}, Holds: 10000})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range r.Cases {
		fmt.Printf("%s with %d pending: %d holds per run\n", c.Queue, c.Pending, c.Holds)
	}
	// Output:
	// heap with 1000 pending: 10000 holds per run
	// btree with 1000 pending: 10000 holds per run
}
