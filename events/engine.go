package events

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/firstspike/firstspike/neurons"
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
	QueueEvents    int64 // items taken from the event queue
	Checks         int64 // lower-bound checkpoints reached and re-evaluated
	ExactSolves    int64 // calls of the exact threshold-crossing solver
}

// Engine simulates a Network event by event. It is not safe for concurrent use.
//
// Each neuron's state is kept in a scaled form in which every coefficient is constant
// between events, so a synaptic event is a few multiply-adds with factors exp(±(t−t0)/τ)
// computed once per spike and shared by all its targets.
//
// Every neuron has at most one pending prediction. Most are lower bounds on the next
// threshold crossing that stay valid while the neuron's excitatory drive stays below a cap;
// since a lower bound may be rounded down, they wait in a calendar of slots, and a neuron is
// re-evaluated exactly when its slot begins. A neuron whose bound falls within the current
// slot gets the exact crossing time of its free membrane from the solver instead; exact
// crossings, ends of refractory periods, delayed deliveries, input spikes and probes are
// ordered by an event queue in (time, sequence) order.
type Engine struct {
	opt  Options
	q    queue.Queue[event]
	now  float64
	t0   float64 // base time of the scaled state
	span float64 // rebase once t − t0 exceeds it

	cal calendar

	pops    []*popState
	sources []*sourceState
	out     [][]outProj // outgoing projections per population
	srcOut  [][]outProj // outgoing projections per source
	proj    []*outProj  // per projection of the network, into out or srcOut
	probes  []*Probe

	spikes []Spike
	stats  Stats
	cur    []float64 // scratch currents for the exact solver
	halt   error     // set when MaxSpikes is exceeded
}

type eventKind uint8

const (
	evNeuron  eventKind = iota // a neuron's exact crossing, lower bound or refractory end
	evDeliver                  // a spike reaches the synapses of one delay group
	evSource                   // a source emits a spike
	evProbe                    // a probe samples a membrane potential
)

// event is the payload of an event-queue item.
type event struct {
	tSpike float64 // evDeliver: time of the presynaptic spike
	kind   eventKind
	a      int32 // population, projection, source or probe index
	b      int32 // neuron, presynaptic neuron or sample index
	c      int32 // evDeliver: first synapse of the group
}

type outProj struct {
	index    int // into Network.Projections
	post     *popState
	receptor int // −1 for jumps
	delayed  bool

	// With one weight for all synapses, deliveries need not read the weights.
	uniform bool
	weight  float64

	// The engine's copy of the synapses: those of presynaptic neuron i are the entries k in
	// [rowStart[i], rowStart[i+1]), sorted by delay. A uniform projection keeps only as many
	// weights as its longest row has synapses, and every row reads them from the first.
	rowStart []int
	targets  []int32
	weights  []float64
	delays   []float64 // nil if every delay is 0
}

// row returns the targets and weights of synapses [lo, hi) of one row.
func (op *outProj) row(lo, hi int) ([]int32, []float64) {
	if op.uniform {
		return op.targets[lo:hi], op.weights[:hi-lo]
	}
	return op.targets[lo:hi], op.weights[lo:hi]
}

// copySynapses makes op's synapses a copy of c, with every row sorted by delay
// (synapses.CSR.SortRowsByDelay, on the copy).
func (op *outProj) copySynapses(c *synapses.CSR) {
	own := synapses.CSR{NPre: c.NPre, NPost: c.NPost, RowStart: slices.Clone(c.RowStart), Post: slices.Clone(c.Post)}
	delayed := slices.ContainsFunc(c.Delay, func(d float64) bool { return d != 0 })
	if !op.uniform || delayed {
		// The sort moves the weights along; a uniform projection drops them afterwards.
		own.Weight = slices.Clone(c.Weight)
	}
	if delayed {
		own.Delay = slices.Clone(c.Delay)
		own.SortRowsByDelay()
	}
	op.rowStart, op.targets, op.weights, op.delays = own.RowStart, own.Post, own.Weight, own.Delay
	op.delayed = delayed
	if op.uniform {
		longest := 0
		for i := range c.NPre {
			longest = max(longest, c.RowStart[i+1]-c.RowStart[i])
		}
		op.weights = make([]float64, longest)
		for k := range op.weights {
			op.weights[k] = op.weight
		}
	}
}

// Where a neuron's pending prediction is.
const (
	keyNone  uint8 = iota // none: only excitatory input can make it cross
	keySlot               // a lower bound in calendar slot slot[i]
	keyQueue              // an item of the event queue (handle[i], time key[i])
)

