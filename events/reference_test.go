package events_test

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/firstspike/firstspike/events"
	"github.com/firstspike/firstspike/neurons"
	"github.com/firstspike/firstspike/synapses"
)

// This file holds a brute-force reference simulator used only to check the engine. It shares
// nothing with the engine or with the solvers of package neurons: it integrates the full ODE
// system of every neuron,
//
//	τm dV/dt = −(V − Rest) + Σ_k I_k,   τ_k dI_k/dt = −I_k,
//
// with the classical fourth-order Runge–Kutta method at a fixed small step, stops exactly at
// every input, refractory end and probe time, looks for threshold crossings in every step —
// including a crossing that rises above threshold and falls back within one step, found
// through the sign change of dV/dt — and locates each crossing by bisection on a
// re-integration from the start of the step. Semantics follow events.Engine's documentation:
// V is held at Reset for the refractory period while the currents evolve, voltage jumps that
// arrive during it are lost, and a neuron pushed to or above threshold by a jump fires at
// once.
//
// Some networks are ill-conditioned for a comparison at 1e-6: a membrane that only just
// touches threshold, or a voltage jump that arrives within a hair of the target's own spike
// or refractory end, where an arbitrarily small difference in times changes what happens.
// The reference notes such events in result.illConditioned; the tests draw another network.

// refProbe asks for V of one neuron at the given ascending times.
type refProbe struct {
	pop, neuron int
	times       []float64
}

type refResult struct {
	spikes         [][][]float64 // [population][neuron] → ascending spike times
	probes         [][]float64   // V at the probe times
	synapticEvents int64         // synapses delivered at times < tEnd
	inputSpikes    int64         // source spikes at times < tEnd
	illConditioned []string
}

// Thresholds of ill-conditioning (potentials in the network's unit, times in its unit).
const (
	refNearV     = 1e-6 // a maximum of V this close below threshold, or a jump landing this close
	refMinSlope  = 1e-3 // dV/dt at a crossing below this
	refNearTimes = 1e-6 // a jump this close to the target's spike or refractory end
)

type refDelivery struct {
	t        float64
	seq      int
	pop, j   int
	receptor synapses.Receptor
	w        float64
}

type refQueue []refDelivery

