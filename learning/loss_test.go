package learning

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vector11 is the two-layer network of docs/model.md §10 (#11).
func vector11() (net *Network, in []float64, label int) {
	net = NewNetwork(etNeuron, 2, []int{3, 2}, [][]float64{{0.9}, {0.9}})
	copy(net.Layers[0].Weights, []float64{ // rows in0, in1, bias; columns h0, h1, h2
		1.5, 2.0, 1.0,
		2.0, -0.5, 1.8,
		1.0, 1.5, 1.5,
	})
	copy(net.Layers[1].Weights, []float64{
		2.0, 1.0,
		1.5, 1.5,
		1.0, 1.2,
		1.0, 1.0,
	})
	return net, []float64{0.5, 1.2}, 0
}

// TestNetworkVector11 runs docs/model.md §10 #11 end to end: forward, loss, output errors, backward
// through both layers, and the max_dw_norm column drop.
func TestNetworkVector11(t *testing.T) {
	net, in, y := vector11()
	times := forwardOne(t, &Exact{}, net, in)
	for j, want := range []float64{1.30544319669, 1.17440873195, 1.33654887893} {
		assert.InDelta(t, want, times[0][j], 1e-10, "hidden %d", j)
	}
	for j, want := range []float64{1.45520958421, 1.49649625141} {
		assert.InDelta(t, want, times[1][j], 1e-10, "output %d", j)
	}
	loss := TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}
	dOut := make([]float64, 2)
	assert.InDelta(t, 0.616674828815, loss.Sample(times[1], y, dOut), 1e-11)
	assert.InDelta(t, 2.264297714, dOut[0], 1e-8)
	assert.InDelta(t, -2.242870806, dOut[1], 1e-8)

	wantW2 := []float64{-0.08802496948, 0.1423682198, -0.144771277, 0.2105355408, -0.07194613698, 0.1229547199, -0.2175538334, 0.2963364298}
	// ∂L/∂W1 of docs/model.md §10 (#11), rows (in0, in1, bias); input 1 is non-causal for h1.
	wantW1 := []float64{-0.0668118008, 0.03216431025, 0.04418620365, -0.0176133904, 0, 0.01452411385, -0.05017253796, 0.01952390913, 0.03439901749}
	for name, backward := range map[string]func(maxDw float64, g2, g1, dHidden []float64){
		"LayerBackward": func(maxDw float64, g2, g1, dHidden []float64) {
			var s BackwardScratch
			d2 := make([]float64, 4)
			LayerBackward(net.Neuron, append(append([]float64{}, times[0]...), 0.9), times[1], net.Layers[1].Weights, dOut, maxDw, g2, d2, &s)
			copy(dHidden, d2[:3])
			d1 := make([]float64, 3)
			LayerBackward(net.Neuron, append(append([]float64{}, in...), 0.9), times[0], net.Layers[0].Weights, dHidden, maxDw, g1, d1, &s)
		},
		"reference": func(maxDw float64, g2, g1, dHidden []float64) {
			d2 := make([]float64, 4)
			refLayerBackward(net.Neuron, append(append([]float64{}, times[0]...), 0.9), times[1], net.Layers[1].Weights, dOut, maxDw, g2, d2, nil)
			copy(dHidden, d2[:3])
			d1 := make([]float64, 3)
			refLayerBackward(net.Neuron, append(append([]float64{}, in...), 0.9), times[0], net.Layers[0].Weights, dHidden, maxDw, g1, d1, nil)
		},
	} {
		g2, g1, dh := make([]float64, 8), make([]float64, 9), make([]float64, 3)
		backward(0, g2, g1, dh)
		for j, want := range []float64{0.3966389196, -0.1084942411, -0.2405461607} {
			assert.InDelta(t, want, dh[j], 1e-9, "%s ∂L/∂t_hidden[%d]", name, j)
		}
		for k := range wantW2 {
			assert.InDelta(t, wantW2[k], g2[k], 1e-9, "%s ∂L/∂W2[%d][%d]", name, k/2, k%2)
		}
		for k := range wantW1 {
			assert.InDelta(t, wantW1[k], g1[k], 1e-9, "%s ∂L/∂W1[%d][%d]", name, k/3, k%3)
		}
		// With max_dw_norm = 0.2 both output columns go (maxima 0.2176 and 0.2963); W1 stays.
		clear(g2)
		clear(g1)
		backward(0.2, g2, g1, dh)
		assert.Equal(t, make([]float64, 8), g2, name)
		for k := range wantW1 {
			assert.InDelta(t, wantW1[k], g1[k], 1e-9, "%s ∂L/∂W1[%d][%d] with max_dw_norm", name, k/3, k%3)
		}
	}
}

