package events

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/firstspike/firstspike/queue"
	"github.com/firstspike/firstspike/synapses"
)

// Spike is one recorded spike.
type Spike struct {
	Time       float64
	Population int32
	Neuron     int32
}

// Stats counts what a run did.
type Stats struct {
	Spikes         int64 // spikes emitted by neurons (sources not included)
	InputSpikes    int64 // spikes emitted by sources
	SynapticEvents int64 // synapses delivered
	QueueEvents    int64 // items taken from the queue, predictions that led to no spike included
	ExactSolves    int64 // calls of the exact threshold-crossing solver
}

// Options tune an Engine.
type Options struct {
	// Queue selects the queue implementation: "heap" (the default) or "btree".
	Queue string
	// RecordSpikes keeps every neuron spike for Spikes.
	RecordSpikes bool
	// OnSpike, if set, is called for every neuron spike as it happens, in time order.
	OnSpike func(Spike)
	// Headroom sets how much extra excitatory drive a predicted crossing tolerates before it
	// must be recomputed, in units of the largest excitatory weight into the population. It
	// trades fewer recomputations against earlier, looser predictions; results do not depend
	// on it. 0 means the default, 0.5.
	Headroom float64
}

// Engine simulates a Network event by event. It is not safe for concurrent use.
//
// Each neuron's state is kept in a scaled form in which every coefficient is constant
// between events, so a synaptic event is a few multiply-adds with factors exp(±(t−t0)/τ)
// that are computed once per spike and shared by all its targets. Each neuron has at most
// one pending prediction in the queue: a lower bound on its next threshold crossing that
// stays valid while its excitatory drive stays below a cap, the exact crossing of its free
// membrane, or the end of its refractory period. When a bound is reached the neuron is
// advanced exactly and either given a later bound or, near threshold, the exact crossing
// time of its free membrane, at which it fires unless input arrives first.
type Engine struct {
	net  *Network
	opt  Options
	q    queue.Queue[event]
	now  float64
	t0   float64 // base time of the scaled state
	span float64 // rebase once t − t0 exceeds it

	pops    []*popState
	sources []*sourceState
	out     [][]outProj // outgoing projections per population
	srcOut  [][]outProj // outgoing projections per source
	probes  []*Probe

	spikes []Spike
	stats  Stats
	cur    []float64 // scratch currents for the exact solver
}

type eventKind uint8

const (
	evNeuron  eventKind = iota // a neuron's prediction: crossing bound, exact crossing or refractory end
	evDeliver                  // a spike reaches the synapses of one delay group
	evSource                   // a source emits a spike
	evProbe                    // a probe samples a membrane potential
)

// event is the payload of a queue item.
type event struct {
	tSpike float64 // evDeliver: time of the presynaptic spike
	kind   eventKind
	a      int32 // population, projection, source or probe index
	b      int32 // neuron, presynaptic neuron or sample index
	c      int32 // evDeliver: first synapse of the group
}

type outProj struct {
	index    int // into Network.Projections
	proj     *Projection
	post     *popState
	receptor int // −1 for jumps
	delayed  bool
}

// popState is the simulation state of one population. With u = V − Rest and
// x_τ(t) = exp(−(t−t0)/τ), a free (non-refractory) neuron obeys
//
//	I_k(t) = B_k·x_k(t),
//	u(t) = (A + Σ_{k: τk = τm} B_k·(t−t0)/τm)·x_m(t) + Σ_{k: τk ≠ τm} β_k·B_k·x_k(t),
//
// with β_k = τk/(τk − τm); A and B_k change only at events. Factors are indexed 0 for the
// membrane and 1+k for receptor k.
type popState struct {
	index, size, nRec int

	tauM, theta, uReset, refractory, rest float64

	beta   []float64 // β_k, or 0 for receptors with τk = τm
	equal  []bool    // τk = τm
	rate   []float64 // 1/τ
	ratio  []float64 // τm/τ
	intRat []int     // τm/τ when it is a whole number from 1 to 8, else 0
	refDec []float64 // exp(−Refractory/τ)
	headrm float64   // excitatory drive a prediction tolerates

	a        []float64
	b        []float64 // size × nRec
	refUntil []float64 // end of the refractory period, −Inf when free
	handle   []queue.Handle
	key      []float64 // pending prediction time, +Inf when none
	exact    []bool    // the pending prediction is an exact crossing with no input since
	capG     []float64 // a pending bound holds while the excitatory drive stays ≤ capG
	keyDown  []float64 // size × (nRec+1): the factors x_τ at the pending prediction's time

	// shared factors at time facT (base facT0): up = 1/x_τ, down = x_τ, xm = (t−t0)/τm
	facT, facT0 float64
	up, down    []float64
	xm          float64
	scratch     []float64 // nRec+1 factors
}