// noSlot is the slot of a neuron whose prediction is not in the calendar.
const noSlot = -1

// calendar holds lower-bound checkpoints in slots of width delta: slot k begins at k·delta.
// Every slot before next has been handled. Entries are (population, neuron) pairs; an entry
// is live only if the neuron's prediction is still that slot.
type calendar struct {
	delta float64
	next  int64
	ring  [][]slotEntry // slot k lives in ring[k mod len(ring)]
	count int           // entries in the ring, stale ones included
	spare []slotEntry   // storage for the slot being checked, which may receive new entries
}

type slotEntry struct{ pop, neuron int32 }

const calendarSlots = 1024

func (c *calendar) start(k int64) float64 { return float64(k) * c.delta }

// slotOf returns the slot whose start is the latest one ≤ t.
func (c *calendar) slotOf(t float64) int64 {
	k := int64(math.Floor(t / c.delta))
	if c.start(k) > t {
		k--
	}
	return k
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

	lif neurons.LIF // a copy, for the exact solver

	tauM, theta, uReset, refractory, rest float64

	beta    []float64 // β_k, or 0 for receptors with τk = τm
	equal   []bool    // τk = τm
	excRec  []int     // receptors that receive positive weights
	inhHalf []int     // receptors that receive only negative weights and have τk = τm/2
	rate    []float64 // 1/τ
	refDec  []float64 // exp(−Refractory/τ)
	headrm  float64   // excitatory drive a bound tolerates
	jumpRm  float64   // sum of positive voltage jumps a bound tolerates

	// st holds each neuron's hot state in one record of stride floats, a whole number of
	// cache lines, with the fields at the offsets fA…, read and written through the methods
	// named after them.
	st      []float64
	stride  int
	kind    []uint8 // keyNone, keySlot or keyQueue
	slot    []int64 // keySlot: the calendar slot, else noSlot
	handle  []queue.Handle
	key     []float64 // keyQueue: the item's time
	keyDown []float64 // keyQueue: size × (nRec+1) factors x_τ at the item's time

	// shared factors at time facT (base facT0): up = 1/x_τ, down = x_τ, xm = (t−t0)/τm
	facT, facT0 float64
	up, down    []float64
	xm          float64
	scratch     []float64 // nRec+1 factors
}

// Offsets in a neuron's record (popState.st).
const (
	fA     = iota // A
	fRef          // end of the refractory period, −Inf when free
	fCap          // a lower bound holds while the excitatory drive stays ≤ this cap
	fJump         // room for positive voltage jumps left to the prediction
	fExact        // 1: the queued prediction is an exact crossing with no input since
	fB            // B_0, B_1, …
)

// The fields of neuron i's record. Each reads or writes one element of st, as an index
// expression at the call site would: no view of the record is built, which would cost
// bounds checks where a field is used once.

func (ps *popState) a(i int) float64          { return ps.st[i*ps.stride+fA] }
func (ps *popState) setA(i int, a float64)    { ps.st[i*ps.stride+fA] = a }
func (ps *popState) ref(i int) float64        { return ps.st[i*ps.stride+fRef] }
func (ps *popState) setRef(i int, t float64)  { ps.st[i*ps.stride+fRef] = t }
func (ps *popState) room(i int) float64       { return ps.st[i*ps.stride+fJump] }
func (ps *popState) setRoom(i int, r float64) { ps.st[i*ps.stride+fJump] = r }
func (ps *popState) exact(i int) bool         { return ps.st[i*ps.stride+fExact] != 0 }

func (ps *popState) setExact(i int, exact bool) {
	x := 0.0
	if exact {
		x = 1
	}
	ps.st[i*ps.stride+fExact] = x
}

// b returns B_0, B_1, … of neuron i; bk returns B_k alone, without building the slice.
func (ps *popState) b(i int) []float64 {
	o := i*ps.stride + fB
	return ps.st[o : o+ps.nRec]
}

func (ps *popState) bk(i, k int) float64 { return ps.st[i*ps.stride+fB+k] }

type sourceState struct {
	size  int
	next  []int        // explicit spikes: index of the next spike per neuron
	times [][]float64  // explicit spikes, sorted
	rng   []*rand.Rand // Poisson: one stream per neuron
	rate  float64
	start float64
	stop  float64
}

