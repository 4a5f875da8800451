package learning

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/ttfs"
)

// singleNeuron returns a one-layer network of one neuron with the given input weights.
func singleNeuron(p ttfs.Neuron, w []float64) *Network {
	net := NewNetwork(p, len(w), []int{1}, [][]float64{nil})
	copy(net.Layers[0].Weights, w)
	return net
}

func forwardOne(t *testing.T, f Forward, net *Network, in []float64) [][]float64 {
	t.Helper()
	n := len(in) / net.Inputs()
	times := make([][]float64, len(net.Layers))
	for l := range net.Layers {
		times[l] = make([]float64, n*net.Layers[l].Outputs)
	}
	require.NoError(t, f.Forward(net, in, times))
	return times
}

func TestExactSpecVectors(t *testing.T) {
	for _, eps := range []float64{0, 1e-6} {
		p := etNeuron
		p.Eps = eps
		for _, v := range specVectors {
			got := forwardOne(t, &Exact{}, singleNeuron(p, v.w), v.t)[0][0]
			want := v.out
			if eps != 0 {
				want = v.outEps
			}
			if math.IsInf(want, 1) {
				assert.True(t, math.IsInf(got, 1), "%s eps=%v: got %v", v.name, eps, got)
				continue
			}
			assert.InDelta(t, want, got, 1e-12, "%s eps=%v (docs/model.md §10)", v.name, eps)
		}
	}
	// DT vector of docs/model.md §10.
	got := forwardOne(t, &Exact{}, singleNeuron(dtNeuron, []float64{3, 2}), []float64{0, 0.4})[0][0]
	assert.InDelta(t, 0.431515976415583, got, 1e-12)
}

// TestEulerSpecVectors checks the integrator against the grid times of docs/model.md §10 (resolution
// 0.01, sim_time 3.5) and its truncation of t/resolution: 0.29/0.01 = 28.999999999999996
// lands in step 28, one step before 0.3/0.01 = 30.
func TestEulerSpecVectors(t *testing.T) {
	tests := []struct {
		name string
		t, w []float64
		want float64
	}{
		{"#1", []float64{0}, []float64{3}, 0.61},
		{"#2", []float64{0, 0.5}, []float64{2, 1.5}, 0.75},
		{"#3", []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.13},
		{"#5", []float64{0, 1}, []float64{1, 1}, math.Inf(1)},
		{"0.29 truncates to step 28", []float64{0.29}, []float64{3}, 0.89},
		{"0.3 lands in step 30", []float64{0.3}, []float64{3}, 0.91},
		{"late input lands in the last step", []float64{0, 9}, []float64{1, 50}, math.Inf(1)},
	}
	for _, tt := range tests {
		got := forwardOne(t, &Euler{Resolution: 0.01, SimTime: 3.5}, singleNeuron(etNeuron, tt.w), tt.t)[0][0]
		if math.IsInf(tt.want, 1) {
			assert.True(t, math.IsInf(got, 1), "%s: got %v", tt.name, got)
			continue
		}
		assert.InDelta(t, tt.want, got, 1e-12, tt.name)
	}
	require.Error(t, (&Euler{}).Forward(singleNeuron(etNeuron, []float64{1}), []float64{0}, [][]float64{{0}}))
}

// randomNetwork returns a network with normally distributed weights.
func randomNetwork(rng *rand.Rand, p ttfs.Neuron, nIn int, sizes []int, bias [][]float64, mean, std []float64) *Network {
	net := NewNetwork(p, nIn, sizes, bias)
	for l := range net.Layers {
		for k := range net.Layers[l].Weights {
			net.Layers[l].Weights[k] = mean[l] + std[l]*rng.NormFloat64()
		}
	}
	return net
}