type sourceState struct {
	src   *Source
	next  []int        // explicit spikes: index of the next spike per neuron
	times [][]float64  // explicit spikes, sorted
	rng   []*rand.Rand // Poisson: one stream per neuron
	stop  float64
}

// New prepares an engine for net, which must stay unchanged while the engine is used.
func New(net *Network, opt Options) (*Engine, error) {
	if err := net.Validate(); err != nil {
		return nil, err
	}
	if opt.Headroom < 0 || math.IsNaN(opt.Headroom) || math.IsInf(opt.Headroom, 0) {
		return nil, fmt.Errorf("events: headroom %v must be finite and ≥ 0", opt.Headroom)
	}
	if opt.Headroom == 0 {
		opt.Headroom = 0.5
	}
	e := &Engine{net: net, opt: opt}
	switch opt.Queue {
	case "", "heap":
		e.q = queue.NewHeap[event](1024)
	case "btree":
		e.q = queue.NewBTree[event](32)
	default:
		return nil, fmt.Errorf("events: unknown queue %q (want heap or btree)", opt.Queue)
	}

	minTau := math.Inf(1)
	maxRec := 0
	for i := range net.Populations {
		ps := newPopState(i, &net.Populations[i])
		e.pops = append(e.pops, ps)
		for _, r := range ps.rate {
			minTau = min(minTau, 1/r)
		}
		maxRec = max(maxRec, ps.nRec)
	}
	e.cur = make([]float64, maxRec)
	// exp(span/τmin) = e^200 keeps every scaled coefficient far from overflow.
	e.span = 200 * minTau
	if math.IsInf(e.span, 0) {
		e.span = math.MaxFloat64
	}

	e.out = make([][]outProj, len(net.Populations))
	e.srcOut = make([][]outProj, len(net.Sources))
	maxW := make([]float64, len(net.Populations))
	for i := range net.Projections {
		pr := &net.Projections[i]
		op := outProj{index: i, proj: pr, post: e.pops[pr.To], receptor: int(pr.Receptor)}
		if pr.Receptor == synapses.Jump {
			op.receptor = -1
		}
		if pr.Synapses.Delay != nil {
			for _, d := range pr.Synapses.Delay {
				if d != 0 {
					op.delayed = true
					break
				}
			}
			if op.delayed {
				pr.Synapses.SortRowsByDelay()
			}
		}
		if op.receptor >= 0 {
			for _, w := range pr.Synapses.Weight {
				maxW[pr.To] = max(maxW[pr.To], w)
			}
		}
		if pr.From.Source {
			e.srcOut[pr.From.Index] = append(e.srcOut[pr.From.Index], op)
		} else {
			e.out[pr.From.Index] = append(e.out[pr.From.Index], op)
		}
	}
	for i, ps := range e.pops {
		ps.headrm = opt.Headroom * maxW[i]
	}

	for i := range net.Sources {
		e.sources = append(e.sources, newSourceState(&net.Sources[i]))
	}
	e.start()
	return e, nil
}