func (q refQueue) Len() int { return len(q) }
func (q refQueue) Less(a, b int) bool {
	if q[a].t != q[b].t {
		return q[a].t < q[b].t
	}
	return q[a].seq < q[b].seq
}
func (q refQueue) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *refQueue) Push(x any)   { *q = append(*q, x.(refDelivery)) }
func (q *refQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

type refPop struct {
	lif      neurons.LIF
	v        []float64
	cur      [][]float64
	refUntil []float64 // −Inf when free
	lastJump []float64 // time of the last voltage jump that reached the neuron
	lastFire []float64
	next     [][]float64 // the state at the end of the current step
}

type refSim struct {
	net    *events.Network
	h      float64 // integration step
	tEnd   float64
	pops   []refPop
	queue  refQueue
	seq    int
	t      float64
	result refResult

	// scratch
	k1, k2, k3, k4, tmp, y0, yt, d []float64
}

// refSimulate runs net until tEnd. Sources must list their spikes (no Poisson trains). The
// step h should be small against every time constant: the tests use τmin/400, where RK4's
// error is near rounding.
func refSimulate(net *events.Network, tEnd, h float64, probes []refProbe) refResult {
	s := &refSim{net: net, h: h, tEnd: tEnd}
	maxRec := 0
	for _, p := range net.Populations {
		rp := refPop{lif: p.Neuron, v: make([]float64, p.Size), cur: make([][]float64, p.Size),
			refUntil: make([]float64, p.Size), lastJump: make([]float64, p.Size), lastFire: make([]float64, p.Size)}
		for i := range rp.v {
			rp.v[i] = p.Neuron.Rest
			if p.InitialV != nil {
				rp.v[i] = p.InitialV[i]
			}
			rp.cur[i] = make([]float64, len(p.Neuron.TauSyn))
			rp.next = append(rp.next, make([]float64, 1+len(p.Neuron.TauSyn)))
			rp.refUntil[i] = math.Inf(-1)
			rp.lastJump[i] = math.Inf(-1)
			rp.lastFire[i] = math.Inf(-1)
		}
		s.pops = append(s.pops, rp)
		maxRec = max(maxRec, len(p.Neuron.TauSyn))
		s.result.spikes = append(s.result.spikes, make([][]float64, p.Size))
	}
	n := maxRec + 1
	for _, b := range []*[]float64{&s.k1, &s.k2, &s.k3, &s.k4, &s.tmp, &s.y0, &s.yt, &s.d} {
		*b = make([]float64, n)
	}

	for si, src := range net.Sources {
		if src.Spikes == nil {
			panic("reference: Poisson sources are not supported; relay them through a population")
		}
		for j, ts := range src.Spikes {
			for _, t := range ts {
				if t < tEnd {
					s.result.inputSpikes++
					s.spread(events.Ref{Source: true, Index: si}, j, t)
				}
			}
		}
	}
	type probeAt struct {
		t    float64
		p, k int
	}
	var pts []probeAt
	for p, pr := range probes {
		s.result.probes = append(s.result.probes, make([]float64, len(pr.times)))
		for k, t := range pr.times {
			pts = append(pts, probeAt{t, p, k})
		}
	}
	slices.SortFunc(pts, func(a, b probeAt) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})

	s.fireReady() // neurons that start at or above threshold
	for s.t < tEnd {
		next := tEnd
		if len(s.queue) > 0 {
			next = min(next, s.queue[0].t)
		}
		if len(pts) > 0 {
			next = min(next, pts[0].t)
		}
		for p := range s.pops {
			for _, r := range s.pops[p].refUntil {
				if r > s.t {
					next = min(next, r)
				}
			}
		}
		if s.advance(next) {
			continue // stopped at a crossing, which was handled
		}
		// Now at next: probes, refractory ends, deliveries, then immediate firings.
		for len(pts) > 0 && pts[0].t <= s.t {
			pr := probes[pts[0].p]
			s.result.probes[pts[0].p][pts[0].k] = s.pops[pr.pop].v[pr.neuron]
			pts = pts[1:]
		}
		if s.t >= tEnd {
			break
		}
		for p := range s.pops {
			for i, r := range s.pops[p].refUntil {
				if r <= s.t {
					s.pops[p].refUntil[i] = math.Inf(-1)
				}
			}
		}
		for len(s.queue) > 0 && s.queue[0].t <= s.t {
			d := heap.Pop(&s.queue).(refDelivery)
			s.deliver(d)
		}
		s.fireReady()
	}
	return s.result
}

// spread queues the deliveries of a spike of neuron j of the population or source from at t.
func (s *refSim) spread(from events.Ref, j int, t float64) {
	for _, pr := range s.net.Projections {
		if pr.From != from {
			continue
		}
		post, w, delay := pr.Synapses.Row(j)
		for k := range post {
			at := t
			if delay != nil {
				at += delay[k]
			}
			s.seq++
			heap.Push(&s.queue, refDelivery{t: at, seq: s.seq, pop: pr.To, j: int(post[k]), receptor: pr.Receptor, w: w[k]})
		}
	}
}

func (s *refSim) deliver(d refDelivery) {
	s.result.synapticEvents++
	p := &s.pops[d.pop]
	if d.receptor != synapses.Jump {
		p.cur[d.j][d.receptor] += d.w
		return
	}
	if math.Abs(d.t-p.lastFire[d.j]) < refNearTimes || math.Abs(d.t-p.refUntil[d.j]) < refNearTimes {
		s.flag("jump at %v to neuron %d of population %d near its spike or refractory end", d.t, d.j, d.pop)
	}
	p.lastJump[d.j] = d.t
	if p.refUntil[d.j] > d.t {
		return // held at Reset: the jump is lost
	}
	p.v[d.j] += d.w
	if math.Abs(p.v[d.j]-p.lif.Threshold) < refNearV {
		s.flag("jump at %v leaves neuron %d of population %d at %v, at threshold", d.t, d.j, d.pop, p.v[d.j])
	}
}

