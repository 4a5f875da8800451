package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
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

func reportPer(b *testing.B, unit string) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/"+unit)
}

// BenchmarkHold times the classic hold model: pop the first item and push it back at its
// time plus an exponential increment (mean 1), with n items pending.
func BenchmarkHold(b *testing.B) {
	for _, size := range benchSizes {
		b.Run("Heap/"+size.name, func(b *testing.B) {
			q := NewHeap[int32](size.n)
			inc := expTable(1, 1)
			for i := range size.n {
				q.Push(inc[i], int32(i))
			}
			j := size.n
			for range 4 * size.n { // reach the steady-state distribution of times
				it, _ := q.Pop()
				q.Push(it.Time+inc[j%tableSize], it.Value)
				j++
			}
			for b.Loop() {
				it, _ := q.Pop()
				q.Push(it.Time+inc[j%tableSize], it.Value)
				j++
			}
			reportPer(b, "hold")
		})
		b.Run("BTree/"+size.name, func(b *testing.B) {
			q := NewBTree[int32](DefaultBTreeDegree)
			inc := expTable(1, 1)
			for i := range size.n {
				q.Push(inc[i], int32(i))
			}
			j := size.n
			for range 4 * size.n {
				it, _ := q.Pop()
				q.Push(it.Time+inc[j%tableSize], it.Value)
				j++
			}
			for b.Loop() {
				it, _ := q.Pop()
				q.Push(it.Time+inc[j%tableSize], it.Value)
				j++
			}
			reportPer(b, "hold")
		})
		b.Run("Queue(Heap)/"+size.name, func(b *testing.B) {
			benchHoldInterface(b, NewHeap[int32](size.n), size.n)
		})
	}
}

// benchHoldInterface is the hold model through the Queue interface, as a caller that picks
// the implementation at run time uses it.
func benchHoldInterface(b *testing.B, q Queue[int32], n int) {
	inc := expTable(1, 1)
	for i := range n {
		q.Push(inc[i], int32(i))
	}
	j := n
	for range 4 * n {
		it, _ := q.Pop()
		q.Push(it.Time+inc[j%tableSize], it.Value)
		j++
	}
	for b.Loop() {
		it, _ := q.Pop()
		q.Push(it.Time+inc[j%tableSize], it.Value)
		j++
	}
	reportPer(b, "hold")
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
					reportPer(b, "reschedule")
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
				for b.Loop() {
					if k == size.n {
						b.StopTimer()
						fill()
						k = 0
						b.StartTimer()
					}
					q.Cancel(handles[order[k]])
					k++
				}
				reportPer(b, "cancel")
			})
		}
	}
}