func newPopState(index int, p *Population) *popState {
	n, r := p.Size, len(p.Neuron.TauSyn)
	ps := &popState{
		index: index, size: n, nRec: r,
		tauM: p.Neuron.TauMem, rest: p.Neuron.Rest,
		theta: p.Neuron.Threshold - p.Neuron.Rest, uReset: p.Neuron.Reset - p.Neuron.Rest,
		refractory: p.Neuron.Refractory,
		beta:       make([]float64, r), equal: make([]bool, r),
		rate: make([]float64, r+1), ratio: make([]float64, r+1), intRat: make([]int, r+1),
		refDec: make([]float64, r+1),
		a:      make([]float64, n), b: make([]float64, n*r),
		refUntil: make([]float64, n), handle: make([]queue.Handle, n),
		key: make([]float64, n), exact: make([]bool, n), capG: make([]float64, n),
		keyDown: make([]float64, n*(r+1)),
		up:      make([]float64, r+1), down: make([]float64, r+1), scratch: make([]float64, r+1),
		facT: math.NaN(),
	}
	ps.rate[0] = 1 / ps.tauM
	for k, tk := range p.Neuron.TauSyn {
		ps.rate[1+k] = 1 / tk
		// Below this relative difference the two-exponential form cancels catastrophically,
		// and the equal-τ form is the better model of the same kernel.
		if math.Abs(tk-ps.tauM) <= 1e-8*ps.tauM {
			ps.equal[k] = true
		} else {
			ps.beta[k] = tk / (tk - ps.tauM)
		}
	}
	for j, rt := range ps.rate {
		ps.ratio[j] = ps.tauM * rt
		if q := math.Round(ps.ratio[j]); q == ps.ratio[j] && q >= 1 && q <= 8 {
			ps.intRat[j] = int(q)
		}
		ps.refDec[j] = math.Exp(-ps.refractory * rt)
	}
	for i := 0; i < n; i++ {
		u := 0.0
		if p.InitialV != nil {
			u = p.InitialV[i] - p.Neuron.Rest
		}
		ps.a[i] = u // t0 = 0 at the start: every factor is 1
		ps.refUntil[i] = math.Inf(-1)
		ps.key[i] = math.Inf(1)
		ps.capG[i] = math.Inf(-1)
	}
	return ps
}

func newSourceState(s *Source) *sourceState {
	ss := &sourceState{src: s, next: make([]int, s.Size)}
	if s.Spikes != nil {
		ss.times = make([][]float64, s.Size)
		for i, ts := range s.Spikes {
			ss.times[i] = slices.Clone(ts)
			slices.Sort(ss.times[i])
		}
		return ss
	}
	ss.stop = s.Stop
	if ss.stop == 0 {
		ss.stop = math.Inf(1)
	}
	ss.rng = make([]*rand.Rand, s.Size)
	for i := range ss.rng {
		ss.rng[i] = rand.New(rand.NewPCG(s.Seed, uint64(i)+0x5851f42d4c957f2d))
	}
	return ss
}

// start queues the first prediction of every neuron and the first spike of every source.
func (e *Engine) start() {
	for _, ps := range e.pops {
		ps.factors(0, e.t0)
		for i := 0; i < ps.size; i++ {
			e.predict(ps, i, 0, ps.down, ps.xm)
		}
	}
	for si, ss := range e.sources {
		for j := 0; j < ss.src.Size; j++ {
			e.scheduleSource(si, ss, j, ss.src.Start)
		}
	}
}

// factors makes ps.up, ps.down and ps.xm hold the factors at time t.
func (ps *popState) factors(t, t0 float64) {
	if t == ps.facT && t0 == ps.facT0 {
		return
	}
	ps.facT, ps.facT0 = t, t0
	dt := t - t0
	for j, r := range ps.rate {
		ps.up[j] = math.Exp(dt * r)
		ps.down[j] = 1 / ps.up[j]
	}
	ps.xm = dt * ps.rate[0]
}

// state returns u and the excitatory drive G = Σ max(I_k, 0) of free neuron i, given the
// factors down and xm of the time.
func (ps *popState) state(i int, down []float64, xm float64) (u, g float64) {
	coef := ps.a[i]
	bs := ps.b[i*ps.nRec : (i+1)*ps.nRec]
	for k, bk := range bs {
		ik := bk * down[1+k]
		g += max(ik, 0)
		if ps.equal[k] {
			coef += bk * xm
		} else {
			u += ps.beta[k] * ik
		}
	}
	return u + coef*down[0], g
}

// bound returns a lower bound on the time at which a membrane at u < θ at time t reaches θ
// while its input drive stays ≤ g, as t + τm·ln(1/r), and r: since τm du/dt ≤ g − u,
// u(t+s) ≤ g + (u − g)e^{−s/τm}. A drive g ≤ θ never gets there: +Inf.
func bound(t, u, g, theta, tauM float64) (tb, r float64) {
	if g <= theta {
		return math.Inf(1), 0
	}
	r = (g - theta) / (g - u)
	return t - tauM*math.Log(r), r
}