// New prepares an engine for net. It neither modifies net nor keeps a reference into it, so
// the caller may change or reuse net once New returns: the engine copies what it needs.
// Only the copy of the synapses, which the engine sorts by delay, is large: per synapse 4
// bytes for its target, 8 for its weight unless the projection has one weight for all, 8
// for its delay unless every delay of the projection is 0, and 8 bytes per presynaptic
// neuron of each projection; at most as much as net's own synapses take. The other copies
// are small: neuron parameters, and explicit input spike times at 8 bytes each.
func New(net *Network, opt Options) (*Engine, error) {
	if err := net.Validate(); err != nil {
		return nil, err
	}
	for _, o := range []struct {
		name string
		v    *float64
		def  float64
	}{{"headroom", &opt.Headroom, 2}, {"slot", &opt.Slot, 1.0 / 64}} {
		if *o.v < 0 || math.IsNaN(*o.v) || math.IsInf(*o.v, 0) {
			return nil, fmt.Errorf("events: %s %v must be finite and ≥ 0", o.name, *o.v)
		}
		if *o.v == 0 {
			*o.v = o.def
		}
	}
	e := &Engine{opt: opt}
	switch opt.Queue {
	case HeapQueue:
		e.q = queue.NewHeap[event](1024)
	case BTreeQueue:
		e.q = queue.NewBTree[event](32)
	default:
		return nil, fmt.Errorf("events: unknown queue %v (want heap or btree)", opt.Queue)
	}

	minTau, minTauM := math.Inf(1), math.Inf(1)
	maxRec := 0
	for i := range net.Populations {
		ps := newPopState(i, &net.Populations[i])
		e.pops = append(e.pops, ps)
		for _, r := range ps.rate {
			minTau = min(minTau, 1/r)
		}
		minTauM = min(minTauM, ps.tauM)
		maxRec = max(maxRec, ps.nRec)
	}
	e.cur = make([]float64, maxRec)
	// exp(span/τmin) = e^200 keeps every scaled coefficient far from overflow.
	e.span = 200 * minTau
	if math.IsInf(e.span, 0) {
		e.span = math.MaxFloat64
	}
	e.cal.delta = opt.Slot * minTauM
	if math.IsInf(e.cal.delta, 0) {
		e.cal.delta = 1
	}
	e.cal.ring = make([][]slotEntry, calendarSlots)

	e.out = make([][]outProj, len(net.Populations))
	e.srcOut = make([][]outProj, len(net.Sources))
	maxW := make([]float64, len(net.Populations))
	maxJump := make([]float64, len(net.Populations))
	for i := range net.Projections {
		pr := &net.Projections[i]
		op := outProj{index: i, post: e.pops[pr.To], receptor: int(pr.Receptor)}
		if pr.Receptor == synapses.Jump {
			op.receptor = -1
		}
		if ws := pr.Synapses.Weight; len(ws) > 0 {
			op.uniform, op.weight = true, ws[0]
			for _, w := range ws {
				if w != ws[0] {
					op.uniform = false
					break
				}
			}
		}
		if op.receptor < 0 {
			for _, w := range pr.Synapses.Weight {
				maxJump[pr.To] = max(maxJump[pr.To], w)
			}
		}
		if op.receptor >= 0 {
			for _, w := range pr.Synapses.Weight {
				if w > 0 && !slices.Contains(op.post.excRec, op.receptor) {
					op.post.excRec = append(op.post.excRec, op.receptor)
				}
				maxW[pr.To] = max(maxW[pr.To], w)
			}
		}
		op.copySynapses(pr.Synapses)
		if pr.From.Source {
			e.srcOut[pr.From.Index] = append(e.srcOut[pr.From.Index], op)
		} else {
			e.out[pr.From.Index] = append(e.out[pr.From.Index], op)
		}
	}
	e.proj = make([]*outProj, len(net.Projections))
	for _, out := range [][][]outProj{e.out, e.srcOut} {
		for _, ops := range out {
			for k := range ops {
				e.proj[ops[k].index] = &ops[k]
			}
		}
	}
	for i, ps := range e.pops {
		ps.headrm = opt.Headroom * maxW[i]
		ps.jumpRm = opt.Headroom * maxJump[i]
		slices.Sort(ps.excRec)
		for k := 0; k < ps.nRec; k++ {
			if !slices.Contains(ps.excRec, k) && 2*ps.rate[0] == ps.rate[1+k] {
				ps.inhHalf = append(ps.inhHalf, k)
			}
		}
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
		lif:  p.Neuron,
		tauM: p.Neuron.TauMem, rest: p.Neuron.Rest,
		theta: p.Neuron.Threshold - p.Neuron.Rest, uReset: p.Neuron.Reset - p.Neuron.Rest,
		refractory: p.Neuron.Refractory,
		beta:       make([]float64, r), equal: make([]bool, r),
		rate: make([]float64, r+1), refDec: make([]float64, r+1),
		// One record per neuron, padded to whole cache lines of 8 floats.
		st: make([]float64, n*((fB+r+7)/8*8)), stride: (fB + r + 7) / 8 * 8,
		kind: make([]uint8, n), slot: make([]int64, n),
		handle: make([]queue.Handle, n), key: make([]float64, n),
		keyDown: make([]float64, n*(r+1)),
		up:      make([]float64, r+1), down: make([]float64, r+1), scratch: make([]float64, r+1),
		facT: math.NaN(),
	}
	ps.lif.TauSyn = slices.Clone(p.Neuron.TauSyn)
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
		ps.refDec[j] = math.Exp(-ps.refractory * rt)
	}
	for i := 0; i < n; i++ {
		u := 0.0
		if p.InitialV != nil {
			u = p.InitialV[i] - p.Neuron.Rest
		}
		ps.setA(i, u) // t0 = 0 at the start: every factor is 1
		ps.setRef(i, math.Inf(-1))
		ps.setCap(i, math.Inf(-1), 0)
		ps.slot[i] = noSlot
	}
	return ps
}