// TestExactMatchesReference compares the Exact backend with the plain prefix closed forms on
// random two-layer networks, for both neuron kinds, with silent inputs.
func TestExactMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, p := range []ttfs.Neuron{etNeuron, dtNeuron} {
		net := randomNetwork(rng, p, 6, []int{7, 3}, [][]float64{{0.9}, {0.5, 1.1}}, []float64{1.2, 0.8}, []float64{0.8, 0.8})
		const n = 40
		in := make([]float64, n*6)
		for k := range in {
			in[k] = 0.15 + 1.85*rng.Float64()
			if rng.IntN(7) == 0 {
				in[k] = math.Inf(1)
			}
		}
		got := forwardOne(t, &Exact{}, net, in)
		want := forwardOne(t, refForward{}, net, in)
		for l := range got {
			for k := range got[l] {
				if math.IsInf(want[l][k], 1) {
					assert.True(t, math.IsInf(got[l][k], 1), "τm=%v layer %d entry %d: got %v", p.TauMem, l, k, got[l][k])
				} else {
					assert.InDelta(t, want[l][k], got[l][k], 1e-9, "τm=%v layer %d entry %d", p.TauMem, l, k)
				}
			}
		}
	}
}

// TestForwardSameBitsAnyGOMAXPROCS checks that the parallel forward passes do not depend on
// the number of goroutines.
func TestForwardSameBitsAnyGOMAXPROCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	net := randomNetwork(rng, etNeuron, 4, []int{30, 3}, [][]float64{{0.9}, {0.9}}, []float64{1.5, 0.5}, []float64{0.8, 0.8})
	in := make([]float64, 100*4)
	for k := range in {
		in[k] = 0.15 + 1.85*rng.Float64()
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, f := range []func() Forward{
		func() Forward { return &Exact{} },
		func() Forward { return &Euler{Resolution: 0.01, SimTime: 4} },
	} {
		runtime.GOMAXPROCS(1)
		one := forwardOne(t, f(), net, in)
		runtime.GOMAXPROCS(3)
		three := forwardOne(t, f(), net, in)
		require.Equal(t, one, three)
	}
}

func TestPredict(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name  string
		times []float64
		want  int
	}{
		{"earliest wins", []float64{1.2, 0.9, 1.0}, 1},
		{"ties go to the lowest index (torch argmin)", []float64{1.0, 0.5, 0.5}, 1},
		{"silent outputs never win", []float64{inf, 2.0, inf}, 1},
		{"no output spike is no decision", []float64{inf, inf, inf}, -1},
		{"NaN is no decision", []float64{math.NaN(), inf}, -1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Predict(tt.times), tt.name)
	}
}

func TestRoundWeights(t *testing.T) {
	src := singleNeuron(etNeuron, []float64{0.26, -0.26, 0.25, 0.35, -0.05})
	dst := src.Clone()
	roundWeights(dst, src, 0.1)
	// Halves go to even multiples as in torch.round: 0.25/0.1 = 2.5 → 2, 0.35/0.1 = 3.4999… → 3.
	want := []float64{0.30000000000000004, -0.30000000000000004, 0.2, 0.30000000000000004, -0}
	for k := range want {
		assert.InDelta(t, want[k], dst.Layers[0].Weights[k], 1e-15, "weight %d", k)
	}
	assert.Equal(t, 0.26, src.Layers[0].Weights[0], "source untouched")
}

// TestForwardChunk: small networks take 4 samples per chunk, MNIST-sized ones (whose samples
// take about 100 µs) one.
func TestForwardChunk(t *testing.T) {
	net := func(weights ...int) *Network {
		n := &Network{}
		for _, w := range weights {
			n.Layers = append(n.Layers, Layer{Weights: make([]float64, w)})
		}
		return n
	}
	for _, c := range []struct {
		name string
		net  *Network
		want int
	}{
		{"Yin-Yang 4+1-120+1-3", net(5*120, 121*3), 4},
		{"16×16 MNIST 256-128-10", net(256*128, 128*10), 1},
		{"MNIST 784-350-10", net(784*350, 350*10), 1},
		{"32k weights", net(1 << 15), 2},
		{"no weights", net(), 4},
	} {
		assert.Equal(t, c.want, forwardChunk(c.net), c.name)
	}
}

