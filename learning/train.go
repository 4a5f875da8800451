package learning

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/firstspike/firstspike/ttfs"
)

// Samples is a labelled set of samples given as input spike times (+Inf = no spike).
type Samples struct {
	Inputs []float64 // Len() × NIn input times, row-major
	Labels []int     // class of each sample
	NIn    int       // inputs per sample
}

// Len returns the number of samples.
func (s Samples) Len() int { return len(s.Labels) }

// check reports whether s is consistent and its labels fit nClasses outputs.
func (s Samples) check(name string, nClasses int) error {
	if s.NIn <= 0 || len(s.Inputs) != len(s.Labels)*s.NIn {
		return fmt.Errorf("learning: %s: %d input times for %d samples of %d inputs", name, len(s.Inputs), len(s.Labels), s.NIn)
	}
	for i, y := range s.Labels {
		if y < 0 || y >= nClasses {
			return fmt.Errorf("learning: %s: labels[%d]: %d: want a class in [0, %d)", name, i, y, nClasses)
		}
	}
	for k, t := range s.Inputs {
		if math.IsNaN(t) || math.IsInf(t, -1) {
			return fmt.Errorf("learning: %s: inputs[%d][%d]: %v: want a time or +Inf", name, k/s.NIn, k%s.NIn, t)
		}
	}
	return nil
}

// EpochMetrics records one epoch of training. Epoch 0 is the network before training, with
// validation figures only.
type EpochMetrics struct {
	Epoch         int
	LearningRate  float64 // rate used during the epoch
	TrainLoss     float64 // mean batch loss over the batches that did a gradient step; NaN if none did
	TrainAccuracy float64 // fraction of training samples classified right during the epoch
	ValLoss       float64
	ValAccuracy   float64
	Bumps         int     // batches that bumped weights instead of a gradient step
	Seconds       float64 // wall time of the epoch, validation included
}

// ErrDiverged is returned (wrapped) when training produces a non-finite loss or gradient.
var ErrDiverged = errors.New("training diverged")

// gradChunks is the number of chunks a batch is cut into for the backward pass: the weight
// gradients of a chunk's samples are summed together, then the chunk sums are added in chunk
// order. It fixes the order of every floating-point sum independently of the number of
// goroutines, so a seed gives the same bits on any machine; each chunk costs a gradient-sized
// buffer to fill and add, so there are only as many as a small machine's cores can use.
const gradChunks = 4

// Trainer trains a network with the procedure of the reference implementation
// (docs/model.md §5): mini-batches of shuffled training samples, optional input noise, a
// forward pass, weight bumping or a loss/backward/optimizer step, optional weight clipping,
// and a validation pass after every epoch. One random source, seeded once, draws the starting
// weights, the shuffles and the noise; its state is part of a checkpoint, so that a resumed
// run continues bit-identically.
type Trainer struct {
	Net     *Network       // the full-precision weights being trained
	Epoch   int            // epochs completed
	History []EpochMetrics // epoch 0 (before training) first

	setup      Setup // the caller's, with Network replaced by Net and Forward filled in
	seed       uint64
	bump       bumper
	train, val Samples
	pcg        *rand.PCG
	rng        *rand.Rand

	// buffers reused across batches
	fwdNet     *Network // rounded copy used for forward passes when rounding is on
	perm       []int
	batchIn    []float64
	batchY     []int
	times      [][]float64
	recs       [][]ttfs.Record // per sample and layer, when the forward pass records
	deltaOut   []float64
	chunkGrads [][][]float64
	grads      [][]float64
	params     [][]float64
	workers    []backwardWorker
	eval       evaluator
}

type backwardWorker struct {
	in  [][]float64 // per layer: inputs with bias spikes
	dIn [][]float64 // per layer: ∂L/∂inputs
	bs  BackwardScratch
	def etDeferred // the first layer's weight-gradient terms of the chunk's samples
}

