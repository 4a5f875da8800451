package ttfs

import (
	"encoding/binary"
	"math"
	"testing"
)

// fuzzNeuron decodes a neuron from fuzz bytes: one byte of flags (ratio, ε, τs), then
// three bytes per input: a time on a 1/16 grid in [0, 16) (255 = silent, so that ties and
// silent inputs are common) and a weight in [−4, 4).
func fuzzNeuron(data []byte) (p Neuron, times, weights []float64, ok bool) {
	if len(data) < 4 {
		return p, nil, nil, false
	}
	flags := data[0]
	p = neuronET
	if flags&1 != 0 {
		p = neuronDT
	}
	if flags&2 != 0 {
		p.Eps = 1e-6
	}
	if flags&4 != 0 {
		p.TauSyn, p.TauMem = 0.5*p.TauSyn, 0.5*p.TauMem
	}
	for b := data[1:]; len(b) >= 3 && len(times) < 64; b = b[3:] {
		t := float64(b[0]) / 16
		if b[0] == 255 {
			t = math.Inf(1)
		}
		times = append(times, t)
		weights = append(weights, float64(int16(binary.LittleEndian.Uint16(b[1:3])))/8192)
	}
	return p, times, weights, true
}

// FuzzFirstSpike checks FirstSpike and Layer against the brute force: never NaN, never a
// crossing missed that the brute force finds, and Layer equal to FirstSpike.
func FuzzFirstSpike(f *testing.F) {
	f.Add([]byte{0, 0, 0x00, 0x60})                                // #1-like: one input of weight 3
	f.Add([]byte{1, 0, 0x00, 0xa0, 6, 0x00, 0x40})                 // DT, two inputs
	f.Add([]byte{2, 0, 0x00, 0x40, 5, 0x00, 0xc0, 10, 0x00, 0x40}) // ε, inhibition
	f.Add([]byte{4, 3, 0x00, 0x20, 3, 0x00, 0x20, 3, 0x00, 0x20})  // ties, τs = 0.5
	f.Add([]byte{0, 255, 0x00, 0x60, 8, 0x00, 0x30})               // a silent input
	f.Fuzz(func(t *testing.T, data []byte) {
		p, times, weights, ok := fuzzNeuron(data)
		if !ok {
			return
		}
		got := p.FirstSpike(times, weights)
		checkBrute(t, "FirstSpike", p, times, weights, got)
		// Layer with columns that differ, so that neurons fire in different windows and the
		// active list gets compacted.
		var s Scratch
		for _, nOut := range []int{2, 10} {
			w := make([]float64, nOut*len(weights))
			for i, v := range weights {
				for j := range nOut {
					w[nOut*i+j] = v * (1 + 0.5*float64(j))
				}
			}
			out := make([]float64, nOut)
			p.Layer(out, times, w, &s)
			if out[0] != got && !(math.Abs(out[0]-got) <= 1e-12*math.Max(1, math.Abs(got))) {
				t.Fatalf("Layer with %d outputs %v ≠ FirstSpike %v", nOut, out[0], got)
			}
		}
	})
}

// FuzzLayerAnyFloats feeds arbitrary float64 bit patterns as times and weights: no panic,
// no NaN, and no spike before the earliest input.
func FuzzLayerAnyFloats(f *testing.F) {
	enc := func(v ...float64) []byte {
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		return b
	}
	f.Add(enc(0, 3, 0.5, 1.5))
	f.Add(enc(math.NaN(), 1, math.Inf(-1), 2, 0, math.Inf(1)))
	f.Add(enc(-800, 0.5, 0, 3))
	f.Add(enc(0, 1e308, 250, 1e308, 1e-300, -1e308))
	f.Add(enc(1e300, 2, 1e300, 2, -1e300, 5))
	f.Fuzz(func(t *testing.T, data []byte) {
		var times, weights []float64
		for ; len(data) >= 16; data = data[16:] {
			times = append(times, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			weights = append(weights, math.Float64frombits(binary.LittleEndian.Uint64(data[8:])))
		}
		first := math.Inf(1)
		for _, v := range times {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				first = min(first, v)
			}
		}
		var s Scratch
		out, out12 := make([]float64, 1), make([]float64, 12)
		w12 := make([]float64, 12*len(weights))
		for i, v := range weights {
			for j := range 12 {
				w12[12*i+j] = v
			}
		}
		for _, p := range []Neuron{neuronET, neuronDT, {TauSyn: 1, TauMem: 1, Threshold: 1, GLeak: 1, Eps: 1e-6}} {
			p.Layer(out, times, weights, &s)
			p.Layer(out12, times, w12, &s)
			for _, got := range []float64{out[0], out12[0], out12[11], p.FirstSpike(times, weights)} {
				if math.IsNaN(got) || got < first {
					t.Fatalf("%+v: spike time %v with earliest input %v (times %v weights %v)", p, got, first, times, weights)
				}
			}
		}
	})
}
