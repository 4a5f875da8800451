// Package netfile reads the JSON network description of the format "firstspike.network/v1",
// whose quantities carry physical units, and builds the events.Network it describes.
//
// Read, or Parse for a description already in memory, checks a file and returns a
// Description. Its Build method draws the random parts of the network (connectivity,
// weights and delays taken from distributions, initial potentials, the seeds of Poisson
// trains) from a seed and returns an events.Network ready for events.New:
//
//	desc, err := netfile.Read("cuba.json")
//	…
//	net, err := desc.Build(desc.Seed)
//	…
//	e, err := events.New(net, events.Options{RecordSpikes: true})
//
// The same description and seed give the same network on any machine, and adding, removing
// or reordering one element of the file leaves the draws of the others unchanged.
//
// A description lists populations of LIF neurons, input sources (Poisson trains or explicit
// spike times) and the projections between them; docs/network-format.md in the firstspike
// repository documents every field. Quantities are strings with a unit ("20 ms", "0.02 s",
// "-50 mV", "20 Hz") or bare numbers in the engine's base units: milliseconds, millivolts
// and events per millisecond. ParseQuantity converts one such string.
//
// Loading is strict, so that a typing error cannot silently change a simulation: unknown
// fields, duplicate fields, non-finite values, time constants ≤ 0, negative delays,
// references to missing populations or receptors and wrongly shaped lists are errors that
// name the file, the JSON path of the field and its value.
package netfile