// NewTrainer returns a trainer that trains a copy of s.Network on train, and evaluates the
// untrained network on val (History[0]); val may be empty, which leaves the validation
// figures NaN. It returns an error naming the field if s or the data are not usable: the
// samples must have the network's inputs and labels below its outputs.
func NewTrainer(s Setup, train, val Samples) (*Trainer, error) {
	if s.Optimizer != nil {
		// An optimizer that has updated weights carries their moments into this run.
		if st := s.Optimizer.State(); st.Step > 0 || st.M != nil || st.V != nil || st.Buf != nil {
			return nil, fmt.Errorf("learning: Setup.Optimizer: %T has already updated weights: give each trainer an optimizer of its own", s.Optimizer)
		}
	}
	t, err := newTrainer(s, s.Seed, train, val)
	if err != nil {
		return nil, err
	}
	for l, d := range s.Init {
		w := t.Net.Layers[l].Weights
		for k := range w {
			w[k] = d.Mean + d.StdDev*t.rng.NormFloat64()
		}
	}
	m, err := t.validate()
	if err != nil {
		return nil, err
	}
	t.History = append(t.History, m)
	return t, nil
}

func newTrainer(s Setup, seed uint64, train, val Samples) (*Trainer, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	net := s.Network.Clone()
	nIn, nOut := net.Inputs(), net.Outputs()
	if err := train.check("training set", nOut); err != nil {
		return nil, err
	}
	if train.NIn != nIn {
		return nil, fmt.Errorf("learning: training set: %d inputs per sample: Setup.Network has %d", train.NIn, nIn)
	}
	// An empty validation set needs no shape.
	if val.Len() > 0 || len(val.Inputs) > 0 {
		if err := val.check("validation set", nOut); err != nil {
			return nil, err
		}
		if val.NIn != nIn {
			return nil, fmt.Errorf("learning: validation set: %d inputs per sample: Setup.Network has %d", val.NIn, nIn)
		}
	}
	if train.Len() == 0 {
		return nil, fmt.Errorf("learning: the training set is empty")
	}
	if s.Forward == nil {
		s.Forward = &Exact{}
	}
	if s.Schedule == nil {
		s.Schedule = constantRate{}
	}
	s.Network = net
	t := &Trainer{
		Net:   net,
		setup: s,
		seed:  seed,
		bump:  bumper{Bumping: s.Bumping, last: -1, current: s.Bumping.Value},
		train: train,
		val:   val,
		pcg:   rand.NewPCG(seed, pcgStream),
	}
	t.rng = rand.New(t.pcg)
	for l := range net.Layers {
		t.params = append(t.params, net.Layers[l].Weights)
	}
	if s.RoundingPrecision > 0 {
		t.fwdNet = net.Clone()
	}
	return t, nil
}

// constantRate is the Schedule of a Setup without one.
type constantRate struct{}

func (constantRate) Rate(lr0 float64, _ int) float64 { return lr0 }

// pcgStream is the second PCG seed word; any fixed value would do.
const pcgStream = 0x66697273747370 // "firstsp"

// forwardNet returns the network the forward passes use: the weights rounded to
// Setup.RoundingPrecision if set (the reference keeps full-precision weights for the updates and
// the backward pass), else the weights themselves.
func (t *Trainer) forwardNet() *Network {
	if t.fwdNet == nil {
		return t.Net
	}
	roundWeights(t.fwdNet, t.Net, t.setup.RoundingPrecision)
	return t.fwdNet
}

// InferenceNet returns a copy of the network as the forward pass sees it (weights rounded if
// Setup.RoundingPrecision is set), the one to save as the trained model.
func (t *Trainer) InferenceNet() *Network { return t.forwardNet().Clone() }

