package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/firstspike/firstspike/datasets"
	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/learning"
	"github.com/firstspike/firstspike/queue"
	"github.com/firstspike/firstspike/ttfs"
)

// BenchmarkCUBA simulates 10 s of the CUBA network per operation, on a fresh engine each
// time (its construction is not timed), and reports synaptic events per second of wall
// time, ns per synaptic event and the mean rate. One operation takes about a second:
// run it with -benchtime=3x or so.
func BenchmarkCUBA(b *testing.B) {
	for _, jump := range []bool{false, true} {
		for _, q := range []events.QueueKind{events.HeapQueue, events.BTreeQueue} {
			name := ScenarioCUBA
			if jump {
				name = ScenarioCUBAJump
			}
			b.Run(name+"/"+q.String(), func(b *testing.B) {
				c := DefaultCUBA()
				c.Jump = jump
				net := CUBA(c)
				opt := events.Options{Queue: q}
				var st events.Stats
				var delivered int64
				b.ResetTimer()
				cpu := startCPU()
				for range b.N {
					b.StopTimer()
					eng, err := events.New(net, opt)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if err := eng.Run(DefaultCUBADuration); err != nil {
						b.Fatal(err)
					}
					st = eng.Stats()
					delivered += st.SynapticEvents
				}
				sec := b.Elapsed().Seconds()
				b.ReportMetric(float64(delivered)/sec, "events/s")
				b.ReportMetric(sec*1e9/float64(delivered), "ns/event")
				b.ReportMetric(float64(st.Spikes)/4000/(DefaultCUBADuration/1000), "Hz")
				cpu.report(b, float64(delivered), "event")
			})
		}
	}
}

// BenchmarkTTFSInference runs the exact forward pass (learning.Exact, on GOMAXPROCS
// goroutines) and the predictions over batches of the test split, with weights drawn as
// training starts, and the classification that stops each sample at its first output spike
// (learning.Exact.Classify); it reports samples per second.
func BenchmarkTTFSInference(b *testing.B) {
	for _, data := range []string{DataYinYang, DataMNIST} {
		for _, mode := range []string{"forward", "classify"} {
			b.Run(data+"/"+mode, func(b *testing.B) {
				set, err := datasets.Load(data, "test")
				if err != nil {
					b.Skip(err)
				}
				net, _, err := ttfsNetwork(data, nil, 1, set)
				if err != nil {
					b.Fatal(err)
				}
				n := min(set.Len(), ttfsBatch)
				times := make([][]float64, len(net.Layers))
				for l, ly := range net.Layers {
					times[l] = make([]float64, n*ly.Outputs)
				}
				pred, first := make([]int, n), make([]float64, n)
				in := set.Inputs[:n*set.NIn]
				fwd := &learning.Exact{}
				nOut := net.Outputs()
				run := func() {
					if mode == "classify" {
						if err := fwd.Classify(net, in, pred, first); err != nil {
							b.Fatal(err)
						}
						return
					}
					if err := fwd.Forward(net, in, times); err != nil {
						b.Fatal(err)
					}
					last := times[len(times)-1]
					for s := range n {
						pred[s] = learning.Predict(last[s*nOut : (s+1)*nOut])
					}
				}
				run()
				b.ResetTimer()
				cpu := startCPU()
				for range b.N {
					run()
				}
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "samples/s")
				cpu.report(b, float64(b.N*n), "sample")
			})
		}
	}
}

// BenchmarkTTFSKernel times ttfs.Neuron.Layer on each layer of the two networks, one
// sample per operation cycling through 1000 test samples, and reports ns per input per
// neuron.
func BenchmarkTTFSKernel(b *testing.B) {
	for _, data := range []string{DataYinYang, DataMNIST} {
		set, err := datasets.Load(data, "test")
		if err != nil {
			b.Run(data, func(b *testing.B) { b.Skip(err) })
			continue
		}
		net, _, err := ttfsNetwork(data, nil, 1, set)
		if err != nil {
			b.Fatal(err)
		}
		const distinct = 1000
		inputs, err := layerInputs(net, set, distinct)
		if err != nil {
			b.Fatal(err)
		}
		for l := range net.Layers {
			ly := &net.Layers[l]
			b.Run(fmt.Sprintf("%s/layer%d", data, l), func(b *testing.B) {
				rows := ly.Rows()
				out := make([]float64, ly.Outputs)
				var s ttfs.Scratch
				in := inputs[l]
				net.Neuron.Layer(out, in[:rows], ly.Weights, &s)
				b.ResetTimer()
				cpu := startCPU()
				i := 0
				for range b.N {
					net.Neuron.Layer(out, in[i*rows:(i+1)*rows], ly.Weights, &s)
					if i++; i == distinct {
						i = 0
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/float64(rows*ly.Outputs), "ns/input/neuron")
				cpu.report(b, float64(b.N)*float64(rows*ly.Outputs), "input/neuron")
			})
		}
	}
}

// BenchmarkQueueHold times the hold model (pop the first item, push it back later by an
// exponential increment of mean 1, in one PopPush) with 1k and 64k items pending, as the
// queue-hold scenario does.
func BenchmarkQueueHold(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 0x401d))
	inc := make([]float64, holdTableSize)
	for i := range inc {
		inc[i] = rng.ExpFloat64()
	}
	for _, n := range []int{1 << 10, 1 << 16} {
		size := "1k"
		if n == 1<<16 {
			size = "64k"
		}
		b.Run("heap/"+size, func(b *testing.B) {
			q := queue.NewHeap[int32](n)
			var t timer
			holdHeap(q, inc, n, 0, 0, &t)
			j := 0
			b.ResetTimer()
			cpu := startCPU()
			for range b.N {
				it, _ := q.Peek()
				q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
				j++
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N), "ns/hold")
			cpu.report(b, float64(b.N), "hold")
		})
		b.Run("btree/"+size, func(b *testing.B) {
			q := queue.NewBTree[int32](queue.DefaultBTreeDegree)
			var t timer
			holdBTree(q, inc, n, 0, 0, &t)
			j := 0
			b.ResetTimer()
			cpu := startCPU()
			for range b.N {
				it, _ := q.Peek()
				q.PopPush(it.Time+inc[j&(holdTableSize-1)], it.Value)
				j++
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N), "ns/hold")
			cpu.report(b, float64(b.N), "hold")
		})
	}
}

// cpuMeter measures the CPU time (user and system, all threads) of a benchmark loop: on a
// machine shared with other work it is far less noisy than the wall time of one thread.
type cpuMeter struct {
	start rusage
	ok    bool
}

func startCPU() cpuMeter {
	ru, ok := getRusage()
	return cpuMeter{ru, ok}
}

// report adds the metric cpu-ns/unit: CPU nanoseconds per one of ops, unless the system
// does not report CPU time. Time spent with the timer stopped is included.
func (m cpuMeter) report(b *testing.B, ops float64, unit string) {
	ru, ok := getRusage()
	if !m.ok || !ok || ops == 0 {
		return
	}
	b.ReportMetric(float64(ru.cpu-m.start.cpu)/ops, "cpu-ns/"+unit)
}
