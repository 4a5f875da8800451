package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/queue"
)

// DefaultHolds is the number of hold operations per case and run unless told otherwise.
const DefaultHolds = 1 << 21

// holdTableSize is the number of exponential increments drawn before timing and read
// cyclically, so that the runs time the queue and not the random number generator.
const holdTableSize = 1 << 16

// HoldRun says how to run the queue hold scenario.
type HoldRun struct {
	// Queues lists the implementations to time, events.HeapQueue (queue.Heap) and
	// events.BTreeQueue (queue.BTree with queue.DefaultBTreeDegree); nil means both.
	Queues []events.QueueKind

	// Pending lists the numbers of items kept in the queue; nil means 1024 and 65536.
	Pending []int

	// Holds is the number of hold operations per case and run; 0 means DefaultHolds.
	Holds int

	// Seed fixes the increments.
	Seed uint64

	// Repeat is the number of runs of each case; 0 means 1.
	Repeat int
}

// HoldResult is what the queue hold scenario measured: one entry per queue and size.
type HoldResult struct {
	Scenario string     `json:"scenario"` // "queue-hold"
	Cases    []HoldCase `json:"cases"`
	PeakRSS  int64      `json:"peak_rss_bytes"`
	Env
}

// HoldCase is the time of a hold operation on one queue with a number of items pending.
type HoldCase struct {
	Queue   events.QueueKind `json:"queue"`
	Pending int              `json:"pending"`
	Holds   int              `json:"holds"` // per run
	Timing
	NsPerHold    float64 `json:"ns_per_hold"`     // median wall time per hold
	CPUNsPerHold float64 `json:"cpu_ns_per_hold"` // median CPU time per hold; 0 if unknown
}

// RunHold times the classic hold model of priority queues: pop the first item and push it
// back at its time plus an exponential increment of mean 1 (with Peek and PopPush), with a
// constant number of items pending. Each case first fills the queue with exponential times and makes 4·pending holds
// untimed, so that the distribution of pending times is near its steady state; the runs of
// a case then continue on the same queue.
func RunHold(r HoldRun) (*HoldResult, error) {
	queues := r.Queues
	if queues == nil {
		queues = []events.QueueKind{events.HeapQueue, events.BTreeQueue}
	}
	pending := r.Pending
	if pending == nil {
		pending = []int{1 << 10, 1 << 16}
	}
	holds := r.Holds
	if holds == 0 {
		holds = DefaultHolds
	}
	if holds < 1 {
		return nil, fmt.Errorf("bench: %s: %d holds: need at least 1", ScenarioQueueHold, holds)
	}
	rng := rand.New(rand.NewPCG(r.Seed, 0x401d))
	inc := make([]float64, holdTableSize)
	for i := range inc {
		inc[i] = rng.ExpFloat64()
	}
	res := &HoldResult{Scenario: ScenarioQueueHold}
	for _, kind := range queues {
		for _, n := range pending {
			if n < 1 {
				return nil, fmt.Errorf("bench: %s: %d items pending: need at least 1", ScenarioQueueHold, n)
			}
			var t timer
			switch kind {
			case events.HeapQueue:
				holdHeap(queue.NewHeap[int32](n), inc, n, holds, repeats(r.Repeat), &t)
			case events.BTreeQueue:
				holdBTree(queue.NewBTree[int32](queue.DefaultBTreeDegree), inc, n, holds, repeats(r.Repeat), &t)
			default:
				return nil, fmt.Errorf("bench: %s: queue %v: want heap or btree", ScenarioQueueHold, kind)
			}
			c := HoldCase{Queue: kind, Pending: n, Holds: holds, Timing: t.timing()}
			c.NsPerHold = c.Median * 1e9 / float64(holds)
			c.CPUNsPerHold = c.CPU * 1e9 / float64(holds)
			res.Cases = append(res.Cases, c)
		}
	}
	res.PeakRSS = peakRSS()
	res.Env = currentEnv()
	return res, nil
}

// holdHeap and holdBTree are the same loop on the concrete types, so that the calls are
// direct and the timing is the queue's, not an interface's. A hold is Peek, to learn the
// first item's time, then PopPush, which removes that item and pushes its successor in one
// pass.

func holdHeap(q *queue.Heap[int32], inc []float64, n, holds, runs int, t *timer) {
	for i := range n {
		q.Push(inc[i&(holdTableSize-1)], int32(i))
	}
	j := n
	for range 4 * n {
		it, _ := q.Peek()
		q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
		j++
	}
	for range runs {
		t.begin()
		for range holds {
			it, _ := q.Peek()
			q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
			j++
		}
		t.end()
	}
}

func holdBTree(q *queue.BTree[int32], inc []float64, n, holds, runs int, t *timer) {
	for i := range n {
		q.Push(inc[i&(holdTableSize-1)], int32(i))
	}
	j := n
	for range 4 * n {
		it, _ := q.Peek()
		q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
		j++
	}
	for range runs {
		t.begin()
		for range holds {
			it, _ := q.Peek()
			q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
			j++
		}
		t.end()
	}
}
