package netfile

import (
	"os"
	"testing"
)

// BenchmarkParseCUBA measures checking examples/cuba.json.
func BenchmarkParseCUBA(b *testing.B) {
	data, err := os.ReadFile("../../examples/cuba.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("cuba.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildCUBA measures drawing the CUBA network (320 000 synapses) from its
// description, and reports synapses drawn per second.
func BenchmarkBuildCUBA(b *testing.B) {
	desc, err := Read("../../examples/cuba.json")
	if err != nil {
		b.Fatal(err)
	}
	synapses := 0
	for b.Loop() {
		net, err := desc.Build(desc.Seed)
		if err != nil {
			b.Fatal(err)
		}
		synapses = 0
		for _, p := range net.Projections {
			synapses += p.Synapses.Len()
		}
	}
	b.ReportMetric(float64(synapses)*float64(b.N)/b.Elapsed().Seconds(), "synapses/s")
}

// BenchmarkParseQuantity measures converting one quantity with a unit.
func BenchmarkParseQuantity(b *testing.B) {
	for b.Loop() {
		if _, err := ParseQuantity("-0.055 V", Potential); err != nil {
			b.Fatal(err)
		}
	}
}
