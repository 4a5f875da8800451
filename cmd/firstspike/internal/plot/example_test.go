package plot_test

import (
	"fmt"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/firstspike/firstspike/cmd/firstspike/internal/plot"
)

// size prints the pixel size of the PNG at path.
func size(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d×%d px\n", filepath.Base(path), cfg.Width, cfg.Height)
}

func ExampleRaster() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	spikes := []plot.Spike{{Time: 0.4, Neuron: 0}, {Time: 1.3, Neuron: 0}, {Time: 0.9, Neuron: 1},
		{Time: math.Inf(1), Neuron: 2}} // +Inf: neuron 2 did not spike
	path := filepath.Join(dir, "raster.png")
	if err := plot.Raster(path, "Hidden layer", "τ_s", spikes, 2); err != nil {
		log.Fatal(err)
	}
	size(path)
	// Output: raster.png: 900×600 px
}

func ExampleCurves() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	epochs := []float64{1, 2, 3, 4}
	path := filepath.Join(dir, "accuracy.png")
	err = plot.Curves(path, "Accuracy", "epoch", "accuracy",
		plot.Series{Name: "train", X: epochs, Y: []float64{0.61, 0.83, 0.90, 0.93}},
		plot.Series{Name: "validation", X: epochs, Y: []float64{0.58, 0.80, math.NaN(), 0.91}})
	if err != nil {
		log.Fatal(err)
	}
	size(path)

	// Bad input is an error that names the file and the series.
	err = plot.Curves(path, "", "epoch", "loss", plot.Series{Name: "loss", X: epochs, Y: []float64{1}})
	fmt.Println(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	// Output:
	// accuracy.png: 900×600 px
	// plot: accuracy.png: series 0 ("loss") has 4 x values and 1 y values
}

func ExampleClassMap() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	x := []float64{0.2, 0.5, 0.8, 0.25}
	y := []float64{0.7, 0.2, 0.5, 0.5}
	predicted := []int{1, 0, 2, -1} // −1: no output spike
	labels := []int{1, 0, 0, 2}
	path := filepath.Join(dir, "map.png")
	if err := plot.ClassMap(path, "Yin-Yang", x, y, predicted, labels); err != nil {
		log.Fatal(err)
	}
	size(path)
	// Output: map.png: 975×750 px
}

func ExampleSpikeTimeHistograms() {
	dir, err := os.MkdirTemp("", "plot")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Three samples, two output neurons: one row of spike times per sample.
	times := []float64{
		1.0, 1.8,
		1.9, 1.1,
		0.9, math.Inf(1),
	}
	labels := []int{0, 1, 0}
	path := filepath.Join(dir, "times.png")
	if err := plot.SpikeTimeHistograms(path, "Output spike times", times, 2, labels); err != nil {
		log.Fatal(err)
	}
	size(path)
	// Output: times.png: 975×645 px
}
