package events_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
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
		base, ok := runEngineBudget(t, c.net, c.tEnd, events.HeapQueue, nil, 200000)
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

func TestQueueKindText(t *testing.T) {
	for _, c := range []struct {
		kind events.QueueKind
		text string
	}{
		{events.HeapQueue, "heap"},
		{events.BTreeQueue, "btree"},
	} {
		assert.Equal(t, c.text, c.kind.String())
		b, err := c.kind.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, c.text, string(b))
		var k events.QueueKind
		require.NoError(t, k.UnmarshalText([]byte(c.text)))
		assert.Equal(t, c.kind, k)
	}
	assert.Equal(t, events.HeapQueue, events.Options{}.Queue, "the default")

	bad := events.QueueKind(9)
	assert.Equal(t, "QueueKind(9)", bad.String())
	_, err := bad.MarshalText()
	assert.EqualError(t, err, "events: unknown queue QueueKind(9)")
	for _, text := range []string{"", "Heap", "fifo", " heap"} {
		k := events.BTreeQueue
		assert.EqualError(t, k.UnmarshalText([]byte(text)), fmt.Sprintf("events: unknown queue %q (want heap or btree)", text))
		assert.Equal(t, events.BTreeQueue, k, "unchanged by an error")
	}
}

func TestQueueKindJSONAndFlag(t *testing.T) {
	type config struct {
		Queue events.QueueKind `json:"queue"`
	}
	b, err := json.Marshal(config{events.BTreeQueue})
	require.NoError(t, err)
	assert.JSONEq(t, `{"queue": "btree"}`, string(b))
	var c config
	require.NoError(t, json.Unmarshal([]byte(`{"queue": "btree"}`), &c))
	assert.Equal(t, events.BTreeQueue, c.Queue)
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"queue": "fifo"}`), &c), `unknown queue "fifo" (want heap or btree)`)

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var k events.QueueKind
	fs.TextVar(&k, "queue", events.HeapQueue, "event queue")
	require.NoError(t, fs.Parse([]string{"--queue", "btree"}))
	assert.Equal(t, events.BTreeQueue, k)
	assert.ErrorContains(t, fs.Parse([]string{"--queue", "fifo"}), `unknown queue "fifo"`)
}