// finiteDiff returns the central difference of f at x along coordinate k.
func finiteDiff(f func([]float64) float64, x []float64, k int, h float64) float64 {
	x0 := x[k]
	x[k] = x0 + h
	up := f(x)
	x[k] = x0 - h
	dn := f(x)
	x[k] = x0
	return (up - dn) / (2 * h)
}

func TestLossGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	losses := []Loss{
		TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1},
		TTFSLoss{Xi: 0.5, Alpha: 0.1, Beta: 2, TauSyn: 1.5},
		MSELoss{TCorrect: 1.7, TWrong: 1.0, TauSyn: 1},
	}
	for _, loss := range losses {
		for trial := 0; trial < 50; trial++ {
			k := 2 + rng.IntN(9)
			times := make([]float64, k)
			for i := range times {
				times[i] = 0.3 + 2*rng.Float64()
			}
			y := rng.IntN(k)
			grad := make([]float64, k)
			loss.Sample(times, y, grad)
			scratch := make([]float64, k)
			f := func(x []float64) float64 { return loss.Sample(x, y, scratch) }
			for i := range times {
				assert.InDelta(t, finiteDiff(f, times, i, 1e-6), grad[i], 1e-6, "%T ∂L/∂t[%d]", loss, i)
			}
		}
	}
}

func TestLossSpecialCases(t *testing.T) {
	inf := math.Inf(1)
	ttfs := TTFSLoss{Xi: 0.2, Alpha: 0.005, Beta: 1, TauSyn: 1}
	mse := MSELoss{TCorrect: 1.7, TWrong: 1.0, TauSyn: 1}
	for _, loss := range []Loss{ttfs, mse} {
		grad := []float64{9, 9, 9}
		assert.Equal(t, float64(SilentLabelLoss), loss.Sample([]float64{1, inf, 2}, 1, grad), "%T silent label (docs/model.md §4)", loss)
		assert.Equal(t, []float64{0, 0, 0}, grad, "%T silent label gives no gradient", loss)
	}
	// A silent non-label output contributes exp(−∞) = 0 to the softmax (docs/model.md §4).
	grad := make([]float64, 3)
	withSilent := ttfs.Sample([]float64{1, 1.5, inf}, 0, grad)
	assert.Equal(t, 0.0, grad[2])
	two := ttfs.Sample([]float64{1, 1.5}, 0, grad[:2])
	assert.InDelta(t, two, withSilent, 1e-15)
	// Huge times do not overflow the softmax.
	l := ttfs.Sample([]float64{300, 301}, 0, grad[:2])
	assert.False(t, math.IsNaN(l) || math.IsInf(l, 0), "loss %v", l)

	assert.Equal(t, 1, mse.Predict([]float64{1.0, 1.6, 1.8}), "closest to t_correct")
	assert.Equal(t, 0, mse.Predict([]float64{1.6, 1.8}), "ties go to the lowest index")
	assert.Equal(t, -1, mse.Predict([]float64{inf, inf}))
	grad = make([]float64, 2)
	assert.InDelta(t, (0.5*0.09+0.5*0.01)/2, mse.Sample([]float64{1.4, 1.1}, 0, grad), 1e-15, "½(t−target)² averaged over outputs")
}

func TestAdamMatchesTorchUpdate(t *testing.T) {
	// Expected values: Python 3 floats stepping torch.optim.Adam's update rule
	// (m, v, bias corrections 1−β1ᵗ and √(1−β2ᵗ), ε added to √v/√(1−β2ᵗ)).
	w := [][]float64{{0.5, -1.0}}
	a := NewAdam()
	grads := [][]float64{{0.1, -0.2}, {0.3, 0.05}, {-0.4, 0.0}}
	want := [][]float64{{0.4900000009999999, -0.9900000005}, {0.480822190220559, -0.9853053191100447}, {0.48143620019388816, -0.9816763168449972}}
	for s, g := range grads {
		a.Update(w, [][]float64{g}, 0.01)
		assert.InDelta(t, want[s][0], w[0][0], 1e-15, "step %d", s+1)
		assert.InDelta(t, want[s][1], w[0][1], 1e-15, "step %d", s+1)
	}
	assert.Equal(t, 3, a.Step)
}

