package bench

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/queue"
)

func TestRunHold(t *testing.T) {
	r, err := RunHold(HoldRun{Pending: []int{1, 100}, Holds: 1000, Repeat: 3})
	require.NoError(t, err)
	assert.Equal(t, ScenarioQueueHold, r.Scenario)
	require.Len(t, r.Cases, 4)
	for i, want := range []struct {
		queue   events.QueueKind
		pending int
	}{{events.HeapQueue, 1}, {events.HeapQueue, 100}, {events.BTreeQueue, 1}, {events.BTreeQueue, 100}} {
		c := r.Cases[i]
		assert.Equal(t, want.queue, c.Queue)
		assert.Equal(t, want.pending, c.Pending)
		assert.Equal(t, 1000, c.Holds)
		require.Len(t, c.Runs, 3)
		assert.InDelta(t, c.Median*1e6, c.NsPerHold, 1e-9*c.NsPerHold)
	}

	r, err = RunHold(HoldRun{Queues: []events.QueueKind{events.HeapQueue}, Holds: 10})
	require.NoError(t, err)
	require.Len(t, r.Cases, 2)
	assert.Equal(t, 1024, r.Cases[0].Pending)
	assert.Equal(t, 65536, r.Cases[1].Pending)
}

// TestHoldLoops: after the holds the queues still hold n items whose times are all later
// than the last one popped, the hold model's invariant, and both queues agree item by
// item, since they order alike; so does a heap driven by the textbook hold, Pop then Push.
func TestHoldLoops(t *testing.T) {
	inc := make([]float64, holdTableSize)
	for i := range inc {
		inc[i] = math.Mod(float64(i)*0.618033988749895, 1) * 2 // deterministic, mean 1
	}
	const n, holds = 37, 5000
	h, b := queue.NewHeap[int32](n), queue.NewBTree[int32](queue.DefaultBTreeDegree)
	var th, tb timer
	holdHeap(h, inc, n, holds, 2, &th)
	holdBTree(b, inc, n, holds, 2, &tb)
	require.Equal(t, n, h.Len())
	require.Equal(t, n, b.Len())
	textbook := queue.NewHeap[int32](n)
	for i := range n {
		textbook.Push(inc[i], int32(i))
	}
	for j := n; j < n+4*n+2*holds; j++ {
		it, _ := textbook.Pop()
		textbook.Push(it.Time+inc[j], it.Value)
	}
	seen := map[int32]bool{}
	prev := math.Inf(-1)
	for range n {
		x, ok := h.Pop()
		require.True(t, ok)
		y, ok := b.Pop()
		require.True(t, ok)
		z, ok := textbook.Pop()
		require.True(t, ok)
		assert.Equal(t, x, y)
		assert.Equal(t, x, z)
		assert.GreaterOrEqual(t, x.Time, prev)
		prev = x.Time
		assert.False(t, seen[x.Value], "item %d twice", x.Value)
		seen[x.Value] = true
	}
	assert.Len(t, th.wall, 2)
}

func TestRunHoldErrors(t *testing.T) {
	for _, c := range []struct {
		run  HoldRun
		want string
	}{
		{HoldRun{Queues: []events.QueueKind{9}, Holds: 1}, "queue QueueKind(9)"},
		{HoldRun{Pending: []int{0}, Holds: 1}, "0 items pending"},
		{HoldRun{Holds: -5}, "-5 holds"},
	} {
		_, err := RunHold(c.run)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
}
