package queue_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/firstspike/firstspike/queue"
)

func Example() {
	q := queue.NewHeap[string](8)
	q.Push(2.5, "spike of neuron 3")
	crossing, _ := q.Push(4, "predicted threshold crossing of neuron 7")
	q.Push(1, "input spike")
	q.Push(2.5, "spike of neuron 5") // same time as neuron 3's spike: pops after it
	doomed, _ := q.Push(3, "spike delivery to a neuron that was removed")

	q.Reschedule(crossing, 2) // new input made the crossing earlier
	q.Cancel(doomed)

	for q.Len() > 0 {
		it, _ := q.Pop()
		fmt.Printf("t=%.1f seq=%d %s\n", it.Time, it.Seq, it.Value)
	}
	// Output:
	// t=1.0 seq=2 input spike
	// t=2.0 seq=5 predicted threshold crossing of neuron 7
	// t=2.5 seq=0 spike of neuron 3
	// t=2.5 seq=3 spike of neuron 5
}

func Example_errors() {
	q := queue.NewBTree[int](queue.DefaultBTreeDegree)
	_, err := q.Push(math.NaN(), 1)
	fmt.Println(err)
	fmt.Println(errors.Is(err, queue.ErrNonFinite))

	h, _ := q.Push(1, 1)
	q.Pop()
	fmt.Println(q.Cancel(h))
	err = q.Reschedule(h, 2)
	fmt.Println(errors.Is(err, queue.ErrStaleHandle))
	// Output:
	// queue: Push at time NaN: time is not finite
	// true
	// false
	// true
}

// A loop that handles the first event and schedules the next in its place: here three
// neurons that fire regularly, each with its own period. PopPush replaces a Pop and a Push;
// at equal times the spike scheduled first (lower Seq) comes first.
func ExampleHeap_PopPush() {
	period := map[string]float64{"a": 3, "b": 4, "c": 6}
	q := queue.NewHeap[string](3)
	for _, name := range []string{"a", "b", "c"} {
		q.Push(period[name], name)
	}
	for range 7 {
		next, _ := q.Peek()
		spike, _, _, _ := q.PopPush(next.Time+period[next.Value], next.Value)
		fmt.Printf("t=%g %s (seq %d)\n", spike.Time, spike.Value, spike.Seq)
	}
	// Output:
	// t=3 a (seq 0)
	// t=4 b (seq 1)
	// t=6 c (seq 2)
	// t=6 a (seq 3)
	// t=8 b (seq 4)
	// t=9 a (seq 6)
	// t=12 c (seq 5)
}