// setKey makes t the pending prediction of neuron i, queueing, moving or cancelling it.
// The caller has stored the factors at t in keyDown.
func (e *Engine) setKey(ps *popState, i int, t float64, exact bool, capG float64) {
	ps.exact[i] = exact
	ps.capG[i] = capG
	if t == ps.key[i] {
		return
	}
	ps.key[i] = t
	h := ps.handle[i]
	if math.IsInf(t, 1) {
		if h != (queue.Handle{}) {
			e.q.Cancel(h)
			ps.handle[i] = queue.Handle{}
		}
		return
	}
	if h != (queue.Handle{}) && e.q.Reschedule(h, t) == nil {
		return
	}
	h, err := e.q.Push(t, event{kind: evNeuron, a: int32(ps.index), b: int32(i)})
	if err != nil {
		panic(fmt.Sprintf("events: internal error: prediction at %v for neuron %d of population %d", t, i, ps.index))
	}
	ps.handle[i] = h
}

// keyFactors stores down·r^(τm/τ), the factors at the time t + τm·ln(1/r), for neuron i.
func (ps *popState) keyFactors(i int, down []float64, r float64) {
	kd := ps.keyDown[i*(ps.nRec+1) : (i+1)*(ps.nRec+1)]
	for j, d := range down {
		var p float64
		switch ps.intRat[j] {
		case 1:
			p = r
		case 2:
			p = r * r
		case 4:
			p = r * r
			p *= p
		case 0:
			p = math.Pow(r, ps.ratio[j])
		default:
			p = r
			for n := ps.intRat[j]; n > 1; n-- {
				p *= r
			}
		}
		kd[j] = d * p
	}
}

// predict gives free neuron i, at time t with factors down and xm, a prediction that is a
// valid lower bound on its next crossing.
func (e *Engine) predict(ps *popState, i int, t float64, down []float64, xm float64) {
	u, g := ps.state(i, down, xm)
	if u >= ps.theta {
		copy(ps.keyDown[i*(ps.nRec+1):], down)
		e.setKey(ps, i, t, true, math.Inf(-1))
		return
	}
	capG := g + ps.headrm
	tb, r := bound(t, u, capG, ps.theta, ps.tauM)
	if !(tb > t) {
		tb, r = t, 1
	}
	if !math.IsInf(tb, 1) {
		ps.keyFactors(i, down, r)
	}
	e.setKey(ps, i, tb, false, capG)
}

// Run advances the simulation to tEnd, processing every event at times < tEnd. It may be
// called again with a later tEnd to continue.
func (e *Engine) Run(tEnd float64) error {
	if math.IsNaN(tEnd) {
		return fmt.Errorf("events: run until %v", tEnd)
	}
	if tEnd < e.now {
		return fmt.Errorf("events: run until %v, but the simulation is already at %v", tEnd, e.now)
	}
	for {
		it, ok := e.q.Peek()
		if !ok || !(it.Time < tEnd) {
			break
		}
		e.stats.QueueEvents++
		t := it.Time
		e.now = t
		if t-e.t0 > e.span {
			e.rebase(t)
		}
		ev := it.Value
		if ev.kind == evNeuron {
			// The prediction stays queued: handling it moves or cancels it in place.
			e.neuronEvent(e.pops[ev.a], int(ev.b), t)
			continue
		}
		e.q.Pop()
		switch ev.kind {
		case evDeliver:
			e.deliverGroup(ev, t)
		case evSource:
			e.sourceSpike(int(ev.a), int(ev.b), t)
		case evProbe:
			e.sample(e.probes[ev.a], int(ev.b), t)
		}
	}
	if tEnd > e.now && !math.IsInf(tEnd, 1) {
		e.now = tEnd
	}
	return nil
}

