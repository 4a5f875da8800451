package events

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// cubaNeuron has the CUBA benchmark's parameters (Brette et al. 2007): Rest lies above
// Threshold, so a neuron without input fires periodically.
func cubaNeuron() neurons.LIF {
	return neurons.LIF{TauMem: 20, TauSyn: []float64{5, 10}, Threshold: -50, Reset: -60, Rest: -49, Refractory: 5}
}

func TestFreeNeuronFiresPeriodically(t *testing.T) {
	// Without input u = V − Rest relaxes from Reset − Rest = −11 towards 0 and crosses
	// Threshold − Rest = −1 after τm·ln(11): the period is 5 + 20·ln 11 ms.
	for _, q := range []QueueKind{HeapQueue, BTreeQueue} {
		t.Run(q.String(), func(t *testing.T) {
			net := &Network{Populations: []Population{{Name: "n", Size: 1, Neuron: cubaNeuron(), InitialV: []float64{-60}}}}
			e, err := New(net, Options{RecordSpikes: true, Queue: q})
			require.NoError(t, err)
			require.NoError(t, e.Run(2000))
			spikes := e.Spikes()
			first := 20 * math.Log(11)
			period := 5 + first
			require.Len(t, spikes, int((2000-first)/period)+1)
			for k, s := range spikes {
				assert.InDelta(t, first+float64(k)*period, s.Time, 1e-9, "spike %d", k)
			}
		})
	}
}

func TestRebaseKeepsState(t *testing.T) {
	// With τ = 0.01 the scaled state is rebased every 2 time units; spike times must not
	// notice. Inputs 0.5 apart (50 τ) give independent, identical responses, so every input
	// must be followed by the spikes that the first input causes, with the same lags.
	neuron := neurons.LIF{TauMem: 0.02, TauSyn: []float64{0.01}, Threshold: 1, Reset: 0, Rest: 0, Refractory: 0.001}
	run := func(inputs []float64) []Spike {
		net := &Network{
			Populations: []Population{{Name: "n", Size: 1, Neuron: neuron}},
			Sources:     []Source{{Name: "in", Size: 1, Spikes: [][]float64{inputs}}},
			Projections: []Projection{{From: Ref{Source: true}, To: 0, Receptor: 0,
				Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{10}}).CSR()}},
		}
		e, err := New(net, Options{RecordSpikes: true})
		require.NoError(t, err)
		require.NoError(t, e.Run(100))
		return e.Spikes()
	}
	one := run([]float64{0.5})
	require.NotEmpty(t, one)
	var inputs []float64
	for t := 0.5; t < 99; t += 0.5 {
		inputs = append(inputs, t)
	}
	got := run(inputs)
	require.Len(t, got, len(one)*len(inputs))
	for k, in := range inputs {
		for j, s := range one {
			assert.InDelta(t, in+(s.Time-0.5), got[k*len(one)+j].Time, 1e-12, "input %d, spike %d", k, j)
		}
	}
}

func TestDelayedJump(t *testing.T) {
	// A source spike at t = 1 reaches the neuron through a 2.5 delay; a jump over threshold
	// fires it at exactly 3.5.
	neuron := neurons.LIF{TauMem: 10, Threshold: 1, Reset: 0, Rest: 0, Refractory: 1}
	net := &Network{
		Populations: []Population{{Name: "n", Size: 2, Neuron: neuron}},
		Sources:     []Source{{Name: "in", Size: 1, Spikes: [][]float64{{1}}}},
		Projections: []Projection{{From: Ref{Source: true}, To: 0, Receptor: synapses.Jump,
			Synapses: &synapses.CSR{NPre: 1, NPost: 2, RowStart: []int{0, 2}, Post: []int32{0, 1},
				Weight: []float64{2, 0.5}, Delay: []float64{2.5, 0.5}}}},
	}
	e, err := New(net, Options{RecordSpikes: true})
	require.NoError(t, err)
	p, err := e.AddProbe(0, 1, []float64{1.25, 1.5 + 10})
	require.NoError(t, err)
	require.NoError(t, e.Run(20))
	require.Equal(t, []Spike{{Time: 3.5, Population: 0, Neuron: 0}}, e.Spikes())
	assert.Equal(t, int64(2), e.Stats().SynapticEvents)
	// Neuron 1 got a 0.5 jump at 1.5, then decays with τm = 10.
	assert.InDelta(t, 0, p.V[0], 1e-15)
	assert.InDelta(t, 0.5*math.Exp(-1), p.V[1], 1e-15)
}

