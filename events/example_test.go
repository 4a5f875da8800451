package events_test

import (
	"fmt"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// A recurrent population with the CUBA benchmark's neuron, whose resting potential lies
// above threshold, so that it fires without input; excitatory synapses couple the neurons.
func Example() {
	v0 := make([]float64, 100)
	for i := range v0 {
		v0[i] = -60 + 0.1*float64(i) // mV
	}
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 100, InitialV: v0, Neuron: neurons.LIF{
			TauMem: 20, TauSyn: []float64{5, 10}, Threshold: -50, Reset: -60, Rest: -49, Refractory: 5}}},
	}
	csr, err := synapses.FixedProbability(100, 100, 0.1, synapses.Gen{Weight: synapses.Const(1.62), NoSelf: true, Seed: 1})
	if err != nil {
		panic(err)
	}
	net.Projections = append(net.Projections, events.Projection{From: events.Ref{Index: 0}, To: 0, Receptor: 0, Synapses: csr})
	e, err := events.New(net, events.Options{RecordSpikes: true})
	if err != nil {
		panic(err)
	}
	if err := e.Run(1000); err != nil { // ms
		panic(err)
	}
	spikes := e.Spikes()
	fmt.Printf("%d spikes; the first at %.6f ms, by neuron %d\n", len(spikes), spikes[0].Time, spikes[0].Neuron)
	// Output:
	// 2895 spikes; the first at 1.906204 ms, by neuron 99
}

// A membrane probe reads the potential exactly at any time, here of a neuron driven by one
// input spike through an exponential current.
func ExampleEngine_AddProbe() {
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 1, Neuron: neurons.LIF{
			TauMem: 20, TauSyn: []float64{5}, Threshold: -50, Reset: -70, Rest: -70, Refractory: 2}}},
		Sources: []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{10}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: 0,
			Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{10}}).CSR()}},
	}
	e, err := events.New(net, events.Options{})
	if err != nil {
		panic(err)
	}
	p, err := e.AddProbe(0, 0, []float64{5, 10, 15, 20, 30})
	if err != nil {
		panic(err)
	}
	if err := e.Run(50); err != nil {
		panic(err)
	}
	for k, t := range p.Times {
		fmt.Printf("V(%g ms) = %.4f mV\n", t, p.V[k])
	}
	// Output:
	// V(5 ms) = -70.0000 mV
	// V(10 ms) = -70.0000 mV
	// V(15 ms) = -68.6303 mV
	// V(20 ms) = -68.4293 mV
	// V(30 ms) = -68.8348 mV
}