// neuronEvent handles the prediction of neuron i, reached at time t.
func (e *Engine) neuronEvent(ps *popState, i int, t float64) {
	w := ps.nRec + 1
	down := ps.scratch
	copy(down, ps.keyDown[i*w:(i+1)*w])
	xm := (t - e.t0) * ps.rate[0]
	if !math.IsInf(ps.refUntil[i], -1) {
		e.release(ps, i)
		return
	}
	if ps.exact[i] {
		e.fire(ps, i, t, down)
		return
	}
	u, g := ps.state(i, down, xm)
	if u >= ps.theta {
		e.fire(ps, i, t, down)
		return
	}
	capG := g + ps.headrm
	tb, r := bound(t, u, capG, ps.theta, ps.tauM)
	if tb-t > 0.05*ps.tauM {
		ps.keyFactors(i, down, r)
		e.setKey(ps, i, tb, false, capG)
		return
	}
	// Close to threshold: solve for the exact crossing of the free membrane.
	e.stats.ExactSolves++
	cur := e.cur[:ps.nRec]
	for k := range cur {
		cur[k] = ps.b[i*ps.nRec+k] * down[1+k]
	}
	lif := &e.net.Populations[ps.index].Neuron
	s := lif.NextCrossing(ps.rest+u, cur, math.Inf(1))
	switch {
	case s == 0:
		e.fire(ps, i, t, down)
	case math.IsInf(s, 1):
		// The free membrane never gets there; only excitatory input can change that.
		e.setKey(ps, i, math.Inf(1), false, math.Inf(-1))
	default:
		ts := t + s
		if ts == t {
			ts = math.Nextafter(t, math.Inf(1))
		}
		kd := ps.keyDown[i*w : (i+1)*w]
		for j, d := range down {
			kd[j] = d * math.Exp(-(ts-t)*ps.rate[j])
		}
		e.setKey(ps, i, ts, true, math.Inf(-1))
	}
}

// release ends the refractory period of neuron i: V leaves Reset with the currents it has.
// The factors at that time are in keyDown.
func (e *Engine) release(ps *popState, i int) {
	tr := ps.refUntil[i]
	ps.refUntil[i] = math.Inf(-1)
	w := ps.nRec + 1
	down := ps.scratch
	copy(down, ps.keyDown[i*w:(i+1)*w])
	xm := (tr - e.t0) * ps.rate[0]
	ps.resetMembrane(i, down, xm)
	e.predict(ps, i, tr, down, xm)
}

// resetMembrane sets A so that u = uReset at the time of the factors down and xm.
func (ps *popState) resetMembrane(i int, down []float64, xm float64) {
	u, eq := 0.0, 0.0
	bs := ps.b[i*ps.nRec : (i+1)*ps.nRec]
	for k, bk := range bs {
		if ps.equal[k] {
			eq += bk * xm
		} else {
			u += ps.beta[k] * bk * down[1+k]
		}
	}
	ps.a[i] = (ps.uReset-u)/down[0] - eq
}

// fire emits a spike of neuron i at time t, whose factors are down.
func (e *Engine) fire(ps *popState, i int, t float64, down []float64) {
	e.stats.Spikes++
	sp := Spike{Time: t, Population: int32(ps.index), Neuron: int32(i)}
	if e.opt.RecordSpikes {
		e.spikes = append(e.spikes, sp)
	}
	if e.opt.OnSpike != nil {
		e.opt.OnSpike(sp)
	}
	w := ps.nRec + 1
	if ps.refractory > 0 {
		ps.refUntil[i] = t + ps.refractory
		kd := ps.keyDown[i*w : (i+1)*w]
		for j, d := range down {
			kd[j] = d * ps.refDec[j]
		}
		e.setKey(ps, i, ps.refUntil[i], false, math.Inf(1))
	} else {
		xm := (t - e.t0) * ps.rate[0]
		ps.resetMembrane(i, down, xm)
		e.predict(ps, i, t, down, xm)
	}
	e.spread(e.out[ps.index], i, t)
}

// spread sends a spike of presynaptic neuron i at time t through the projections ops.
func (e *Engine) spread(ops []outProj, i int, t float64) {
	for pi := range ops {
		op := &ops[pi]
		if !op.delayed {
			post, w, _ := op.proj.Synapses.Row(i)
			e.deliver(op, post, w, t)
			continue
		}
		e.deliverFrom(op, i, t, op.proj.Synapses.RowStart[i], t)
	}
}

// deliverFrom delivers the synapses of row i, from synapse k on, whose delay puts them at
// time now, and queues the next delay group.
func (e *Engine) deliverFrom(op *outProj, i int, tSpike float64, k int, now float64) {
	c := op.proj.Synapses
	end := c.RowStart[i+1]
	for k < end {
		d := c.Delay[k]
		at := tSpike + d
		if at > now {
			if _, err := e.q.Push(at, event{tSpike: tSpike, kind: evDeliver, a: int32(op.index), b: int32(i), c: int32(k)}); err != nil {
				panic(fmt.Sprintf("events: internal error: delivery at %v", at))
			}
			return
		}
		j := k
		for j < end && c.Delay[j] == d {
			j++
		}
		e.deliver(op, c.Post[k:j], c.Weight[k:j], at)
		k = j
	}
}