// RunEpoch trains one epoch and validates. It returns an error wrapping ErrDiverged if the
// loss, a gradient or an updated weight is not finite; the trainer is then unusable, and the
// last checkpoint holds the last good state.
func (t *Trainer) RunEpoch() (EpochMetrics, error) {
	start := time.Now()
	e := t.Epoch
	lr := t.setup.Schedule.Rate(t.setup.LearningRate, e)
	bs := t.setup.BatchSize
	n := t.train.Len()
	if len(t.perm) != n {
		t.perm = make([]int, n)
	}
	for i := range t.perm {
		t.perm[i] = i
	}
	t.rng.Shuffle(n, func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })

	m := EpochMetrics{Epoch: e + 1, LearningRate: lr}
	lossSum, steps, correct := 0.0, 0, 0
	for lo, batch := 0, 0; lo < n; lo, batch = lo+bs, batch+1 {
		idx := t.perm[lo:min(n, lo+bs)]
		loss, bumped, c, err := t.step(idx, lr)
		if err != nil {
			return m, fmt.Errorf("learning: epoch %d, batch %d: %w", e+1, batch, err)
		}
		correct += c
		if bumped {
			m.Bumps++
		} else {
			lossSum += loss
			steps++
		}
	}
	m.TrainLoss = math.NaN()
	if steps > 0 {
		m.TrainLoss = lossSum / float64(steps)
	}
	m.TrainAccuracy = float64(correct) / float64(n)
	t.Epoch++
	v, err := t.validate()
	if err != nil {
		return m, err
	}
	m.ValLoss, m.ValAccuracy = v.ValLoss, v.ValAccuracy
	m.Seconds = time.Since(start).Seconds()
	t.History = append(t.History, m)
	return m, nil
}

// validate evaluates the current network on the validation set.
func (t *Trainer) validate() (EpochMetrics, error) {
	m := EpochMetrics{Epoch: t.Epoch, TrainLoss: math.NaN(), TrainAccuracy: math.NaN(), LearningRate: math.NaN()}
	if t.val.Len() == 0 {
		m.ValLoss, m.ValAccuracy = math.NaN(), math.NaN()
		return m, nil
	}
	ev, err := t.eval.run(t.forwardNet(), t.setup.Forward, t.setup.Loss, t.val, t.setup.evalBatchSize())
	if err != nil {
		return m, err
	}
	m.ValLoss, m.ValAccuracy = ev.Loss, ev.Accuracy
	return m, nil
}

// Evaluate runs the current network (as the forward pass sees it) on data with the Setup's
// forward pass and loss.
func (t *Trainer) Evaluate(data Samples) (*Evaluation, error) {
	return Evaluate(t.forwardNet(), t.setup.Forward, t.setup.Loss, data, t.setup.evalBatchSize())
}

