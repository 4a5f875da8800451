package queue

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// Benchmark sizes: pending items during the measurement.
var benchSizes = []struct {
	name string
	n    int
}{{"1k", 1 << 10}, {"64k", 1 << 16}}

// tableSize random draws are made before timing starts and read cyclically, so that the
// benchmarks time the queue, not the random number generator.
const tableSize = 1 << 16

func expTable(seed uint64, scale float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 3))
	t := make([]float64, tableSize)
	for i := range t {
		t[i] = scale * r.ExpFloat64()
	}
	return t
}

func indexTable(seed uint64, n int) []int32 {
	r := rand.New(rand.NewPCG(seed, 4))
	t := make([]int32, tableSize)
	for i := range t {
		t[i] = int32(r.IntN(n))
	}
	return t
}

// opTimer reports the time per operation of a b.Loop benchmark: wall-clock ns/unit, and
// cpu-ns/unit, the CPU time of the benchmark's thread, which other processes on a busy machine
// disturb less.
type opTimer struct {
	b        *testing.B
	unit     string
	cpu      time.Duration // CPU time while timing, up to the last pause
	cpuStart time.Duration
	cpuOK    bool
}

// startTimer starts the CPU clock; call it just before the loop.
func startTimer(b *testing.B, unit string) *opTimer {
	runtime.LockOSThread()
	t := &opTimer{b: b, unit: unit}
	t.cpuStart, t.cpuOK = threadCPU()
	return t
}

// pause and resume stop and restart both clocks, the CPU clock innermost, as StopTimer and
// StartTimer take time themselves.
func (t *opTimer) pause() {
	now, _ := threadCPU()
	t.cpu += now - t.cpuStart
	t.b.StopTimer()
}

func (t *opTimer) resume() {
	t.b.StartTimer()
	t.cpuStart, _ = threadCPU()
}

// stop ends the CPU clock and reports; call it just after the loop.
func (t *opTimer) stop() {
	now, _ := threadCPU()
	t.cpu += now - t.cpuStart
	runtime.UnlockOSThread()
	n := float64(t.b.N)
	t.b.ReportMetric(float64(t.b.Elapsed().Nanoseconds())/n, "ns/"+t.unit)
	if t.cpuOK {
		t.b.ReportMetric(float64(t.cpu.Nanoseconds())/n, "cpu-ns/"+t.unit)
	}
}

// BenchmarkHold times the classic hold model: pop the first item and push it back at its
// time plus an exponential increment (mean 1), with n items pending. PopPush makes each hold
// with Peek and PopPush, PopThenPush with Pop and Push. HeapViaInterface calls the heap
// through the Queue interface, as a caller that picks the implementation at run time does.
// ContainerHeap is a baseline for the machine: the standard library's binary heap of bare
// times, with no values, handles or tie-breaking.
func BenchmarkHold(b *testing.B) {
	for _, size := range benchSizes {
		b.Run("ContainerHeap/"+size.name, func(b *testing.B) {
			inc := expTable(1, 1)
			h := make(timeHeap, 0, size.n)
			for i := range size.n {
				heap.Push(&h, inc[i])
			}
			j := size.n
			for range 4 * size.n {
				heap.Push(&h, heap.Pop(&h).(float64)+inc[j%tableSize])
				j++
			}
			clock := startTimer(b, "hold")
			for b.Loop() {
				// Replacing the top and fixing it is the cheapest hold container/heap offers.
				h[0] += inc[j%tableSize]
				heap.Fix(&h, 0)
				j++
			}
			clock.stop()
		})
		for _, impl := range []string{"Heap", "BTree", "HeapViaInterface"} {
			b.Run(impl+"/PopPush/"+size.name, func(b *testing.B) {
				q := newBenchQueue(impl, size.n)
				inc, j := warmHold(q, size.n)
				clock := startTimer(b, "hold")
				switch c := q.(type) { // call the concrete types unless told otherwise
				case *Heap[int32]:
					if impl == "HeapViaInterface" {
						for b.Loop() {
							it, _ := q.Peek()
							q.PopPush(it.Time+inc[j%tableSize], it.Value)
							j++
						}
						break
					}
					for b.Loop() {
						it, _ := c.Peek()
						c.PopPush(it.Time+inc[j%tableSize], it.Value)
						j++
					}
				case *BTree[int32]:
					for b.Loop() {
						it, _ := c.Peek()
						c.PopPush(it.Time+inc[j%tableSize], it.Value)
						j++
					}
				}
				clock.stop()
			})
			b.Run(impl+"/PopThenPush/"+size.name, func(b *testing.B) {
				q := newBenchQueue(impl, size.n)
				inc, j := warmHold(q, size.n)
				clock := startTimer(b, "hold")
				switch c := q.(type) {
				case *Heap[int32]:
					if impl == "HeapViaInterface" {
						for b.Loop() {
							it, _ := q.Pop()
							q.Push(it.Time+inc[j%tableSize], it.Value)
							j++
						}
						break
					}
					for b.Loop() {
						it, _ := c.Pop()
						c.Push(it.Time+inc[j%tableSize], it.Value)
						j++
					}
				case *BTree[int32]:
					for b.Loop() {
						it, _ := c.Pop()
						c.Push(it.Time+inc[j%tableSize], it.Value)
						j++
					}
				}
				clock.stop()
			})
		}
	}
}

