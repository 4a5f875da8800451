package events_test

import (
	"bytes"
	"encoding/gob"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// cloneNetwork returns a deep copy of n that shares no memory with it.
func cloneNetwork(n *events.Network) *events.Network {
	c := &events.Network{
		Populations: slices.Clone(n.Populations),
		Sources:     slices.Clone(n.Sources),
		Projections: slices.Clone(n.Projections),
	}
	for i := range c.Populations {
		p := &c.Populations[i]
		p.InitialV = slices.Clone(p.InitialV)
		p.Neuron.TauSyn = slices.Clone(p.Neuron.TauSyn)
	}
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Spikes != nil {
			s.Spikes = slices.Clone(s.Spikes)
			for k := range s.Spikes {
				s.Spikes[k] = slices.Clone(s.Spikes[k])
			}
		}
	}
	for i := range c.Projections {
		syn := *c.Projections[i].Synapses
		syn.RowStart = slices.Clone(syn.RowStart)
		syn.Post = slices.Clone(syn.Post)
		syn.Weight = slices.Clone(syn.Weight)
		syn.Delay = slices.Clone(syn.Delay)
		c.Projections[i].Synapses = &syn
	}
	return c
}

// gobBytes encodes n; gob writes every float64 by its bits, so equal encodings mean equal
// bits where reflect.DeepEqual would let −0 equal +0.
func gobBytes(t *testing.T, n *events.Network) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, gob.NewEncoder(&b).Encode(n))
	return b.Bytes()
}

// scramble overwrites every value of n in place, keeping the slices' lengths.
func scramble(n *events.Network) {
	for i := range n.Populations {
		p := &n.Populations[i]
		p.Neuron.TauMem, p.Neuron.Threshold, p.Neuron.Rest = 1e-3, 1e3, -1e3
		for k := range p.Neuron.TauSyn {
			p.Neuron.TauSyn[k] = 1e-3
		}
		for k := range p.InitialV {
			p.InitialV[k] = math.NaN()
		}
	}
	for i := range n.Sources {
		s := &n.Sources[i]
		s.Size, s.Rate, s.Start = 0, 1e6, 0
		for _, ts := range s.Spikes {
			for k := range ts {
				ts[k] = 0
			}
		}
	}
	for i := range n.Projections {
		pr := &n.Projections[i]
		pr.From, pr.To = events.Ref{}, 0
		c := pr.Synapses
		for k := range c.Post {
			c.Post[k], c.Weight[k] = 0, -1e9
		}
		for k := range c.Delay {
			c.Delay[k] = 1e9
		}
		for k := range c.RowStart {
			c.RowStart[k] = 0
		}
	}
}

// TestNewLeavesNetworkAlone checks that New and Run neither modify the caller's network
// (whose delays are out of order within rows, which the engine reorders, and whose input
// spikes are unsorted) nor depend on it once New has returned: a second engine built from
// the same network gives the same spikes, and so does one whose network is overwritten
// after New.
func TestNewLeavesNetworkAlone(t *testing.T) {
	unsortedRows := 0
	for seed := uint64(1); seed <= 10; seed++ {
		c := randomCrossNet(seed, 30)
		for _, pr := range c.net.Projections {
			if s := pr.Synapses; s.Delay != nil {
				for i := range s.NPre {
					if !slices.IsSorted(s.Delay[s.RowStart[i]:s.RowStart[i+1]]) {
						unsortedRows++
					}
				}
			}
		}
		want := cloneNetwork(c.net)
		wantBytes := gobBytes(t, c.net)
		unchanged := func(when string) {
			t.Helper()
			require.Equal(t, want, c.net, "seed %d: network changed %s", seed, when)
			require.True(t, bytes.Equal(wantBytes, gobBytes(t, c.net)), "seed %d: network bits changed %s", seed, when)
		}

		opt := events.Options{RecordSpikes: true}
		first, err := events.New(c.net, opt)
		require.NoError(t, err)
		unchanged("by New")
		require.NoError(t, first.Run(c.tEnd))
		unchanged("by Run")

		second, err := events.New(c.net, opt)
		require.NoError(t, err)
		require.NoError(t, second.Run(c.tEnd))
		unchanged("by a second engine")
		require.Equal(t, first.Spikes(), second.Spikes(), "seed %d: second engine", seed)
		require.Equal(t, first.Stats(), second.Stats(), "seed %d: second engine", seed)

		third, err := events.New(c.net, opt)
		require.NoError(t, err)
		scramble(c.net)
		require.NoError(t, third.Run(c.tEnd))
		require.Equal(t, first.Spikes(), third.Spikes(), "seed %d: network overwritten after New", seed)
		require.Equal(t, first.Stats(), third.Stats(), "seed %d: network overwritten after New", seed)
	}
	require.Positive(t, unsortedRows, "no row whose delays the engine must reorder")
}

// TestNewReordersDelaysOfItsOwn checks one projection by hand: its row's delays are out of
// order, the spikes arrive in delay order, and the caller's row stays as it was.
func TestNewReordersDelaysOfItsOwn(t *testing.T) {
	syn := &synapses.CSR{NPre: 1, NPost: 3, RowStart: []int{0, 3},
		Post: []int32{0, 1, 2}, Weight: []float64{100, 100, 100}, Delay: []float64{3, 1, 2}}
	// A jump of 100 mV makes the relay fire at once.
	relay := events.Population{Name: "relay", Size: 3, Neuron: neurons.LIF{TauMem: 10, Threshold: -50, Reset: -70, Rest: -70}}
	net := &events.Network{
		Populations: []events.Population{relay},
		Sources:     []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{1}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: synapses.Jump, Synapses: syn}},
	}
	want := cloneNetwork(net)
	e, err := events.New(net, events.Options{RecordSpikes: true})
	require.NoError(t, err)
	require.NoError(t, e.Run(10))
	require.Equal(t, want, net)
	require.Equal(t, []events.Spike{{Time: 2, Neuron: 1}, {Time: 3, Neuron: 2}, {Time: 4, Neuron: 0}}, e.Spikes())
}