// fireReady fires every free neuron at or above threshold at the current time, and the
// neurons that its zero-delay jumps push over, until none is left.
func (s *refSim) fireReady() {
	for {
		fired := false
		for p := range s.pops {
			rp := &s.pops[p]
			for i := range rp.v {
				if rp.refUntil[i] <= s.t && rp.v[i] >= rp.lif.Threshold {
					s.fire(p, i, s.t)
					fired = true
				}
			}
		}
		for len(s.queue) > 0 && s.queue[0].t <= s.t {
			s.deliver(heap.Pop(&s.queue).(refDelivery))
			fired = true
		}
		if !fired {
			return
		}
	}
}

func (s *refSim) fire(p, i int, t float64) {
	rp := &s.pops[p]
	s.result.spikes[p][i] = append(s.result.spikes[p][i], t)
	if t-rp.lastJump[i] < refNearTimes && t != rp.lastJump[i] {
		s.flag("neuron %d of population %d fires at %v just after a jump at %v", i, p, t, rp.lastJump[i])
	}
	rp.lastFire[i] = t
	rp.v[i] = rp.lif.Reset
	if rp.lif.Refractory > 0 {
		rp.refUntil[i] = t + rp.lif.Refractory
	}
	s.spread(events.Ref{Index: p}, i, t)
}

func (s *refSim) flag(format string, args ...any) {
	s.result.illConditioned = append(s.result.illConditioned, fmt.Sprintf(format, args...))
}

// deriv writes the time derivative of the state y = (V, I_0, I_1, ...) into dy.
func refDeriv(lif *neurons.LIF, held bool, y, dy []float64) {
	sum := 0.0
	for k, tau := range lif.TauSyn {
		dy[1+k] = -y[1+k] / tau
		sum += y[1+k]
	}
	if held {
		dy[0] = 0
		return
	}
	dy[0] = (-(y[0] - lif.Rest) + sum) / lif.TauMem
}

// rk4 advances y0 by one classical Runge–Kutta step of size h into y.
func (s *refSim) rk4(lif *neurons.LIF, held bool, y0, y []float64, h float64) {
	n := len(y0)
	k1, k2, k3, k4, tmp := s.k1[:n], s.k2[:n], s.k3[:n], s.k4[:n], s.tmp[:n]
	refDeriv(lif, held, y0, k1)
	for i := range tmp {
		tmp[i] = y0[i] + h/2*k1[i]
	}
	refDeriv(lif, held, tmp, k2)
	for i := range tmp {
		tmp[i] = y0[i] + h/2*k2[i]
	}
	refDeriv(lif, held, tmp, k3)
	for i := range tmp {
		tmp[i] = y0[i] + h*k3[i]
	}
	refDeriv(lif, held, tmp, k4)
	for i := range y {
		y[i] = y0[i] + h/6*(k1[i]+2*k2[i]+2*k3[i]+k4[i])
	}
}

