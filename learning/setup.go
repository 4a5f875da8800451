package learning

import (
	"fmt"
	"math"
)

// Setup is a training run apart from its data: the network, how its weights start, the loss,
// the optimizer and its learning rates, and the options of the paper's procedure
// (docs/model.md §5). A field's zero value turns its option off unless its comment says
// otherwise. NewTrainer checks a Setup and names the offending field in its errors, as in
// "learning: Setup.BatchSize: 0: must be > 0".
type Setup struct {
	// Network is the network to train: its neuron, its layer shapes and bias times, and its
	// starting weights unless Init is set. The trainer trains a copy; Network is not changed.
	Network *Network

	// Init, if not nil, holds one normal distribution per layer from which the trainer draws
	// the starting weights of that layer, bias rows included, with its random source: layer 0
	// first, each layer in row-major order. The weights of Network are then not used.
	Init []Normal

	// Seed seeds the run's one random source, which draws the starting weights, shuffles the
	// training samples every epoch and draws the input noise.
	Seed uint64

	Loss      Loss      // the loss of a sample's output times (TTFSLoss, MSELoss); required
	Optimizer Optimizer // the weight update (NewAdam(), &SGD{}); required, and used by one trainer only

	LearningRate float64  // the rate of the first epoch, > 0
	Schedule     Schedule // the rate of each later epoch (StepLR, MultiStepLR); nil keeps LearningRate

	// BatchSize is the number of training samples per step, > 0; the last batch of an epoch
	// holds what is left.
	BatchSize int

	// EvalBatchSize bounds the number of samples per forward call in validation and
	// evaluation, and so the memory for hidden-layer times; 0 means 1000. Results do not
	// depend on it.
	EvalBatchSize int

	// MaxDwNorm, if > 0, drops a sample's whole weight-gradient column of a neuron whose
	// largest entry exceeds MaxDwNorm in magnitude, as the reference does (docs/model.md §3);
	// the errors passed to the layer below are kept.
	MaxDwNorm float64

	Bumping Bumping // raising the weights of layers that stay silent; off if MaxMissing is nil

	// InputNoise, if not nil, adds Gaussian noise to the input times of training batches.
	InputNoise *Noise

	// RoundingPrecision, if > 0, rounds the weights to multiples of it (halves to even) for
	// the forward passes; the updates and the backward pass keep full precision.
	RoundingPrecision float64

	// ClipWeights, if > 0, clips every weight to [−ClipWeights, ClipWeights] after each batch.
	ClipWeights float64

	// Forward is the forward pass; nil means Exact. Any Forward trains: the backward pass
	// needs only the spike times it returns.
	Forward Forward
}

// Normal is a normal distribution.
type Normal struct {
	Mean, StdDev float64
}

// Bumping makes layers whose neurons stay silent spike again (docs/model.md §5, weight
// bumping). After a training batch's forward pass the layers are looked at in order; the
// first whose fraction of silent (sample, neuron) entries exceeds its MaxMissing gets a bump
// added to its weights, and the batch does no gradient step.
type Bumping struct {
	// MaxMissing holds, per layer, the largest tolerated fraction of silent entries, in
	// [0, 1]. nil turns bumping off.
	MaxMissing []float64

	// Value is the bump added to the weights, ≥ 0.
	Value float64

	// Exponential doubles the bump while the same layer is bumped in consecutive batches;
	// else every bump adds Value.
	Exponential bool

	// Targeted bumps only the incoming weights (bias rows included) of the neurons that were
	// silent for at least one sample of the batch; else every weight of the layer.
	Targeted bool
}

// Noise is Gaussian noise added to every regular input time of a training batch, drawn
// independently per time; a negative result is reflected to its magnitude, and +Inf (no
// spike) stays +Inf.
type Noise struct {
	Mean, StdDev float64
}

// evalBatchSize returns the batch of validation and evaluation passes.
func (s *Setup) evalBatchSize() int {
	if s.EvalBatchSize > 0 {
		return s.EvalBatchSize
	}
	return evalBatch
}