func newSourceState(s *Source) *sourceState {
	ss := &sourceState{size: s.Size, next: make([]int, s.Size), rate: s.Rate, start: s.Start}
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

// start gives every neuron its first prediction and queues the first spike of every source.
func (e *Engine) start() {
	for _, ps := range e.pops {
		ps.factors(0, e.t0)
		for i := 0; i < ps.size; i++ {
			e.evaluate(ps, i, 0, ps.down, ps.xm)
		}
	}
	for si, ss := range e.sources {
		for j := 0; j < ss.size; j++ {
			e.scheduleSource(si, ss, j, ss.start)
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

// drive returns the excitatory drive G = Σ max(I_k, 0) of neuron i given the factors down.
// Only receptors that receive positive weights can hold positive currents.
func (ps *popState) drive(i int, down []float64) (g float64) {
	bs := ps.b(i)
	for _, k := range ps.excRec {
		g += max(bs[k]*down[1+k], 0)
	}
	return g
}

// setCap lets the prediction of neuron i hold while its excitatory drive stays ≤ capG and
// the positive voltage jumps it receives add up to at most room.
func (ps *popState) setCap(i int, capG, room float64) {
	o := i * ps.stride
	ps.st[o+fCap], ps.st[o+fJump] = capG, room
}

// potential returns u of free neuron i given the factors down and xm.
func (ps *popState) potential(i int, down []float64, xm float64) (u float64) {
	coef := ps.a(i)
	for k, bk := range ps.b(i) {
		if ps.equal[k] {
			coef += bk * xm
		} else {
			u += ps.beta[k] * bk * down[1+k]
		}
	}
	return u + coef*down[0]
}

// bound returns a lower bound on the time at which free neuron i, at u < θ at time t with
// factors down, reaches θ while its excitatory drive stays ≤ g and the positive voltage jumps
// it receives add up to at most J = jumpRm. Since τm du/dt ≤ g − u + I⁻, where I⁻ ≤ 0 is the
// free decay of the currents of inhibitory receptors (later inhibition only lowers u), and a
// jump decays from its size, u(t+s) ≤ g + J + (u − g)e^{−s/τm} + v⁻(s), v⁻ the membrane
// response to I⁻. v⁻ ≤ 0 may be dropped; for receptors with τm = 2τk it is kept exactly, which
// makes the bound the root of a quadratic in q = e^{−s/τm}. +Inf if it never gets there; t if
// it may cross at once.
func (ps *popState) bound(i int, t, u, g float64, down []float64) float64 {
	j := ps.jumpRm
	d := g + j - ps.theta // U(0) − θ
	if d <= 0 {
		return math.Inf(1)
	}
	if u+j >= ps.theta {
		return t
	}
	// c·(q² − q) is v⁻: β_k = −1 for τk = τm/2.
	c := 0.0
	for _, k := range ps.inhHalf {
		c -= ps.bk(i, k) * down[1+k]
	}
	if c <= 0 {
		return t + ps.tauM*logLower((g-u)/d)
	}
	// U(q) = c·q² + (u − g − c)·q + g + J falls from g + J > θ at q = 0 to u + J < θ at
	// q = 1: its root in (0, 1) is the smaller one.
	p := g + c - u
	q := 2 * d / (p + math.Sqrt(p*p-4*c*d))
	return t + ps.tauM*logLower(1/q)
}

// logLower returns a lower bound on ln x for x ≥ 1, within 0.002 of it, without math.Log:
// with x = m·2^e and m in [1, 2), ln m = 2·atanh(z) = 2(z + z³/3 + z⁵/5 + …) for
// z = (m−1)/(m+1), and the truncated series is below it. The margin covers rounding.
// +Inf gives a finite bound far beyond any simulation.
func logLower(x float64) float64 {
	if !(x <= math.MaxFloat64) {
		return 710
	}
	bits := math.Float64bits(x)
	e := float64(int(bits>>52&0x7ff) - 1023)
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52)
	z := (m - 1) / (m + 1)
	l := e*math.Ln2 + 2*z*(1+z*z*(1.0/3))
	return l - 1e-15*(l+1)
}

// evaluate gives free neuron i, at time t with factors down and xm, a valid prediction from
// scratch: a lower bound in a calendar slot, or, if the bound falls before the next slot,
// the exact crossing of its free membrane.
func (e *Engine) evaluate(ps *popState, i int, t float64, down []float64, xm float64) {
	u := ps.potential(i, down, xm)
	if u >= ps.theta {
		e.queueKey(ps, i, t, down, true)
		return
	}
	capG := ps.drive(i, down) + ps.headrm
	e.place(ps, i, t, u, down, ps.bound(i, t, u, capG, down), capG)
}

// place makes tb, a lower bound on the crossing of neuron i (valid while its drive stays
// ≤ capG), its prediction: in the calendar if its slot is still to come, else as the exact
// crossing from the solver.
func (e *Engine) place(ps *popState, i int, t, u float64, down []float64, tb, capG float64) {
	if math.IsInf(tb, 1) {
		e.clearKey(ps, i)
		ps.setCap(i, capG, ps.jumpRm)
		return
	}
	// The margin covers the rounding of tb, so the slot's start stays below the true bound.
	if k := e.cal.slotOf(tb - 4e-16*math.Abs(tb)); k >= e.cal.next {
		e.slotKey(ps, i, k)
		ps.setCap(i, capG, ps.jumpRm)
		return
	}
	e.solve(ps, i, t, u, down)
}

// solve gives free neuron i, at time t with factors down and potential u < θ, the exact
// crossing of its free membrane as its prediction.
func (e *Engine) solve(ps *popState, i int, t, u float64, down []float64) {
	e.stats.ExactSolves++
	cur := e.cur[:ps.nRec]
	for k := range cur {
		cur[k] = ps.bk(i, k) * down[1+k]
	}
	s := ps.lif.NextCrossing(ps.rest+u, cur, math.Inf(1))
	switch {
	case math.IsInf(s, 1):
		// The free membrane never gets there; only excitatory input can change that.
		e.clearKey(ps, i)
		ps.setCap(i, math.Inf(-1), 0)
		return
	case s == 0:
		e.queueKey(ps, i, t, down, true)
		return
	}
	ts := t + s
	if ts == t {
		ts = math.Nextafter(t, math.Inf(1))
	}
	kd := ps.scratch
	for j, d := range down {
		kd[j] = d * math.Exp(-(ts-t)*ps.rate[j])
	}
	e.queueKey(ps, i, ts, kd, true)
}

// clearKey removes the prediction of neuron i.
func (e *Engine) clearKey(ps *popState, i int) {
	switch ps.kind[i] {
	case keyQueue:
		e.q.Cancel(ps.handle[i])
	case keySlot:
		ps.slot[i] = noSlot // its calendar entry is stale
	}
	ps.kind[i] = keyNone
}

// slotKey makes calendar slot k the prediction of neuron i.
func (e *Engine) slotKey(ps *popState, i int, k int64) {
	if ps.kind[i] == keySlot && ps.slot[i] == k {
		return
	}
	e.clearKey(ps, i)
	if max := e.cal.next + calendarSlots - 1; k > max {
		k = max // an earlier check is still a lower bound
	}
	ps.kind[i], ps.slot[i] = keySlot, k
	r := &e.cal.ring[k%calendarSlots]
	*r = append(*r, slotEntry{int32(ps.index), int32(i)})
	e.cal.count++
}

// queueKey makes the event-queue item at time t, whose factors are down, the prediction of
// neuron i: an exact crossing if exact, else a lower bound or the end of the refractory
// period.
func (e *Engine) queueKey(ps *popState, i int, t float64, down []float64, exact bool) {
	copy(ps.keyDown[i*(ps.nRec+1):], down)
	ps.setExact(i, exact)
	if exact {
		ps.setCap(i, math.Inf(-1), 0) // any excitatory input moves an exact crossing earlier
	}
	if ps.kind[i] == keyQueue {
		if ps.key[i] == t || e.q.Reschedule(ps.handle[i], t) == nil {
			ps.key[i] = t
			return
		}
	}
	e.clearKey(ps, i)
	h, err := e.q.Push(t, event{kind: evNeuron, a: int32(ps.index), b: int32(i)})
	if err != nil {
		panic(fmt.Sprintf("events: internal error: prediction at %v for neuron %d of population %d", t, i, ps.index))
	}
	ps.kind[i], ps.handle[i], ps.key[i] = keyQueue, h, t
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
	for e.halt == nil {
		tq := math.Inf(1)
		it, ok := e.q.Peek()
		if ok {
			tq = it.Time
		}
		if e.cal.count == 0 {
			if math.IsInf(tq, 1) {
				break // nothing will ever happen again
			}
			// Skip the empty slots up to the next event.
			if k := e.cal.slotOf(min(tq, tEnd)); k > e.cal.next {
				e.cal.next = k
			}
		}
		if ts := e.cal.start(e.cal.next); ts <= tq {
			if !(ts < tEnd) {
				break
			}
			e.advance(ts)
			e.checkSlot()
			continue
		}
		if !(tq < tEnd) {
			break
		}
		e.advance(tq)
		e.stats.QueueEvents++
		ev := it.Value
		if ev.kind == evNeuron {
			// The prediction stays queued: handling it moves or cancels it in place.
			e.neuronEvent(e.pops[ev.a], int(ev.b), tq)
			continue
		}
		e.q.Pop()
		switch ev.kind {
		case evDeliver:
			e.deliverGroup(ev, tq)
		case evSource:
			e.sourceSpike(int(ev.a), int(ev.b), tq)
		case evProbe:
			e.sample(e.probes[ev.a], int(ev.b), tq)
		}
	}
	if e.halt != nil {
		return e.halt
	}
	if tEnd > e.now && !math.IsInf(tEnd, 1) {
		e.now = tEnd
	}
	return nil
}

// advance moves the clock to t, rebasing the scaled state when it gets old.
func (e *Engine) advance(t float64) {
	e.now = t
	if t-e.t0 > e.span {
		e.rebase(t)
	}
}

// checkSlot re-evaluates the neurons whose lower bounds lie in the slot beginning now.
func (e *Engine) checkSlot() {
	k := e.cal.next
	e.cal.next++ // from now on, bounds before the next slot are solved exactly
	t := e.now
	r := &e.cal.ring[k%calendarSlots]
	entries := *r
	// Bounds clamped to the horizon land in this same ring slot: they go to other storage.
	*r, e.cal.spare = e.cal.spare[:0], nil
	e.cal.count -= len(entries)
	for _, en := range entries {
		ps := e.pops[en.pop]
		i := int(en.neuron)
		if ps.slot[i] != k {
			continue // moved since
		}
		e.stats.Checks++
		ps.kind[i], ps.slot[i] = keyNone, noSlot
		ps.factors(t, e.t0)
		e.evaluate(ps, i, t, ps.down, ps.xm)
	}
	e.cal.spare = entries[:0]
}

// neuronEvent handles the event-queue prediction of neuron i, reached at time t.
func (e *Engine) neuronEvent(ps *popState, i int, t float64) {
	w := ps.nRec + 1
	down := ps.scratch
	copy(down, ps.keyDown[i*w:(i+1)*w])
	switch {
	case !math.IsInf(ps.ref(i), -1):
		e.release(ps, i)
	case ps.exact(i):
		e.fire(ps, i, t, down)
	default:
		e.evaluate(ps, i, t, down, (t-e.t0)*ps.rate[0])
	}
}

// release ends the refractory period of neuron i: V leaves Reset with the currents it has.
// Its queued prediction holds the factors at that time.
func (e *Engine) release(ps *popState, i int) {
	tr := ps.ref(i)
	ps.setRef(i, math.Inf(-1))
	w := ps.nRec + 1
	down := ps.scratch
	copy(down, ps.keyDown[i*w:(i+1)*w])
	xm := (tr - e.t0) * ps.rate[0]
	ps.resetMembrane(i, down, xm)
	e.evaluate(ps, i, tr, down, xm)
}

// resetMembrane sets A so that u = uReset at the time of the factors down and xm.
func (ps *popState) resetMembrane(i int, down []float64, xm float64) {
	u, eq := 0.0, 0.0
	for k, bk := range ps.b(i) {
		if ps.equal[k] {
			eq += bk * xm
		} else {
			u += ps.beta[k] * bk * down[1+k]
		}
	}
	ps.setA(i, (ps.uReset-u)/down[0]-eq)
}

// fire emits a spike of neuron i at time t, whose factors are down.
func (e *Engine) fire(ps *popState, i int, t float64, down []float64) {
	e.stats.Spikes++
	if e.opt.MaxSpikes > 0 && e.stats.Spikes > e.opt.MaxSpikes && e.halt == nil {
		e.halt = fmt.Errorf("events: more than %d spikes by time %v: stopped", e.opt.MaxSpikes, t)
	}
	sp := Spike{Time: t, Population: int32(ps.index), Neuron: int32(i)}
	if e.opt.RecordSpikes {
		e.spikes = append(e.spikes, sp)
	}
	if e.opt.OnSpike != nil {
		e.opt.OnSpike(sp)
	}
	if ps.refractory > 0 {
		ps.setRef(i, t+ps.refractory)
		kd := ps.scratch
		for j, d := range down {
			kd[j] = d * ps.refDec[j]
		}
		e.queueKey(ps, i, ps.ref(i), kd, false)
		ps.setCap(i, math.Inf(1), 0) // no input can make it fire before the end
	} else {
		xm := (t - e.t0) * ps.rate[0]
		ps.resetMembrane(i, down, xm)
		e.evaluate(ps, i, t, down, xm)
	}
	e.spread(e.out[ps.index], i, t)
}

// spread sends a spike of presynaptic neuron i at time t through the projections ops.
func (e *Engine) spread(ops []outProj, i int, t float64) {
	for pi := range ops {
		op := &ops[pi]
		if !op.delayed {
			post, w := op.row(op.rowStart[i], op.rowStart[i+1])
			e.deliver(op, post, w, t)
			continue
		}
		e.deliverFrom(op, i, t, op.rowStart[i], t)
	}
}

// deliverFrom delivers the synapses of row i, from synapse k on, whose delay puts them at
// time now, and queues the next delay group.
func (e *Engine) deliverFrom(op *outProj, i int, tSpike float64, k int, now float64) {
	end := op.rowStart[i+1]
	for k < end {
		d := op.delays[k]
		at := tSpike + d
		if at > now {
			if _, err := e.q.Push(at, event{tSpike: tSpike, kind: evDeliver, a: int32(op.index), b: int32(i), c: int32(k)}); err != nil {
				panic(fmt.Sprintf("events: internal error: delivery at %v", at))
			}
			return
		}
		j := k
		for j < end && op.delays[j] == d {
			j++
		}
		post, w := op.row(k, j)
		e.deliver(op, post, w, at)
		k = j
	}
}

// deliverGroup handles a queued delivery.
func (e *Engine) deliverGroup(ev event, t float64) {
	e.deliverFrom(e.proj[ev.a], int(ev.b), ev.tSpike, int(ev.c), t)
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
	upK, upM, downK := ps.up[1+k], ps.up[0], ps.down[1+k]
	coefA := ps.beta[k] * upM
	if ps.equal[k] {
		coefA = ps.xm * upM
	}
	// With one excitatory receptor, the drive is this receptor's current.
	single := len(ps.excRec) == 1 && ps.excRec[0] == k
	st, stride, bk := ps.st, ps.stride, fB+k
	if op.uniform && (single || op.weight <= 0) {
		e.deliverUniform(ps, post, op.weight, upK*op.weight, coefA*op.weight, downK, bk, t)
		return
	}
	w = w[:len(post)]
	for s, j32 := range post {
		j := int(j32)
		rec := st[j*stride : j*stride+stride]
		wk := w[s]
		// A refractory period that ended before t has been released by its own event.
		if r := rec[fRef]; r >= t {
			if r > t {
				rec[bk] += wk * upK
				continue // held at Reset: only the current charges
			}
			e.release(ps, j) // its refractory period ends now
		}
		rec[bk] += wk * upK
		rec[fA] -= wk * coefA
		if wk <= 0 {
			rec[fExact] = 0 // inhibition only delays a crossing
			continue
		}
		g := rec[bk] * downK
		if !single {
			g = ps.drive(j, ps.down)
		}
		if g > rec[fCap] {
			e.excited(ps, j, t)
		}
	}
}

// deliverUniform is deliver for synapses that share one weight w onto receptor index bk,
// the only excitatory receptor of the population (if any), with dB = w·up_k and dA = w·coefA.
func (e *Engine) deliverUniform(ps *popState, post []int32, w, dB, dA, downK float64, bk int, t float64) {
	st, stride := ps.st, ps.stride
	if w <= 0 {
		for _, j32 := range post {
			j := int(j32)
			rec := st[j*stride : j*stride+stride]
			if r := rec[fRef]; r >= t {
				if r > t {
					rec[bk] += dB
					continue
				}
				e.release(ps, j)
			}
			rec[bk] += dB
			rec[fA] -= dA
			rec[fExact] = 0 // inhibition only delays a crossing
		}
		return
	}
	for _, j32 := range post {
		j := int(j32)
		rec := st[j*stride : j*stride+stride]
		if r := rec[fRef]; r >= t {
			if r > t {
				rec[bk] += dB
				continue
			}
			e.release(ps, j)
		}
		b := rec[bk] + dB
		rec[bk] = b
		rec[fA] -= dA
		if b*downK > rec[fCap] {
			e.excited(ps, j, t)
		}
	}
}

// excited gives free neuron j, whose prediction may no longer hold after excitatory input
// at time t, a valid one.
func (e *Engine) excited(ps *popState, j int, t float64) {
	u := ps.potential(j, ps.down, ps.xm)
	if u >= ps.theta {
		e.queueKey(ps, j, t, ps.down, true)
		return
	}
	capG := ps.drive(j, ps.down) + ps.headrm
	tb := ps.bound(j, t, u, capG, ps.down)
	// A pending prediction before tb is still a lower bound.
	switch ps.kind[j] {
	case keySlot:
		if e.cal.start(ps.slot[j]) <= tb {
			ps.setCap(j, capG, ps.jumpRm)
			return
		}
	case keyQueue:
		if ps.key[j] <= tb {
			ps.setExact(j, false)
			ps.setCap(j, capG, ps.jumpRm)
			return
		}
	}
	e.place(ps, j, t, u, ps.down, tb, capG)
}

// deliverJumps applies voltage jumps to population ps at time t. Jumps during the
// refractory period are lost: V is held at Reset.
func (e *Engine) deliverJumps(ps *popState, post []int32, w []float64, t float64) {
	upM := ps.up[0]
	for s, j32 := range post {
		j := int(j32)
		if ps.ref(j) > t {
			continue
		}
		if !math.IsInf(ps.ref(j), -1) {
			e.release(ps, j)
		}
		ps.setA(j, ps.a(j)+w[s]*upM)
		if w[s] <= 0 {
			ps.setExact(j, false)
			continue
		}
		if room := ps.room(j) - w[s]; room >= 0 {
			ps.setRoom(j, room) // the prediction allowed for this jump
			continue
		}
		e.excited(ps, j, t)
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
		if ss.rate <= 0 {
			return
		}
		next = t + ss.rng[j].ExpFloat64()/ss.rate
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
		// The factors at t on the old base: B_k decays by down[1+k], the factors of queued
		// predictions grow by up, and shift is (t − t0)/τm.
		ps.factors(t, e.t0)
		shift := ps.xm
		w := ps.nRec + 1
		for i := 0; i < ps.size; i++ {
			a, bs := ps.a(i), ps.b(i)
			for k, bk := range bs {
				if ps.equal[k] {
					a += bk * shift
				}
				bs[k] = bk * ps.down[1+k]
			}
			ps.setA(i, a*decayM)
		}
		for j, g := range ps.up {
			for i := 0; i < ps.size; i++ {
				ps.keyDown[i*w+j] *= g
			}
		}
		ps.facT = math.NaN() // the factors were on the old base
	}
	e.t0 = t
}

// Probe records one neuron's membrane potential at requested times.
type Probe struct {
	Population, Neuron int
	Times              []float64 // ascending
	V                  []float64 // filled as the run passes each time
}

// AddProbe asks for the membrane potential of a neuron at the given times (any order;
// AddProbe sorts a copy), computed exactly from the state after every event at earlier
// times. Events at exactly a probe time are in queue order, so where V jumps (a spike's
// reset, a voltage jump) the value at that instant may be either side of the jump. Probe
// times must not be before Now. The engine keeps the returned Probe and fills its V as Run
// passes each time; its fields must not be modified.
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
	if ps.ref(i) > t {
		p.V[k] = ps.rest + ps.uReset
		return
	}
	if !math.IsInf(ps.ref(i), -1) {
		e.release(ps, i)
	}
	ps.factors(t, e.t0)
	p.V[k] = ps.rest + ps.potential(i, ps.down, ps.xm)
}

// Spikes returns the recorded spikes in time order (Options.RecordSpikes). The slice shares
// its elements with the engine's record, which later runs extend, so they must not be
// modified; appending to the slice does not touch the record.
func (e *Engine) Spikes() []Spike { return slices.Clip(e.spikes) }

// Stats returns the counts so far.
func (e *Engine) Stats() Stats { return e.stats }

// Now returns the time the simulation has reached.
func (e *Engine) Now() float64 { return e.now }