// deliverGroup handles a queued delivery.
func (e *Engine) deliverGroup(ev event, t float64) {
	pr := &e.net.Projections[ev.a]
	ops := e.out[pr.From.Index]
	if pr.From.Source {
		ops = e.srcOut[pr.From.Index]
	}
	for k := range ops {
		if ops[k].index == int(ev.a) {
			e.deliverFrom(&ops[k], int(ev.b), ev.tSpike, int(ev.c), t)
			return
		}
	}
}

// deliver applies synapses (targets post, weights w) of one projection at time t.
func (e *Engine) deliver(op *outProj, post []int32, w []float64, t float64) {
	e.stats.SynapticEvents += int64(len(post))
	ps := op.post
	ps.factors(t, e.t0)
	if op.receptor < 0 {
		e.deliverJumps(ps, post, w, t)
		return
	}
	k := op.receptor
	upK, upM := ps.up[1+k], ps.up[0]
	coefA := ps.beta[k] * upM
	if ps.equal[k] {
		coefA = ps.xm * upM
	}
	nRec := ps.nRec
	for s, j32 := range post {
		j := int(j32)
		wk := w[s]
		if ps.refUntil[j] > t {
			ps.b[j*nRec+k] += wk * upK
			continue // held at Reset: only the current charges
		}
		if !math.IsInf(ps.refUntil[j], -1) {
			e.release(ps, j) // its refractory period ended at or before t
		}
		ps.b[j*nRec+k] += wk * upK
		ps.a[j] -= wk * coefA
		if wk <= 0 {
			ps.exact[j] = false
			continue
		}
		e.excited(ps, j, t)
	}
}

// excited re-checks the prediction of free neuron j after excitatory input at time t.
func (e *Engine) excited(ps *popState, j int, t float64) {
	u, g := ps.state(j, ps.down, ps.xm)
	if g <= ps.capG[j] {
		return // the pending prediction is still a lower bound
	}
	if u >= ps.theta {
		copy(ps.keyDown[j*(ps.nRec+1):], ps.down)
		e.setKey(ps, j, t, true, math.Inf(-1))
		return
	}
	capG := g + ps.headrm
	tb, r := bound(t, u, capG, ps.theta, ps.tauM)
	if !(tb > t) {
		tb, r = t, 1
	}
	if tb < ps.key[j] {
		ps.keyFactors(j, ps.down, r)
		e.setKey(ps, j, tb, false, capG)
		return
	}
	// The earlier pending prediction stays a valid lower bound.
	ps.exact[j] = false
	ps.capG[j] = capG
}

// deliverJumps applies voltage jumps to population ps at time t. Jumps during the
// refractory period are lost: V is held at Reset.
func (e *Engine) deliverJumps(ps *popState, post []int32, w []float64, t float64) {
	upM := ps.up[0]
	for s, j32 := range post {
		j := int(j32)
		if ps.refUntil[j] > t {
			continue
		}
		if !math.IsInf(ps.refUntil[j], -1) {
			e.release(ps, j)
		}
		ps.a[j] += w[s] * upM
		if w[s] <= 0 {
			ps.exact[j] = false
			continue
		}
		u, g := ps.state(j, ps.down, ps.xm)
		if u >= ps.theta {
			copy(ps.keyDown[j*(ps.nRec+1):], ps.down)
			e.setKey(ps, j, t, true, math.Inf(-1))
			continue
		}
		// A jump moves u itself, so the old bound no longer holds.
		capG := max(g+ps.headrm, ps.capG[j])
		tb, r := bound(t, u, capG, ps.theta, ps.tauM)
		if !(tb > t) {
			tb, r = t, 1
		}
		if tb < ps.key[j] {
			ps.keyFactors(j, ps.down, r)
			e.setKey(ps, j, tb, false, capG)
			continue
		}
		ps.exact[j] = false
		ps.capG[j] = capG
	}
}

