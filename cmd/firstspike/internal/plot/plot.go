package plot

// Spike is one spike of a raster.
type Spike struct {
	Time   float64
	Neuron int
}

// Series is one named curve.
type Series struct {
	Name string
	X, Y []float64
}
