package plot

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// BenchmarkRaster measures a raster of a million spikes over 1000 neurons, written to disk.
func BenchmarkRaster(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	spikes := make([]Spike, 1_000_000)
	for i := range spikes {
		spikes[i] = Spike{Time: 1000 * rng.Float64(), Neuron: rng.IntN(1000)}
	}
	path := filepath.Join(b.TempDir(), "raster.png")
	b.ResetTimer()
	for b.Loop() {
		if err := Raster(path, "benchmark", "ms", spikes, 1000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spikes)), "ns/spike")
}

// BenchmarkClassMap measures a Yin-Yang class map of 1000 test points.
func BenchmarkClassMap(b *testing.B) {
	x, y, predicted, labels := yinYangSample(1000, rand.New(rand.NewPCG(2, 2)))
	path := filepath.Join(b.TempDir(), "map.png")
	for b.Loop() {
		if err := ClassMap(path, "benchmark", x, y, predicted, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/point")
}