// TestClassifyMatchesForward checks Classify against Forward followed by Predict, bit for bit:
// the reference's trained Yin-Yang network on its test split, and random networks of one to
// four layers (both neuron kinds: τm = 2τs takes Layer throughout), with several goroutines
// and with one.
func TestClassifyMatchesForward(t *testing.T) {
	yy, yyData, _ := pretrained(t)
	rng := rand.New(rand.NewPCG(9, 10))
	cases := []struct {
		name string
		net  *Network
		in   []float64
	}{{"yinyang pretrained", yy, yyData.Inputs}}
	for _, c := range []struct {
		p     ttfs.Neuron
		sizes []int
	}{
		{etNeuron, []int{3}},
		{etNeuron, []int{40, 4}},
		{etNeuron, []int{20, 30, 5}},
		{etNeuron, []int{12, 9, 16, 3}},
		{dtNeuron, []int{25, 3}},
	} {
		bias := make([][]float64, len(c.sizes))
		mean, std := make([]float64, len(c.sizes)), make([]float64, len(c.sizes))
		for l := range c.sizes {
			bias[l] = []float64{0.3 + rng.Float64()}
			mean[l], std[l] = 1.2, 0.8
		}
		net := randomNetwork(rng, c.p, 6, c.sizes, bias, mean, std)
		in := make([]float64, 300*6)
		for k := range in {
			in[k] = 0.15 + 1.85*rng.Float64()
			if rng.IntN(9) == 0 {
				in[k] = math.Inf(1)
			}
		}
		cases = append(cases, struct {
			name string
			net  *Network
			in   []float64
		}{fmt.Sprintf("τm=%v %v", c.p.TauMem, c.sizes), net, in})
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range cases {
		times := forwardOne(t, &Exact{}, c.net, c.in)
		nOut := c.net.Outputs()
		n := len(c.in) / c.net.Inputs()
		spiked := 0
		for _, procs := range []int{1, 3} {
			runtime.GOMAXPROCS(procs)
			pred, first := make([]int, n), make([]float64, n)
			require.NoError(t, (&Exact{}).Classify(c.net, c.in, pred, first))
			for b := range n {
				out := times[len(times)-1][b*nOut : (b+1)*nOut]
				want := Predict(out)
				require.Equal(t, want, pred[b], "%s sample %d", c.name, b)
				if want < 0 {
					require.True(t, math.IsInf(first[b], 1), "%s sample %d: time %v without a class", c.name, b, first[b])
					continue
				}
				require.Equal(t, math.Float64bits(out[want]), math.Float64bits(first[b]), "%s sample %d: time %v, want %v", c.name, b, first[b], out[want])
				spiked++
			}
		}
		require.Greater(t, spiked, n, "%s: most samples have an output spike", c.name)
	}
}

// TestClassifyMatchesEvaluate: Classify gives Evaluate's predictions, accuracy and median
// first output spike on the reference's trained Yin-Yang network, and reports bad data.
func TestClassifyMatchesEvaluate(t *testing.T) {
	net, data, _ := pretrained(t)
	loss := TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}
	ev, err := Evaluate(net, nil, loss, data, 0)
	require.NoError(t, err)
	c, err := Classify(net, data)
	require.NoError(t, err)
	assert.Equal(t, ev.Predictions, c.Predictions)
	assert.Equal(t, ev.Accuracy, c.Accuracy)
	assert.InDelta(t, 0.960, c.Accuracy, 1e-12) // docs/model.md §8
	assert.Equal(t, ev.MedianFirstSpike(), c.MedianFirstSpike())

	bad := data
	bad.NIn = 5
	bad.Inputs = bad.Inputs[:5*(len(bad.Inputs)/5)]
	_, err = Classify(net, bad)
	require.Error(t, err)
}