// validate reports the first field of s that is not usable, naming it by its Go path.
func (s *Setup) validate() error {
	bad := func(field string, v any, msg string) error {
		return fmt.Errorf("learning: Setup.%s: %v: %s", field, v, msg)
	}
	if s.Network == nil {
		return fmt.Errorf("learning: Setup.Network: nil: a network is required")
	}
	if err := s.Network.Neuron.Validate(); err != nil {
		return fmt.Errorf("learning: Setup.Network.Neuron: %w", err)
	}
	if err := s.Network.check(goNames); err != nil {
		return fmt.Errorf("learning: Setup.Network.%w", err)
	}
	L := len(s.Network.Layers)
	if s.Init != nil {
		if len(s.Init) != L {
			return bad("Init", fmt.Sprintf("%d entries", len(s.Init)), fmt.Sprintf("want one per layer (%d)", L))
		}
		for l, d := range s.Init {
			if !finite(d.Mean) {
				return bad(fmt.Sprintf("Init[%d].Mean", l), d.Mean, "must be finite")
			}
			if !(d.StdDev >= 0) || math.IsInf(d.StdDev, 1) {
				return bad(fmt.Sprintf("Init[%d].StdDev", l), d.StdDev, "must be finite and ≥ 0")
			}
		}
	}
	if err := validateLoss(s.Loss); err != nil {
		return err
	}
	if err := validateOptimizer(s.Optimizer); err != nil {
		return err
	}
	if !(s.LearningRate > 0) || math.IsInf(s.LearningRate, 1) {
		return bad("LearningRate", s.LearningRate, "must be > 0 and finite")
	}
	if err := validateSchedule(s.Schedule); err != nil {
		return err
	}
	if s.BatchSize <= 0 {
		return bad("BatchSize", s.BatchSize, "must be > 0")
	}
	if s.EvalBatchSize < 0 {
		return bad("EvalBatchSize", s.EvalBatchSize, "must be ≥ 0 (0: 1000)")
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"MaxDwNorm", s.MaxDwNorm}, {"RoundingPrecision", s.RoundingPrecision}, {"ClipWeights", s.ClipWeights}, {"Bumping.Value", s.Bumping.Value}} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			return bad(f.field, f.v, "must be finite and ≥ 0")
		}
	}
	b := &s.Bumping
	if b.MaxMissing != nil {
		if len(b.MaxMissing) != L {
			return bad("Bumping.MaxMissing", fmt.Sprintf("%d entries", len(b.MaxMissing)), fmt.Sprintf("want one per layer (%d)", L))
		}
		for l, f := range b.MaxMissing {
			if !(f >= 0 && f <= 1) {
				return bad(fmt.Sprintf("Bumping.MaxMissing[%d]", l), f, "must be in [0, 1]")
			}
		}
	}
	if z := s.InputNoise; z != nil {
		if !finite(z.Mean) {
			return bad("InputNoise.Mean", z.Mean, "must be finite")
		}
		if !(z.StdDev >= 0) || math.IsInf(z.StdDev, 1) {
			return bad("InputNoise.StdDev", z.StdDev, "must be finite and ≥ 0")
		}
	}
	if e, ok := s.Forward.(*Euler); ok {
		if !(e.Resolution > 0) || math.IsInf(e.Resolution, 1) {
			return bad("Forward.Resolution", e.Resolution, "must be > 0 and finite")
		}
		if !(e.SimTime > 0) || math.IsInf(e.SimTime, 1) {
			return bad("Forward.SimTime", e.SimTime, "must be > 0 and finite")
		}
		if p := s.Network.Neuron; p.TauMem != p.TauSyn {
			return bad("Network.Neuron.TauMem", p.TauMem, fmt.Sprintf("the Euler forward pass needs TauMem = TauSyn (%v)", p.TauSyn))
		}
	}
	return nil
}

// validateLoss checks the parameters of the losses of this package; other losses are the
// caller's to check.
func validateLoss(f Loss) error {
	bad := func(field string, v float64, msg string) error {
		return fmt.Errorf("learning: Setup.Loss.%s: %v: %s", field, v, msg)
	}
	switch f := f.(type) {
	case nil:
		return fmt.Errorf("learning: Setup.Loss: nil: a loss is required (TTFSLoss or MSELoss)")
	case TTFSLoss:
		for _, p := range []struct {
			field string
			v     float64
		}{{"Xi", f.Xi}, {"Beta", f.Beta}, {"TauSyn", f.TauSyn}} {
			if !(p.v > 0) || math.IsInf(p.v, 1) {
				return bad(p.field, p.v, "must be > 0 and finite")
			}
		}
		if !(f.Alpha >= 0) || math.IsInf(f.Alpha, 1) {
			return bad("Alpha", f.Alpha, "must be finite and ≥ 0")
		}
	case MSELoss:
		if !finite(f.TCorrect) {
			return bad("TCorrect", f.TCorrect, "must be finite")
		}
		if !finite(f.TWrong) {
			return bad("TWrong", f.TWrong, "must be finite")
		}
		if !(f.TauSyn > 0) || math.IsInf(f.TauSyn, 1) {
			return bad("TauSyn", f.TauSyn, "must be > 0 and finite")
		}
	}
	return nil
}

// validateOptimizer checks the optimizers of this package.
func validateOptimizer(o Optimizer) error {
	bad := func(field string, v float64, msg string) error {
		return fmt.Errorf("learning: Setup.Optimizer.%s: %v: %s", field, v, msg)
	}
	switch o := o.(type) {
	case nil:
		return fmt.Errorf("learning: Setup.Optimizer: nil: an optimizer is required (NewAdam() or &SGD{})")
	case *Adam:
		for _, p := range []struct {
			field string
			v     float64
		}{{"Beta1", o.Beta1}, {"Beta2", o.Beta2}} {
			if !(p.v >= 0 && p.v < 1) {
				return bad(p.field, p.v, "must be in [0, 1)")
			}
		}
		if !(o.Eps > 0) || math.IsInf(o.Eps, 1) {
			return bad("Eps", o.Eps, "must be > 0 and finite")
		}
	case *SGD:
		if !(o.Momentum >= 0) || math.IsInf(o.Momentum, 1) {
			return bad("Momentum", o.Momentum, "must be finite and ≥ 0")
		}
	}
	return nil
}

// validateSchedule checks the schedules of this package.
func validateSchedule(s Schedule) error {
	bad := func(field string, v any, msg string) error {
		return fmt.Errorf("learning: Setup.Schedule.%s: %v: %s", field, v, msg)
	}
	switch s := s.(type) {
	case StepLR:
		if s.StepSize <= 0 {
			return bad("StepSize", s.StepSize, "must be > 0")
		}
		if !(s.Gamma > 0) || math.IsInf(s.Gamma, 1) {
			return bad("Gamma", s.Gamma, "must be > 0 and finite")
		}
	case MultiStepLR:
		if !(s.Gamma > 0) || math.IsInf(s.Gamma, 1) {
			return bad("Gamma", s.Gamma, "must be > 0 and finite")
		}
	}
	return nil
}