// timeHeap is a container/heap.Interface of bare times.
type timeHeap []float64

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *timeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// warmHold fills q with n items and runs 4n holds, so that the times reach the steady state
// of the hold model. It returns the increments and the index of the next one.
func warmHold(q Queue[int32], n int) (inc []float64, next int) {
	inc = expTable(1, 1)
	for i := range n {
		q.Push(inc[i], int32(i))
	}
	next = n
	for range 4 * n {
		it, _ := q.Peek()
		q.PopPush(it.Time+inc[next%tableSize], it.Value)
		next++
	}
	return inc, next
}

// BenchmarkReschedule moves a random pending item earlier or later by an exponential amount
// (mean 10, against a mean spacing of 1 between pending times), with n items pending: the
// event engine's update of a neuron's predicted threshold crossing.
func BenchmarkReschedule(b *testing.B) {
	for _, dir := range []struct {
		name string
		sign float64
	}{{"earlier", -1}, {"later", 1}} {
		for _, size := range benchSizes {
			for _, impl := range []string{"Heap", "BTree"} {
				b.Run(fmt.Sprintf("%s/%s/%s", dir.name, impl, size.name), func(b *testing.B) {
					var q Queue[int32]
					if impl == "Heap" {
						q = NewHeap[int32](size.n)
					} else {
						q = NewBTree[int32](DefaultBTreeDegree)
					}
					r := rand.New(rand.NewPCG(2, 5))
					times := make([]float64, size.n)
					handles := make([]Handle, size.n)
					for i := range times {
						times[i] = float64(size.n) * r.Float64()
						handles[i], _ = q.Push(times[i], int32(i))
					}
					step := expTable(3, 10*dir.sign)
					which := indexTable(4, size.n)
					j := 0
					clock := startTimer(b, "reschedule")
					switch q := q.(type) { // call the concrete types, as the hold benchmarks do
					case *Heap[int32]:
						for b.Loop() {
							i := which[j%tableSize]
							times[i] += step[j%tableSize]
							q.Reschedule(handles[i], times[i])
							j++
						}
					case *BTree[int32]:
						for b.Loop() {
							i := which[j%tableSize]
							times[i] += step[j%tableSize]
							q.Reschedule(handles[i], times[i])
							j++
						}
					}
					clock.stop()
				})
			}
		}
	}
}

// BenchmarkCancel cancels every item of a queue of n in random order; refilling the queue is
// not timed.
func BenchmarkCancel(b *testing.B) {
	for _, size := range benchSizes {
		for _, impl := range []string{"Heap", "BTree"} {
			b.Run(impl+"/"+size.name, func(b *testing.B) {
				var q Queue[int32]
				if impl == "Heap" {
					q = NewHeap[int32](size.n)
				} else {
					q = NewBTree[int32](DefaultBTreeDegree)
				}
				r := rand.New(rand.NewPCG(5, 6))
				times := make([]float64, size.n)
				for i := range times {
					times[i] = r.Float64()
				}
				order := r.Perm(size.n)
				handles := make([]Handle, size.n)
				fill := func() {
					q.Reset()
					for i, t := range times {
						handles[i], _ = q.Push(t, int32(i))
					}
				}
				fill()
				k := 0
				clock := startTimer(b, "cancel")
				for b.Loop() {
					if k == size.n {
						clock.pause()
						fill()
						k = 0
						clock.resume()
					}
					q.Cancel(handles[order[k]])
					k++
				}
				clock.stop()
			})
		}
	}
}

// newBenchQueue returns an empty queue of the benchmarked implementation impl ("BTree", else
// a heap) for about n pending items.
func newBenchQueue(impl string, n int) Queue[int32] {
	if impl == "BTree" {
		return NewBTree[int32](DefaultBTreeDegree)
	}
	return NewHeap[int32](n)
}