// advance integrates every neuron from s.t to tStop, in steps of at most h. If a neuron
// crosses threshold first, it stops there, fires it and returns true.
func (s *refSim) advance(tStop float64) bool {
	for s.t < tStop {
		step := min(s.h, tStop-s.t)
		last := step == tStop-s.t
		// Integrate every neuron over the step and find the earliest crossing in it.
		bestP, bestI, bestS := -1, -1, math.Inf(1)
		for p := range s.pops {
			rp := &s.pops[p]
			for i := range rp.v {
				y0 := s.state(rp, i)
				held := rp.refUntil[i] > s.t
				s.rk4(&rp.lif, held, y0, rp.next[i], step)
				if held {
					continue // no crossing possible
				}
				if sc, ok := s.crossing(rp, y0, rp.next[i], step); ok && sc < bestS {
					bestP, bestI, bestS = p, i, sc
				}
			}
		}
		if bestP >= 0 {
			// Redo the step up to the crossing.
			step, last = bestS, false
			for p := range s.pops {
				rp := &s.pops[p]
				for i := range rp.v {
					s.rk4(&rp.lif, rp.refUntil[i] > s.t, s.state(rp, i), rp.next[i], step)
				}
			}
		}
		for p := range s.pops {
			rp := &s.pops[p]
			for i := range rp.v {
				rp.v[i] = rp.next[i][0]
				copy(rp.cur[i], rp.next[i][1:])
			}
		}
		if last {
			s.t = tStop
		} else {
			s.t += step
		}
		if bestP >= 0 {
			s.fire(bestP, bestI, s.t)
			s.fireReady()
			return true
		}
	}
	return false
}

// state returns the state (V, I_0, I_1, ...) of neuron i in a scratch buffer.
func (s *refSim) state(rp *refPop, i int) []float64 {
	y0 := s.y0[:1+len(rp.cur[i])]
	y0[0] = rp.v[i]
	copy(y0[1:], rp.cur[i])
	return y0
}

// crossing looks for a threshold crossing of a free neuron within a step from y0 to y of
// size h and returns its offset from the start of the step.
func (s *refSim) crossing(rp *refPop, y0, y []float64, h float64) (float64, bool) {
	lif := &rp.lif
	theta := lif.Threshold
	yt, d := s.yt[:len(y0)], s.d[:len(y0)]
	vAt := func(sz float64) float64 {
		s.rk4(lif, false, y0, yt, sz)
		return yt[0]
	}
	slopeAt := func(sz float64) float64 {
		s.rk4(lif, false, y0, yt, sz)
		refDeriv(lif, false, yt, d)
		return d[0]
	}
	hi := h
	if y[0] < theta {
		// No crossing at the end of the step; there is one inside if V has a maximum in the
		// step that reaches threshold.
		refDeriv(lif, false, y0, d)
		d0 := d[0]
		refDeriv(lif, false, y, d)
		if !(d0 > 0 && d[0] < 0) {
			return 0, false
		}
		lo, up := 0.0, h
		for range 200 {
			mid := (lo + up) / 2
			if mid == lo || mid == up {
				break
			}
			if slopeAt(mid) > 0 {
				lo = mid
			} else {
				up = mid
			}
		}
		vmax := vAt(lo)
		if vmax < theta {
			if theta-vmax < refNearV {
				s.flag("V peaks at %v, just below threshold %v", vmax, theta)
			}
			return 0, false
		}
		hi = lo
	}
	// V(0) < θ ≤ V(hi): bisect.
	lo := 0.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if vAt(mid) >= theta {
			hi = mid
		} else {
			lo = mid
		}
	}
	if sl := slopeAt(hi); sl < refMinSlope {
		s.flag("crossing with slope %v", sl)
	}
	return hi, true
}

// TestReferenceFreeNeuron: with Rest above threshold and no input, u = V − Rest relaxes from
// Reset − Rest towards 0 and reaches Threshold − Rest after τm·ln((Rest − Reset)/(Rest −
// Threshold)); the neuron fires periodically with that interval plus the refractory period.
func TestReferenceFreeNeuron(t *testing.T) {
	lif := neurons.LIF{TauMem: 20, TauSyn: []float64{5, 10}, Threshold: -50, Reset: -60, Rest: -49, Refractory: 5}
	net := &events.Network{Populations: []events.Population{{Name: "n", Size: 1, Neuron: lif, InitialV: []float64{-60}}}}
	res := refSimulate(net, 300, 0.0125, nil)
	isi := 20 * math.Log(11)
	got := res.spikes[0][0]
	require.Len(t, got, int((300-isi)/(isi+5))+1)
	for k, s := range got {
		assert.InDelta(t, isi+float64(k)*(isi+5), s, 1e-9, "spike %d", k)
	}
	assert.Empty(t, res.illConditioned)
}

