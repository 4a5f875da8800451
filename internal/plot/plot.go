// Package plot draws the PNG figures firstspike writes: spike rasters, training curves, the
// Yin-Yang classification map and spike-time distributions. Every figure is written
// atomically.
package plot

// Spike is one spike of a raster.
type Spike struct {
	Time   float64
	Neuron int
}

// Raster draws spikes as dots, time on x (in unit) and neuron index on y, over [0, tEnd].
func Raster(path, title, unit string, spikes []Spike, tEnd float64) error {
	panic("plot: Raster not implemented")
}

// Series is one named curve.
type Series struct {
	Name string
	X, Y []float64
}

// Curves draws one or more line series in one panel.
func Curves(path, title, xLabel, yLabel string, series ...Series) error {
	panic("plot: Curves not implemented")
}

// ClassMap draws 2-D points (x, y) coloured by predicted class and marks the points whose
// prediction differs from the label (prediction −1 = no output spike).
func ClassMap(path, title string, x, y []float64, predicted, labels []int) error {
	panic("plot: ClassMap not implemented")
}

// SpikeTimeHistograms draws, for each class, the distribution of each output neuron's spike
// time over the samples of that class. times is len(labels) × nOut, row-major; +Inf entries
// (no spike) are counted separately and reported in the legend.
func SpikeTimeHistograms(path, title string, times []float64, nOut int, labels []int) error {
	panic("plot: SpikeTimeHistograms not implemented")
}