func TestInputDuringRefractoryPeriod(t *testing.T) {
	// An exponential-current input during the refractory period charges the current but not
	// the membrane: afterwards the membrane starts from Reset with that current.
	neuron := neurons.LIF{TauMem: 1, TauSyn: []float64{2}, Threshold: 100, Reset: 0, Rest: 0, Refractory: 1}
	net := &Network{
		Populations: []Population{{Name: "n", Size: 1, Neuron: neuron}},
		Sources:     []Source{{Name: "in", Size: 1, Spikes: [][]float64{{0.5}}}},
		Projections: []Projection{{From: Ref{Source: true}, To: 0, Receptor: 0,
			Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{1}}).CSR()}},
	}
	// Make the neuron refractory from t = 0 by starting it above threshold.
	net.Populations[0].InitialV = []float64{100}
	e, err := New(net, Options{RecordSpikes: true})
	require.NoError(t, err)
	p, err := e.AddProbe(0, 0, []float64{0.75, 2})
	require.NoError(t, err)
	require.NoError(t, e.Run(3))
	require.Equal(t, []Spike{{Time: 0}}, e.Spikes())
	assert.Equal(t, 0.0, p.V[0], "held at Reset")
	// From t = 1: I(1) = e^{−0.25}, u(1+s) = I(1)·β(e^{−s/2} − e^{−s}) with β = 2/(2−1) = 2.
	want := math.Exp(-0.25) * 2 * (math.Exp(-0.5) - math.Exp(-1))
	assert.InDelta(t, want, p.V[1], 1e-15)
}