func TestSGDMomentumMatchesTorchUpdate(t *testing.T) {
	// Expected values: Python 3 floats stepping torch.optim.SGD with momentum 0.9.
	w := [][]float64{{0.5, -1.0}}
	s := &SGD{Momentum: 0.9}
	grads := [][]float64{{0.1, -0.2}, {0.3, 0.05}, {-0.4, 0.0}}
	want := [][]float64{{0.499, -0.998}, {0.4951, -0.9967}, {0.49559, -0.99553}}
	for k, g := range grads {
		s.Update(w, [][]float64{g}, 0.01)
		assert.InDelta(t, want[k][0], w[0][0], 1e-15, "step %d", k+1)
		assert.InDelta(t, want[k][1], w[0][1], 1e-15, "step %d", k+1)
	}
	plain := [][]float64{{1}}
	(&SGD{}).Update(plain, [][]float64{{2}}, 0.1)
	assert.InDelta(t, 0.8, plain[0][0], 1e-15)
}

func TestScheduleRate(t *testing.T) {
	step := StepLR{Gamma: 0.95, StepSize: 20}
	tests := []struct {
		s    Schedule
		e    int
		want float64
	}{
		{step, 0, 0.005},
		{step, 19, 0.005},
		{step, 20, 0.005 * 0.95},
		{step, 45, 0.005 * 0.95 * 0.95},
		{step, 299, 0.005 * math.Pow(0.95, 14)},
		{MultiStepLR{Gamma: 0.1, Milestones: []int{3, 5}}, 2, 0.005},
		{MultiStepLR{Gamma: 0.1, Milestones: []int{3, 5}}, 4, 0.005 * 0.1},
		{MultiStepLR{Gamma: 0.1, Milestones: []int{3, 5}}, 7, 0.005 * 0.1 * 0.1},
		{constantRate{}, 100, 0.005},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, tt.s.Rate(0.005, tt.e), 1e-17, "%+v epoch %d", tt.s, tt.e)
	}
}

func TestBumping(t *testing.T) {
	inf := math.Inf(1)
	newNet := func() *Network { return NewNetwork(etNeuron, 2, []int{2, 2}, [][]float64{{0.9}, nil}) }
	// Two samples; hidden layer 2 neurons, output 2 neurons.
	hiddenOK := []float64{1, 1, 1, 1}
	hiddenSilent := []float64{1, inf, 1, inf} // neuron 1 silent: 50 % missing
	outOK := []float64{1, 1, 1, 1}
	outSilent := []float64{1, 1, inf, 1} // output 0 silent once: 25 % missing
	t.Run("hidden layer over its limit is bumped first, targeted", func(t *testing.T) {
		b := bumper{Bumping: Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.5, Exponential: true, Targeted: true}, last: -1}
		net := newNet()
		require.Equal(t, 0, b.check(net, [][]float64{hiddenSilent, outSilent}, 2))
		// Column 1 of layer 0 (all 3 rows incl. bias) gets the bump.
		assert.Equal(t, []float64{0, 0.5, 0, 0.5, 0, 0.5}, net.Layers[0].Weights)
		assert.Equal(t, make([]float64, 4), net.Layers[1].Weights)
	})
	t.Run("output layer with zero tolerance", func(t *testing.T) {
		b := bumper{Bumping: Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.5, Exponential: true, Targeted: true}, last: -1}
		net := newNet()
		require.Equal(t, 1, b.check(net, [][]float64{hiddenOK, outSilent}, 2))
		assert.Equal(t, []float64{0.5, 0, 0.5, 0}, net.Layers[1].Weights)
		// Same layer again: the bump doubles; a clean batch resets the chain.
		require.Equal(t, 1, b.check(net, [][]float64{hiddenOK, outSilent}, 2))
		assert.Equal(t, []float64{1.5, 0, 1.5, 0}, net.Layers[1].Weights)
		require.Equal(t, -1, b.check(net, [][]float64{hiddenOK, outOK}, 2))
		require.Equal(t, 1, b.check(net, [][]float64{hiddenOK, outSilent}, 2))
		assert.Equal(t, []float64{2, 0, 2, 0}, net.Layers[1].Weights)
	})
	t.Run("untargeted, not exponential", func(t *testing.T) {
		b := bumper{Bumping: Bumping{MaxMissing: []float64{0.3, 0}, Value: 0.25}, last: -1}
		net := newNet()
		require.Equal(t, 1, b.check(net, [][]float64{hiddenOK, outSilent}, 2))
		require.Equal(t, 1, b.check(net, [][]float64{hiddenOK, outSilent}, 2))
		assert.Equal(t, []float64{0.5, 0.5, 0.5, 0.5}, net.Layers[1].Weights)
	})
	t.Run("within tolerance", func(t *testing.T) {
		b := bumper{Bumping: Bumping{MaxMissing: []float64{0.5, 0.25}, Value: 0.5}, last: -1}
		net := newNet()
		require.Equal(t, -1, b.check(net, [][]float64{hiddenSilent, outSilent}, 2))
		assert.Equal(t, make([]float64, 6), net.Layers[0].Weights)
	})
}
