package events_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/events"
)

// TestOptionsChangeWorkNotSpikes runs random recurrent networks with bounds that tolerate
// almost no or a lot of extra excitation, in calendars of coarse and fine slots: the
// predictions, checks and exact solves differ, the spikes must not. Exact crossings are
// solved from different instants, so times may differ by rounding only.
func TestOptionsChangeWorkNotSpikes(t *testing.T) {
	variants := []events.Options{
		{Headroom: 1e-3, Slot: 1},
		{Headroom: 20, Slot: 1.0 / 1024},
		{Headroom: 0.3, Slot: 1e-5},
	}
	for seed := uint64(1); seed <= 12; seed++ {
		c := randomCrossNet(seed, 30)
		base, ok := runEngineBudget(t, c.net, c.tEnd, "heap", nil, 200000)
		if !ok || len(base.order) == 0 {
			continue
		}
		for _, opt := range variants {
			opt.RecordSpikes = true
			e, err := events.New(randomCrossNet(seed, 30).net, opt)
			require.NoError(t, err)
			require.NoError(t, e.Run(c.tEnd))
			got := make([][][]float64, len(c.net.Populations))
			for p, pop := range c.net.Populations {
				got[p] = make([][]float64, pop.Size)
			}
			for _, s := range e.Spikes() {
				got[s.Population][s.Neuron] = append(got[s.Population][s.Neuron], s.Time)
			}
			diff, _ := compareSpikes(got, base.spikes, 1e-9)
			require.Empty(t, diff, "seed %d, options %+v", seed, opt)
			require.NotEqual(t, base.stats.Checks+base.stats.ExactSolves, e.Stats().Checks+e.Stats().ExactSolves,
				"seed %d: the options should change the work done", seed)
		}
	}
}