func TestNetworkErrors(t *testing.T) {
	good := func() *Network {
		return &Network{
			Populations: []Population{{Name: "n", Size: 2, Neuron: cubaNeuron()}},
			Sources:     []Source{{Name: "in", Size: 1, Rate: 0.01}},
			Projections: []Projection{{Name: "p", From: Ref{Source: true}, To: 0, Receptor: 1,
				Synapses: (&synapses.Dense{NPre: 1, NPost: 2, Weight: []float64{1, 1}}).CSR()}},
		}
	}
	_, err := New(good(), Options{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		break_ func(n *Network)
		want   string
	}{
		{"size", func(n *Network) { n.Populations[0].Size = 0 }, `populations[0] ("n"): size 0`},
		{"tau", func(n *Network) { n.Populations[0].Neuron.TauMem = -1 }, `populations[0] ("n")`},
		{"initial", func(n *Network) { n.Populations[0].InitialV = []float64{0, math.NaN()} }, "initial potential of neuron 1 is NaN"},
		{"rate", func(n *Network) { n.Sources[0].Rate = math.Inf(1) }, "rate +Inf"},
		{"receptor", func(n *Network) { n.Projections[0].Receptor = 2 }, "receptor 2"},
		{"missing source", func(n *Network) { n.Projections[0].From.Index = 3 }, "from: no source 3"},
		{"missing target", func(n *Network) { n.Projections[0].To = 1 }, "to: no population 1"},
		{"shape", func(n *Network) { n.Projections[0].Synapses.NPost = 3 }, "synapses are 1×3"},
		{"NaN weight", func(n *Network) { n.Projections[0].Synapses.Weight[1] = math.NaN() }, "weight NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := good()
			tc.break_(n)
			_, err := New(n, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err = New(good(), Options{Queue: 7})
	assert.EqualError(t, err, "events: unknown queue QueueKind(7) (want heap or btree)")
}

func TestLogLower(t *testing.T) {
	// A lower bound within 0.002 of math.Log over the whole range, including powers of two
	// (where the series vanishes) and values just below them.
	xs := []float64{1, math.Nextafter(1, 2), 1.5, 2, math.Nextafter(2, 1), 3, 10, 1e10, 1e300, math.MaxFloat64}
	for x := 1.0; x < 1e6; x *= 1.0137 {
		xs = append(xs, x)
	}
	for _, x := range xs {
		l := logLower(x)
		require.LessOrEqual(t, l, math.Log(x), "x = %v", x)
		require.InDelta(t, math.Log(x), l, 0.002, "x = %v", x)
	}
	assert.Greater(t, logLower(math.Inf(1)), 709.0)
}

func TestMaxSpikesStopsRunawayExcitation(t *testing.T) {
	// Two neurons without refractoriness excite each other over threshold with no delay:
	// every spike causes another at the same instant, and time never advances.
	neuron := neurons.LIF{TauMem: 10, Threshold: 1, Reset: 0, Rest: 0}
	net := &Network{
		Populations: []Population{{Name: "n", Size: 2, Neuron: neuron, InitialV: []float64{2, 0}}},
		Projections: []Projection{{From: Ref{Index: 0}, To: 0, Receptor: synapses.Jump,
			Synapses: (&synapses.Dense{NPre: 2, NPost: 2, Weight: []float64{0, 5, 5, 0}}).CSR()}},
	}
	e, err := New(net, Options{MaxSpikes: 1000})
	require.NoError(t, err)
	err = e.Run(10)
	require.ErrorContains(t, err, "more than 1000 spikes by time 0")
	assert.Equal(t, int64(1001), e.Stats().Spikes)
	require.Error(t, e.Run(20), "a stopped engine stays stopped")
}

func TestBoundsBeyondTheCalendar(t *testing.T) {
	// The fast population sets the calendar's slot width (τm/64 = 1/64); the slow neurons,
	// with Rest above Threshold and τm = 1000, cross after hundreds of time units, far beyond
	// the calendar's 1024 slots, so their bounds are clamped to its horizon again and again.
	slow := neurons.LIF{TauMem: 1000, Threshold: -50, Reset: -60, Rest: -49, Refractory: 1}
	fast := neurons.LIF{TauMem: 1, Threshold: 1, Reset: 0, Rest: 0}
	const n = 50
	v0 := make([]float64, n)
	for i := range v0 {
		v0[i] = -60 + 10*float64(i)/n
	}
	net := &Network{Populations: []Population{
		{Name: "fast", Size: 1, Neuron: fast},
		{Name: "slow", Size: n, Neuron: slow, InitialV: v0},
	}}
	e, err := New(net, Options{RecordSpikes: true})
	require.NoError(t, err)
	require.NoError(t, e.Run(6000))
	got := make([][]float64, n)
	for _, s := range e.Spikes() {
		require.Equal(t, int32(1), s.Population)
		got[s.Neuron] = append(got[s.Neuron], s.Time)
	}
	// u = V − Rest relaxes as u0·e^{−t/τm} and crosses −1 at τm·ln(−u0); then every
	// 1 + τm·ln 11.
	for i := range n {
		first := 1000 * math.Log(-49-v0[i])
		var want []float64
		for tk := first; tk < 6000; tk += 1 + 1000*math.Log(11) {
			want = append(want, tk)
		}
		require.Len(t, got[i], len(want), "neuron %d", i)
		for k := range want {
			assert.InDelta(t, want[k], got[i][k], 1e-9*want[k], "neuron %d spike %d", i, k)
		}
	}
}
