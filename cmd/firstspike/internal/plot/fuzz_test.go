package plot

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// floats decodes data as little-endian float64s, so that the fuzzer can reach every value,
// NaN, ±Inf and subnormals included.
func floats(data []byte) []float64 {
	v := make([]float64, len(data)/8)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return v
}

func floatBytes(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// FuzzCurves paints curves from arbitrary values: it must either refuse them with an error or
// paint them, never panic or hang.
func FuzzCurves(f *testing.F) {
	f.Add(floatBytes(1, 0.5, 2, 0.3, 3, 0.2), uint8(2))
	f.Add(floatBytes(1, math.NaN(), 2, math.Inf(1), 3, 0.2), uint8(1))
	f.Add(floatBytes(-math.MaxFloat64, 0, math.MaxFloat64, 1), uint8(1))
	f.Add(floatBytes(1e300, 1e-300, 1e300, 2e-300), uint8(1))
	f.Add(floatBytes(5e-324, 0, 1e-323, 0), uint8(1))
	f.Add(floatBytes(1e10, 1, 1e10+1e-5, 2), uint8(1))
	// Once hung the painter: a single point at −MaxFloat64 made a zero-span axis.
	f.Add(floatBytes(-math.MaxFloat64, 3.2379086e-317), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, nSeries uint8) {
		v := floats(data)
		n := int(nSeries%4) + 1
		series := make([]Series, n)
		for i := range series {
			// Series i takes every n-th (x, y) pair starting at pair i.
			for j := 2 * i; j+1 < len(v); j += 2 * n {
				series[i].X = append(series[i].X, v[j])
				series[i].Y = append(series[i].Y, v[j+1])
			}
		}
		fig, err := curvesFigure("fuzz", "x", "y", series)
		if err != nil {
			if !strings.Contains(err.Error(), "too wide to draw") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		fig.canvas()
	})
}

// FuzzRaster paints a raster from arbitrary spikes and end time.
func FuzzRaster(f *testing.F) {
	f.Add(floatBytes(0.5, 1.5, 2.5), []byte{0, 1, 2}, 3.0)
	f.Add(floatBytes(math.Inf(1), 1e300), []byte{0, 255}, math.Inf(1))
	f.Add(floatBytes(5e-324, 0), []byte{7, 7}, math.NaN())
	f.Add(floatBytes(math.MaxFloat64, 1), []byte{0, 1}, -1.0)
	f.Fuzz(func(t *testing.T, times []byte, neurons []byte, tEnd float64) {
		v := floats(times)
		spikes := make([]Spike, min(len(v), len(neurons)))
		for i := range spikes {
			spikes[i] = Spike{Time: v[i], Neuron: int(neurons[i])}
		}
		fig, err := rasterFigure("fuzz", "ms", spikes, tEnd)
		if err != nil {
			if !strings.Contains(err.Error(), "is not a spike time") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		fig.canvas()
	})
}

// FuzzClassMap paints a class map from arbitrary coordinates and classes.
func FuzzClassMap(f *testing.F) {
	f.Add(floatBytes(0.1, 0.2, 0.9, 0.8), []byte{0, 1}, []byte{0, 2})
	f.Add(floatBytes(0, 0, 0, 0), []byte{255, 0}, []byte{1, 1})
	f.Add(floatBytes(-math.MaxFloat64, 0, math.MaxFloat64, 0), []byte{0, 0}, []byte{0, 0})
	f.Add(floatBytes(1e15, 0, 1e15+0.125, 1e-3), []byte{0, 0}, []byte{0, 0})
	f.Add(floatBytes(math.MaxFloat64, 0), []byte{0}, []byte{0})
	f.Add(floatBytes(1e9, 0, 1e9, 1), []byte{0, 1}, []byte{0, 1})
	f.Fuzz(func(t *testing.T, coords []byte, predicted, labels []byte) {
		v := floats(coords)
		n := min(len(v)/2, len(predicted), len(labels), 200)
		x, y := make([]float64, n), make([]float64, n)
		pred, labs := make([]int, n), make([]int, n)
		for i := range n {
			x[i], y[i] = v[2*i], v[2*i+1]
			// Byte 255 stands for −1, no output spike, and bytes from 240 on for
			// huge class numbers.
			pred[i] = classOf(predicted[i])
			if predicted[i] == 255 {
				pred[i] = -1
			}
			labs[i] = classOf(labels[i])
		}
		fig, err := classMapFigure("fuzz", x, y, pred, labs)
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, "is not a finite coordinate") && !strings.Contains(msg, "too wide to draw") &&
				!strings.Contains(msg, "distinct predicted classes") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		fig.canvas()
	})
}

// FuzzSpikeTimeHistograms paints histograms from arbitrary spike times and labels.
func FuzzSpikeTimeHistograms(f *testing.F) {
	f.Add(floatBytes(1, 2, 3, math.Inf(1), 1.5, 0.9), []byte{0, 1, 2}, uint8(2))
	f.Add(floatBytes(math.Inf(1), math.Inf(1)), []byte{5, 5}, uint8(1))
	f.Add(floatBytes(-math.MaxFloat64, math.MaxFloat64), []byte{0}, uint8(2))
	f.Add(floatBytes(1e10, 1e10+1e-6, 5e-324, 0), []byte{0, 1}, uint8(2))
	f.Add(floatBytes(-math.MaxFloat64, math.Inf(1)), []byte{0}, uint8(2))
	f.Fuzz(func(t *testing.T, times []byte, labels []byte, nOut uint8) {
		v := floats(times)
		k := int(nOut%24) + 1
		n := min(len(v)/k, len(labels), 100)
		labs := make([]int, n)
		for i := range labs {
			labs[i] = classOf(labels[i])
		}
		fig, err := histogramsFigure("fuzz", v[:n*k], k, labs)
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, "is not a spike time") && !strings.Contains(msg, "too wide to draw") &&
				!strings.Contains(msg, "distinct labels") && !strings.Contains(msg, "output neurons") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		fig.canvas()
	})
}

// classOf maps a fuzzer byte to a class number: small numbers mostly, huge ones from 240 on.
func classOf(b byte) int {
	if b >= 240 {
		return math.MaxInt - int(b)
	}
	return int(b % 24)
}