// TestReferenceTTFSVectors checks the reference against the first-spike test vectors of
// docs/model.md §10 (computed with mpmath at 40 digits): τm = τs = 1, ϑ = 1, E_l = 0,
// inputs as source spikes, each neuron firing at most once (huge refractory period).
func TestReferenceTTFSVectors(t *testing.T) {
	tests := []struct {
		name  string
		times []float64
		w     []float64
		want  float64 // +Inf: no spike
	}{
		{"#1", []float64{0}, []float64{3}, 0.619061286735945},
		{"#2", []float64{0, 0.5}, []float64{2, 1.5}, 0.749460904845552},
		{"#3", []float64{0.1, 0.3, 0.6}, []float64{1.5, -0.5, 2}, 1.14117061613921},
		{"#4", []float64{0, 2}, []float64{4, 1}, 0.357402956181389},
		{"#5", []float64{0, 1}, []float64{1, 1}, math.Inf(1)},
		{"#6", []float64{0, 0.3}, []float64{3, 0.5}, 0.506797706963606},
		{"#7", []float64{0, 0.3}, []float64{3, -2}, math.Inf(1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := ttfsNetwork(tc.times, [][]float64{tc.w})
			res := refSimulate(net, 20, 1.0/1600, nil)
			got := res.spikes[0][0]
			if math.IsInf(tc.want, 1) {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.InDelta(t, tc.want, got[0], 1e-12)
		})
	}
}

// TestReferenceConvergence: the error of docs/model.md §10 vector #1 must shrink like h⁴, the order
// of RK4, down to rounding.
func TestReferenceConvergence(t *testing.T) {
	const want = 0.619061286735945 // docs/model.md §10 #1
	var errs []float64
	for _, h := range []float64{1.0 / 100, 1.0 / 200, 1.0 / 400, 1.0 / 800} {
		res := refSimulate(ttfsNetwork([]float64{0}, [][]float64{{3}}), 20, h, nil)
		require.Len(t, res.spikes[0][0], 1)
		errs = append(errs, math.Abs(res.spikes[0][0][0]-want))
	}
	for k := 1; k < len(errs); k++ {
		ratio := errs[k-1] / errs[k]
		assert.True(t, ratio > 12 && ratio < 20, "error ratio %v for halving h (errors %v), want ≈ 16", ratio, errs)
	}
}

// ttfsNetwork is a layer of first-spike neurons (τm = τs = 1, threshold 1, rest 0, one spike
// at most) driven by one source per input time; w[j][i] is the weight from input i to neuron j.
func ttfsNetwork(times []float64, w [][]float64) *events.Network {
	spikes := make([][]float64, len(times))
	for i, t := range times {
		if !math.IsInf(t, 1) {
			spikes[i] = []float64{t}
		}
	}
	dense := synapses.Dense{NPre: len(times), NPost: len(w), Weight: make([]float64, len(times)*len(w))}
	for j := range w {
		for i := range times {
			dense.Weight[i*len(w)+j] = w[j][i]
		}
	}
	return &events.Network{
		Populations: []events.Population{{Name: "out", Size: len(w), Neuron: ttfsLIF()}},
		Sources:     []events.Source{{Name: "in", Size: len(times), Spikes: spikes}},
		Projections: []events.Projection{{Name: "in->out", From: events.Ref{Source: true}, To: 0, Receptor: 0, Synapses: dense.CSR()}},
	}
}

// ttfsLIF is the first-spike neuron of docs/model.md §1 as a LIF neuron: g_l = 1 makes the weights
// equal, and a refractory period longer than any run makes the first spike the only one.
func ttfsLIF() neurons.LIF {
	return neurons.LIF{TauMem: 1, TauSyn: []float64{1}, Threshold: 1, Reset: 0, Rest: 0, Refractory: 1e9}
}

// TestReferenceCurrentPulse compares the reference with the analytic response to one input
// of weight w at t0 through a synapse with τs ≠ τm: u(s) = w·τs/(τs − τm)·(e^{−s/τs} −
// e^{−s/τm}), whose crossing is found by bisection on this formula.
func TestReferenceCurrentPulse(t *testing.T) {
	const tauM, tauS, w, t0, theta = 10.0, 3.0, 30.0, 2.0, 4.0
	u := func(s float64) float64 { return w * tauS / (tauS - tauM) * (math.Exp(-s/tauS) - math.Exp(-s/tauM)) }
	// u rises to its maximum at s* = ln(τm/τs)·τmτs/(τm − τs); bisect on [0, s*].
	lo, hi := 0.0, math.Log(tauM/tauS)*tauM*tauS/(tauM-tauS)
	require.Greater(t, u(hi), theta)
	for range 200 {
		mid := (lo + hi) / 2
		if u(mid) >= theta {
			hi = mid
		} else {
			lo = mid
		}
	}
	lif := neurons.LIF{TauMem: tauM, TauSyn: []float64{tauS}, Threshold: theta, Reset: 0, Rest: 0, Refractory: 100}
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 1, Neuron: lif}},
		Sources:     []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{t0}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: 0,
			Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{w}}).CSR()}},
	}
	probeT := []float64{1, t0 + 1, t0 + hi + 50}
	res := refSimulate(net, 60, 3.0/400, []refProbe{{0, 0, probeT}})
	require.Len(t, res.spikes[0][0], 1)
	assert.InDelta(t, t0+hi, res.spikes[0][0][0], 1e-10)
	assert.InDelta(t, 0, res.probes[0][0], 1e-15, "before the input")
	assert.InDelta(t, u(1), res.probes[0][1], 1e-11)
	assert.Equal(t, 0.0, res.probes[0][2], "held at Reset")
	assert.Equal(t, int64(1), res.synapticEvents)
	assert.Equal(t, int64(1), res.inputSpikes)
}

