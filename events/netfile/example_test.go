package netfile_test

import (
	"fmt"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/events/netfile"
)

// A population driven by Poisson trains, with recurrent excitation, and a second population
// that explicit input spikes reach through voltage jumps.
func Example() {
	const description = `{
  "format": "firstspike.network/v1",
  "name": "small",
  "seed": 7,
  "populations": [
    {"name": "exc", "size": 20,
     "neuron": {"tau_mem": "20 ms", "synapses": [{"name": "ampa", "tau": "5 ms"}],
                "threshold": "-50 mV", "reset": "-60 mV", "rest": "-60 mV", "refractory": "2 ms"},
     "initial_v": {"uniform": ["-60 mV", "-55 mV"]}},
    {"name": "out", "size": 2,
     "neuron": {"tau_mem": "10 ms", "threshold": "-50 mV", "reset": "-70 mV", "rest": "-70 mV"}}
  ],
  "sources": [
    {"name": "drive", "size": 50, "poisson": {"rate": "100 Hz"}},
    {"name": "cue", "size": 1, "spikes": [["10 ms", "0.03 s"]]}
  ],
  "projections": [
    {"from": "drive", "to": "exc", "receptor": "ampa",
     "weight": {"uniform": ["1 mV", "2 mV"]}, "delay": "1 ms", "connect": {"probability": 0.2}},
    {"from": "exc", "to": "exc", "receptor": "ampa", "weight": "0.5 mV", "delay": "2 ms",
     "connect": {"all_to_all": true, "self": false}},
    {"from": "cue", "to": "out", "receptor": "jump", "weight": "25 mV",
     "connect": {"all_to_all": true}}
  ]
}`
	desc, err := netfile.Parse("small.json", []byte(description))
	if err != nil {
		panic(err)
	}
	net, err := desc.Build(desc.Seed)
	if err != nil {
		panic(err)
	}
	e, err := events.New(net, events.Options{RecordSpikes: true})
	if err != nil {
		panic(err)
	}
	if err := e.Run(100); err != nil { // ms, the engine's time unit
		panic(err)
	}
	// Spikes come in time order, so the first of each population is its earliest.
	counts := make([]int, len(net.Populations))
	first := make([]float64, len(net.Populations))
	for _, s := range e.Spikes() {
		if counts[s.Population] == 0 {
			first[s.Population] = s.Time
		}
		counts[s.Population]++
	}
	synapses := 0
	for _, p := range net.Projections {
		synapses += len(p.Synapses.Post)
	}
	fmt.Printf("%s: %d projections, %d synapses, %d input spikes in 100 ms\n",
		desc.Name, len(net.Projections), synapses, e.Stats().InputSpikes)
	for i, p := range net.Populations {
		fmt.Printf("%s: %d spikes, the first at %.3f ms\n", p.Name, counts[i], first[i])
	}
	// Output:
	// small: 3 projections, 572 synapses, 513 input spikes in 100 ms
	// exc: 8 spikes, the first at 66.306 ms
	// out: 4 spikes, the first at 10.000 ms
}