// step trains on the samples idx: it returns the batch loss, whether the weights were
// bumped instead of a gradient step, and the number of samples classified right.
func (t *Trainer) step(idx []int, lr float64) (loss float64, bumped bool, correct int, err error) {
	net := t.Net
	B, nIn, nOut := len(idx), net.Inputs(), net.Outputs()
	t.batchIn = grow(t.batchIn, B*nIn)
	if cap(t.batchY) < B {
		t.batchY = make([]int, B)
	}
	t.batchY = t.batchY[:B]
	for b, i := range idx {
		copy(t.batchIn[b*nIn:(b+1)*nIn], t.train.Inputs[i*nIn:(i+1)*nIn])
		t.batchY[b] = t.train.Labels[i]
	}
	if z := t.setup.InputNoise; z != nil {
		mean, std := z.Mean, z.StdDev
		for k, x := range t.batchIn {
			x += mean + std*t.rng.NormFloat64()
			if x < 0 {
				x = -x
			}
			t.batchIn[k] = x
		}
	}
	if len(t.times) != len(net.Layers) {
		t.times = make([][]float64, len(net.Layers))
	}
	for l := range net.Layers {
		t.times[l] = grow(t.times[l], B*net.Layers[l].Outputs)
	}
	// The exact forward pass on the trained weights records what the backward pass needs;
	// other forward passes (the integrator, a substrate, rounded weights) leave the backward
	// pass to re-evaluate the closed forms on their spike times.
	exact, recorded := t.setup.Forward.(*Exact)
	recorded = recorded && t.forwardNet() == net
	if recorded {
		for len(t.recs) < B {
			t.recs = append(t.recs, make([]ttfs.Record, len(net.Layers)))
		}
		if err := exact.ForwardRecord(net, t.batchIn, t.times, t.recs[:B]); err != nil {
			return 0, false, 0, err
		}
	} else if err := t.setup.Forward.Forward(t.forwardNet(), t.batchIn, t.times); err != nil {
		return 0, false, 0, err
	}
	out := t.times[len(t.times)-1]
	for b, y := range t.batchY {
		if t.setup.Loss.Predict(out[b*nOut:(b+1)*nOut]) == y {
			correct++
		}
	}

	if t.bump.check(net, t.times, B) >= 0 {
		t.clip()
		return 0, true, correct, nil
	}

	t.deltaOut = grow(t.deltaOut, B*nOut)
	for b, y := range t.batchY {
		loss += t.setup.Loss.Sample(out[b*nOut:(b+1)*nOut], y, t.deltaOut[b*nOut:(b+1)*nOut])
	}
	loss /= float64(B)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, false, correct, fmt.Errorf("%w: loss %v", ErrDiverged, loss)
	}
	inv := 1 / float64(B)
	for k := range t.deltaOut {
		t.deltaOut[k] *= inv
	}
	t.backward(B, recorded)
	for l, g := range t.grads {
		if k := firstNonFinite(g); k >= 0 {
			return loss, false, correct, fmt.Errorf("%w: gradient of layers[%d].weights[%d][%d] is %v", ErrDiverged, l, k/net.Layers[l].Outputs, k%net.Layers[l].Outputs, g[k])
		}
	}
	t.setup.Optimizer.Update(t.params, t.grads, lr)
	for l, w := range t.params {
		if k := firstNonFinite(w); k >= 0 {
			return loss, false, correct, fmt.Errorf("%w: the update made layers[%d].weights[%d][%d] %v (learning rate %v)", ErrDiverged, l, k/net.Layers[l].Outputs, k%net.Layers[l].Outputs, w[k], lr)
		}
	}
	t.clip()
	return loss, false, correct, nil
}

// clip applies Setup.ClipWeights to the full-precision weights.
func (t *Trainer) clip() {
	c := t.setup.ClipWeights
	if c <= 0 {
		return
	}
	for _, w := range t.params {
		for k, x := range w {
			w[k] = max(-c, min(c, x))
		}
	}
}