// TestReferenceGrazing: a pulse whose peak exceeds threshold by 1e-8 rises above threshold
// and falls back within one step; the reference must still find the crossing, which lies
// sqrt(2·1e-8/|u”(s*)|) ≈ 0.0018 before the peak at s*.
func TestReferenceGrazing(t *testing.T) {
	const tauM, tauS, w, excess = 10.0, 3.0, 1.0, 1e-8
	beta := tauS / (tauS - tauM)
	sStar := math.Log(tauM/tauS) * tauM * tauS / (tauM - tauS) // ≈ 5.160
	peak := w * beta * (math.Exp(-sStar/tauS) - math.Exp(-sStar/tauM))
	curv := w * beta * (math.Exp(-sStar/tauS)/(tauS*tauS) - math.Exp(-sStar/tauM)/(tauM*tauM))
	before := math.Sqrt(2 * excess / -curv)
	lif := neurons.LIF{TauMem: tauM, TauSyn: []float64{tauS}, Threshold: peak - excess, Reset: -1, Rest: 0, Refractory: 100}
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 1, Neuron: lif}},
		Sources:     []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{0}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: 0,
			Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{w}}).CSR()}},
	}
	// With steps of 0.05 from 0, the excursion [s* − 0.0018, s* + 0.0018] lies inside the step
	// [5.15, 5.2]: V is below threshold at both ends of every step.
	require.True(t, sStar-before > 5.15 && sStar+before < 5.2)
	res := refSimulate(net, 30, 0.05, nil)
	require.Len(t, res.spikes[0][0], 1)
	assert.InDelta(t, sStar-before, res.spikes[0][0][0], 1e-5)
}

