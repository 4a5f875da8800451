package plot

import (
	"image"
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
	b.ReportAllocs()
	for b.Loop() {
		if err := Raster(path, "benchmark", "ms", spikes, 1000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spikes)), "ns/spike")
}

// BenchmarkRasterPaint measures painting the marks alone, without axes or PNG encoding.
func BenchmarkRasterPaint(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	spikes := make([]Spike, 1_000_000)
	for i := range spikes {
		spikes[i] = Spike{Time: 1000 * rng.Float64(), Neuron: rng.IntN(1000)}
	}
	fig, err := rasterFigure("benchmark", "ms", spikes, 1000)
	if err != nil {
		b.Fatal(err)
	}
	img := fig.canvas().Image().(*image.RGBA)
	clip := img.Bounds().Inset(40)
	x := mapping(0, 1000, float64(clip.Min.X), float64(clip.Max.X))
	y := mapping(-0.5, 999.5, float64(clip.Max.Y), float64(clip.Min.Y))
	b.ReportAllocs()
	for b.Loop() {
		paintSpikes(img, clip, spikes, 1000, x, y)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spikes)), "ns/spike")
}

// BenchmarkClassMap measures a Yin-Yang class map of 1000 test points, written to disk.
func BenchmarkClassMap(b *testing.B) {
	x, y, predicted, labels := yinYangSample(1000, rand.New(rand.NewPCG(2, 2)))
	path := filepath.Join(b.TempDir(), "map.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := ClassMap(path, "benchmark", x, y, predicted, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/point")
}

// BenchmarkCurves measures two 300-epoch curves, written to disk.
func BenchmarkCurves(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	epochs, train, val := make([]float64, 300), make([]float64, 300), make([]float64, 300)
	for i := range epochs {
		epochs[i], train[i], val[i] = float64(i+1), rng.Float64(), rng.Float64()
	}
	path := filepath.Join(b.TempDir(), "curves.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := Curves(path, "benchmark", "epoch", "loss",
			Series{Name: "train", X: epochs, Y: train}, Series{Name: "validation", X: epochs, Y: val}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpikeTimeHistograms measures the histograms of 10 000 samples × 10 outputs.
func BenchmarkSpikeTimeHistograms(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	labels := make([]int, 10_000)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	times := outputTimes(labels, 10, rng)
	path := filepath.Join(b.TempDir(), "hist.png")
	b.ReportAllocs()
	for b.Loop() {
		if err := SpikeTimeHistograms(path, "benchmark", times, 10, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(times)), "ns/time")
}