// backward sums the weight gradients of the B samples of the current batch into t.grads:
// gradChunks chunks of consecutive samples in parallel, each into its own buffer, then the
// chunks in order. If recorded, t.recs holds the forward pass's records. The chunk buffers are
// zero between calls: sumChunks clears what it has read.
func (t *Trainer) backward(B int, recorded bool) {
	net := t.Net
	L := len(net.Layers)
	nChunks := min(B, gradChunks)
	for len(t.chunkGrads) < nChunks {
		g := make([][]float64, L)
		for l := range g {
			g[l] = make([]float64, len(net.Layers[l].Weights))
		}
		t.chunkGrads = append(t.chunkGrads, g)
	}
	if t.grads == nil {
		t.grads = make([][]float64, L)
		for l := range t.grads {
			t.grads[l] = make([]float64, len(net.Layers[l].Weights))
		}
	}
	workers := maxWorkers()
	for len(t.workers) < workers {
		t.workers = append(t.workers, backwardWorker{})
	}
	for w := range t.workers[:workers] {
		t.workers[w].prepare(net)
	}
	p := net.Neuron
	maxDw := t.setup.MaxDwNorm
	nIn, nOut := net.Inputs(), net.Outputs()
	parallelChunks(nChunks, 1, workers, func(w, c, _, _ int) {
		wk := &t.workers[w]
		g := t.chunkGrads[c]
		wk.bs.deferred = &wk.def
		defer func() {
			wk.def.flush()
			wk.bs.deferred = nil
		}()
		for b := c * B / nChunks; b < (c+1)*B/nChunks; b++ {
			delta := t.deltaOut[b*nOut : (b+1)*nOut]
			for l := L - 1; l >= 0; l-- {
				ly := &net.Layers[l]
				in := wk.in[l]
				if l == 0 {
					copy(in, t.batchIn[b*nIn:(b+1)*nIn])
				} else {
					m := ly.Inputs
					copy(in, t.times[l-1][b*m:(b+1)*m])
				}
				out := t.times[l][b*ly.Outputs : (b+1)*ly.Outputs]
				var dIn []float64 // the first layer's ∂L/∂in is not needed
				if l > 0 {
					dIn = wk.dIn[l]
				}
				if recorded {
					LayerBackwardRecorded(p, &t.recs[b][l], in, out, ly.Weights, delta, maxDw, g[l], dIn, &wk.bs)
				} else {
					LayerBackward(p, in, out, ly.Weights, delta, maxDw, g[l], dIn, &wk.bs)
				}
				delta = dIn[:min(len(dIn), ly.Inputs)]
			}
		}
	})
	for l, dst := range t.grads {
		if len(dst) <= rangeChunk {
			t.sumChunks(l, nChunks, 0, len(dst))
			continue
		}
		parallelRange(len(dst), func(lo, hi int) { t.sumChunks(l, nChunks, lo, hi) })
	}
}

// sumChunks adds up the first nChunks chunk gradients of layer l into t.grads[l][lo:hi], in
// chunk order, and clears them for the next batch while they are in cache.
func (t *Trainer) sumChunks(l, nChunks, lo, hi int) {
	d := t.grads[l][lo:hi]
	c0 := t.chunkGrads[0][l][lo:hi]
	copy(d, c0)
	clear(c0)
	for c := 1; c < nChunks; c++ {
		ck := t.chunkGrads[c][l][lo:hi]
		for k, x := range ck {
			d[k] += x
		}
		clear(ck)
	}
}

func (w *backwardWorker) prepare(net *Network) {
	if len(w.in) != len(net.Layers) {
		w.in = make([][]float64, len(net.Layers))
		w.dIn = make([][]float64, len(net.Layers))
	}
	for l := range net.Layers {
		ly := &net.Layers[l]
		w.in[l] = grow(w.in[l], ly.Rows())
		copy(w.in[l][ly.Inputs:], ly.BiasTimes)
		w.dIn[l] = grow(w.dIn[l], ly.Rows())
	}
}

// firstNonFinite returns the index of the first NaN or infinite element of v, −1 if there is
// none. Large slices are checked in parallel pieces; the lowest index wins.
func firstNonFinite(v []float64) int {
	if len(v) <= rangeChunk {
		return firstNonFiniteIn(v, 0)
	}
	found := make([]int, (len(v)+rangeChunk-1)/rangeChunk)
	parallelRange(len(v), func(lo, hi int) { found[lo/rangeChunk] = firstNonFiniteIn(v[lo:hi], lo) })
	for _, k := range found {
		if k >= 0 {
			return k
		}
	}
	return -1
}

// firstNonFiniteIn is firstNonFinite for a piece of a slice that starts at index off.
func firstNonFiniteIn(v []float64, off int) int {
	k := 0
	for ; k+4 <= len(v); k += 4 {
		// x − x is +0 for finite x and NaN for NaN and ±Inf: one test per four elements.
		q := v[k : k+4 : k+4]
		if (q[0]-q[0])+(q[1]-q[1])+((q[2]-q[2])+(q[3]-q[3])) != 0 {
			break
		}
	}
	for ; k < len(v); k++ {
		if x := v[k]; x-x != 0 {
			return off + k
		}
	}
	return -1
}