// TestReferenceJumpsAndRefractoriness: hand-computed voltage jumps with delays, a jump lost
// during the refractory period, and a current that charges during it.
func TestReferenceJumpsAndRefractoriness(t *testing.T) {
	// Neuron 0 (τm = 10, threshold 1) gets jumps of 2 at 1 + 2.5 (fires, refractory until 4.5),
	// 2 at 4 (lost) and 0.6 at 6 (no spike); it then decays: V(8) = 0.6·e^{−0.2}.
	lif := neurons.LIF{TauMem: 10, Threshold: 1, Reset: 0, Rest: 0, Refractory: 1}
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 1, Neuron: lif}},
		Sources:     []events.Source{{Name: "in", Size: 3, Spikes: [][]float64{{1}, {1.5}, {3.5}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: synapses.Jump,
			Synapses: &synapses.CSR{NPre: 3, NPost: 1, RowStart: []int{0, 1, 2, 3}, Post: []int32{0, 0, 0},
				Weight: []float64{2, 2, 0.6}, Delay: []float64{2.5, 2.5, 2.5}}}},
	}
	res := refSimulate(net, 10, 0.025, []refProbe{{0, 0, []float64{4.25, 8}}})
	assert.Equal(t, []float64{3.5}, res.spikes[0][0])
	assert.Equal(t, 0.0, res.probes[0][0])
	assert.InDelta(t, 0.6*math.Exp(-0.2), res.probes[0][1], 1e-13)
	assert.Empty(t, res.illConditioned)

	// A current input at 0.5 during a refractory period that ends at 1 (spec of the engine's
	// TestInputDuringRefractoryPeriod): V(2) = e^{−0.25}·2·(e^{−0.5} − e^{−1}).
	lif = neurons.LIF{TauMem: 1, TauSyn: []float64{2}, Threshold: 100, Reset: 0, Rest: 0, Refractory: 1}
	net = &events.Network{
		Populations: []events.Population{{Name: "n", Size: 1, Neuron: lif, InitialV: []float64{100}}},
		Sources:     []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{0.5}}}},
		Projections: []events.Projection{{From: events.Ref{Source: true}, To: 0, Receptor: 0,
			Synapses: (&synapses.Dense{NPre: 1, NPost: 1, Weight: []float64{1}}).CSR()}},
	}
	res = refSimulate(net, 3, 1.0/400, []refProbe{{0, 0, []float64{0.75, 2}}})
	assert.Equal(t, []float64{0}, res.spikes[0][0])
	assert.Equal(t, 0.0, res.probes[0][0])
	assert.InDelta(t, math.Exp(-0.25)*2*(math.Exp(-0.5)-math.Exp(-1)), res.probes[0][1], 1e-12)
}

// TestReferenceZeroDelayChain: a jump over threshold with no delay fires the target at the
// same instant, and the chain continues through a second zero-delay jump.
func TestReferenceZeroDelayChain(t *testing.T) {
	lif := neurons.LIF{TauMem: 10, Threshold: 1, Reset: 0, Rest: 0, Refractory: 2}
	net := &events.Network{
		Populations: []events.Population{{Name: "n", Size: 3, Neuron: lif}},
		Sources:     []events.Source{{Name: "in", Size: 1, Spikes: [][]float64{{1.5}}}},
		Projections: []events.Projection{
			{From: events.Ref{Source: true}, To: 0, Receptor: synapses.Jump,
				Synapses: &synapses.CSR{NPre: 1, NPost: 3, RowStart: []int{0, 1}, Post: []int32{0}, Weight: []float64{5}}},
			{From: events.Ref{}, To: 0, Receptor: synapses.Jump,
				Synapses: &synapses.CSR{NPre: 3, NPost: 3, RowStart: []int{0, 1, 2, 2}, Post: []int32{1, 2}, Weight: []float64{5, 5}}},
		},
	}
	res := refSimulate(net, 5, 0.025, nil)
	assert.Equal(t, [][]float64{{1.5}, {1.5}, {1.5}}, res.spikes[0])
	assert.Equal(t, int64(3), res.synapticEvents)
}