// sourceSpike emits the spike of source neuron j of source si at time t and queues its next.
func (e *Engine) sourceSpike(si, j int, t float64) {
	e.stats.InputSpikes++
	e.spread(e.srcOut[si], j, t)
	e.scheduleSource(si, e.sources[si], j, t)
}

// scheduleSource queues the next spike after t of source neuron j.
func (e *Engine) scheduleSource(si int, ss *sourceState, j int, t float64) {
	var next float64
	if ss.times != nil {
		ts := ss.times[j]
		if ss.next[j] >= len(ts) {
			return
		}
		next = ts[ss.next[j]]
		ss.next[j]++
	} else {
		if ss.src.Rate <= 0 {
			return
		}
		next = t + ss.rng[j].ExpFloat64()/ss.src.Rate
		if next >= ss.stop {
			return
		}
	}
	if _, err := e.q.Push(next, event{kind: evSource, a: int32(si), b: int32(j)}); err != nil {
		panic(fmt.Sprintf("events: internal error: source spike at %v", next))
	}
}

// rebase moves the base time of the scaled state to t.
func (e *Engine) rebase(t float64) {
	d := t - e.t0
	for _, ps := range e.pops {
		decayM := math.Exp(-d * ps.rate[0])
		shift := d * ps.rate[0]
		for i := 0; i < ps.size; i++ {
			a := ps.a[i]
			for k := 0; k < ps.nRec; k++ {
				if ps.equal[k] {
					a += ps.b[i*ps.nRec+k] * shift
				}
			}
			ps.a[i] = a * decayM
		}
		w := ps.nRec + 1
		for j, rt := range ps.rate {
			grow := math.Exp(d * rt)
			if j > 0 {
				decay := 1 / grow
				for i := 0; i < ps.size; i++ {
					ps.b[i*ps.nRec+j-1] *= decay
				}
			}
			for i := 0; i < ps.size; i++ {
				ps.keyDown[i*w+j] *= grow
			}
		}
		ps.facT = math.NaN()
	}
	e.t0 = t
}

// Probe records one neuron's membrane potential at requested times.
type Probe struct {
	Population, Neuron int
	Times              []float64 // ascending
	V                  []float64 // filled as the run passes each time
}

// AddProbe asks for the membrane potential of a neuron at the given times (any order; they
// are sorted), computed exactly from the state after every event at earlier times. Events
// at exactly a probe time are in queue order, so where V jumps (a spike's reset, a voltage
// jump) the value at that instant may be either side of the jump. Probe times must not be
// before Now.
func (e *Engine) AddProbe(population, neuron int, times []float64) (*Probe, error) {
	if population < 0 || population >= len(e.pops) {
		return nil, fmt.Errorf("events: probe: no population %d", population)
	}
	if neuron < 0 || neuron >= e.pops[population].size {
		return nil, fmt.Errorf("events: probe: population %d has no neuron %d", population, neuron)
	}
	p := &Probe{Population: population, Neuron: neuron, Times: slices.Clone(times)}
	slices.Sort(p.Times)
	for _, t := range p.Times {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < e.now {
			return nil, fmt.Errorf("events: probe time %v is not a finite time ≥ %v", t, e.now)
		}
	}
	p.V = make([]float64, len(p.Times))
	for k := range p.V {
		p.V[k] = math.NaN()
	}
	e.probes = append(e.probes, p)
	for k, t := range p.Times {
		if _, err := e.q.Push(t, event{kind: evProbe, a: int32(len(e.probes) - 1), b: int32(k)}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (e *Engine) sample(p *Probe, k int, t float64) {
	ps := e.pops[p.Population]
	i := p.Neuron
	if ps.refUntil[i] > t {
		p.V[k] = ps.rest + ps.uReset
		return
	}
	if !math.IsInf(ps.refUntil[i], -1) {
		e.release(ps, i)
	}
	ps.factors(t, e.t0)
	u, _ := ps.state(i, ps.down, ps.xm)
	p.V[k] = ps.rest + u
}

// Spikes returns the recorded spikes in time order (Options.RecordSpikes).
func (e *Engine) Spikes() []Spike { return e.spikes }

// Stats returns the counts so far.
func (e *Engine) Stats() Stats { return e.stats }

// Now returns the time the simulation has reached.
func (e *Engine) Now() float64 { return e.now }
