package neurons

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// cpuMetric reports the CPU time per operation since start.
func cpuMetric(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cubaLIF is the neuron of the CUBA benchmark (Brette et al. 2007): ms and mV.
func cubaLIF() LIF {
	return LIF{TauMem: 20, TauSyn: []float64{5, 10}, Threshold: -50, Reset: -60, Rest: -49, Refractory: 5}
}

// cubaStates returns n states of a CUBA neuron: V in [Reset, Threshold), excitatory
// current ≥ 0, inhibitory ≤ 0, in the range a neuron of the network sees. With near, each
// state is advanced to within 1 ms of its crossing, as when the event engine asks for the
// exact time.
func cubaStates(n int, near bool) (v []float64, cur [][]float64) {
	p := cubaLIF()
	r := rand.New(rand.NewPCG(7, 8))
	for len(v) < n {
		vi := -60 + 10*r.Float64()
		c := []float64{20 * r.Float64(), -40 * r.Float64()}
		if near {
			s := p.NextCrossing(vi, c, math.Inf(1))
			if s > 1 {
				d := s - 1*r.Float64()
				vi = p.Propagate(vi, c, d)
			}
		}
		v = append(v, vi)
		cur = append(cur, c)
	}
	return v, cur
}

func benchmarkLIFNextCrossing(b *testing.B, near bool) {
	p := cubaLIF()
	v, cur := cubaStates(1024, near)
	c := make([]float64, 2)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		copy(c, cur[j])
		sum += p.NextCrossing(v[j], c, math.Inf(1))
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// BenchmarkLIFNextCrossingCUBA measures the exact crossing of a CUBA neuron (τm = 20,
// τe = 5, τi = 10 ms) from random states.
func BenchmarkLIFNextCrossingCUBA(b *testing.B) { benchmarkLIFNextCrossing(b, false) }

// BenchmarkLIFNextCrossingCUBANear measures it from states within 1 ms of their crossing,
// the calls the event engine makes.
func BenchmarkLIFNextCrossingCUBANear(b *testing.B) { benchmarkLIFNextCrossing(b, true) }

func BenchmarkLIFPropagateCUBA(b *testing.B) {
	p := cubaLIF()
	v, cur := cubaStates(1024, false)
	c := make([]float64, 2)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		copy(c, cur[j])
		sum += p.Propagate(v[j], c, 0.1+float64(j)*0.01)
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// BenchmarkLIFExpBaseline times math.Exp on the same machine, as a unit for the others.
func BenchmarkLIFExpBaseline(b *testing.B) {
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		sum += math.Exp(-float64(i&1023) * 0.01)
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// closedStates returns n single-receptor states (u0, i0, theta) that cross: u0 below
// theta, a current that lifts it.
func closedStates(n int) (u0, i0, theta []float64) {
	r := rand.New(rand.NewPCG(21, 22))
	for range n {
		u0 = append(u0, -2*r.Float64())
		i0 = append(i0, 2+8*r.Float64())
		theta = append(theta, 0.2+0.5*r.Float64())
	}
	return u0, i0, theta
}

// BenchmarkCrossingEqualTau is the Lambert W closed form (τs = τm) ...
func BenchmarkCrossingEqualTau(b *testing.B) {
	u0, i0, th := closedStates(1024)
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		sum += CrossingEqualTau(10, u0[j], i0[j], th[j])
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// ... and BenchmarkCrossingEqualTauGeneral the general solver on the same function.
func BenchmarkCrossingEqualTauGeneral(b *testing.B) {
	u0, i0, th := closedStates(1024)
	terms := make([]ExpTerm, 1)
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		terms[0] = ExpTerm{A: u0[j], B: i0[j] / 10, Rate: 1.0 / 10}
		sum += ExpSum{C: -th[j], Terms: terms}.FirstCrossing(math.Inf(1))
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// BenchmarkCrossingHalfTau is the quadratic closed form (τm = 2τs) ...
func BenchmarkCrossingHalfTau(b *testing.B) {
	u0, i0, th := closedStates(1024)
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		sum += CrossingHalfTau(10, u0[j], i0[j], th[j])
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// ... and BenchmarkCrossingHalfTauGeneral the general solver on the same function (its
// polynomial path: the rates are 1/τm and 2/τm).
func BenchmarkCrossingHalfTauGeneral(b *testing.B) {
	u0, i0, th := closedStates(1024)
	terms := make([]ExpTerm, 2)
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		terms[0] = ExpTerm{A: u0[j] + i0[j], Rate: 1.0 / 10}
		terms[1] = ExpTerm{A: -i0[j], Rate: 2.0 / 10}
		sum += ExpSum{C: -th[j], Terms: terms}.FirstCrossing(math.Inf(1))
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// generalStates returns n states of a neuron whose time constants are not multiples of
// one another (τm = 20, τs = 3, 7, 13), from random states or, with near, advanced to within
// 1 ms of their crossing.
func generalStates(p *LIF, n int, near bool) (v []float64, cur [][]float64) {
	r := rand.New(rand.NewPCG(23, 24))
	for len(v) < n {
		vi := -60 + 10*r.Float64()
		c := []float64{20 * r.Float64(), -40 * r.Float64(), 5 * r.NormFloat64()}
		if near {
			s := p.NextCrossing(vi, c, math.Inf(1))
			if math.IsInf(s, 1) {
				continue
			}
			if s > 1 {
				vi = p.Propagate(vi, c, s-1*r.Float64())
			}
		}
		v = append(v, vi)
		cur = append(cur, c)
	}
	return v, cur
}

func benchmarkLIFGeneral(b *testing.B, near bool) {
	p := LIF{TauMem: 20, TauSyn: []float64{3, 7, 13}, Threshold: -50, Reset: -60, Rest: -49}
	v, cur := generalStates(&p, 1024, near)
	c := make([]float64, 3)
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	sum := 0.0
	for i := range b.N {
		j := i & 1023
		copy(c, cur[j])
		sum += p.NextCrossing(v[j], c, math.Inf(1))
	}
	cpuMetric(b, start)
	if math.IsNaN(sum) {
		b.Fatal("NaN")
	}
}

// BenchmarkLIFNextCrossingGeneral times the general solver, which works with exponentials:
// τm = 20, τs = 3, 7, 13, from random states ...
func BenchmarkLIFNextCrossingGeneral(b *testing.B) { benchmarkLIFGeneral(b, false) }

// ... and from states within 1 ms of their crossing.
func BenchmarkLIFNextCrossingGeneralNear(b *testing.B) { benchmarkLIFGeneral(b, true) }
