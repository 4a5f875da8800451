// Package netfile reads network description files — JSON documents of the format
// "firstspike.network/v1" that list populations of LIF neurons, input sources and the
// projections between them, with quantities in physical units — and builds the
// events.Network they describe.
//
// The format is documented in docs/network-format.md. Quantities are strings with a unit
// ("20 ms", "0.02 s", "-50 mV", "20 Hz") or bare numbers in the engine's base units:
// milliseconds, millivolts and events per millisecond. Loading is strict: unknown fields,
// duplicate fields, non-finite values, time constants ≤ 0, negative delays, references to
// missing populations or receptors and wrongly shaped lists are errors that name the file,
// the JSON path of the field and its value.
package netfile
